//! The points rules of every season from 1950 to today, one table per
//! aspect of the rules, each row covering the seasons it applied to.
//!
//! Sources: the FIA Formula One sporting regulations of each season as
//! summarised in "List of Formula One World Championship points scoring
//! systems" (Wikipedia) and the season articles linked from it (dropped
//! scores, split seasons, half-points races); checked result by result
//! and season by season against f1db's race results and final standings
//! (`tests/history.rs`).
use serde::{Deserialize, Serialize};

/// The first season of the drivers' world championship.
pub const FIRST_SEASON: i32 = 1950;
/// The first season of the constructors' championship.
pub const FIRST_CONSTRUCTORS_SEASON: i32 = 1958;
/// Every season from 1950 is modelled; kept for callers that ask.
pub const FIRST_MODELLED_SEASON: i32 = FIRST_SEASON;

/// Points by race finishing position, for drivers.
const RACE: &[(i32, i32, &[f64])] = &[
    (1950, 1959, &[8.0, 6.0, 4.0, 3.0, 2.0]),
    (1960, 1960, &[8.0, 6.0, 4.0, 3.0, 2.0, 1.0]),
    (1961, 1990, &[9.0, 6.0, 4.0, 3.0, 2.0, 1.0]),
    (1991, 2002, &[10.0, 6.0, 4.0, 3.0, 2.0, 1.0]),
    (2003, 2009, &[10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]),
    (2010, i32::MAX, &[25.0, 18.0, 15.0, 12.0, 10.0, 8.0, 6.0, 4.0, 2.0, 1.0]),
];

/// Points by race finishing position for constructors, where they differ
/// from the drivers' (a win was worth 8 to a constructor until 1961).
const CONSTRUCTOR_RACE: &[(i32, i32, &[f64])] =
    &[(1958, 1959, &[8.0, 6.0, 4.0, 3.0, 2.0]), (1960, 1961, &[8.0, 6.0, 4.0, 3.0, 2.0, 1.0])];

const SPRINT: &[(i32, i32, &[f64])] =
    &[(2021, 2021, &[3.0, 2.0, 1.0]), (2022, i32::MAX, &[8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0])];

/// The fastest-lap point: 1950–1959 for anyone (shared between drivers
/// with the same time, drivers' championship only), 2019–2024 only for a
/// top-ten finisher.
const FASTEST_LAP: &[(i32, i32, FastestLapRule)] = &[
    (1950, 1959, FastestLapRule { points: 1.0, top: None, constructors: false }),
    (2019, 2024, FastestLapRule { points: 1.0, top: Some(10), constructors: true }),
];

/// Drivers sharing a car split its points equally (1950–1957); from 1958
/// a shared car scored nothing for its drivers.
const SHARED_DRIVES_SPLIT: (i32, i32) = (1950, 1957);

/// Only a constructor's best-placed car scored (1958–1978).
const BEST_CAR_ONLY: (i32, i32) = (1958, 1978);

/// The Indianapolis 500 counted for drivers (1950–1960), not for
/// constructors. Its round in each season's calendar.
const INDIANAPOLIS: &[(i32, i32)] = &[
    (1950, 3),
    (1951, 2),
    (1952, 2),
    (1953, 2),
    (1954, 2),
    (1955, 3),
    (1956, 3),
    (1957, 3),
    (1958, 4),
    (1959, 2),
    (1960, 3),
];

