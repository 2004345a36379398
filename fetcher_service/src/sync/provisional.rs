//! Points and standings for a provisional classification (the order at the
//! flag): the season's rules from the `championship` crate (the same the
//! title fight uses) score it, and the standings after its round become the
//! standings after the previous round plus the round's points, marked
//! provisional, until official ones replace them (see data_scheduler's
//! precedence rule).
use std::collections::HashMap;

use championship::rules::{PointsRules, Scoring};
use protobuf::v1::{
    ConstructorStanding, DriverStanding, Provenance, Round, Session, SessionResult, SessionType, Standings,
};

/// Sets each row's points from `year`'s rules. Seasons the rules do not
/// model (before 1991, dropped scores) keep zero: nothing is invented.
/// Shortened races (half points) are not detected from timing data.
pub fn score(year: i32, session: &mut Session, final_round: bool) {
    let kind = match SessionType::try_from(session.r#type) {
        Ok(SessionType::Race) => Scoring::Race,
        Ok(SessionType::Sprint) => Scoring::Sprint,
        _ => return,
    };
    let Some(rules) = PointsRules::for_season(year) else { return };
    for r in &mut session.results {
        let position = if r.classified { r.position as u32 } else { 0 };
        r.points = rules.points(kind, position, r.fastest_lap, final_round);
    }
}

