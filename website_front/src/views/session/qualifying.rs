//! Qualifying and sprint qualifying: each part's order with the gap to its
//! cut-off (from the classification's Q1/Q2/Q3 times), each driver's best
//! lap by mini-sector (the feed's colours), and who improved when.
use std::collections::{BTreeMap, HashSet};

use content_types::{Lap, SessionType};
use maud::{Markup, html};

use super::cars::Cars;
use super::shared::{self, both_rows, numbers};
use super::{Records, SessionPage};
use crate::chart::rows::{Band, Bar, Dot, Row, RowsChart};
use crate::chart::{self};

/// `1:19.307` or `79.307` in seconds.
pub fn parse_time(t: &str) -> Option<f64> {
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    match t.split_once(':') {
        Some((m, s)) => Some(m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?),
        None => t.parse().ok(),
    }
}

/// A mini-sector's colour by the feed's code.
pub fn segment_color(code: Option<i64>) -> (&'static str, &'static str) {
    match code {
        Some(2051) => ("#a335ee", "purple: the session’s best"),
        Some(2049) => ("#2f9e44", "green: a personal best"),
        Some(2048) => ("#f0c419", "yellow: slower than the driver’s best"),
        Some(2064) => ("#4dabf7", "in the pit lane"),
        _ => ("#868e96", "not timed"),
    }
}

struct Part {
    name: String,
    /// (car, time), fastest first.
    order: Vec<(i32, f64)>,
    /// How many went through to the next part (none after the last).
    through: Option<usize>,
}

/// How many went through from part `i` (0: Q1) to the next, of whom
/// `timed` set a time there: ten to the last part; to Q2, those timed in
/// it but at least 15 (a car that went through and did not run sets no
/// time, as three did in Monza 2019's Q3).
fn through(i: usize, timed: usize, entrants: usize) -> usize {
    let least = if i == 0 { 15 } else { 10 };
    timed.max(least).min(entrants)
}

fn parts(p: &SessionPage<'_>) -> Vec<Part> {
    let q = if p.session.session_type == SessionType::SprintQualifying { "SQ" } else { "Q" };
    let pick: [fn(&content_types::SessionResult) -> &str; 3] = [|r| &r.q1, |r| &r.q2, |r| &r.q3];
    let orders: Vec<Vec<(i32, f64)>> = pick
        .iter()
        .map(|f| {
            let mut v: Vec<(i32, f64)> =
                p.session.results.iter().filter_map(|r| parse_time(f(r)).map(|t| (r.driver_number, t))).collect();
            v.sort_by(|a, b| a.1.total_cmp(&b.1));
            v
        })
        .collect();
    (0..3)
        .filter(|i| !orders[*i].is_empty())
        .map(|i| Part {
            name: format!("{q}{}", i + 1),
            order: orders[i].clone(),
            through: orders.get(i + 1).map(Vec::len).filter(|n| *n > 0).map(|timed| through(i, timed, orders[i].len())),
        })
        .collect()
}

