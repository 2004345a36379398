//! The live board's extras, drawn from the live session's stored records
//! (written by the live path every few seconds, `complete` false): the
//! track map with every car on it, the lap chart and the tyre chart as the
//! session pages draw them, and each car's trend (gaining or losing on the
//! car ahead and on the leader over the last laps). `/live` renders them
//! in `#live-plus`; the page's script fetches `/live/charts` (the same
//! markup) again every few seconds while the session runs.
use std::collections::{BTreeMap, HashMap};

use content_types::{Live, LiveDriver, Round, Session, SessionResult, SessionType};
use maud::{Markup, html};

use super::fmt;
use super::session::race::{self, Race};
use super::session::track;
use super::session::{Cars, Records};
use crate::chart::num;

/// Laps a trend is measured over.
pub const TREND_LAPS: i32 = 3;

/// Each car's trend: the change, in seconds, of its interval to the car
/// ahead and of its gap to the leader over the last [`TREND_LAPS`]
/// completed laps (negative: it is gaining).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Trend {
    pub interval: Option<f64>,
    pub gap: Option<f64>,
    /// The last lap both are measured at.
    pub lap: i32,
}

/// The trends of a race's cars, from when each finished each lap (the
/// same crossings the lap chart is drawn from).
pub fn trends(laps: &[content_types::Lap]) -> BTreeMap<i32, Trend> {
    let orders = race::orders(&race::lap_ends(laps));
    // (interval to the car ahead, gap to the leader) at the end of each lap, by car.
    let mut at: HashMap<i32, BTreeMap<i32, (Option<f64>, f64)>> = HashMap::new();
    for (lap, order) in &orders {
        let lead = order.first().map_or(0.0, |(_, t)| *t);
        for (i, (car, t)) in order.iter().enumerate() {
            let ahead = i.checked_sub(1).map(|j| t - order[j].1);
            at.entry(*car).or_default().insert(*lap, (ahead, t - lead));
        }
    }
    at.into_iter()
        .filter_map(|(car, by_lap)| {
            let (&last, &(interval, gap)) = by_lap.iter().next_back()?;
            let (before_int, before_gap) = *by_lap.get(&(last - TREND_LAPS))?;
            let change = |now: Option<f64>, then: Option<f64>| now.zip(then).map(|(a, b)| a - b);
            let gap = change(Some(gap), Some(before_gap)).filter(|_| interval.is_some());
            Some((car, Trend { interval: change(interval, before_int), gap, lap: last }))
        })
        .collect()
}

/// An arrow and a number for a change in seconds, with its words for
/// screen readers (and a tooltip); `whom` is "the car ahead" or "the leader".
pub fn badge(change: Option<f64>, whom: &str) -> Markup {
    let Some(c) = change else { return html! {} };
    let (class, arrow, verb) = if c <= -0.05 {
        ("trend gain", "▲", "gaining on")
    } else if c >= 0.05 {
        ("trend lose", "▼", "losing to")
    } else {
        ("trend same", "=", "holding")
    };
    let words = if class == "trend same" {
        format!("holding {whom} over the last {TREND_LAPS} laps")
    } else {
        format!("{verb} {whom}: {:.1} s over the last {TREND_LAPS} laps", c.abs())
    };
    html! {
        span class=(class) title=(words) data-change=(format!("{c:.3}")) {
            span aria-hidden="true" { (arrow) (format!("{:.1}", c.abs())) }
            span class="sr-only" { (words) }
        }
    }
}

/// Where the map's cars come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placing {
    /// The cars' last location samples.
    Location,
    /// How far round its current lap each car is, by the mini-sectors lit
    /// on it (by its timing sectors where the feed has no mini-sectors).
    MiniSectors,
    /// How far round its current lap each car is, by the timing sectors it
    /// has completed on it (feeds without mini-sectors, 2018-2019).
    Sectors,
}

/// The extras of the live page for one board.
pub struct Extras {
    pub trends: BTreeMap<i32, Trend>,
    pub markup: Markup,
}

