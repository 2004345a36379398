//! One session's championship points from its finishing order under a
//! season's rules: shared drives, a shared fastest lap, half points, the
//! constructors' best-car-only years and the Indianapolis 500.
use std::collections::HashMap;

use protobuf::v1::SessionResult;

use super::rules::{PointsRules, Scoring, Side};

/// Where a session sits in its season.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub round: i32,
    pub kind: Scoring,
    pub final_round: bool,
}

impl PointsRules {
    fn factor(&self, at: At) -> f64 {
        let double =
            if at.kind == Scoring::Race && at.final_round && self.double_points_final_race { 2.0 } else { 1.0 };
        self.round_factor(at.round) * double
    }

    /// Each row's drivers' points (same order as `results`). Rows sharing a
    /// position are a shared car; the drivers marked `fastest_lap` share its
    /// point (a driver who drove two cars gets it once, on the first row).
    pub fn driver_points(&self, at: At, results: &[SessionResult]) -> Vec<f64> {
        let sharing = sharers(results);
        let fastest = fastest_drivers(results);
        let mut bonus_given: Vec<&str> = Vec::new();
        let places = self.places(at, results);
        results
            .iter()
            .zip(places)
            .map(|(r, place)| {
                let first_row = r.fastest_lap && !bonus_given.contains(&r.driver_id.as_str());
                if first_row {
                    bonus_given.push(&r.driver_id);
                }
                if self.ineligible(at.round, &r.driver_id).is_some() {
                    return 0.0;
                }
                let position = place.max(0) as u32;
                let drivers = sharing.get(&r.position).copied().unwrap_or(1) as f64;
                let car = self.position_points(Side::Drivers, at.kind, position);
                let base = match drivers {
                    1.0 => car,
                    _ if self.shared_drives_split => car / drivers,
                    _ => 0.0,
                };
                let bonus = if first_row { self.bonus_at(Side::Drivers, at.kind, position) / fastest } else { 0.0 };
                (base + bonus) * self.factor(at)
            })
            .collect()
    }

    /// Each row's place in the championship's eyes: its position, less the
    /// ineligible cars ahead that the rest moved up past (0 = none).
    pub fn places(&self, at: At, results: &[SessionResult]) -> Vec<i32> {
        let moved_past: Vec<i32> = results
            .iter()
            .filter(|r| r.position > 0 && self.ineligible(at.round, &r.driver_id) == Some(true))
            .map(|r| r.position)
            .collect();
        results
            .iter()
            .map(|r| match self.ineligible(at.round, &r.driver_id) {
                Some(_) => 0,
                None if r.position <= 0 => 0,
                None => r.position - moved_past.iter().filter(|&&p| p < r.position).count() as i32,
            })
            .collect()
    }

    /// Each constructor's points from one session: the sum of its drivers'
    /// `points` (stored, so penalties stay applied), or in the years when
    /// only the best-placed car scored, the best of them (a car shared by
    /// its drivers scored nothing from 1958).
    pub fn constructor_points(&self, at: At, results: &[SessionResult], points: &[f64]) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = Vec::new();
        if !self.round_scores(Side::Constructors, at.round) {
            return out;
        }
        let best_car = self.best_car_only();
        let fastest = fastest_drivers(results);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, r) in results.iter().enumerate() {
            let key = constructor_key(r);
            if key.is_empty() {
                continue;
            }
            let driver = points.get(i).copied().unwrap_or(r.points);
            let add = if best_car {
                // The car's points as its driver scored them (an ineligible
                // car ahead moved them up), without the drivers-only bonus.
                let car = driver - if r.fastest_lap { self.bonus_at(Side::Drivers, at.kind, 0) / fastest } else { 0.0 };
                let car = self.as_constructor(at, car);
                match seen.get(&key) {
                    Some(&j) => {
                        out[j].1 = out[j].1.max(car);
                        continue;
                    }
                    None => car,
                }
            } else {
                driver
            };
            match seen.get(&key) {
                Some(&j) => out[j].1 += add,
                None => {
                    seen.insert(key.clone(), out.len());
                    out.push((key, add));
                }
            }
        }
        out
    }
}

impl PointsRules {
    /// A car's drivers' points in the constructors' table (a win was worth
    /// less to a constructor until 1961): the same place's points.
    fn as_constructor(&self, at: At, driver: f64) -> f64 {
        let f = self.factor(at);
        let drivers = self.table(Side::Drivers, at.kind);
        match drivers.iter().position(|p| (p * f - driver).abs() < 0.005) {
            Some(i) => self.position_points(Side::Constructors, at.kind, i as u32 + 1) * f,
            None => driver,
        }
    }
}