/// Dropped scores, drivers: only the best N results counted, or the best
/// N of each half of a split season (first half = its first `rounds`).
const COUNTED: &[(i32, i32, Counted)] = &[
    (1950, 1953, Counted::best(4)),
    (1954, 1957, Counted::best(5)),
    (1958, 1958, Counted::best(6)),
    (1959, 1959, Counted::best(5)),
    (1960, 1960, Counted::best(6)),
    (1961, 1962, Counted::best(5)),
    (1963, 1965, Counted::best(6)),
    (1966, 1966, Counted::best(5)),
    (1967, 1967, Counted::halves(6, 5, 4)),
    (1968, 1968, Counted::halves(6, 5, 5)),
    (1969, 1969, Counted::halves(6, 5, 4)),
    (1970, 1970, Counted::halves(7, 6, 5)),
    (1971, 1971, Counted::halves(6, 5, 4)),
    (1972, 1972, Counted::halves(6, 5, 5)),
    (1973, 1974, Counted::halves(8, 7, 6)),
    (1975, 1975, Counted::halves(7, 6, 6)),
    (1976, 1976, Counted::halves(8, 7, 7)),
    (1977, 1977, Counted::halves(9, 8, 7)),
    (1978, 1978, Counted::halves(8, 7, 7)),
    (1979, 1979, Counted::halves(7, 4, 4)),
    (1980, 1980, Counted::halves(7, 5, 5)),
    (1981, 1990, Counted::best(11)),
];

/// Dropped scores, constructors (the same as the drivers' until 1978;
/// every result counted from 1979).
const COUNTED_CONSTRUCTORS: (i32, i32) = (1958, 1978);

/// Races stopped early, before the distance the regulations required for
/// full points: half points.
const HALF_POINTS: &[(i32, i32)] = &[(1975, 4), (1975, 12), (1984, 6), (1991, 16), (2009, 2), (2021, 12)];

/// Cars that could not score: (season, round, drivers, whether the cars
/// behind moved up into their places). Formula 2 entries in the German GP
/// (1958, 1967, 1969); cars not entered for the championship (1984 Italy:
/// Osella's and ATS's second cars; 1987 Australia: Larrousse's second
/// car); 1963 France: Graham Hill's points withheld (push start).
const INELIGIBLE: &[(i32, i32, &[&str], bool)] = &[
    (1958, 8, &["bruce-mclaren"], false),
    (1963, 4, &["graham-hill"], false),
    (1967, 7, &["jackie-oliver", "alan-rees"], true),
    (
        1969,
        7,
        &["henri-pescarolo", "richard-attwood", "kurt-ahrens-jr", "rolf-stommelen", "peter-westbury", "xavier-perrot"],
        true,
    ),
    (1984, 14, &["jo-gartner", "gerhard-berger"], false),
    (1987, 16, &["yannick-dalmas"], false),
];

/// Excluded from a championship after the season: (season, side, id,
/// whether the points stayed on record). 1984 Tyrrell (fuel
/// irregularities), 1997 Michael Schumacher (Jerez collision; his 78
/// points stand), 2007 McLaren (the Ferrari documents).
const EXCLUDED: &[(i32, Side, &str, bool)] = &[
    (1984, Side::Constructors, "tyrrell", false),
    (1997, Side::Drivers, "michael-schumacher", true),
    (2007, Side::Constructors, "mclaren", false),
];

/// Constructors' points deducted: (season, constructor, points). 1995
/// Brazil (fuel: Benetton 10, Williams 6), 2000 Austria (McLaren 10, a
/// missing seal), 2020 (Racing Point 15, brake ducts).
const DEDUCTED: &[(i32, &str, f64)] =
    &[(1995, "benetton", 10.0), (1995, "williams", 6.0), (2000, "mclaren", 10.0), (2020, "racing-point", 15.0)];

/// 2014: the final race awarded double points.
const DOUBLE_POINTS_FINAL: &[i32] = &[2014];

/// Shortened races from 2022: points by completed share of the distance.
const SHORTENED_FROM: i32 = 2022;
const SHORTENED: &[(u32, &[f64])] = &[
    (25, &[6.0, 4.0, 3.0, 2.0, 1.0]),
    (50, &[13.0, 10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]),
    (75, &[19.0, 14.0, 12.0, 9.0, 8.0, 6.0, 5.0, 3.0, 2.0, 1.0]),
];

/// Until 1997 the published standings broke a tie on points only by the
/// places that scored (best results first); entries level on those share
/// a position. From 1998 every place counts.
const TIES_BY_SCORING_PLACES_UNTIL: i32 = 1997;