/// The standings after `round`: those after the previous round (empty
/// before the first) plus the points of the round's scoring sessions, with
/// `fresh` in place of the stored session of its type. None when `fresh`
/// scores no points.
pub fn standings(provenance: &Provenance, round: &Round, fresh: &Session, stored: &[Standings]) -> Option<Standings> {
    if !SessionType::try_from(fresh.r#type).is_ok_and(SessionType::scores_points) {
        return None;
    }
    let previous = stored.iter().filter(|s| s.round < round.round).max_by_key(|s| s.round);
    let mut table = Table::from(previous);
    let sessions = round.sessions.iter().filter(|s| s.r#type != fresh.r#type).chain([fresh]);
    for s in sessions.filter(|s| SessionType::try_from(s.r#type).is_ok_and(SessionType::scores_points)) {
        table.add(&s.results, s.r#type == SessionType::Race as i32);
    }
    Some(table.into_standings(round.season, round.round, provenance))
}

#[derive(Default)]
struct Table {
    drivers: Vec<DriverStanding>,
    constructors: Vec<ConstructorStanding>,
}

impl Table {
    fn from(previous: Option<&Standings>) -> Self {
        previous.map(|s| Self { drivers: s.drivers.clone(), constructors: s.constructors.clone() }).unwrap_or_default()
    }

    fn add(&mut self, results: &[SessionResult], race: bool) {
        for r in results {
            let i = match self.drivers.iter().position(|d| d.driver_id == r.driver_id) {
                Some(i) => i,
                None => {
                    self.drivers.push(DriverStanding {
                        driver_id: r.driver_id.clone(),
                        driver_number: r.driver_number,
                        driver_code: r.driver_code.clone(),
                        driver_name: r.driver_name.clone(),
                        constructor_id: r.constructor_id.clone(),
                        team: r.team.clone(),
                        ..Default::default()
                    });
                    self.drivers.len() - 1
                }
            };
            let d = &mut self.drivers[i];
            d.points += r.points;
            if race {
                d.races += 1;
                d.wins += i32::from(r.classified && r.position == 1);
                d.podiums += i32::from(r.classified && r.position <= 3);
            }
        }
        let mut by_team: HashMap<&str, (f64, bool, i32)> = HashMap::new();
        for r in results.iter().filter(|r| !r.constructor_id.is_empty()) {
            let e = by_team.entry(&r.constructor_id).or_insert((0.0, false, 0));
            e.0 += r.points;
            e.1 |= r.classified && r.position == 1;
            e.2 += i32::from(r.classified && r.position <= 3);
            if !self.constructors.iter().any(|c| c.constructor_id == r.constructor_id) {
                self.constructors.push(ConstructorStanding {
                    constructor_id: r.constructor_id.clone(),
                    name: r.team.clone(),
                    ..Default::default()
                });
            }
        }
        for c in &mut self.constructors {
            if let Some((points, won, podiums)) = by_team.get(c.constructor_id.as_str()) {
                c.points += points;
                if race {
                    c.races += 1;
                    c.wins += i32::from(*won);
                    c.podiums += podiums;
                }
            }
        }
    }

    /// Orders by points (ties keep the previous order: countback needs
    /// every result of the season, which the official standings settle).
    fn into_standings(mut self, season: i32, round: i32, provenance: &Provenance) -> Standings {
        self.drivers.sort_by(|a, b| b.points.total_cmp(&a.points));
        for (i, d) in self.drivers.iter_mut().enumerate() {
            d.position = i as i32 + 1;
            d.position_text = d.position.to_string();
        }
        self.constructors.sort_by(|a, b| b.points.total_cmp(&a.points));
        for (i, c) in self.constructors.iter_mut().enumerate() {
            c.position = i as i32 + 1;
            c.position_text = c.position.to_string();
        }
        Standings {
            season,
            round,
            drivers: self.drivers,
            constructors: self.constructors,
            provenance: Some(Provenance { updated_at: 0, ..*provenance }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protobuf::v1::ResultSource;

    fn row(position: i32, text: &str, driver: &str, team: &str, fastest_lap: bool) -> SessionResult {
        SessionResult {
            position,
            position_text: text.into(),
            classified: protobuf::provenance::is_classified(text),
            driver_id: driver.into(),
            driver_name: driver.into(),
            constructor_id: team.into(),
            team: team.into(),
            fastest_lap,
            ..Default::default()
        }
    }

    fn race(results: Vec<SessionResult>) -> Session {
        Session { season: 2024, round: 2, r#type: SessionType::Race as i32, results, ..Default::default() }
    }

    #[test]
    fn points_follow_the_season_rules() {
        let mut s = race(vec![
            row(1, "1", "a", "x", false),
            row(2, "2", "b", "y", true),
            row(3, "R", "c", "x", false),
            row(4, "DNS", "d", "y", false),
        ]);
        score(2024, &mut s, false);
        let points: Vec<f64> = s.results.iter().map(|r| r.points).collect();
        // 2024: 25, 18 + the fastest-lap point; nothing for R and DNS.
        assert_eq!(points, [25.0, 19.0, 0.0, 0.0]);
        score(2025, &mut s, false);
        assert_eq!(s.results[1].points, 18.0, "no fastest-lap point from 2025");
        // Every season is modelled (issue 16): 1980 scored 9, 6, 4, 3, 2, 1.
        score(1980, &mut s, false);
        assert_eq!(s.results[1].points, 6.0, "1980's table");
    }

    #[test]
    fn standings_add_the_round_to_the_previous_ones() {
        let previous = Standings {
            season: 2024,
            round: 1,
            drivers: vec![
                DriverStanding { driver_id: "b".into(), points: 30.0, ..Default::default() },
                DriverStanding { driver_id: "a".into(), points: 20.0, ..Default::default() },
            ],
            constructors: vec![ConstructorStanding { constructor_id: "y".into(), points: 40.0, ..Default::default() }],
            ..Default::default()
        };
        let mut fresh = race(vec![row(1, "1", "a", "x", false), row(2, "2", "b", "y", false)]);
        score(2024, &mut fresh, false);
        let round = Round { season: 2024, round: 2, ..Default::default() };
        let p = Provenance::from_source(ResultSource::LivetimingArchive);
        let s = standings(&p, &round, &fresh, &[previous]).unwrap();
        let drivers: Vec<(&str, f64, i32)> =
            s.drivers.iter().map(|d| (d.driver_id.as_str(), d.points, d.position)).collect();
        assert_eq!(drivers, [("b", 48.0, 1), ("a", 45.0, 2)]);
        let teams: Vec<(&str, f64)> = s.constructors.iter().map(|c| (c.constructor_id.as_str(), c.points)).collect();
        assert_eq!(teams, [("y", 58.0), ("x", 25.0)]);
        assert!(s.provenance.unwrap().is_provisional());
    }
}
