//! `/seasons/{year}/rounds/{round}`: the circuit, then every session of
//! the weekend in tabs (sections without JavaScript).
mod results;

use std::collections::HashMap;

use content_types::{Circuit, Round, RoundFormat, Season, Session, SessionStatus};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

fn circuit(c: &Circuit, r: &Round) -> Markup {
    let laps = if r.laps > 0 { r.laps } else { c.race_laps };
    super::circuit::card(c, laps, r.distance_km)
}

/// The tab to open first: the current or latest session (the last one
/// that has started by `now`, is live or has results), else the first one.
fn default_tab(sessions: &[Session], now: i64) -> usize {
    sessions
        .iter()
        .rposition(|s| {
            !s.results.is_empty() || s.status == SessionStatus::Live || s.start_time.is_some_and(|t| t <= now)
        })
        .unwrap_or(0)
}

fn panel_id(s: &Session) -> String {
    format!("s-{}", s.session_type.as_str().replace('_', "-"))
}

fn sessions(r: &Round, year: i32, colors: &HashMap<String, String>, now: i64) -> Markup {
    let open = default_tab(&r.sessions, now);
    html! {
        section class="card" data-tabs aria-labelledby="sessions-h" {
            h2 id="sessions-h" class="long" { "Sessions" }
            div class="tablist" role="tablist" aria-label="Sessions of the weekend" {
                @for (i, s) in r.sessions.iter().enumerate() {
                    button type="button" role="tab" id=(format!("tab-{}", panel_id(s))) aria-controls=(panel_id(s))
                        aria-selected=(if i == open { "true" } else { "false" }) {
                        (fmt::session_short(s.session_type))
                    }
                }
            }
            @for s in &r.sessions {
                div class="panel" role="tabpanel" id=(panel_id(s)) aria-labelledby=(format!("tab-{}", panel_id(s))) tabindex="0" {
                    h2 class="tabbed" { (fmt::session_name(s.session_type, year)) }
                    p {
                        (parts::pill(s.status.as_str())) " "
                        @match s.start_time {
                            Some(ts) => (parts::local_time(ts)),
                            None => @if !s.date.is_empty() { (fmt::day(&s.date)) },
                        }
                        @if s.status == SessionStatus::Live && s.total_laps > 0 { " · lap " (s.current_laps) " of " (s.total_laps) }
                        @if s.is_provisional() { " " (parts::provisional_badge()) }
                    }
                    @if parts::under_way(s, now) {
                        p class="notice" role="status" {
                            strong { (fmt::session_name(s.session_type, year)) " under way" }
                            " — no live data yet. " a href="/live" { "The live page" } " shows it as soon as the timing feed answers."
                        }
                    }
                    (results::table(s, year, colors))
                    p class="session-link" {
                        a href=(super::session::path(year, r.round_id, s.session_type)) {
                            (session_story(s.session_type)) " →"
                        }
                    }
                }
            }
            @if r.sessions.is_empty() { p class="muted" { "No sessions are known for this round yet." } }
        }
    }
}

/// What a session's own page tells.
fn session_story(kind: content_types::SessionType) -> &'static str {
    use content_types::SessionType as T;
    match kind {
        T::Race | T::Sprint => "Lap chart, tyres, pit stops and race control",
        T::Qualifying | T::SprintQualifying => "Each part, mini-sectors and improvements",
        _ => "Best laps and long runs",
    }
}

pub fn page(season: &Season, r: &Round, colors: &HashMap<String, String>, now: i64) -> Markup {
    let year = r.season;
    let title = format!("{} {year}", r.name);
    let description = format!("{} {year}: circuit, sessions and results.", r.name);
    let page = Page::new(&title, &description, Section::Seasons);
    html! {
        (layout::render(&page, html! {
            nav class="crumbs" aria-label="Breadcrumb" {
                a href="/seasons" { "Seasons" } " / " a href=(format!("/seasons/{year}")) { (year) } " / Round " (r.round_id)
            }
            div class="hero" {
                div {
                    h1 { (r.name) }
                    p {
                        @if !r.official_name.is_empty() { span class="long" { (r.official_name) " · " } }
                        (fmt::weekend(&r.first_date, if r.end_date.is_empty() { &r.date } else { &r.end_date }))
                        @if r.format == RoundFormat::Sprint { " · " span class="pill" { "Sprint weekend" } }
                    }
                    @if r.provisional { p { (parts::provisional_badge()) } }
                }
                nav class="pager" aria-label="Other rounds" {
                    @if r.round_id > 1 { a href=(format!("/seasons/{year}/rounds/{}", r.round_id - 1)) { "← Round " (r.round_id - 1) } }
                    @if r.round_id < season.total_rounds { a href=(format!("/seasons/{year}/rounds/{}", r.round_id + 1)) { "Round " (r.round_id + 1) " →" } }
                }
            }
            @if let Some(c) = &r.circuit { (circuit(c, r)) }
            (sessions(r, year, colors, now))
        }))
    }
}