fn lookup<T: Clone>(table: &[(i32, i32, T)], year: i32) -> Option<T> {
    table.iter().find(|(from, to, _)| (*from..=*to).contains(&year)).map(|(_, _, v)| v.clone())
}

fn within((from, to): (i32, i32), year: i32) -> bool {
    (from..=to).contains(&year)
}

/// The extra point for the fastest lap of a race.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FastestLapRule {
    pub points: f64,
    /// Only a driver finishing in this position or better scores it
    /// (null: anyone, classified or not).
    pub top: Option<u32>,
    /// Whether it counts for the constructors' championship too.
    pub constructors: bool,
}

/// Which results counted (dropped scores).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counted {
    /// Rounds in the first part (0: the season is one part).
    pub first_part_rounds: u32,
    /// Best results counted in the first part (the whole season when not split).
    pub best_first: u32,
    /// Best results counted in the second part (0 when not split).
    pub best_second: u32,
}

impl Counted {
    const fn best(n: u32) -> Self {
        Self { first_part_rounds: 0, best_first: n, best_second: 0 }
    }

    const fn halves(rounds: u32, first: u32, second: u32) -> Self {
        Self { first_part_rounds: rounds, best_first: first, best_second: second }
    }

    /// Which part `round` belongs to, and how many results count in it.
    pub fn part_of(&self, round: i32) -> (usize, u32) {
        if self.first_part_rounds == 0 || round <= self.first_part_rounds as i32 {
            (0, self.best_first)
        } else {
            (1, self.best_second)
        }
    }

    /// The counted total of per-round scores `(round, points)`.
    pub fn total(&self, scores: &[(i32, f64)]) -> f64 {
        let mut parts: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for &(round, p) in scores {
            parts[self.part_of(round).0].push(p);
        }
        parts.iter().zip([self.best_first, self.best_second]).map(|(p, n)| best_sum(p, n as usize)).sum()
    }
}

/// The sum of the `n` largest of `scores`.
pub fn best_sum(scores: &[f64], n: usize) -> f64 {
    let mut v = scores.to_vec();
    v.sort_by(|a, b| b.total_cmp(a));
    v.iter().take(n).sum()
}

/// A shortened race's points, by how much of the distance was completed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShortenedScale {
    /// Applies when less than this share of the distance was completed.
    pub below_percent: u32,
    pub points: Vec<f64>,
}

/// How a season awards championship points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsRules {
    pub season: i32,
    /// Points by race finishing position (index 0 is the winner).
    pub race: Vec<f64>,
    /// Points by sprint finishing position; empty when sprints award none.
    pub sprint: Vec<f64>,
    pub fastest_lap: Option<FastestLapRule>,
    /// 2014: the final race awarded double points.
    pub double_points_final_race: bool,
    /// 1950–1957: drivers sharing a car split its points.
    pub shared_drives_split: bool,
    /// Rounds that awarded half points (stopped early).
    pub half_points_rounds: Vec<i32>,
    /// 1950–1960: the Indianapolis 500's round (drivers only).
    pub indianapolis_round: Option<i32>,
    /// Drivers' dropped scores; null when every result counts.
    pub counted: Option<Counted>,
    /// The constructors' championship; null before 1958.
    pub constructors: Option<ConstructorRules>,
    /// From 2022: points for races stopped short of 75 % of the distance.
    pub shortened: Vec<ShortenedScale>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstructorRules {
    /// Points by race finishing position for a constructor's car.
    pub race: Vec<f64>,
    /// 1958–1978: only the constructor's best-placed car scored.
    pub best_car_only: bool,
    pub counted: Option<Counted>,
}

/// Who a championship is for: a driver scores with one car, a constructor
/// with two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Drivers,
    Constructors,
}

/// The kinds of session that award championship points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scoring {
    Sprint,
    Race,
}

