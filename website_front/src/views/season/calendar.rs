use std::collections::HashMap;

use content_types::{Round, RoundFormat};
use maud::{Markup, html};

use crate::views::{fmt, parts};

/// Every round with its date, circuit, status and winner. A race held
/// without results says so (not in yet, or overdue) rather than looking
/// scheduled; a provisional winner is marked.
pub fn calendar(rounds: &[Round], year: i32, colors: &HashMap<String, String>, now: i64) -> Markup {
    let winners: Vec<_> = rounds.iter().filter_map(Round::winner).collect();
    let codes = parts::SharedCodes::of(winners.iter().map(|w| (w.driver_id.as_str(), w.driver_code.as_str())));
    html! {
        section class="card" aria-labelledby="cal-h" {
            h2 id="cal-h" { "Calendar" }
            div class="scroll" {
                table id="calendar" {
                    caption class="long" { "Every round of " (year) " "
                        small { (rounds.len()) " rounds" } }
                    thead { tr {
                        th scope="col" class="n" { "Rd" }
                        th scope="col" { "Grand Prix" }
                        th scope="col" class="opt" { "Circuit" }
                        th scope="col" { "Date" }
                        th scope="col" class="opt" { "Status" }
                        th scope="col" { "Winner" }
                    } }
                    tbody {
                        @for r in rounds {
                            @let winner = r.winner();
                            tr {
                                td class="n" { (r.round_id) }
                                th scope="row" {
                                    a href=(format!("/seasons/{year}/rounds/{}", r.round_id)) { (parts::round_name(&r.name)) }
                                    @if r.format == RoundFormat::Sprint { " " span class="pill opt" { "Sprint" } }
                                }
                                td class="opt" { @if let Some(c) = &r.circuit { (c.name) } }
                                td { (fmt::day_short(if r.date.is_empty() { &r.end_date } else { &r.date })) }
                                td class="opt" { @match parts::round_pending(r, now) {
                                    Some(p) => (parts::pending(p)),
                                    None => (parts::pill(r.status().as_str())),
                                } }
                                td { @match winner {
                                    Some(w) => {
                                        (parts::bar(colors.get(&w.constructor_id).map(String::as_str))) (parts::driver_short(&w.driver_id, &w.driver_name, codes.short(&w.driver_name, &w.driver_code)))
                                        @if r.race().is_some_and(|s| s.is_provisional()) { " " span class="pill provisional" title="Awaiting the official classification" { "Provisional" } }
                                    },
                                    // A missing result is said once, in Status.
                                    None => span class="muted" { "—" },
                                } }
                            }
                        }
                    }
                }
            }
        }
    }
}
