//! A session's classification: columns by kind of session.
use std::collections::HashMap;

use content_types::{Session, SessionResult, SessionType};
use maud::{Markup, html};

use crate::views::{fmt, parts};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Practice,
    Qualifying,
    Race,
}

fn kind(s: &Session) -> Kind {
    match s.session_type {
        SessionType::Qualifying | SessionType::SprintQualifying => Kind::Qualifying,
        SessionType::Race | SessionType::Sprint => Kind::Race,
        SessionType::Practice1 | SessionType::Practice2 | SessionType::Practice3 | SessionType::Unspecified => {
            Kind::Practice
        }
    }
}

/// Time for the winner, gap for the others, else the reason they stopped.
fn race_time(r: &SessionResult) -> String {
    if r.position == 1 && !r.time.is_empty() {
        return r.time.clone();
    }
    [&r.gap, &r.time, &r.status].into_iter().find(|v| !v.is_empty()).cloned().unwrap_or_default()
}

fn practice_gap(r: &SessionResult) -> &str {
    if r.position == 1 { "" } else { &r.gap }
}

fn name_cells(r: &SessionResult, colors: &HashMap<String, String>, codes: &parts::SharedCodes) -> Markup {
    html! {
        td class="n opt" { (r.driver_number) }
        th scope="row" {
            (parts::bar(colors.get(&r.constructor_id).map(String::as_str)))
            (parts::driver_short(&r.driver_id, &r.driver_name, codes.short(&r.driver_name, &r.driver_code)))
        }
        td class="opt" { (parts::constructor(&r.constructor_id, &r.team)) }
    }
}

pub fn table(s: &Session, year: i32, colors: &HashMap<String, String>) -> Markup {
    if s.results.is_empty() {
        return html! { p class="muted" { "No classification yet." } };
    }
    let k = kind(s);
    let q = if s.session_type == SessionType::SprintQualifying { "SQ" } else { "Q" };
    let name = fmt::session_name(s.session_type, year);
    let codes = parts::SharedCodes::of(s.results.iter().map(|r| (r.driver_id.as_str(), r.driver_code.as_str())));
    html! {
        div class="scroll" {
            table class="results" {
                caption class="long" { (name) " classification" }
                thead { tr {
                    th scope="col" class="n" { "Pos" }
                    th scope="col" class="n opt" { "No" }
                    th scope="col" { "Driver" }
                    th scope="col" class="opt" { "Team" }
                    @match k {
                        Kind::Practice => { th scope="col" class="n" { "Time" } th scope="col" class="n opt" { "Gap" } th scope="col" class="n opt" { "Laps" } }
                        Kind::Qualifying => { th scope="col" class="n" { (q) "1" } th scope="col" class="n" { (q) "2" } th scope="col" class="n" { (q) "3" } }
                        Kind::Race => {
                            th scope="col" class="n opt" { "Grid" } th scope="col" class="n opt" { "Laps" }
                            th scope="col" class="n" { "Time / gap" } th scope="col" class="opt" { "Status" } th scope="col" class="n" { "Pts" }
                        }
                    }
                } }
                tbody {
                    @for r in &s.results {
                        tr {
                            td class="n pos" { (r.position_text) }
                            (name_cells(r, colors, &codes))
                            @match k {
                                Kind::Practice => {
                                    td class="n" { (r.time) } td class="n opt" { (practice_gap(r)) } td class="n opt" { @if r.laps > 0 { (r.laps) } }
                                }
                                Kind::Qualifying => { td class="n" { (r.q1) } td class="n" { (r.q2) } td class="n" { (r.q3) } }
                                Kind::Race => {
                                    td class="n opt" { @if r.grid > 0 { (r.grid) } }
                                    td class="n opt" { (r.laps) }
                                    td class="n" { (race_time(r))
                                        @if r.fastest_lap { " " span class="pill opt" title="Fastest lap" { "FL" } } }
                                    td class="opt" { (r.status) }
                                    td class="n pts" { @if r.points > 0.0 { (fmt::points(r.points)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