/// The cars of the board as the session pages name and colour them.
fn cars(l: &Live, laps: &[content_types::Lap]) -> Cars {
    let results: Vec<SessionResult> = l
        .leaderboard
        .iter()
        .map(|d| SessionResult {
            position: d.position,
            position_text: d.position.to_string(),
            driver_number: d.driver_number,
            driver_name: d.driver_name.clone(),
            driver_code: d.driver_code.clone(),
            team: d.team.clone(),
            time: String::new(),
            laps: d.laps,
            status: String::new(),
            points: 0.0,
            grid: 0,
            q1: String::new(),
            q2: String::new(),
            q3: String::new(),
            driver_id: String::new(),
            constructor_id: d.team.clone(),
            gap: String::new(),
            interval: String::new(),
            fastest_lap: false,
            fastest_lap_time: String::new(),
            classified: !(d.retired || d.stopped),
        })
        .collect();
    let colors: HashMap<String, String> = l
        .leaderboard
        .iter()
        .filter(|d| fmt::valid_color(&d.team_color))
        .map(|d| (d.team.clone(), d.team_color.clone()))
        .collect();
    let session = Session {
        session_type: l.session_type,
        date: String::new(),
        status: l.status,
        total_laps: l.total_laps,
        current_laps: l.current_lap,
        results,
        season: l.season,
        round: l.round,
        start_time: None,
        provenance: None,
        session_data: None,
    };
    Cars::new(&session, laps, &colors)
}

/// How far round its lap a car is (0..1): the mini-sectors lit on its
/// current lap, or where the feed has none, the timing sectors it has
/// completed on it (the board's sector times, in order), a third each.
pub fn progress(d: &LiveDriver) -> f64 {
    if d.mini_sectors > 0 {
        return f64::from(d.mini_sectors_lit.clamp(0, d.mini_sectors)) / f64::from(d.mini_sectors);
    }
    let done = d.sectors.iter().take_while(|s| !s.is_empty()).count();
    let n = d.sectors.len().max(3);
    // All three set: the lap was just completed, the car is at the line.
    (done % n) as f64 / n as f64
}

/// The track map of the circuit with every car on it; one line where no
/// layout is stored.
fn map(circuit: Option<&str>, l: &Live, cars: &Cars, located: &BTreeMap<i32, (f64, f64)>) -> Markup {
    let Some(layout) = circuit.and_then(track::layout) else {
        return html! {
            section class="card" id="live-map" aria-labelledby="live-map-h" {
                h2 id="live-map-h" { "Track map" }
                p class="muted nomap" { "No track map is stored for this circuit." }
            }
        };
    };
    let on_track: Vec<&LiveDriver> = l.leaderboard.iter().filter(|d| !d.retired).collect();
    let placing = if !on_track.is_empty() && on_track.iter().all(|d| located.contains_key(&d.driver_number)) {
        Placing::Location
    } else if on_track.iter().any(|d| d.mini_sectors > 0) {
        Placing::MiniSectors
    } else {
        Placing::Sectors
    };
    // Cars at one point (a sector's end) are spread out a little, leader first.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let points: Vec<(&LiveDriver, (f64, f64))> = on_track
        .iter()
        .map(|d| {
            let p = match placing {
                Placing::Location => {
                    let (x, y) = located[&d.driver_number];
                    layout.place(x, y)
                }
                Placing::MiniSectors | Placing::Sectors => {
                    let f = progress(d);
                    let k = seen.entry(format!("{f:.3}")).or_default();
                    *k += 1;
                    layout.along(f - 0.01 * (*k - 1) as f64)
                }
            };
            (*d, p)
        })
        .collect();
    let (w, h) = layout.size();
    let how = match placing {
        Placing::Location => "Cars placed by their latest location from the timing feed.",
        Placing::MiniSectors => {
            "Cars placed by how far round their current lap they are, from the mini-sectors each has lit on it (the feed sends no car locations here)."
        }
        Placing::Sectors => {
            "Cars placed by how far round their current lap they are, from the timing sectors each has completed on it (the feed sends neither car locations nor mini-sectors here)."
        }
    };
    html! {
        section class="card" id="live-map" aria-labelledby="live-map-h"
            data-placed=(match placing { Placing::Location => "location", Placing::MiniSectors => "mini-sectors", Placing::Sectors => "sectors" }) {
            h2 id="live-map-h" { "Track map" }
            div class="chart circuit-map live-map" {
                svg viewBox=(format!("0 0 {} {}", num(w), num(h))) role="img" aria-labelledby="live-map-t live-map-d"
                    xmlns="http://www.w3.org/2000/svg" data-chart="live-map" {
                    title id="live-map-t" { "The cars on the track" }
                    desc id="live-map-d" { (points.len()) " cars. " (how) }
                    path d=(layout.outline()) fill="none" stroke="#8888" stroke-width="14" stroke-linejoin="round" {}
                    path class="tarmac" d=(layout.outline()) fill="none" stroke-width="6" stroke-linejoin="round" {}
                    @if let Some((x, y)) = layout.start() {
                        rect x=(num(x - 2.0)) y=(num(y - 9.0)) width="4" height="18" fill="#d10600" { title { "Start and finish" } }
                    }
                    @for (d, (x, y)) in points.iter().rev() {
                        g class="car" data-car=(d.driver_number) {
                            title { (d.position) ". " (d.driver_name) }
                            circle cx=(num(*x)) cy=(num(*y)) r="8" fill=(cars.color(d.driver_number)) stroke="#fff" stroke-width="1.5" {}
                            text class="car-code" x=(num(*x + 10.0)) y=(num(*y - 8.0)) { (d.driver_code) }
                        }
                    }
                }
            }
            p class="legend-note" id="live-map-how" { (how) }
        }
    }
}

