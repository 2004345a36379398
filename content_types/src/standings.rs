use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverStanding {
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
    /// Wins, podiums, poles, fastest laps, retirements and races, counted
    /// from the season's race classifications.
    #[serde(flatten)]
    pub stats: crate::SeasonStats,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstructorStanding {
    pub position: i32,
    pub position_text: String,
    pub constructor_id: String,
    pub name: String,
    pub nationality: String,
    pub color: Option<String>,
    pub points: f64,
    /// Wins, podiums, poles, fastest laps, retirements and races, counted
    /// from the season's race classifications.
    #[serde(flatten)]
    pub stats: crate::SeasonStats,
}

/// The drivers' championship after `round` (`/content/v1/seasons/{year}/drivers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverStandings {
    pub season: i32,
    pub round: i32,
    /// Provisional when a result they count is provisional.
    pub provenance: Option<crate::Provenance>,
    pub standings: Vec<DriverStanding>,
}

/// The constructors' championship after `round` (`/content/v1/seasons/{year}/constructors`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstructorStandings {
    pub season: i32,
    pub round: i32,
    /// Provisional when a result they count is provisional.
    pub provenance: Option<crate::Provenance>,
    pub standings: Vec<ConstructorStanding>,
}

/// A round of the progression chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressionRound {
    pub round: i32,
    pub name: String,
}

/// One line of the chart: values line up with `rounds`; null where the
/// driver or constructor had no standing yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Points and positions after every round, for every driver and constructor
/// (`/content/v1/seasons/{year}/standings/progression`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progression {
    pub season: i32,
    pub rounds: Vec<ProgressionRound>,
    /// Ordered as in the latest standings.
    pub drivers: Vec<ProgressionSeries>,
    pub constructors: Vec<ProgressionSeries>,
}