impl PointsRules {
    /// The rules of `year`, or None before 1950.
    pub fn for_season(year: i32) -> Option<Self> {
        let race = lookup(RACE, year)?.to_vec();
        let counted = lookup(COUNTED, year);
        let constructors = (year >= FIRST_CONSTRUCTORS_SEASON).then(|| ConstructorRules {
            race: lookup(CONSTRUCTOR_RACE, year).map_or_else(|| race.clone(), <[f64]>::to_vec),
            best_car_only: within(BEST_CAR_ONLY, year),
            counted: counted.filter(|_| within(COUNTED_CONSTRUCTORS, year)),
        });
        Some(Self {
            season: year,
            sprint: lookup(SPRINT, year).map(<[f64]>::to_vec).unwrap_or_default(),
            fastest_lap: lookup(FASTEST_LAP, year),
            double_points_final_race: DOUBLE_POINTS_FINAL.contains(&year),
            shared_drives_split: within(SHARED_DRIVES_SPLIT, year),
            half_points_rounds: HALF_POINTS.iter().filter(|(y, _)| *y == year).map(|(_, r)| *r).collect(),
            indianapolis_round: INDIANAPOLIS.iter().find(|(y, _)| *y == year).map(|(_, r)| *r),
            shortened: SHORTENED
                .iter()
                .filter(|_| year >= SHORTENED_FROM)
                .map(|(below_percent, points)| ShortenedScale {
                    below_percent: *below_percent,
                    points: points.to_vec(),
                })
                .collect(),
            race,
            counted,
            constructors,
        })
    }

    /// Whether `driver`'s car could not score at `round`, and whether the
    /// cars behind moved up into its place.
    pub fn ineligible(&self, round: i32, driver: &str) -> Option<bool> {
        INELIGIBLE
            .iter()
            .find(|(y, r, drivers, _)| *y == self.season && *r == round && drivers.contains(&driver))
            .map(|(_, _, _, move_up)| *move_up)
    }

