//! `/seasons/{year}/rounds/{round}/sessions/{type}`: a session told by
//! its timing records, in server-drawn SVG charts (each with its numbers
//! in a table behind a `<details>`): a race's lap chart, gaps, tyres, pit
//! stops, fastest laps, race control and weather; qualifying's parts,
//! mini-sectors and improvements; practice's best laps and long runs; the
//! track map with the flags by marshal sector.
mod cars;
mod practice;
mod qualifying;
pub(crate) mod race;
mod shared;
pub(crate) mod track;

use std::collections::HashMap;

use content_types::{
    Lap, PitStop, RaceControlMessage, Round, Session, SessionType, Stint, TrackStatusChange, WeatherSample,
};
use maud::{Markup, html};

use super::layout::{self, Page, Section};
use super::{fmt, parts};

pub use cars::Cars;

/// A session's timing records, each kind whole.
#[derive(Debug, Default)]
pub struct Records {
    pub laps: Vec<Lap>,
    pub stints: Vec<Stint>,
    pub pit_stops: Vec<PitStop>,
    pub race_control: Vec<RaceControlMessage>,
    pub weather: Vec<WeatherSample>,
    pub track_status: Vec<TrackStatusChange>,
}

pub struct SessionPage<'a> {
    pub round: &'a Round,
    pub session: &'a Session,
    /// Team colours by constructor id.
    pub colors: &'a HashMap<String, String>,
    /// None when no timing records are stored.
    pub records: Option<&'a Records>,
}

/// The path of a session's page (`practice-1`, as the round page names its panels).
pub fn path(year: i32, round: i32, kind: SessionType) -> String {
    format!("/seasons/{year}/rounds/{round}/sessions/{}", kind.as_str().replace('_', "-"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Race,
    Qualifying,
    Practice,
}

fn kind(t: SessionType) -> Kind {
    match t {
        SessionType::Race | SessionType::Sprint => Kind::Race,
        SessionType::Qualifying | SessionType::SprintQualifying => Kind::Qualifying,
        _ => Kind::Practice,
    }
}

/// What the page says in one sentence (its `og:description`).
fn description(p: &SessionPage<'_>, name: &str, cars: &Cars) -> String {
    let r = p.round;
    let head = format!("{} {}, {name}", r.name, r.season);
    let Some(recs) = p.records else {
        return format!("{head}: no timing data is stored for this session.");
    };
    let laps = recs.laps.iter().map(|l| l.lap).max().unwrap_or(0);
    let best = shared::fastest(&recs.laps);
    let first = p.session.results.iter().find(|x| x.position == 1);
    match kind(p.session.session_type) {
        Kind::Race => format!(
            "{head}: {}won over {laps} laps; lap chart, gaps, tyre strategies, pit stops, race control{}.",
            first.map_or_else(String::new, |w| format!("{} ", w.driver_name)),
            if recs.weather.is_empty() { "" } else { " and weather" }
        ),
        Kind::Qualifying => format!(
            "{head}: {}Q1, Q2 and Q3 order with the gaps to the cut-off, each driver's best lap by mini-sector, who improved when.",
            first.map_or_else(String::new, |w| format!("{} on pole. ", w.driver_name))
        ),
        Kind::Practice => format!(
            "{head}: best laps{}, long-run pace by stint.",
            best.map_or_else(String::new, |l| format!(
                " ({} {})",
                cars.code(l.driver_number),
                shared::lap_time(l.time)
            ))
        ),
    }
}

/// The other sessions of the weekend, as links.
fn tabs(r: &Round, current: SessionType) -> Markup {
    html! {
        nav class="session-nav" aria-label="Sessions of the weekend" {
            @for s in &r.sessions {
                @if s.session_type == current {
                    span aria-current="page" { (fmt::session_short(s.session_type)) }
                } @else {
                    a href=(path(r.season, r.round_id, s.session_type)) { (fmt::session_short(s.session_type)) }
                }
            }
        }
    }
}

/// A session without records: one line, and how an admin fetches them.
fn no_data(p: &SessionPage<'_>) -> Markup {
    let (year, round, t) = (p.round.season, p.round.round_id, p.session.session_type.as_str());
    html! {
        section class="card" id="no-data" {
            p class="nodata" { "No timing data is stored for this session." }
            @if year >= 2018 {
                details class="sync-hint" {
                    summary { "For the site’s administrator: how to fetch it" }
                    p { "From the LiveTiming archive, with the command line:" }
                    pre { code { "wibm sync session-data --season " (year) " --round " (round) " --session " (t) } }
                    p { "or through the fetcher (admin credential):" }
                    pre { code { "POST /fetcher/v1/fetch/session-data?season=" (year) "&round=" (round) "&session=" (t) } }
                }
            } @else {
                p class="muted" { "The LiveTiming archive starts in 2018." }
            }
        }
    }
}

pub fn page(p: &SessionPage<'_>) -> Markup {
    let r = p.round;
    let s = p.session;
    let year = r.season;
    let name = fmt::session_name(s.session_type, year);
    let cars = Cars::new(s, p.records.map(|x| x.laps.as_slice()).unwrap_or_default(), p.colors);
    let title = format!("{name} · {} {year}", r.name);
    let description = description(p, name, &cars);
    let page = Page::new(&title, &description, Section::Seasons);
    let circuit = r.circuit.as_ref().map(|c| c.id.as_str()).unwrap_or_default();
    html! {
        (layout::render(&page, html! {
            nav class="crumbs" aria-label="Breadcrumb" {
                a href="/seasons" { "Seasons" } " / " a href=(format!("/seasons/{year}")) { (year) } " / "
                a href=(format!("/seasons/{year}/rounds/{}", r.round_id)) { "Round " (r.round_id) } " / " (name)
            }
            div class="hero" {
                div {
                    h1 { (name) " · " (parts::round_name(&r.name)) " " (year) }
                    p {
                        (parts::pill(s.status.as_str())) " "
                        @if let Some(ts) = s.start_time { (parts::local_time(ts)) } @else { (fmt::day(&s.date)) }
                        @if s.is_provisional() { " " (parts::provisional_badge()) }
                    }
                }
            }
            (tabs(r, s.session_type))
            @match p.records {
                None => (no_data(p)),
                Some(recs) => {
                    @match kind(s.session_type) {
                        Kind::Race => (race::sections(p, recs, &cars)),
                        Kind::Qualifying => (qualifying::sections(p, recs, &cars)),
                        Kind::Practice => (practice::sections(p, recs, &cars)),
                    }
                    (shared::weather(recs))
                    (track::section(circuit, &recs.race_control))
                }
            }
        }))
    }
}
