use protobuf::v1::{ConstructorStanding, DriverStanding};
use serde::Serialize;
use utoipa::ToSchema;

use super::opt;

#[derive(Debug, Serialize, ToSchema)]
pub struct DriverStandingJson {
    pub position: i32,
    pub position_text: String,
    pub driver_id: String,
    pub driver_number: i32,
    pub driver_code: String,
    pub driver_name: String,
    pub nationality: String,
    pub constructor_id: String,
    pub team: String,
    pub team_color: Option<String>,
    pub points: f64,
    pub wins: i32,
    pub podiums: i32,
    pub poles: i32,
    pub fastest_laps: i32,
    pub dnfs: i32,
    pub races: i32,
}

impl From<DriverStanding> for DriverStandingJson {
    fn from(d: DriverStanding) -> Self {
        Self {
            team_color: opt(&d.team_color),
            position: d.position,
            position_text: d.position_text,
            driver_id: d.driver_id,
            driver_number: d.driver_number,
            driver_code: d.driver_code,
            driver_name: d.driver_name,
            nationality: d.nationality,
            constructor_id: d.constructor_id,
            team: d.team,
            points: d.points,
            wins: d.wins,
            podiums: d.podiums,
            poles: d.poles,
            fastest_laps: d.fastest_laps,
            dnfs: d.dnfs,
            races: d.races,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConstructorStandingJson {
    pub position: i32,
    pub position_text: String,
    pub constructor_id: String,
    pub name: String,
    pub nationality: String,
    pub color: Option<String>,
    pub points: f64,
    pub wins: i32,
    pub podiums: i32,
    pub poles: i32,
    pub fastest_laps: i32,
    pub dnfs: i32,
    pub races: i32,
}

impl From<ConstructorStanding> for ConstructorStandingJson {
    fn from(c: ConstructorStanding) -> Self {
        Self {
            color: opt(&c.color),
            position: c.position,
            position_text: c.position_text,
            constructor_id: c.constructor_id,
            name: c.name,
            nationality: c.nationality,
            points: c.points,
            wins: c.wins,
            podiums: c.podiums,
            poles: c.poles,
            fastest_laps: c.fastest_laps,
            dnfs: c.dnfs,
            races: c.races,
        }
    }
}

/// The drivers' championship after `round`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DriverStandings {
    pub season: i32,
    pub round: i32,
    pub standings: Vec<DriverStandingJson>,
}

/// The constructors' championship after `round`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConstructorStandings {
    pub season: i32,
    pub round: i32,
    pub standings: Vec<ConstructorStandingJson>,
}

/// A round of the progression chart.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressionRound {
    pub round: i32,
    pub name: String,
}

/// One line of the chart: values line up with `rounds`; null where the
/// driver or constructor had no standing yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressionSeries {
    pub id: String,
    pub name: String,
    /// Drivers: the three-letter code.
    pub code: Option<String>,
    /// Drivers: their latest team; constructors: null.
    pub team: Option<String>,
    pub color: Option<String>,
    pub points: Vec<Option<f64>>,
    pub positions: Vec<Option<i32>>,
}

/// Points and positions after every round, for every driver and constructor.
#[derive(Debug, Serialize, ToSchema)]
pub struct Progression {
    pub season: i32,
    pub rounds: Vec<ProgressionRound>,
    /// Ordered as in the latest standings.
    pub drivers: Vec<ProgressionSeries>,
    pub constructors: Vec<ProgressionSeries>,
}
