//! The points rules of every season from 1991 (the first without dropped
//! scores) to today, as far as the title fight needs them.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Seasons before this one counted only a driver's best results ("dropped
/// scores"); the title fight is not modelled for them.
pub const FIRST_MODELLED_SEASON: i32 = 1991;

const RACE_1991: [f64; 6] = [10.0, 6.0, 4.0, 3.0, 2.0, 1.0];
const RACE_2003: [f64; 8] = [10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
const RACE_2010: [f64; 10] = [25.0, 18.0, 15.0, 12.0, 10.0, 8.0, 6.0, 4.0, 2.0, 1.0];
const SPRINT_2021: [f64; 3] = [3.0, 2.0, 1.0];
const SPRINT_2022: [f64; 8] = [8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0];

/// The extra point for the fastest lap of a race (2019–2024).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FastestLapRule {
    pub points: f64,
    /// Only a driver finishing in this position or better scores it.
    pub top: u32,
}

/// How a season awards championship points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PointsRules {
    /// Points by race finishing position (index 0 is the winner).
    pub race: Vec<f64>,
    /// Points by sprint finishing position; empty when sprints award none.
    pub sprint: Vec<f64>,
    pub fastest_lap: Option<FastestLapRule>,
    /// 2014: the final race awarded double points.
    pub double_points_final_race: bool,
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
    /// The rules of `year`, or None before [`FIRST_MODELLED_SEASON`].
    pub fn for_season(year: i32) -> Option<Self> {
        if year < FIRST_MODELLED_SEASON {
            return None;
        }
        let race = match year {
            ..=2002 => RACE_1991.to_vec(),
            2003..=2009 => RACE_2003.to_vec(),
            _ => RACE_2010.to_vec(),
        };
        let sprint = match year {
            ..=2020 => Vec::new(),
            2021 => SPRINT_2021.to_vec(),
            _ => SPRINT_2022.to_vec(),
        };
        let fastest_lap = (2019..=2024).contains(&year).then_some(FastestLapRule { points: 1.0, top: 10 });
        Some(Self { race, sprint, fastest_lap, double_points_final_race: year == 2014 })
    }

    fn table(&self, kind: Scoring) -> &[f64] {
        match kind {
            Scoring::Race => &self.race,
            Scoring::Sprint => &self.sprint,
        }
    }

    fn multiplier(&self, kind: Scoring, final_round: bool) -> f64 {
        if kind == Scoring::Race && final_round && self.double_points_final_race { 2.0 } else { 1.0 }
    }

    /// Points for finishing `position` (1-based; 0 = not classified), with
    /// or without the fastest lap.
    pub fn points(&self, kind: Scoring, position: u32, fastest_lap: bool, final_round: bool) -> f64 {
        let base = position.checked_sub(1).and_then(|i| self.table(kind).get(i as usize)).copied().unwrap_or(0.0);
        let bonus = match (kind, self.fastest_lap) {
            (Scoring::Race, Some(rule)) if fastest_lap && position >= 1 && position <= rule.top => rule.points,
            _ => 0.0,
        };
        (base + bonus) * self.multiplier(kind, final_round)
    }

    /// The fastest-lap point a car finishing `position` could add.
    fn bonus_at(&self, kind: Scoring, position: u32) -> f64 {
        match (kind, self.fastest_lap) {
            (Scoring::Race, Some(rule)) if position >= 1 && position <= rule.top => rule.points,
            _ => 0.0,
        }
    }

    /// The most one driver (one car) or one constructor (two cars) can
    /// score in one session.
    pub fn session_max(&self, side: Side, kind: Scoring, final_round: bool) -> f64 {
        match side {
            Side::Drivers => self.points(kind, 1, true, final_round),
            Side::Constructors => {
                let t = self.table(kind);
                let two = t.first().copied().unwrap_or(0.0) + t.get(1).copied().unwrap_or(0.0);
                (two + self.bonus_at(kind, 1)) * self.multiplier(kind, final_round)
            }
        }
    }

    /// The most a rival driver can score in a session when the leader
    /// finishes `leader_position` (0 = outside the points or not classified).
    pub fn rival_best(&self, kind: Scoring, leader_position: u32, final_round: bool) -> f64 {
        let rival_position = if leader_position == 1 { 2 } else { 1 };
        self.points(kind, rival_position, true, final_round)
    }

    /// How many positions score in a session of `kind`.
    pub fn scoring_positions(&self, kind: Scoring) -> u32 {
        self.table(kind).len() as u32
    }

    /// Every total a constructor's two cars can score in one session (no
    /// fastest-lap point: the leader's needs are stated without it), sorted.
    pub fn team_totals(&self, kind: Scoring, final_round: bool) -> Vec<f64> {
        let t = self.table(kind);
        let mut totals = vec![0.0];
        for (i, a) in t.iter().enumerate() {
            totals.push(*a);
            for b in &t[i + 1..] {
                totals.push(a + b);
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
mod tests {
    use super::*;

    fn rules(year: i32) -> PointsRules {
        PointsRules::for_season(year).unwrap()
    }

    #[test]
    fn before_1991_is_not_modelled() {
        assert!(PointsRules::for_season(1990).is_none());
        assert!(PointsRules::for_season(1991).is_some());
    }

    #[test]
    fn race_tables_by_era() {
        assert_eq!(rules(1991).race, RACE_1991);
        assert_eq!(rules(2002).race, RACE_1991);
        assert_eq!(rules(2003).race, RACE_2003);
        assert_eq!(rules(2009).race, RACE_2003);
        assert_eq!(rules(2010).race, RACE_2010);
        assert_eq!(rules(2026).race, RACE_2010);
        assert_eq!(rules(2002).points(Scoring::Race, 7, false, false), 0.0);
        assert_eq!(rules(2003).points(Scoring::Race, 8, false, false), 1.0);
    }

    #[test]
    fn fastest_lap_point_2019_to_2024_only_inside_the_top_ten() {
        for year in [2018, 2025, 2026] {
            assert_eq!(rules(year).points(Scoring::Race, 1, true, false), 25.0, "{year}");
        }
        for year in 2019..=2024 {
            let r = rules(year);
            assert_eq!(r.points(Scoring::Race, 1, true, false), 26.0);
            assert_eq!(r.points(Scoring::Race, 10, true, false), 2.0);
            assert_eq!(r.points(Scoring::Race, 11, true, false), 0.0);
            assert_eq!(r.points(Scoring::Race, 0, true, false), 0.0);
        }
        // No fastest-lap point in a sprint.
        assert_eq!(rules(2023).points(Scoring::Sprint, 1, true, false), 8.0);
    }

    #[test]
    fn sprint_tables() {
        assert!(rules(2020).sprint.is_empty());
        assert_eq!(rules(2021).sprint, SPRINT_2021);
        assert_eq!(rules(2021).points(Scoring::Sprint, 4, false, false), 0.0);
        assert_eq!(rules(2022).sprint, SPRINT_2022);
        assert_eq!(rules(2025).points(Scoring::Sprint, 8, false, false), 1.0);
    }

    #[test]
    fn double_points_only_at_the_2014_final() {
        let r = rules(2014);
        assert_eq!(r.points(Scoring::Race, 1, false, true), 50.0);
        assert_eq!(r.points(Scoring::Race, 1, false, false), 25.0);
        assert_eq!(r.session_max(Side::Constructors, Scoring::Race, true), 86.0);
        assert_eq!(rules(2013).points(Scoring::Race, 1, false, true), 25.0);
    }

    #[test]
    fn session_maxima() {
        assert_eq!(rules(2023).session_max(Side::Drivers, Scoring::Race, false), 26.0);
        assert_eq!(rules(2023).session_max(Side::Constructors, Scoring::Race, false), 44.0);
        assert_eq!(rules(2023).session_max(Side::Constructors, Scoring::Sprint, false), 15.0);
        assert_eq!(rules(2021).session_max(Side::Drivers, Scoring::Sprint, false), 3.0);
        assert_eq!(rules(1995).session_max(Side::Constructors, Scoring::Race, false), 16.0);
        assert_eq!(rules(2025).session_max(Side::Constructors, Scoring::Race, false), 43.0);
        assert_eq!(rules(2019).rival_best(Scoring::Race, 1, false), 19.0);
        assert_eq!(rules(2019).rival_best(Scoring::Race, 5, false), 26.0);
    }

    #[test]
    fn team_totals_include_zero_and_one_two() {
        let totals = rules(2021).team_totals(Scoring::Sprint, false);
        assert_eq!(totals, vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    }
}