    /// Ids excluded from the final standings of `side`.
    pub fn excluded(&self, side: Side) -> Vec<&'static str> {
        EXCLUDED.iter().filter(|(y, s, _, _)| *y == self.season && *s == side).map(|(_, _, id, _)| *id).collect()
    }

    /// Ids excluded from `side` whose points were annulled too.
    pub fn annulled(&self, side: Side) -> Vec<&'static str> {
        EXCLUDED
            .iter()
            .filter(|(y, s, _, kept)| *y == self.season && *s == side && !kept)
            .map(|(_, _, id, _)| *id)
            .collect()
    }

    /// Constructors' points deducted over the season.
    pub fn deducted(&self) -> Vec<(&'static str, f64)> {
        DEDUCTED.iter().filter(|(y, _, _)| *y == self.season).map(|(_, id, p)| (*id, *p)).collect()
    }

    /// How many places break a tie in the final standings (None: all).
    pub fn tie_break_places(&self, side: Side) -> Option<usize> {
        (self.season <= TIES_BY_SCORING_PLACES_UNTIL).then(|| self.table(side, Scoring::Race).len())
    }

    /// Which results count for `side` (None: all of them).
    pub fn counted(&self, side: Side) -> Option<Counted> {
        match side {
            Side::Drivers => self.counted,
            Side::Constructors => self.constructors.as_ref().and_then(|c| c.counted),
        }
    }

    /// Whether a round scores for `side` at all (the Indianapolis 500 did
    /// not count for constructors).
    pub fn round_scores(&self, side: Side, round: i32) -> bool {
        side == Side::Drivers || self.indianapolis_round != Some(round)
    }

    pub fn best_car_only(&self) -> bool {
        self.constructors.as_ref().is_some_and(|c| c.best_car_only)
    }

    /// The points table of `kind` for `side`.
    pub fn table(&self, side: Side, kind: Scoring) -> &[f64] {
        match (kind, side, &self.constructors) {
            (Scoring::Sprint, _, _) => &self.sprint,
            (Scoring::Race, Side::Constructors, Some(c)) => &c.race,
            (Scoring::Race, _, _) => &self.race,
        }
    }

    fn multiplier(&self, kind: Scoring, final_round: bool) -> f64 {
        if kind == Scoring::Race && final_round && self.double_points_final_race { 2.0 } else { 1.0 }
    }

    /// The factor of a round's points: one half for a race stopped early.
    pub fn round_factor(&self, round: i32) -> f64 {
        if self.half_points_rounds.contains(&round) { 0.5 } else { 1.0 }
    }

    /// A driver's points for finishing `position` (1-based; 0 = not
    /// classified), with or without the fastest lap (alone), in a full-points
    /// session.
    pub fn points(&self, kind: Scoring, position: u32, fastest_lap: bool, final_round: bool) -> f64 {
        let base = self.position_points(Side::Drivers, kind, position);
        let bonus = if fastest_lap { self.bonus_at(Side::Drivers, kind, position) } else { 0.0 };
        (base + bonus) * self.multiplier(kind, final_round)
    }

    /// The points of a car finishing `position` for `side`, before any bonus.
    pub fn position_points(&self, side: Side, kind: Scoring, position: u32) -> f64 {
        position.checked_sub(1).and_then(|i| self.table(side, kind).get(i as usize)).copied().unwrap_or(0.0)
    }

    /// The fastest-lap point a car finishing `position` could add.
    pub fn bonus_at(&self, side: Side, kind: Scoring, position: u32) -> f64 {
        match (kind, self.fastest_lap) {
            (Scoring::Race, Some(rule)) if side == Side::Drivers || rule.constructors => match rule.top {
                None => rule.points,
                Some(top) if position >= 1 && position <= top => rule.points,
                Some(_) => 0.0,
            },
            _ => 0.0,
        }
    }

    /// Points for a race stopped at `percent` of its distance from 2022
    /// (None: full points).
    pub fn shortened_points(&self, percent: u32, position: u32) -> Option<f64> {
        let scale = self.shortened.iter().find(|s| percent < s.below_percent)?;
        Some(position.checked_sub(1).and_then(|i| scale.points.get(i as usize)).copied().unwrap_or(0.0))
    }

    /// The most one driver (one car) or one constructor (two cars, or its
    /// best car) can score in one full-points session.
    pub fn session_max(&self, side: Side, kind: Scoring, final_round: bool) -> f64 {
        let t = self.table(side, kind);
        let first = t.first().copied().unwrap_or(0.0);
        let second =
            if side == Side::Constructors && !self.best_car_only() { t.get(1).copied().unwrap_or(0.0) } else { 0.0 };
        (first + second + self.bonus_at(side, kind, 1)) * self.multiplier(kind, final_round)
    }

    /// The most a rival driver can score in a session when the leader
    /// finishes `leader_position` (0 = outside the points or not classified).
    pub fn rival_best(&self, kind: Scoring, leader_position: u32, final_round: bool) -> f64 {
        let rival_position = if leader_position == 1 { 2 } else { 1 };
        self.points(kind, rival_position, true, final_round)
    }

    /// How many positions score in a session of `kind`.
    pub fn scoring_positions(&self, kind: Scoring) -> u32 {
        self.table(Side::Drivers, kind).len() as u32
    }

    /// Every total a constructor's cars can score in one session (no
    /// fastest-lap point: the leader's needs are stated without it), sorted.
    pub fn team_totals(&self, kind: Scoring, final_round: bool) -> Vec<f64> {
        let t = self.table(Side::Constructors, kind);
        let mut totals = vec![0.0];
        for (i, a) in t.iter().enumerate() {
            totals.push(*a);
            if !self.best_car_only() {
                for b in &t[i + 1..] {
                    totals.push(a + b);
                }
            }
        }
        let m = self.multiplier(kind, final_round);
        let mut totals: Vec<f64> = totals.into_iter().map(|p| p * m).collect();
        totals.sort_by(f64::total_cmp);
        totals.dedup();
        totals
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
