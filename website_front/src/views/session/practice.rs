//! Practice: each driver's best lap, and the long runs (laps grouped by
//! stint, out- and in-laps and cool-down laps left out, the median of
//! what is left).
use std::collections::{BTreeMap, HashSet};

use content_types::{Lap, Stint};
use maud::{Markup, html};

use super::cars::Cars;
use super::qualifying::best_laps;
use super::shared::{self, both_rows, numbers};
use super::{Records, SessionPage};
use crate::chart;
use crate::chart::rows::{Bar, Dot, Row, RowsChart};

/// A stint counts as a long run with at least this many representative laps.
pub const LONG_RUN_LAPS: usize = 5;
/// A lap slower than this share of the driver's best is a cool-down or a
/// traffic lap, not pace.
const PACE_LIMIT: f64 = 1.07;

/// One long run: a stint's representative laps and their median.
pub struct LongRun<'a> {
    pub stint: &'a Stint,
    pub laps: Vec<&'a Lap>,
    pub median: f64,
}

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

pub fn long_runs<'a>(laps: &'a [Lap], stints: &'a [Stint]) -> Vec<LongRun<'a>> {
    let best = best_laps(laps);
    let mut by_car: BTreeMap<i32, Vec<&Lap>> = BTreeMap::new();
    for l in laps {
        by_car.entry(l.driver_number).or_default().push(l);
    }
    stints
        .iter()
        .filter_map(|s| {
            let limit = best.get(&s.driver_number)?.time? * PACE_LIMIT;
            let laps: Vec<&Lap> = by_car
                .get(&s.driver_number)?
                .iter()
                .copied()
                // The stint's last lap ends in the pit lane.
                .filter(|l| l.lap >= s.first_lap && l.lap < s.last_lap && !l.pit_out_lap)
                .filter(|l| l.time.is_some_and(|t| t > 0.0 && t <= limit))
                .collect();
            (laps.len() >= LONG_RUN_LAPS).then(|| {
                let mut times: Vec<f64> = laps.iter().filter_map(|l| l.time).collect();
                LongRun { stint: s, median: median(&mut times), laps }
            })
        })
        .collect()
}

