//! `/seasons/{year}/what-if`: the outcome of the visitor's finishing order.
use maud::{Markup, html};

use super::fight;
use crate::views::layout::{self, Page, Section};
use championship::Championship;
use championship::whatif::WhatIf;

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

/// `chosen`: the visitor's first, second and third.
pub fn page(year: i32, now: &Championship, chosen: [Option<&str>; 3], outcome: &Result<WhatIf, String>) -> Markup {
    let title = format!("What if? {year}");
    let page = Page::new(&title, "A what-if for the title fight.", Section::Seasons);
    layout::render(
        &page,
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { a href="/seasons" { "Seasons" } " / " a href=(format!("/seasons/{year}")) { (year) } " / What if?" }
            h1 { "What if? " (year) }
            section class="card" id="whatif-outcome" {
                @match outcome {
                    Err(message) => p class="error" { (message) },
                    Ok(w) => {
                        (verdict(now, w))
                        (fight::panel_with(&w.championship, false, false, None))
                    }
                }
            }
            section class="card" { (fight::what_if_form(now, year, chosen)) }
        },
    )
}
