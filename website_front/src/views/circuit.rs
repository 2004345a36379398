//! `/circuits/{id}`: a circuit's facts, track map and past winners, and
//! the circuit card of a round page.
use content_types::{Circuit, CircuitRound};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

/// The circuit's name, map and facts; `laps` and `distance_km` are a
/// round's (0 when not about one round).
pub fn card(c: &Circuit, laps: i32, distance_km: f64) -> Markup {
    let fact = |label: &'static str, value: String| {
        html! { @if !value.is_empty() && value != "0" { div { dt { (label) } dd { (value) } } } }
    };
    let km = |v: f64| if v > 0.0 { format!("{v:.3} km") } else { String::new() };
    let place = [c.locality.as_str(), c.country.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        section class="card" aria-labelledby="circuit-h" {
            h2 id="circuit-h" { a href=(format!("/circuits/{}", c.id)) { (c.name) } }
            @if c.image_url.is_some() {
                img src=(format!("/images/circuits/{}", c.id)) alt=(format!("Track map of {}", c.name))
                    class="track" loading="lazy";
            }
            dl class="facts" {
                (fact("Location", place))
                (fact("Length", km(c.length_km)))
                (fact("Turns", c.turns.to_string()))
                (fact("Race laps", laps.to_string()))
                (fact("Distance", km(distance_km)))
                (fact("Type", c.circuit_type.replace('_', " ").to_lowercase()))
                (fact("Direction", c.direction.replace('_', " ").to_lowercase()))
            }
        }
    }
}

/// Every round held at the circuit, newest first, with its winner.
fn winners(rounds: &[CircuitRound]) -> Markup {
    html! {
        section class="card" aria-labelledby="held-h" {
            h2 id="held-h" { "Races held here" small class="muted" { " " (rounds.len()) } }
            div class="scroll" {
                table id="winners" {
                    caption class="sr-only" { "Every round held here, newest first, with its winner" }
                    thead { tr {
                        th scope="col" { "Season" } th scope="col" { "Grand Prix" }
                        th scope="col" { "Winner" } th scope="col" class="opt" { "Team" }
                    } }
                    tbody {
                        @for r in rounds {
                            tr {
                                th scope="row" { a href=(format!("/seasons/{}", r.season)) { (r.season) } }
                                td { a href=(format!("/seasons/{}/rounds/{}", r.season, r.round)) { (parts::round_name(&r.name)) }
                                    @if let Some(d) = &r.date { " " span class="muted opt" { (fmt::day_short(d)) } } }
                                td { @match &r.winner {
                                    Some(w) => (parts::driver(&w.id, &w.name)),
                                    None => span class="muted" { "—" },
                                } }
                                td class="opt" { @if let Some(t) = &r.team { (parts::constructor(&t.id, &t.name)) } }
                            }
                        }
                        @if rounds.is_empty() { tr { td colspan="4" class="muted" { "No round here in this site’s data." } } }
                    }
                }
            }
        }
    }
}

pub fn page(c: &Circuit, rounds: &[CircuitRound]) -> Markup {
    let name = if c.full_name.is_empty() { c.name.clone() } else { c.full_name.clone() };
    let description = format!("{name}: a Formula 1 circuit.");
    layout::render(
        &Page::new(&c.name, &description, Section::Circuits),
        html! {
            nav class="crumbs" aria-label="Breadcrumb" { a href="/circuits" { "Circuits" } " / " (c.name) }
            div class="hero" { div { h1 { (c.name) } @if name != c.name { p { (name) } } } }
            (card(c, c.race_laps, 0.0))
            (winners(rounds))
        },
    )
}