fn best(cars: &Cars, recs: &Records) -> Markup {
    let best = best_laps(&recs.laps);
    let mut ordered: Vec<&&Lap> = best.values().collect();
    ordered.sort_by(|a, b| a.time.unwrap_or(0.0).total_cmp(&b.time.unwrap_or(0.0)));
    let Some(fastest) = ordered.first().and_then(|l| l.time) else {
        return html! { section class="card" { p class="muted" { "No timed laps were recorded." } } };
    };
    let span = ordered.last().and_then(|l| l.time).map_or(1.0, |t| (t - fastest).max(0.5));
    let laps_of = |car: i32| recs.laps.iter().filter(|l| l.driver_number == car).count();
    let rows: Vec<Row> = ordered
        .iter()
        .map(|l| Row {
            bars: vec![Bar {
                x0: 0.0,
                x1: (l.time.unwrap_or(fastest) - fastest).max(span / 200.0),
                fill: cars.color(l.driver_number).to_string(),
                text: None,
                title: format!("{} {} on lap {}", cars.code(l.driver_number), shared::lap_time(l.time), l.lap),
            }],
            ..cars.row(l.driver_number)
        })
        .collect();
    let chart = RowsChart {
        id: "chart-best".into(),
        kind: "best-laps",
        title: "Best laps: gap to the fastest".into(),
        summary: format!("{} drivers’ best laps; the fastest {}.", rows.len(), shared::lap_time(Some(fastest))),
        width: chart::WIDE.w,
        label_width: 44.0,
        x_min: 0.0,
        x_max: span,
        ticks: chart::ticks(0.0, span, 6.0).into_iter().map(|v| (v, format!("+{v:.1}"))).collect(),
        x_label: "seconds behind the fastest".into(),
        rows,
        bands: Vec::new(),
    };
    html! {
        section class="card" id="best-laps" aria-labelledby="best-h" {
            h2 id="best-h" { "Best laps" }
            (both_rows(chart))
            div class="scroll" {
                table class="results" id="best-table" {
                    thead { tr { th scope="col" class="n" { "Pos" } th scope="col" { "Driver" } th scope="col" class="n" { "Time" }
                        th scope="col" class="n" { "Gap" } th scope="col" class="n" { "On lap" } th scope="col" class="n" { "Laps" } } }
                    tbody {
                        @for (i, l) in ordered.iter().enumerate() {
                            tr data-car=(l.driver_number) {
                                td class="n" { (i + 1) } th scope="row" { (cars.code(l.driver_number)) }
                                td class="n time" { (shared::lap_time(l.time)) }
                                td class="n" { @if i > 0 { (shared::gap(l.time.unwrap_or(fastest) - fastest)) } }
                                td class="n" { (l.lap) } td class="n laps" { (laps_of(l.driver_number)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn long_run_section(cars: &Cars, recs: &Records, year: i32) -> Markup {
    let runs = long_runs(&recs.laps, &recs.stints);
    if runs.is_empty() {
        return html! {
            section class="card" id="long-runs" aria-labelledby="long-h" {
                h2 id="long-h" { "Long runs" }
                p class="muted" { "No stint had " (LONG_RUN_LAPS) " or more laps at pace." }
            }
        };
    }
    let lo = runs.iter().map(|r| r.median).fold(f64::MAX, f64::min);
    let hi = runs.iter().map(|r| r.median).fold(f64::MIN, f64::max);
    let (x0, x1) = ((lo - 0.5).floor(), (hi + 0.5).ceil());
    let who: HashSet<i32> = runs.iter().map(|r| r.stint.driver_number).collect();
    let rows: Vec<Row> = cars
        .with(&who)
        .map(|c| Row {
            dots: runs
                .iter()
                .filter(|r| r.stint.driver_number == c.number)
                .map(|r| Dot {
                    x: r.median,
                    fill: shared::compound_color(r.stint.compound.as_deref(), year).into(),
                    title: format!(
                        "{} stint {}: {} laps on {}, median {}",
                        c.code,
                        r.stint.stint,
                        r.laps.len(),
                        shared::compound_name(r.stint.compound.as_deref()),
                        shared::lap_time(Some(r.median))
                    ),
                })
                .collect(),
            ..c.row()
        })
        .collect();
    let chart = RowsChart {
        id: "chart-long-runs".into(),
        kind: "long-runs",
        title: "Long-run pace: median lap time per stint".into(),
        summary: format!("{} stints of {LONG_RUN_LAPS} or more laps at pace, by {} drivers.", runs.len(), who.len()),
        width: chart::WIDE.w,
        label_width: 44.0,
        x_min: x0,
        x_max: x1,
        ticks: chart::ticks(x0, x1, 6.0).into_iter().map(|v| (v, shared::lap_time(Some(v)))).collect(),
        x_label: "median lap time".into(),
        rows,
        bands: Vec::new(),
    };
    html! {
        section class="card" id="long-runs" aria-labelledby="long-h" {
            h2 id="long-h" { "Long runs" }
            (both_rows(chart))
            p class="legend-note" {
                "A dot per stint of " (LONG_RUN_LAPS) " or more laps, at its median lap time, in the compound’s colour "
                "(out- and in-laps and laps over 107% of the driver’s best left out)."
            }
            (numbers("every long run", html! {
                table class="results" id="long-runs-table" {
                    thead { tr { th scope="col" { "Driver" } th scope="col" class="n" { "Stint" } th scope="col" { "Compound" }
                        th scope="col" class="n" { "Laps" } th scope="col" class="n" { "Median" } th scope="col" class="n" { "Best" } } }
                    tbody {
                        @for r in &runs {
                            tr data-car=(r.stint.driver_number) {
                                th scope="row" { (cars.code(r.stint.driver_number)) } td class="n" { (r.stint.stint) }
                                td { (shared::compound_name(r.stint.compound.as_deref())) }
                                td class="n" { (r.laps.len()) } td class="n time" { (shared::lap_time(Some(r.median))) }
                                td class="n" { (shared::lap_time(r.laps.iter().filter_map(|l| l.time).reduce(f64::min))) }
                            }
                        }
                    }
                }
            }))
        }
    }
}

pub fn sections(p: &SessionPage<'_>, recs: &Records, cars: &Cars) -> Markup {
    html! {
        (best(cars, recs))
        (long_run_section(cars, recs, p.round.season))
        (super::race::race_control(recs, 0, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
