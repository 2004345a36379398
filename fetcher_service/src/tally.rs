//! Season statistics counted from race classifications, round by round:
//! wins, podiums, poles, fastest laps, DNFs and races per driver and per
//! constructor, and the team and car number each driver last raced with.
//! Every source enriches its standings with these, so the numbers agree
//! whichever source wrote the standings.
use std::collections::{HashMap, HashSet};

use protobuf::v1::SessionResult;

pub use content_types::SeasonStats as Stats;
pub use protobuf::provenance::started;

#[derive(Debug, Default, Clone)]
pub struct SeasonTally {
    drivers: HashMap<String, Stats>,
    constructors: HashMap<String, Stats>,
    last_team: HashMap<String, (String, i32)>,
}

impl SeasonTally {
    /// Adds one race's classification (counted by `SeasonStats::count`).
    pub fn add_race(&mut self, results: &[SessionResult]) {
        let mut drivers_seen = HashSet::new();
        let mut constructors_seen = HashSet::new();
        for r in results {
            let d = self.drivers.entry(r.driver_id.clone()).or_default();
            let c = self.constructors.entry(r.constructor_id.clone()).or_default();
            for s in [&mut *d, &mut *c] {
                s.count(&r.position_text, r.grid, r.fastest_lap);
            }
            if started(&r.position_text) {
                if drivers_seen.insert(r.driver_id.as_str()) {
                    d.races += 1;
                }
                if constructors_seen.insert(r.constructor_id.as_str()) {
                    c.races += 1;
                }
            }
            self.last_team.insert(r.driver_id.clone(), (r.constructor_id.clone(), r.driver_number));
        }
    }

    pub fn driver(&self, id: &str) -> Stats {
        self.drivers.get(id).copied().unwrap_or_default()
    }

    pub fn constructor(&self, id: &str) -> Stats {
        self.constructors.get(id).copied().unwrap_or_default()
    }

    /// The constructor id and car number `driver` last raced with.
    pub fn last_team(&self, driver: &str) -> Option<(&str, i32)> {
        self.last_team.get(driver).map(|(c, n)| (c.as_str(), *n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str, driver: &str, team: &str, grid: i32, fastest: bool) -> SessionResult {
        SessionResult {
            position: text.parse().unwrap_or(0),
            position_text: text.into(),
            driver_id: driver.into(),
            constructor_id: team.into(),
            driver_number: 1,
            grid,
            fastest_lap: fastest,
            ..Default::default()
        }
    }

    #[test]
    fn counts_per_driver_and_team() {
        let mut t = SeasonTally::default();
        t.add_race(&[row("1", "a", "x", 1, false), row("2", "b", "x", 2, true), row("R", "c", "y", 3, false)]);
        t.add_race(&[row("1", "b", "x", 1, false), row("DNQ", "c", "y", 0, false)]);
        assert_eq!(t.driver("a"), Stats { wins: 1, podiums: 1, poles: 1, fastest_laps: 0, dnfs: 0, races: 1 });
        assert_eq!(t.driver("b"), Stats { wins: 1, podiums: 2, poles: 1, fastest_laps: 1, dnfs: 0, races: 2 });
        assert_eq!(t.driver("c"), Stats { wins: 0, podiums: 0, poles: 0, fastest_laps: 0, dnfs: 1, races: 1 });
        assert_eq!(t.constructor("x"), Stats { wins: 2, podiums: 3, poles: 2, fastest_laps: 1, dnfs: 0, races: 2 });
        assert_eq!(t.last_team("b"), Some(("x", 1)));
    }
}
