//! A race or sprint: the lap chart, the gaps to the leader, the tyre
//! strategies, the pit stops, fastest laps and sector bests, race control
//! along the laps. Positions and gaps are worked out from when each car
//! finished each lap (the next lap's start), so they need no other records.
use std::collections::{BTreeMap, HashMap, HashSet};

use content_types::{Lap, RaceControlMessage, TrackStatusChange};
use maud::{Markup, html};

use super::cars::{Car, Cars};
use super::shared::{self, both_rows, both_series, lap_ticks, numbers};
use super::{Records, SessionPage};
use crate::chart::rows::{Band, Bar, Dot, Row, RowsChart};
use crate::chart::series::{Axis, Mark, Series, SeriesChart, Shape};
use crate::chart::{self, Size};

/// When each car finished each lap (unix seconds), by car then lap.
pub fn lap_ends(laps: &[Lap]) -> BTreeMap<i32, BTreeMap<i32, f64>> {
    let mut by_car: BTreeMap<i32, BTreeMap<i32, &Lap>> = BTreeMap::new();
    for l in laps {
        by_car.entry(l.driver_number).or_default().insert(l.lap, l);
    }
    by_car
        .into_iter()
        .map(|(car, laps)| {
            let ends = laps
                .iter()
                .filter_map(|(n, l)| {
                    let next = laps.get(&(n + 1)).and_then(|x| x.start.as_deref()).and_then(shared::instant);
                    let own = l.start.as_deref().and_then(shared::instant).zip(l.time).map(|(s, t)| s + t);
                    // The feed sometimes publishes a lap count late: the
                    // earlier of the two readings is the crossing.
                    let end = match (next, own) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    end.map(|t| (*n, t))
                })
                .collect();
            (car, ends)
        })
        .collect()
}

/// Running order at the end of each lap: (lap, cars in order, with the
/// time each finished the lap).
pub fn orders(ends: &BTreeMap<i32, BTreeMap<i32, f64>>) -> BTreeMap<i32, Vec<(i32, f64)>> {
    let mut by_lap: BTreeMap<i32, Vec<(i32, f64)>> = BTreeMap::new();
    for (car, laps) in ends {
        for (lap, t) in laps {
            by_lap.entry(*lap).or_default().push((*car, *t));
        }
    }
    for v in by_lap.values_mut() {
        v.sort_by(|a, b| a.1.total_cmp(&b.1));
    }
    by_lap
}

pub(crate) struct Race<'a> {
    cars: &'a Cars,
    year: i32,
    laps_total: i32,
    /// Position at the end of each lap, by car (lap 0: the grid).
    positions: HashMap<i32, BTreeMap<i32, i32>>,
    /// Seconds behind the leader at the end of each lap, by car.
    gaps: HashMap<i32, BTreeMap<i32, f64>>,
    /// Laps on which each car entered the pit lane.
    pits: HashMap<i32, Vec<i32>>,
    /// The cars with laps, in the classification's order.
    running: Vec<&'a Car>,
}

impl<'a> Race<'a> {
    pub(crate) fn new(recs: &Records, cars: &'a Cars, year: i32) -> Self {
        let ends = lap_ends(&recs.laps);
        let orders = orders(&ends);
        let mut positions: HashMap<i32, BTreeMap<i32, i32>> = HashMap::new();
        let mut gaps: HashMap<i32, BTreeMap<i32, f64>> = HashMap::new();
        for (lap, order) in &orders {
            let lead = order.first().map_or(0.0, |(_, t)| *t);
            for (i, (car, t)) in order.iter().enumerate() {
                positions.entry(*car).or_default().insert(*lap, i as i32 + 1);
                gaps.entry(*car).or_default().insert(*lap, t - lead);
            }
        }
        // The grid: by grid slot, pit-lane starters (0) at the back.
        let with_laps: HashSet<i32> = ends.keys().copied().collect();
        let mut grid: Vec<&Car> = cars.with(&with_laps).collect();
        grid.sort_by_key(|c| if c.grid > 0 { c.grid } else { 99 });
        for (i, c) in grid.iter().enumerate() {
            positions.entry(c.number).or_default().insert(0, i as i32 + 1);
        }
        let mut pits: HashMap<i32, Vec<i32>> = HashMap::new();
        for p in &recs.pit_stops {
            pits.entry(p.driver_number).or_default().push(p.lap);
        }
        let laps_total = orders.keys().max().copied().unwrap_or(0);
        Self { cars, year, laps_total, positions, gaps, pits, running: cars.with(&with_laps).collect() }
    }

