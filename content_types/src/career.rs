//! Careers: what a driver's or a constructor's page shows, in one answer
//! (their final standing in every season instead of one call per season).
use serde::{Deserialize, Serialize};

use crate::{Constructor, ConstructorStanding, Driver, DriverStanding};

/// A driver's final standing in one season.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverSeason {
    pub season: i32,
    pub standing: DriverStanding,
}

/// One race of the driver's latest season.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareerRace {
    pub season: i32,
    pub round: i32,
    pub name: String,
    /// Starting position; null when unknown or from the pit lane.
    pub grid: Option<i32>,
    pub position_text: String,
    pub status: String,
    /// The sprint's classification, when the round had one.
    pub sprint_position_text: Option<String>,
    /// Race and sprint points together.
    pub points: f64,
}

/// `/content/v1/drivers/{id}/seasons`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverCareer {
    pub driver: Option<Driver>,
    /// Newest first; seasons without a standing for the driver are left out.
    pub seasons: Vec<DriverSeason>,
    /// The races of the newest season, in round order.
    pub latest_races: Vec<CareerRace>,
}

/// A constructor's final standing in one season, with its drivers'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstructorSeason {
    pub season: i32,
    pub standing: ConstructorStanding,
    pub drivers: Vec<DriverStanding>,
}

/// `/content/v1/constructors/{id}/seasons`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstructorCareer {
    pub constructor: Option<Constructor>,
    /// Newest first.
    pub seasons: Vec<ConstructorSeason>,
}