fn part_section(part: &Part, cars: &Cars) -> Markup {
    let fastest = part.order.first().map_or(0.0, |(_, t)| *t);
    // The cut-off: the slowest time that went through; after the last part, pole.
    let cut = part.through.and_then(|n| part.order.get(n - 1)).map_or(fastest, |(_, t)| *t);
    let slowest = part.order.last().map_or(1.0, |(_, t)| *t);
    let span = (slowest - fastest).max(0.5);
    let rows: Vec<Row> = part
        .order
        .iter()
        .enumerate()
        .map(|(k, (car, t))| Row {
            bars: vec![Bar {
                x0: 0.0,
                x1: (t - fastest).max(span / 200.0),
                fill: cars.color(*car).to_string(),
                text: None,
                title: format!("P{} {} {} (+{:.3})", k + 1, cars.code(*car), shared::lap_time(Some(*t)), t - fastest),
            }],
            ..cars.row(*car)
        })
        .collect();
    let id = format!("chart-{}", part.name.to_lowercase());
    let chart = RowsChart {
        id: id.clone(),
        kind: "part",
        title: format!("{}: gap to the fastest", part.name),
        summary: format!("{} drivers set a time in {}.", part.order.len(), part.name),
        width: chart::WIDE.w,
        label_width: 44.0,
        x_min: 0.0,
        x_max: span,
        ticks: chart::ticks(0.0, span, 6.0).into_iter().map(|v| (v, format!("+{v:.1}"))).collect(),
        x_label: "seconds behind the fastest".into(),
        rows,
        bands: part
            .through
            .map(|_| Band {
                x0: cut - fastest,
                x1: cut - fastest + span / 300.0,
                fill: "#e10600".into(),
                title: "The cut-off".into(),
            })
            .into_iter()
            .collect(),
    };
    html! {
        section class="card part" id=(part.name.to_lowercase()) aria-labelledby=(format!("{id}-h")) data-part=(part.name) {
            h2 id=(format!("{id}-h")) { (part.name) }
            (both_rows(chart))
            div class="scroll" {
                table class="results" id=(format!("{}-table", part.name.to_lowercase())) {
                    thead { tr {
                        th scope="col" class="n" { "Pos" } th scope="col" { "Driver" } th scope="col" class="n" { "Time" }
                        th scope="col" class="n" { @if part.through.is_some() { "To the cut-off" } @else { "Gap" } }
                    } }
                    tbody {
                        @for (k, (car, t)) in part.order.iter().enumerate() {
                            @let out = part.through.is_some_and(|n| k >= n);
                            tr data-car=(car) class=[out.then_some("out")] {
                                td class="n" { (k + 1) }
                                th scope="row" { (cars.code(*car)) }
                                td class="n time" { (shared::lap_time(Some(*t))) }
                                td class="n" { @if part.through.is_some() { (format!("{:+.3}", t - cut)) } @else if k > 0 { (shared::gap(t - fastest)) } }
                            }
                        }
                    }
                }
            }
            @if let Some(n) = part.through {
                p class="legend-note" { "The first " (n) " went through; the red line is the cut-off, the slowest time that did (" (shared::lap_time(Some(cut))) ")." }
            }
        }
    }
}

/// Each car's fastest lap.
pub fn best_laps(laps: &[Lap]) -> BTreeMap<i32, &Lap> {
    let mut best: BTreeMap<i32, &Lap> = BTreeMap::new();
    for l in laps.iter().filter(|l| l.time.is_some_and(|t| t > 0.0)) {
        let e = best.entry(l.driver_number).or_insert(l);
        if l.time < e.time {
            *e = l;
        }
    }
    best
}

