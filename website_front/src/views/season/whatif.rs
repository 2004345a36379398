//! `/seasons/{year}/what-if`: a scenario, what it changes, and the forms to
//! carry it on to the next session.
use maud::{Markup, html};

use super::fight;
use crate::views::fmt;
use crate::views::layout::{self, Page, Section};
use championship::Championship;
use championship::whatif::WhatIf;
use content_types::HypotheticalSession;

fn name(c: &Championship, id: &str) -> String {
    c.drivers.iter().flat_map(|f| &f.standings).find(|d| d.id == id).map_or_else(|| id.to_string(), |d| d.name.clone())
}

fn verdict(now: &Championship, w: &WhatIf) -> Markup {
    html! {
        @for o in &w.outcomes {
            @if let Some(ch) = &o.drivers.champion {
                p class="verdict" id="whatif-verdict" { (name(now, ch)) " would be champion after " (fight::at(&o.session)) "." }
            } @else {
                p class="verdict" id="whatif-verdict" { "Still open after " (fight::at(&o.session)) "." }
            }
            @if !o.drivers.eliminated.is_empty() {
                p { "Out of it: " (o.drivers.eliminated.iter().map(|id| name(now, id)).collect::<Vec<_>>().join(", ")) "." }
            }
        }
    }
}

/// The scenario as played: each session with its finishing order.
fn scenario(now: &Championship, w: &WhatIf, steps: &[HypotheticalSession]) -> Markup {
    html! {
        h2 { "The scenario" }
        ol class="scenario" {
            @for (step, o) in steps.iter().zip(&w.outcomes) {
                li {
                    strong { (fight::at(&o.session)) } ": "
                    (step.order.iter().enumerate().map(|(i, id)| format!("{} {}", fmt::ordinal(i as i64 + 1), name(now, id))).collect::<Vec<_>>().join(", "))
                    @if step.order.len() < 10 { span class="muted" { " (the rest score nothing)" } }
                }
            }
        }
    }
}

/// Each contender's points before the scenario and after it.
fn changes(now: &Championship, w: &WhatIf) -> Markup {
    let (Some(before), Some(after)) = (&now.drivers, &w.championship.drivers) else { return html! {} };
    let was = |id: &str| before.standings.iter().find(|c| c.id == id).map_or(0.0, |c| c.points);
    let shown: Vec<_> = after.standings.iter().filter(|c| c.can_win || was(&c.id) != c.points).take(10).collect();
    html! {
        div class="scroll" {
            table id="whatif-changes" {
                caption { "Points: now → in this scenario" }
                thead { tr { th scope="col" class="n" { "Pos" } th scope="col" { "Driver" } th scope="col" class="n" { "Now" } th scope="col" class="n" { "Then" } } }
                tbody {
                    @for c in shown {
                        tr {
                            td class="n" { (c.position) }
                            th scope="row" { (c.name) }
                            td class="n" { (fmt::points(was(&c.id))) }
                            td class="n" { (fmt::points(c.points)) " " small class="muted" { "+" (fmt::points(c.points - was(&c.id))) } }
                        }
                    }
                }
            }
        }
    }
}

/// `steps`: the scenario so far; `outcome`: what it gives, or why it cannot
/// be played; `None`: nothing asked yet.
pub fn page(
    year: i32,
    now: &Championship,
    steps: &[HypotheticalSession],
    outcome: Option<&WhatIf>,
    error: Option<&str>,
) -> Markup {
    let title = format!("What if? {year}");
    let page = Page::new(&title, "A what-if for the title fight.", Section::Seasons);
    let after = outcome.map_or(now, |w| &w.championship);
    layout::render(
        &page,
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { a href="/seasons" { "Seasons" } " / " a href=(format!("/seasons/{year}")) { (year) } " / What if?" }
            h1 { "What if? " (year) }
            @if let Some(message) = error { section class="card" { p class="error" { (message) } } }
            @if let Some(w) = outcome {
                section class="card" id="whatif-outcome" {
                    (scenario(now, w, steps))
                    (verdict(now, w))
                    (changes(now, w))
                    p { a href=(format!("/seasons/{year}/what-if")) { "Start again" } }
                }
                (fight::panel_with(&w.championship, false, false, None))
            }
            @if after.next_session.is_some() {
                section class="card" { (fight::what_if_form(after, year, steps, &[])) }
            }
        },
    )
}

/// The what-if of a season with nothing left to play.
pub fn over(year: i32, now: &Championship) -> Markup {
    let title = format!("What if? {year}");
    let page = Page::new(&title, "A what-if for the title fight.", Section::Seasons);
    let champion = now.drivers.as_ref().and_then(|f| f.leader_name.clone());
    layout::render(
        &page,
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { a href="/seasons" { "Seasons" } " / " a href=(format!("/seasons/{year}")) { (year) } " / What if?" }
            h1 { "What if? " (year) }
            section class="card" {
                p {
                    "The " (year) " season is over: no session is left to play."
                    @if let Some(c) = champion { " " (c) " won the title." }
                }
                p { a href=(format!("/seasons/{year}#title-fight")) { "How the title was won →" } }
            }
        },
    )
}
