//! Every race result's points, and every season's final standings,
//! computed under the rules and compared with f1db's.
use std::collections::BTreeMap;

use championship::rules::{PointsRules, Scoring, Side};
use championship::scoring::At;
use championship::table::Table;
use protobuf::v1::SessionType;

use crate::data::{Season, seasons};

const LAST_COMPLETE: i32 = 2025;

/// Race results whose f1db points (the published ones, which win) differ
/// from the rules: (season, round, driver, why).
const RESULTS_DIFFERING: &[(i32, i32, &str, &str)] = &[
    (
        1953,
        5,
        "alberto-ascari",
        "f1db's fastest-lap table has Ascari and Fangio level, but credits the point to Fangio alone",
    ),
    (1953, 5, "juan-manuel-fangio", "the same fastest lap: the whole point is his"),
    (
        1956,
        2,
        "juan-manuel-fangio",
        "he drove two cars: his half of the 4th-placed car (shared with Castellotti) did not score",
    ),
    (1957, 5, "maurice-trintignant", "the shared 4th place scored entirely for Trintignant"),
    (1957, 5, "peter-collins", "and nothing for Collins, who drove a few laps of it"),
];

/// Final standings rows where f1db's published table differs from the
/// rules: (season, side, id, why).
const STANDINGS_DIFFERING: &[(i32, &str, &str, &str)] = &[
    (
        1991,
        "constructors",
        "brabham/yamaha",
        "level with Lotus-Judd on points and scoring places; f1db ranks Lotus ahead",
    ),
    (1995, "drivers", "pedro-lamy", "level on points and scoring places; f1db does not share the position"),
    (1998, "drivers", "jan-magnussen", "level on points and every place with Trulli; f1db's order is not countback's"),
    (1998, "drivers", "jarno-trulli", "the same tie"),
    (1999, "drivers", "olivier-panis", "level with Alesi on points and places; f1db's order is not countback's"),
    (1999, "drivers", "jean-alesi", "the same tie"),
    (1999, "drivers", "pedro-de-la-rosa", "level with Gené; f1db's order is not countback's"),
    (1999, "drivers", "marc-gene", "the same tie"),
    (
        2018,
        "constructors",
        "force-india/mercedes",
        "Force India's points before Belgium were annulled when it re-entered as \
     Racing Point Force India; f1db keeps both entries under one id, which results cannot separate",
    ),
    (2018, "constructors", "haas/ferrari", "ranked below the merged Force India entry (see above)"),
    (2018, "constructors", "mclaren/renault", "the same"),
];

/// Asserts that `wrong` (keyed by its first `key` fields) is exactly `known`.
fn only_known(what: &str, wrong: Vec<(String, String)>, known: &[String]) {
    let unexplained: Vec<&String> = wrong.iter().filter(|(k, _)| !known.contains(k)).map(|(_, line)| line).collect();
    let gone: Vec<&String> = known.iter().filter(|k| !wrong.iter().any(|(w, _)| w == *k)).collect();
    assert!(unexplained.is_empty(), "{} {what} differ from f1db:\n{:#?}", unexplained.len(), unexplained);
    assert!(gone.is_empty(), "listed as differing but now agree (remove them): {gone:?}");
}

/// f1db's figures are published to the hundredth (1/7 of a point is 0.14).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.011
}

fn at(season: &Season, round: i32, kind: SessionType) -> At {
    let last = season.rounds.iter().map(|r| r.round).max().unwrap_or(0);
    let kind = if kind == SessionType::Sprint { Scoring::Sprint } else { Scoring::Race };
    At { round, kind, final_round: round == last }
}

/// The final table of `side` from the season's results.
pub fn final_table(year: i32, season: &Season, side: Side) -> Table {
    let rules = PointsRules::for_season(year).unwrap();
    let mut table = Table::with_rules(side, &rules);
    for r in &season.rounds {
        for s in &r.sessions {
            table.add_session(&rules, at(season, r.round, s.r#type()), &s.results);
        }
    }
    if side == Side::Constructors {
        for (id, points) in rules.deducted() {
            table.deduct(id, points);
        }
    }
    table
}

/// Positions with ties, as the rules of `year` publish them.
fn positions(year: i32, table: &Table) -> Vec<(i32, String, f64)> {
    let rules = PointsRules::for_season(year).unwrap();
    table
        .positions(rules.tie_break_places(table.side), &rules.excluded(table.side))
        .into_iter()
        .map(|(p, e)| (p as i32, e.id.clone(), e.points))
        .collect()
}

fn compare(
    year: i32,
    side: &str,
    want: &[(i32, String, f64)],
    got: &[(i32, String, f64)],
    wrong: &mut Vec<(String, String)>,
) {
    for (pos, id, points) in want {
        let key = format!("{year} {side} {id}");
        match got.iter().find(|g| &g.1 == id) {
            Some((p, _, pts)) if p == pos && same(*pts, *points) => {}
            Some((p, _, pts)) => wrong.push((key.clone(), format!("{key}: f1db P{pos} {points}, rules P{p} {pts}"))),
            // Excluded with every result disqualified: no row to compare.
            None if *pos == 0 && *points == 0.0 => {}
            None => wrong.push((key.clone(), format!("{key}: f1db P{pos} {points}, rules: absent"))),
        }
    }
}

#[test]
fn every_race_result_scores_as_the_rules_say() {
    let mut wrong = Vec::new();
    for (&year, season) in seasons().range(..=LAST_COMPLETE) {
        let rules = PointsRules::for_season(year).unwrap();
        for r in &season.rounds {
            for s in &r.sessions {
                let computed = rules.driver_points(at(season, r.round, s.r#type()), &s.results);
                // A driver's points in a race, over every car they drove.
                let mut by_driver: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
                for (res, points) in s.results.iter().zip(computed) {
                    let e = by_driver.entry(&res.driver_id).or_default();
                    e.0 += res.points;
                    e.1 += points;
                }
                for (driver, (f1db, rules)) in by_driver {
                    if !same(f1db, rules) {
                        let key = format!("{year} {} {driver}", r.round);
                        wrong.push((
                            key,
                            format!("{year} r{} {:?} {driver}: f1db {f1db}, rules {rules}", r.round, s.r#type()),
                        ));
                    }
                }
            }
        }
    }
    let known: Vec<String> = RESULTS_DIFFERING.iter().map(|(y, r, d, _)| format!("{y} {r} {d}")).collect();
    only_known("results", wrong, &known);
}

#[test]
fn every_final_standings_table_is_reproduced() {
    let mut wrong = Vec::new();
    for (&year, season) in seasons().range(..=LAST_COMPLETE) {
        let drivers = positions(year, &final_table(year, season, Side::Drivers));
        compare(year, "drivers", &season.drivers, &drivers, &mut wrong);
        if year >= 1958 {
            let constructors = positions(year, &final_table(year, season, Side::Constructors));
            compare(year, "constructors", &season.constructors, &constructors, &mut wrong);
        }
    }
    let known: Vec<String> = STANDINGS_DIFFERING.iter().map(|(y, s, id, _)| format!("{y} {s} {id}")).collect();
    only_known("standings rows", wrong, &known);
}