/// The lap chart (races and sprints) and the tyre chart, as the session
/// pages draw them, of the records stored so far.
fn charts(l: &Live, recs: &Records, cars: &Cars) -> Markup {
    let r = Race::new(recs, cars, l.season);
    if r.is_empty() {
        return html! { section class="card" id="live-charts-none" { p class="muted" { "No lap is completed yet: the lap and tyre charts start with the first." } } };
    }
    let race = matches!(l.session_type, SessionType::Race | SessionType::Sprint);
    html! {
        @if race { (race::lap_chart(&r)) }
        (race::strategy(&r, recs))
    }
}

/// The extras of board `l` of round `round`, with its records so far
/// (`None`: none stored yet) and the cars' last locations (feed coordinates).
pub fn extras(l: &Live, round: Option<&Round>, recs: Option<&Records>, located: &BTreeMap<i32, (f64, f64)>) -> Extras {
    let empty = Records::default();
    let recs_or = recs.unwrap_or(&empty);
    let cars = cars(l, &recs_or.laps);
    let race = matches!(l.session_type, SessionType::Race | SessionType::Sprint);
    let trends = if race { trends(&recs_or.laps) } else { BTreeMap::new() };
    let circuit = round.and_then(|r| r.circuit.as_ref()).map(|c| c.id.as_str());
    let markup = html! {
        (map(circuit, l, &cars, located))
        @match recs {
            Some(recs) => (charts(l, recs, &cars)),
            None => section class="card" id="live-charts-none" { p class="muted" { "No timing records are stored for this session yet: the lap and tyre charts appear with them." } },
        }
        // The leaderboard's trend badges, for the script to put in the rows it draws.
        ul id="live-trends" hidden {
            @for (car, t) in &trends {
                li data-car=(car) {
                    span data-for="gap" { (badge(t.gap, "the leader")) }
                    span data-for="int" { (badge(t.interval, "the car ahead")) }
                }
            }
        }
    };
    Extras { trends, markup }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lap(car: i32, n: i32, start: f64, time: f64) -> content_types::Lap {
        let iso = chrono::DateTime::from_timestamp_millis((start * 1000.0) as i64).expect("a date").to_rfc3339();
        content_types::Lap {
            driver_number: car,
            driver: None,
            lap: n,
            start: Some(iso),
            time: Some(time),
            sector_1: None,
            sector_2: None,
            sector_3: None,
            speed_i1: None,
            speed_i2: None,
            speed_trap: None,
            pit_out_lap: false,
            mini_sectors: Vec::new(),
        }
    }

    #[test]
    fn a_car_closing_in_gains_and_the_car_ahead_loses_nothing_to_itself() {
        // Car 1 laps in 90 s; car 2 in 89.5 s, starting 5 s behind.
        let mut laps = Vec::new();
        let (mut a, mut b) = (1_000_000.0, 1_000_005.0);
        for n in 1..=6 {
            laps.push(lap(1, n, a, 90.0));
            laps.push(lap(2, n, b, 89.5));
            a += 90.0;
            b += 89.5;
        }
        let t = trends(&laps);
        let two = t[&2];
        assert_eq!(two.lap, 6);
        assert!((two.interval.unwrap() + 1.5).abs() < 1e-6, "{two:?}");
        assert!((two.gap.unwrap() + 1.5).abs() < 1e-6, "{two:?}");
        assert_eq!(t[&1].interval, None, "the leader has no car ahead");
        assert!(badge(two.interval, "the car ahead").into_string().contains("gaining on the car ahead: 1.5 s"));
    }
}