fn mini_sectors(cars: &Cars, laps: &[Lap]) -> Markup {
    let best = best_laps(laps);
    let mut ordered: Vec<&&Lap> = best.values().collect();
    ordered.sort_by(|a, b| a.time.unwrap_or(0.0).total_cmp(&b.time.unwrap_or(0.0)));
    let widths: Vec<usize> =
        (0..3).map(|s| best.values().map(|l| l.mini_sectors.get(s).map_or(0, Vec::len)).max().unwrap_or(0)).collect();
    let total: usize = widths.iter().sum();
    if total == 0 {
        return html! {
            section class="card" id="mini-sectors" aria-labelledby="mini-h" {
                h2 id="mini-h" { "Best laps by mini-sector" }
                p class="muted nominis" { "This session’s timing feed has no mini-sectors." }
            }
        };
    }
    let offsets = [0, widths[0], widths[0] + widths[1]];
    let rows: Vec<Row> = ordered
        .iter()
        .map(|l| Row {
            bars: (0..3)
                .flat_map(|s| {
                    let codes = l.mini_sectors.get(s).cloned().unwrap_or_default();
                    (0..widths[s]).map(move |k| (s, k, codes.get(k).copied().flatten()))
                })
                .map(|(s, k, code)| {
                    let (fill, what) = segment_color(code);
                    let x0 = (offsets[s] + k) as f64;
                    Bar {
                        x0: x0 + 0.06,
                        x1: x0 + 0.94,
                        fill: fill.into(),
                        text: None,
                        title: format!(
                            "{} lap {}: sector {} mini-sector {}, {what}",
                            cars.code(l.driver_number),
                            l.lap,
                            s + 1,
                            k + 1
                        ),
                    }
                })
                .collect(),
            ..cars.row(l.driver_number)
        })
        .collect();
    let chart = RowsChart {
        id: "chart-mini-sectors".into(),
        kind: "mini-sectors",
        title: "Mini-sectors of each driver’s best lap".into(),
        summary: format!(
            "{} drivers’ best laps over {total} mini-sectors, coloured as the timing feed coloured them.",
            rows.len()
        ),
        width: chart::WIDE.w,
        label_width: 44.0,
        x_min: 0.0,
        x_max: total as f64,
        ticks: vec![(0.0, "S1".into()), (offsets[1] as f64, "S2".into()), (offsets[2] as f64, "S3".into())],
        x_label: "mini-sector".into(),
        rows,
        bands: Vec::new(),
    };
    html! {
        section class="card" id="mini-sectors" aria-labelledby="mini-h" {
            h2 id="mini-h" { "Best laps by mini-sector" }
            (both_rows(chart))
            p class="legend-note" {
                @for code in [2051, 2049, 2048, 2064] {
                    @let (c, what) = segment_color(Some(code));
                    span class="swatch" style=(format!("--c:{c}")) {} (what) " · "
                }
                "as the timing feed showed them when the lap was driven."
            }
            (numbers("best laps", html! {
                table class="results" id="best-laps-table" {
                    thead { tr { th scope="col" { "Driver" } th scope="col" class="n" { "Lap" } th scope="col" class="n" { "Time" }
                        th scope="col" class="n" { "S1" } th scope="col" class="n" { "S2" } th scope="col" class="n" { "S3" }
                        th scope="col" class="n" { "Purple" } th scope="col" class="n" { "Green" } th scope="col" class="n" { "Yellow" } } }
                    tbody {
                        @for l in &ordered {
                            @let count = |code: i64| l.mini_sectors.iter().flatten().filter(|c| **c == Some(code)).count();
                            tr data-car=(l.driver_number) {
                                th scope="row" { (cars.code(l.driver_number)) } td class="n" { (l.lap) }
                                td class="n time" { (shared::lap_time(l.time)) }
                                td class="n" { (shared::secs(l.sector_1)) } td class="n" { (shared::secs(l.sector_2)) } td class="n" { (shared::secs(l.sector_3)) }
                                td class="n" { (count(2051)) } td class="n" { (count(2049)) } td class="n" { (count(2048)) }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// A personal best: when the lap ended, by whom, and whether it was the
/// session's best at that moment.
pub struct Improvement<'a> {
    pub at: f64,
    pub lap: &'a Lap,
    pub session_best: bool,
}

pub fn improvements(laps: &[Lap]) -> Vec<Improvement<'_>> {
    let mut timed: Vec<(f64, &Lap)> = laps
        .iter()
        .filter_map(|l| {
            let t = l.time.filter(|t| *t > 0.0)?;
            Some((l.start.as_deref().and_then(shared::instant)? + t, l))
        })
        .collect();
    timed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut own: BTreeMap<i32, f64> = BTreeMap::new();
    let mut overall = f64::MAX;
    let mut out = Vec::new();
    for (at, l) in timed {
        let t = l.time.unwrap_or(f64::MAX);
        if own.get(&l.driver_number).is_none_or(|b| t < *b) {
            own.insert(l.driver_number, t);
            let session_best = t < overall;
            overall = overall.min(t);
            out.push(Improvement { at, lap: l, session_best });
        }
    }
    out
}

/// Where the first and second parts ended (unix seconds): race control's
/// chequered flags (a lap begun before the flag counts in the part it
/// began in), else where race control's messages change part.
pub fn part_ends(recs: &Records) -> Vec<f64> {
    let mut flags: Vec<f64> = recs
        .race_control
        .iter()
        .filter(|m| m.flag.as_deref() == Some("CHEQUERED"))
        .filter_map(|m| m.date.as_deref().and_then(shared::instant))
        .collect();
    flags.sort_by(f64::total_cmp);
    if !flags.is_empty() {
        flags.truncate(2);
        return flags;
    }
    let mut by_phase: BTreeMap<i64, f64> = BTreeMap::new();
    for m in &recs.race_control {
        if let (Some(phase), Some(t)) = (m.qualifying_phase, m.date.as_deref().and_then(shared::instant)) {
            let e = by_phase.entry(phase).or_insert(t);
            *e = e.min(t);
        }
    }
    by_phase.into_iter().filter(|(phase, _)| *phase > 1).map(|(_, t)| t).collect()
}

fn improved(p: &SessionPage<'_>, cars: &Cars, recs: &Records) -> Markup {
    let list = improvements(&recs.laps);
    let Some(t0) = list.first().map(|i| i.at - i.lap.time.unwrap_or(0.0)) else { return html! {} };
    let end = list.last().map_or(1.0, |i| (i.at - t0) / 60.0).max(1.0) + 1.0;
    let who: HashSet<i32> = list.iter().map(|i| i.lap.driver_number).collect();
    let ends = part_ends(recs);
    let q = if p.session.session_type == SessionType::SprintQualifying { "SQ" } else { "Q" };
    let part_of = |lap: &Lap| {
        let start = lap.start.as_deref().and_then(shared::instant).unwrap_or(f64::MAX);
        format!("{q}{}", 1 + ends.iter().filter(|e| **e <= start).count())
    };
    let bands: Vec<Band> = ends
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let x = (t - t0) / 60.0;
            Band { x0: x, x1: x + end / 300.0, fill: "#868e96".into(), title: format!("{q}{} ends", i + 1) }
        })
        .collect();
    let rows: Vec<Row> = cars
        .with(&who)
        .map(|c| Row {
            dots: list
                .iter()
                .filter(|i| i.lap.driver_number == c.number)
                .map(|i| Dot {
                    x: (i.at - t0) / 60.0,
                    fill: if i.session_best { "#a335ee" } else { "#2f9e44" }.into(),
                    title: format!("{} lap {}: {}", c.code, i.lap.lap, shared::lap_time(i.lap.time)),
                })
                .collect(),
            ..c.row()
        })
        .collect();
    let chart = RowsChart {
        id: "chart-improvements".into(),
        kind: "improvements",
        title: "Who improved when".into(),
        summary: format!(
            "{} personal bests through the session, {} of them the session’s best at the time.",
            list.len(),
            list.iter().filter(|i| i.session_best).count()
        ),
        width: chart::WIDE.w,
        label_width: 44.0,
        x_min: 0.0,
        x_max: end,
        ticks: chart::ticks(0.0, end, 8.0).into_iter().map(|v| (v, format!("{v:.0}"))).collect(),
        x_label: "minutes".into(),
        rows,
        bands,
    };
    html! {
        section class="card" id="improvements" aria-labelledby="impr-h" {
            h2 id="impr-h" { "Who improved when" }
            (both_rows(chart))
            p class="legend-note" { "Each dot a personal best as the lap ended: purple when it was the session’s best at that moment; grey lines mark the chequered flag of each part but the last." }
            (numbers("every personal best", html! {
                table class="results" id="improvements-table" {
                    thead { tr { th scope="col" { "Time (UTC)" } th scope="col" { "Part" } th scope="col" { "Driver" } th scope="col" class="n" { "Lap" } th scope="col" class="n" { "Time" } th scope="col" { "Session best" } } }
                    tbody {
                        @for i in &list {
                            tr data-car=(i.lap.driver_number) {
                                td { (chrono::DateTime::from_timestamp_millis((i.at * 1000.0) as i64).map_or_else(String::new, |d| d.format("%H:%M:%S").to_string())) }
                                td class="part" { (part_of(i.lap)) }
                                th scope="row" { (cars.code(i.lap.driver_number)) }
                                td class="n" { (i.lap.lap) } td class="n time" { (shared::lap_time(i.lap.time)) }
                                td { @if i.session_best { "yes" } }
                            }
                        }
                    }
                }
            }))
        }
    }
}

pub fn sections(p: &SessionPage<'_>, recs: &Records, cars: &Cars) -> Markup {
    let parts = parts(p);
    html! {
        @if parts.is_empty() {
            section class="card" { p class="muted" { "No Q1, Q2 or Q3 times are stored for this session’s classification." } }
        }
        @for part in &parts { (part_section(part, cars)) }
        (mini_sectors(cars, &recs.laps))
        (improved(p, cars, recs))
        (super::race::race_control(recs, 0, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_go_through_to_the_last_part_even_when_fewer_set_a_time() {
        assert_eq!(through(1, 7, 15), 10);
        assert_eq!(through(0, 14, 20), 15);
        assert_eq!(through(0, 17, 24), 17);
    }

    #[test]
    fn qualifying_times_parse() {
        assert_eq!(parse_time("1:19.307"), Some(79.307));
        assert_eq!(parse_time("59.5"), Some(59.5));
        assert_eq!(parse_time(""), None);
    }
}