    /// Whether any car has a completed lap.
    pub(crate) fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    fn last_lap(&self, car: i32) -> i32 {
        self.positions.get(&car).and_then(|p| p.keys().max().copied()).unwrap_or(0)
    }
}

pub(crate) fn lap_chart(r: &Race<'_>) -> Markup {
    let n = r.running.len().max(1) as f64;
    let series: Vec<Series> = r
        .running
        .iter()
        .map(|c| {
            let pos = &r.positions[&c.number];
            let mut marks: Vec<Mark> = r
                .pits
                .get(&c.number)
                .into_iter()
                .flatten()
                .filter_map(|lap| {
                    pos.get(lap).map(|p| Mark {
                        x: f64::from(*lap),
                        y: f64::from(*p),
                        shape: Shape::Ring,
                        title: format!("{}: pit stop on lap {lap}", c.code),
                    })
                })
                .collect();
            let last = r.last_lap(c.number);
            if let Some(p) = pos.get(&last).filter(|_| !c.classified && last < r.laps_total) {
                marks.push(Mark {
                    x: f64::from(last),
                    y: f64::from(*p),
                    shape: Shape::Cross,
                    title: format!("{}: out after lap {last}", c.code),
                });
            }
            Series {
                car: Some(c.number),
                key: c.number.to_string(),
                label: c.code.clone(),
                name: format!("{} ({}): {}", c.name, c.number, c.position_text),
                color: c.color.clone(),
                dashed: c.dashed,
                points: pos.iter().map(|(l, p)| (f64::from(*l), f64::from(*p))).collect(),
                marks,
            }
        })
        .collect();
    let ticks_y: Vec<(f64, String)> =
        (1..=r.running.len()).filter(|p| *p == 1 || p % 5 == 0).map(|p| (p as f64, p.to_string())).collect();
    let chart = SeriesChart {
        id: "chart-laps".into(),
        kind: "laps",
        title: "Position at the end of each lap".into(),
        summary: format!(
            "The running order of {} cars over {} laps, from the grid (lap 0); rings mark pit stops, crosses retirements.",
            r.running.len(),
            r.laps_total
        ),
        size: Size { w: chart::WIDE.w, h: 120.0 + 16.0 * n },
        x: Axis {
            min: 0.0,
            max: f64::from(r.laps_total.max(1)),
            ticks: lap_ticks(f64::from(r.laps_total)),
            label: "lap".into(),
        },
        y: Axis { min: 1.0, max: n, ticks: ticks_y, label: "pos.".into() },
        y_down: true,
        series,
        end_labels: true,
    };
    html! {
        section class="card" id="lap-chart" aria-labelledby="lap-chart-h" {
            h2 id="lap-chart-h" { "Lap by lap" }
            (both_series(chart))
            p class="legend-note" { "Position at the end of each lap in team colours (a team’s second car dashed); a ring is a pit stop, a cross a retirement." }
            (numbers("positions", html! {
                table class="results" id="laps-table" {
                    thead { tr {
                        th scope="col" { "Driver" } th scope="col" class="n" { "Grid" } th scope="col" class="n" { "Laps" }
                        th scope="col" class="n" { "Last pos." } th scope="col" { "Pit laps" } th scope="col" { "Result" }
                    } }
                    tbody {
                        @for c in &r.running {
                            @let last = r.last_lap(c.number);
                            tr data-car=(c.number) {
                                th scope="row" { (c.code) }
                                td class="n" { (r.positions[&c.number].get(&0).copied().unwrap_or_default()) }
                                td class="n laps" { (last) }
                                td class="n" { (r.positions[&c.number].get(&last).copied().unwrap_or_default()) }
                                td class="pits" { (r.pits.get(&c.number).map(|v| v.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")).unwrap_or_default()) }
                                td { (c.position_text) }
                            }
                        }
                    }
                }
            }))
        }
    }
}

fn gap_chart(r: &Race<'_>) -> Markup {
    // Lapped cars, and a stop under green, run off the chart: the scale
    // stops a little above most gaps (their 85th percentile).
    let finish = r.laps_total;
    let mut all: Vec<f64> = r.gaps.values().flat_map(|g| g.values().copied()).collect();
    all.sort_by(f64::total_cmp);
    let all_max = all.last().copied().unwrap_or(0.0);
    let p85 = all.get(all.len() * 85 / 100).copied().unwrap_or(all_max);
    let top = (p85 * 1.2).min(all_max).max(5.0);
    let ymax = chart::ticks(0.0, top, 5.0).last().copied().filter(|t| *t >= top).unwrap_or(top);
    let series: Vec<Series> = r
        .running
        .iter()
        .map(|c| Series {
            car: Some(c.number),
            key: c.number.to_string(),
            label: c.code.clone(),
            name: format!("{} ({})", c.name, c.number),
            color: c.color.clone(),
            dashed: c.dashed,
            points: r.gaps[&c.number].iter().map(|(l, g)| (f64::from(*l), g.min(ymax))).collect(),
            marks: Vec::new(),
        })
        .collect();
    let every = (finish / 10).max(1);
    let shown: Vec<i32> = (1..=finish).filter(|l| l % every == 0 || *l == finish).collect();
    let chart = SeriesChart {
        id: "chart-gaps".into(),
        kind: "gaps",
        title: "Gap to the leader at the end of each lap".into(),
        summary: format!(
            "Seconds behind the leader on each of {finish} laps; gaps over {ymax:.0} s are drawn at the bottom edge."
        ),
        size: Size { w: chart::WIDE.w, h: 340.0 },
        x: Axis { min: 1.0, max: f64::from(finish.max(2)), ticks: lap_ticks(f64::from(finish)), label: "lap".into() },
        y: Axis {
            min: 0.0,
            max: ymax,
            ticks: chart::ticks(0.0, ymax, 5.0).into_iter().map(|v| (v, format!("{v:.0}"))).collect(),
            label: "s".into(),
        },
        y_down: true,
        series,
        end_labels: true,
    };
    html! {
        section class="card" id="gap-chart" aria-labelledby="gap-chart-h" {
            h2 id="gap-chart-h" { "Gap to the leader" }
            (both_series(chart))
            p class="legend-note" { "Seconds behind the car leading at the end of each lap; the leader runs along the top." }
            (numbers("gaps (seconds)", html! {
                table class="results" id="gaps-table" {
                    thead { tr { th scope="col" { "Driver" } @for l in &shown { th scope="col" class="n" { "L" (l) } } } }
                    tbody {
                        @for c in &r.running {
                            tr data-car=(c.number) {
                                th scope="row" { (c.code) }
                                @for l in &shown { td class="n" { (r.gaps[&c.number].get(l).map_or_else(String::new, |g| format!("{g:.1}"))) } }
                            }
                        }
                    }
                }
            }))
        }
    }
}

pub(crate) fn strategy(r: &Race<'_>, recs: &Records) -> Markup {
    let mut stints: BTreeMap<i32, Vec<&content_types::Stint>> = BTreeMap::new();
    for s in &recs.stints {
        stints.entry(s.driver_number).or_default().push(s);
    }
    let numbers_with: HashSet<i32> = stints.keys().copied().chain(r.running.iter().map(|c| c.number)).collect();
    let cars: Vec<&Car> = r.cars.with(&numbers_with).collect();
    let rows: Vec<Row> = cars
        .iter()
        .map(|c| Row {
            bars: stints
                .get(&c.number)
                .into_iter()
                .flatten()
                .map(|s| Bar {
                    x0: f64::from(s.first_lap - 1),
                    x1: f64::from(s.last_lap),
                    fill: shared::compound_color(s.compound.as_deref(), r.year).to_string(),
                    text: s.compound.as_deref().and_then(|x| x.chars().next()).map(String::from),
                    title: format!(
                        "{}: {} laps {}–{}{}",
                        c.code,
                        shared::compound_name(s.compound.as_deref()),
                        s.first_lap,
                        s.last_lap,
                        s.tyre_age_at_start.filter(|a| *a > 0).map_or_else(String::new, |a| format!(", {a} laps old"))
                    ),
                })
                .collect(),
            dots: r
                .pits
                .get(&c.number)
                .into_iter()
                .flatten()
                .map(|lap| Dot {
                    x: f64::from(*lap),
                    fill: "var(--fg, #15151e)".into(),
                    title: format!("{}: pit stop on lap {lap}", c.code),
                })
                .collect(),
            ..c.row()
        })
        .collect();
    let chart = RowsChart {
        id: "chart-strategy".into(),
        kind: "strategy",
        title: "Tyre strategies".into(),
        summary: format!("The stints of {} cars, coloured by compound, with their pit stops.", rows.len()),
        width: chart::WIDE.w,
        label_width: 44.0,
        x_min: 0.0,
        x_max: f64::from(r.laps_total.max(1)),
        ticks: lap_ticks(f64::from(r.laps_total)),
        x_label: "lap".into(),
        rows,
        bands: Vec::new(),
    };
    let compounds: Vec<&str> = {
        let mut seen = Vec::new();
        for s in &recs.stints {
            let c = s.compound.as_deref().unwrap_or("UNKNOWN");
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        seen
    };
    html! {
        section class="card" id="strategy" aria-labelledby="strategy-h" {
            h2 id="strategy-h" { "Tyre strategies" }
            (both_rows(chart))
            p class="legend-note" {
                @for c in &compounds {
                    span class="swatch" style=(format!("--c:{}", shared::compound_color(Some(c), r.year))) {} (shared::compound_name(Some(c))) " "
                }
                "· a dot is a pit stop."
            }
            (numbers("stints", html! {
                table class="results" id="stints-table" {
                    thead { tr { th scope="col" { "Driver" } th scope="col" { "Stints (compound, laps)" } } }
                    tbody {
                        @for c in &cars {
                            tr data-car=(c.number) {
                                th scope="row" { (c.code) }
                                td { (stints.get(&c.number).into_iter().flatten().map(|s| format!("{} {}–{}", shared::compound_name(s.compound.as_deref()), s.first_lap, s.last_lap)).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }))
        }
    }
}

fn pit_stops(r: &Race<'_>, recs: &Records) -> Markup {
    let mut stops: Vec<&content_types::PitStop> = recs.pit_stops.iter().collect();
    stops.sort_by(|a, b| a.lap.cmp(&b.lap).then(a.date.cmp(&b.date)));
    let stationary = stops.iter().any(|p| p.stop_duration.is_some());
    html! {
        section class="card" id="pit-stops" aria-labelledby="pit-h" {
            h2 id="pit-h" { "Pit stops" }
            @if stops.is_empty() { p class="muted" { "No pit stops were recorded." } } @else {
                div class="scroll" {
                    table class="results" id="pit-table" {
                        thead { tr {
                            th scope="col" class="n" { "Lap" } th scope="col" { "Driver" } th scope="col" class="n" { "Pit lane (s)" }
                            @if stationary { th scope="col" class="n" { "Stationary (s)" } }
                        } }
                        tbody {
                            @for p in &stops {
                                tr data-car=(p.driver_number) {
                                    td class="n" { (p.lap) }
                                    th scope="row" { (r.cars.code(p.driver_number)) }
                                    td class="n" { (shared::secs(p.lane_duration)) }
                                    @if stationary { td class="n" { (shared::secs(p.stop_duration)) } }
                                }
                            }
                        }
                    }
                }
                @if !stationary { p class="legend-note" { "Time in the pit lane, entry to exit; the feed gives stationary times from 2023 on." } }
            }
        }
    }
}

/// Fastest laps and each driver's best sectors (the session's best in purple).
pub fn fastest(cars: &Cars, laps: &[Lap], top: usize) -> Markup {
    let mut timed: Vec<&Lap> = laps.iter().filter(|l| l.time.is_some_and(|t| t > 0.0)).collect();
    timed.sort_by(|a, b| a.time.unwrap_or(0.0).total_cmp(&b.time.unwrap_or(0.0)));
    let best_of = |f: fn(&Lap) -> Option<f64>, car: Option<i32>| {
        laps.iter()
            .filter(|l| car.is_none_or(|c| l.driver_number == c))
            .filter_map(f)
            .filter(|t| *t > 0.0)
            .fold(None, |a: Option<f64>, t| Some(a.map_or(t, |a| a.min(t))))
    };
    let sector: [fn(&Lap) -> Option<f64>; 3] = [|l| l.sector_1, |l| l.sector_2, |l| l.sector_3];
    let overall: Vec<Option<f64>> = sector.iter().map(|f| best_of(*f, None)).collect();
    let with_laps: HashSet<i32> = laps.iter().map(|l| l.driver_number).collect();
    let top_speed = laps.iter().filter_map(|l| l.speed_trap).max();
    html! {
        section class="card" id="fastest" aria-labelledby="fastest-h" {
            h2 id="fastest-h" { "Fastest laps and sector bests" }
            div class="scroll" {
                table class="results" id="fastest-table" {
                    caption { "The " (top.min(timed.len())) " fastest laps" }
                    thead { tr { th scope="col" class="n" { "#" } th scope="col" { "Driver" } th scope="col" class="n" { "Lap" } th scope="col" class="n" { "Time" } } }
                    tbody {
                        @for (i, l) in timed.iter().take(top).enumerate() {
                            tr data-car=(l.driver_number) {
                                td class="n" { (i + 1) } th scope="row" { (cars.code(l.driver_number)) }
                                td class="n" { (l.lap) } td class="n time" { (shared::lap_time(l.time)) }
                            }
                        }
                    }
                }
            }
            div class="scroll" {
                table class="results" id="sectors-table" {
                    caption { "Each driver’s best sectors " small { "(the session’s best in purple; ideal: the three added)" } }
                    thead { tr {
                        th scope="col" { "Driver" } th scope="col" class="n" { "S1" } th scope="col" class="n" { "S2" } th scope="col" class="n" { "S3" }
                        th scope="col" class="n" { "Ideal" } th scope="col" class="n" { "Best lap" } th scope="col" class="n opt" { "Trap km/h" }
                    } }
                    tbody {
                        @for c in cars.with(&with_laps) {
                            @let bests: Vec<Option<f64>> = sector.iter().map(|f| best_of(*f, Some(c.number))).collect();
                            @let trap = laps.iter().filter(|l| l.driver_number == c.number).filter_map(|l| l.speed_trap).max();
                            tr data-car=(c.number) {
                                th scope="row" { (c.code) }
                                @for (b, o) in bests.iter().zip(&overall) {
                                    td class=(if b.is_some() && b == o { "n best" } else { "n" }) { (shared::secs(*b)) }
                                }
                                td class="n" { @if bests.iter().all(Option::is_some) { (shared::lap_time(Some(bests.iter().flatten().sum()))) } }
                                td class="n" { (shared::lap_time(best_of(|l| l.time, Some(c.number)))) }
                                td class=(if trap.is_some() && trap == top_speed { "n opt best" } else { "n opt" }) { (trap.map_or_else(String::new, |t| t.to_string())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What a message is, for its lane and colour on the timeline.
fn lane(m: &RaceControlMessage) -> Option<(&'static str, &'static str)> {
    let text = m.message.as_deref().unwrap_or_default();
    let flag = m.flag.as_deref().unwrap_or_default();
    let cat = m.category.as_deref().unwrap_or_default();
    if cat == "SafetyCar" || text.contains("SAFETY CAR") {
        return Some(("safety-car", "#f08a24"));
    }
    match flag {
        "BLUE" => return None,
        "RED" => return Some(("flags", "#e10600")),
        "YELLOW" | "DOUBLE YELLOW" => return Some(("flags", "#f0c419")),
        "GREEN" | "CLEAR" => return Some(("flags", "#2f9e44")),
        "CHEQUERED" => return Some(("flags", "#15151e")),
        _ => {}
    }
    if ["PENALTY", "INVESTIGATION", "NOTED", "REVIEWED", "REPRIMAND", "DELETED"].iter().any(|w| text.contains(w)) {
        return Some(("stewards", "#7048e8"));
    }
    if cat == "Drs" { None } else { Some(("other", "#868e96")) }
}

/// Safety-car, virtual-safety-car and red-flag periods, in laps: from the
/// track's status changes where they are stored, else read from race
/// control's messages.
fn periods(recs: &Records, last: i32) -> Vec<Band> {
    if recs.track_status.is_empty() {
        periods_in_messages(&recs.race_control, last)
    } else {
        periods_of_track(&recs.track_status, &recs.laps, last)
    }
}

/// The periods of the track's status (`4` safety car, `6` and `7` virtual
/// safety car and its ending, `5` red flag), each change placed on the lap
/// the leader was on: the one after the highest lap any car had finished
/// by then ([`lap_ends`]; only finished laps are stored).
fn periods_of_track(changes: &[TrackStatusChange], laps: &[Lap], last: i32) -> Vec<Band> {
    let ends: Vec<(f64, i32)> = lap_ends(laps).into_values().flat_map(|l| l.into_iter().map(|(n, t)| (t, n))).collect();
    let lap_at = |t: f64| {
        let done = ends.iter().filter(|(end, _)| *end <= t).map(|(_, n)| *n).max().unwrap_or(0);
        i64::from((done + 1).min(last.max(1)))
    };
    let kind = |code: &str| match code {
        "4" => Some("SC"),
        "6" | "7" => Some("VSC"),
        "5" => Some("Red flag"),
        _ => None,
    };
    let mut out = Vec::new();
    let mut open: Option<(&str, i64)> = None;
    for c in changes {
        let Some(t) = shared::instant(&c.date) else { continue };
        let now = kind(&c.status);
        if open.map(|(k, _)| k) == now {
            continue;
        }
        let lap = lap_at(t);
        if let Some((k, from)) = open.take() {
            out.push(band(k, from, lap));
        }
        open = now.map(|k| (k, lap));
    }
    out.extend(open.map(|(k, from)| band(k, from, i64::from(last))));
    out
}

/// The periods race control's messages announce (older sessions stored
/// without the track's status).
fn periods_in_messages(msgs: &[RaceControlMessage], last: i32) -> Vec<Band> {
    let mut out = Vec::new();
    let mut open: HashMap<&str, i64> = HashMap::new();
    for m in msgs {
        let (Some(text), Some(lap)) = (m.message.as_deref(), m.lap) else { continue };
        let kind = if text.contains("VIRTUAL SAFETY CAR") {
            "VSC"
        } else if text.contains("SAFETY CAR") {
            "SC"
        } else if m.flag.as_deref() == Some("RED") {
            "Red flag"
        } else {
            ""
        };
        let starts = text.contains("DEPLOYED") || m.flag.as_deref() == Some("RED");
        let ends = text.contains("IN THIS LAP") || text.contains("ENDING") || text.contains("RESUME");
        if !kind.is_empty() && starts {
            open.entry(kind).or_insert(lap);
        } else if ends || (kind.is_empty() && m.flag.as_deref() == Some("GREEN")) {
            let closing: Vec<&str> = if kind.is_empty() { open.keys().copied().collect() } else { vec![kind] };
            for k in closing {
                if let Some(from) = open.remove(k) {
                    out.push(band(k, from, lap));
                }
            }
        }
    }
    out.extend(open.into_iter().map(|(k, from)| band(k, from, i64::from(last))));
    out
}

fn band(kind: &str, from: i64, to: i64) -> Band {
    let fill = if kind == "Red flag" { "#e1060033" } else { "#f08a2433" };
    Band { x0: from as f64 - 1.0, x1: to as f64, fill: fill.into(), title: format!("{kind}: laps {from}–{to}") }
}

pub fn race_control(recs: &Records, laps_total: i32, by_lap: bool) -> Markup {
    let msgs = &recs.race_control;
    let lanes = [("flags", "Flags"), ("safety-car", "Safety car"), ("stewards", "Stewards"), ("other", "Other")];
    // Practice and qualifying have no laps to lay them along: minutes.
    let t0 = msgs.iter().filter_map(|m| m.date.as_deref().and_then(shared::instant)).fold(f64::MAX, f64::min);
    let x_of = |m: &RaceControlMessage| {
        if by_lap {
            m.lap.map(|l| l as f64 - 0.5)
        } else {
            m.date.as_deref().and_then(shared::instant).map(|t| (t - t0) / 60.0)
        }
    };
    let x_max = if by_lap { f64::from(laps_total.max(1)) } else { msgs.iter().filter_map(x_of).fold(1.0, f64::max) };
    let rows: Vec<Row> = lanes
        .iter()
        .map(|(key, label)| Row {
            car: None,
            key: (*key).to_string(),
            label: (*label).to_string(),
            color: None,
            bars: Vec::new(),
            dots: msgs
                .iter()
                .filter_map(|m| {
                    let (l, color) = lane(m)?;
                    (l == *key).then_some(())?;
                    Some(Dot {
                        x: x_of(m)?,
                        fill: color.to_string(),
                        title: format!(
                            "{}{}",
                            m.lap.filter(|_| by_lap).map_or_else(String::new, |l| format!("Lap {l}: ")),
                            m.message.as_deref().unwrap_or_default()
                        ),
                    })
                })
                .collect(),
        })
        .collect();
    let shown: usize = rows.iter().map(|r| r.dots.len()).sum();
    let chart = RowsChart {
        id: "chart-race-control".into(),
        kind: "race-control",
        title: "Race control".into(),
        summary: format!(
            "{} messages from race control; {shown} flags, safety cars and stewards’ notes drawn (blue flags and DRS left out).",
            msgs.len()
        ),
        width: chart::WIDE.w,
        label_width: 82.0,
        x_min: 0.0,
        x_max,
        ticks: if by_lap {
            lap_ticks(x_max)
        } else {
            chart::ticks(0.0, x_max, 8.0).into_iter().map(|v| (v, format!("{v:.0}"))).collect()
        },
        x_label: if by_lap { "lap".into() } else { "minutes".into() },
        rows,
        bands: if by_lap { periods(recs, laps_total) } else { Vec::new() },
    };
    html! {
        section class="card" id="race-control" aria-labelledby="rc-h" {
            h2 id="rc-h" { "Race control" }
            @if msgs.is_empty() { p class="muted" { "No messages from race control were recorded." } } @else {
                (both_rows(chart))
                p class="legend-note" { "Flags, safety cars and the stewards’ notes " (if by_lap { "along the laps" } else { "through the session" }) "; shaded: safety car, virtual safety car or red flag." }
                (numbers("every message", html! {
                    table class="results" id="race-control-table" {
                        thead { tr { th scope="col" { "Time (UTC)" } @if by_lap { th scope="col" class="n" { "Lap" } } th scope="col" { "Flag" } th scope="col" { "Message" } } }
                        tbody {
                            @for m in msgs {
                                tr {
                                    td { (m.date.as_deref().map(shared::clock).unwrap_or_default()) }
                                    @if by_lap { td class="n" { (m.lap.map_or_else(String::new, |l| l.to_string())) } }
                                    td { (m.flag.as_deref().unwrap_or_default()) }
                                    td { (m.message.as_deref().unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }))
            }
        }
    }
}

pub fn sections(p: &SessionPage<'_>, recs: &Records, cars: &Cars) -> Markup {
    let r = Race::new(recs, cars, p.round.season);
    if r.running.is_empty() {
        return html! { section class="card" { p class="nodata" { "No laps were recorded for this session." } } };
    }
    html! {
        (lap_chart(&r))
        (gap_chart(&r))
        (strategy(&r, recs))
        (pit_stops(&r, recs))
        (fastest(cars, &recs.laps, 10))
        (race_control(recs, r.laps_total, true))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn periods_follow_the_tracks_status_on_the_leaders_laps() {
        // The leader starts a lap every 90 s from 13:00:00; a lapped car's
        // later starts of lower laps change nothing.
        let start = |s: i64| {
            (chrono::DateTime::parse_from_rfc3339("2024-05-19T13:00:00+00:00").unwrap() + chrono::Duration::seconds(s))
                .to_rfc3339()
        };
        let lap = |car: i32, n: i32, at: i64| -> Lap {
            serde_json::from_value(json!({"driver_number": car, "driver": null, "lap": n, "start": start(at),
                "time": 90.0, "sector_1": null, "sector_2": null, "sector_3": null, "speed_i1": null,
                "speed_i2": null, "speed_trap": null, "pit_out_lap": false, "mini_sectors": []}))
            .unwrap()
        };
        let mut laps: Vec<Lap> = (1..=20).map(|n| lap(1, n, i64::from(n - 1) * 90)).collect();
        laps.extend((1..=18).map(|n| lap(2, n, i64::from(n - 1) * 100)));
        // A change `s` seconds into lap `n` of the leader.
        let change = |n: i64, s: i64, status: &str, message: &str| TrackStatusChange {
            date: start((n - 1) * 90 + s),
            status: status.into(),
            message: message.into(),
        };
        let changes = [
            change(2, 10, "2", "Yellow"),
            change(3, 40, "4", "SCDeployed"),
            change(6, 5, "1", "AllClear"),
            change(10, 30, "6", "VSCDeployed"),
            change(11, 20, "7", "VSCEnding"),
            change(11, 60, "1", "AllClear"),
            change(15, 1, "5", "Red"),
        ];
        let got: Vec<(String, f64, f64)> =
            periods_of_track(&changes, &laps, 20).into_iter().map(|b| (b.title, b.x0, b.x1)).collect();
        assert_eq!(
            got,
            [
                ("SC: laps 3–6".to_string(), 2.0, 6.0),
                ("VSC: laps 10–11".to_string(), 9.0, 11.0),
                ("Red flag: laps 15–20".to_string(), 14.0, 20.0),
            ]
        );
        // Without stored track status, race control's messages tell.
        let message = |lap: i64, text: &str| -> RaceControlMessage {
            serde_json::from_value(json!({"date": null, "category": "SafetyCar", "flag": null, "scope": null,
                "sector": null, "driver_number": null, "lap": lap, "qualifying_phase": null, "message": text}))
            .unwrap()
        };
        // (Announced a lap late here, so the two readings differ.)
        let race_control = vec![message(4, "SAFETY CAR DEPLOYED"), message(6, "SAFETY CAR IN THIS LAP")];
        let recs = Records { laps, race_control, ..Records::default() };
        let got: Vec<String> = periods(&recs, 20).into_iter().map(|b| b.title).collect();
        assert_eq!(got, ["SC: laps 4–6"]);
        // Where it is stored, the track's status is read instead.
        let recs = Records { track_status: changes[..3].to_vec(), ..recs };
        let got: Vec<String> = periods(&recs, 20).into_iter().map(|b| b.title).collect();
        assert_eq!(got, ["SC: laps 3–6"]);
    }
}