/// How many drivers share the fastest lap (at least one, to divide by).
fn fastest_drivers(results: &[SessionResult]) -> f64 {
    let mut ids: Vec<&str> = results.iter().filter(|r| r.fastest_lap).map(|r| r.driver_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len().max(1) as f64
}

/// How many rows share each classified position.
fn sharers(results: &[SessionResult]) -> HashMap<i32, usize> {
    let mut n = HashMap::new();
    for r in results.iter().filter(|r| r.position > 0) {
        *n.entry(r.position).or_insert(0) += 1;
    }
    n
}

/// A result's constructor: its id, or its team name when the id is unknown.
pub fn constructor_key(r: &SessionResult) -> String {
    if r.constructor_id.is_empty() { r.team.clone() } else { r.constructor_id.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(position: i32, driver: &str, team: &str, fastest_lap: bool) -> SessionResult {
        SessionResult {
            position,
            driver_id: driver.into(),
            constructor_id: team.into(),
            fastest_lap,
            ..Default::default()
        }
    }

    fn rules(year: i32) -> PointsRules {
        PointsRules::for_season(year).unwrap()
    }

    const RACE: At = At { round: 1, kind: Scoring::Race, final_round: false };

    #[test]
    fn a_shared_drive_in_1951_splits_the_car_and_keeps_the_fastest_lap() {
        // 1951 French GP: Fagioli and Fangio shared the winning Alfa Romeo;
        // Fangio set the fastest lap.
        let results =
            [row(1, "fagioli", "alfa", false), row(1, "fangio", "alfa", true), row(2, "ascari", "ferrari", false)];
        assert_eq!(rules(1951).driver_points(RACE, &results), [4.0, 5.0, 6.0]);
        // From 1958 a shared car scores nothing for its drivers (the fastest
        // lap still does).
        assert_eq!(rules(1958).driver_points(RACE, &results)[..2], [0.0, 1.0]);
    }

    #[test]
    fn a_fastest_lap_set_by_seven_drivers_in_1954_is_split_seven_ways() {
        let mut results: Vec<SessionResult> = (1..=7).map(|p| row(p + 2, &format!("d{p}"), "t", true)).collect();
        results.insert(0, row(1, "gonzalez", "ferrari", true));
        let points = rules(1954).driver_points(RACE, &results);
        assert!((points[0] - (8.0 + 1.0 / 8.0)).abs() < 1e-9);
        assert!((points[7] - 1.0 / 8.0).abs() < 1e-9);
    }

    #[test]
    fn half_points_and_the_2014_final() {
        let results = [row(1, "a", "x", false), row(2, "b", "y", false)];
        assert_eq!(rules(1975).driver_points(At { round: 4, ..RACE }, &results), [4.5, 3.0]);
        assert_eq!(rules(2021).driver_points(At { round: 12, ..RACE }, &results), [12.5, 9.0]);
        let last = At { round: 19, kind: Scoring::Race, final_round: true };
        assert_eq!(rules(2014).driver_points(last, &results), [50.0, 36.0]);
    }

    #[test]
    fn only_the_best_car_scored_for_constructors_until_1978() {
        let results = [row(1, "a", "x", false), row(2, "b", "x", false), row(3, "c", "y", false)];
        let points = rules(1978).driver_points(RACE, &results);
        assert_eq!(rules(1978).constructor_points(RACE, &results, &points), [("x".into(), 9.0), ("y".into(), 4.0)]);
        let points = rules(1979).driver_points(RACE, &results);
        assert_eq!(rules(1979).constructor_points(RACE, &results, &points), [("x".into(), 15.0), ("y".into(), 4.0)]);
        // The fastest lap was the driver's alone (1958).
        let results = [row(1, "a", "x", true), row(2, "b", "y", false)];
        let points = rules(1958).driver_points(RACE, &results);
        assert_eq!(points, [9.0, 6.0]);
        assert_eq!(rules(1958).constructor_points(RACE, &results, &points), [("x".into(), 8.0), ("y".into(), 6.0)]);
    }

    #[test]
    fn the_indianapolis_500_scored_for_drivers_only() {
        let results = [row(1, "bryan", "epperly", false)];
        let indy = At { round: 2, ..RACE };
        assert_eq!(rules(1959).driver_points(indy, &results), [8.0]);
        assert!(rules(1959).constructor_points(indy, &results, &[8.0]).is_empty());
    }
}
