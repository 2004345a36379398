//! Careers: what a driver's or a constructor's page shows, in one answer
//! (their final standing in every season instead of one call per season).
use serde::{Deserialize, Serialize};

use crate::{Constructor, ConstructorStanding, Driver, DriverStanding, SeasonEntry};

/// A driver's season: their final standing and every team they raced for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverSeason {
    pub season: i32,
    /// Null when the final standings do not list the driver (a season
    /// without points).
    pub standing: Option<DriverStanding>,
    /// One per team, in the order the driver first raced for it.
    pub entries: Vec<SeasonEntry>,
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
    /// Newest first: every season with a stored race entry of the driver.
    pub seasons: Vec<DriverSeason>,
    /// The races of the newest season, in round order.
    pub latest_races: Vec<CareerRace>,
}

/// A constructor's season: its final standing, its drivers' standings and
/// every driver who raced for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstructorSeason {
    pub season: i32,
    /// Null when there was no constructors' championship (before 1958) or
    /// it did not list the team.
    pub standing: Option<ConstructorStanding>,
    /// The standings of the drivers whose last race of the season was for
    /// the team.
    pub drivers: Vec<DriverStanding>,
    /// One per driver who raced for the team, in the order they first did.
    pub entries: Vec<SeasonEntry>,
}

/// `/content/v1/constructors/{id}/seasons`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstructorCareer {
    pub constructor: Option<Constructor>,
    /// Newest first.
    pub seasons: Vec<ConstructorSeason>,
}

/// A driver's or a constructor's counts over a season's races, as every
/// standing carries them. The counting rule is here, once: the fetcher counts
/// with it whichever source wrote the standings, and the answers carry it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeasonStats {
    pub wins: i32,
    pub podiums: i32,
    pub poles: i32,
    pub fastest_laps: i32,
    pub dnfs: i32,
    pub races: i32,
}

impl SeasonStats {
    /// Counts one row of a race classification, all but `races` (a car
    /// shared by two drivers is one race for its constructor: see
    /// `protobuf::provenance::started`). The finishing position is read from `position_text`,
    /// so shared cars (two drivers on one position) count for both.
    pub fn count(&mut self, position_text: &str, grid: i32, fastest_lap: bool) {
        let finished = position_text.parse::<i32>().ok();
        self.wins += i32::from(finished == Some(1));
        self.podiums += i32::from(finished.is_some_and(|p| (1..=3).contains(&p)));
        self.poles += i32::from(grid == 1);
        self.fastest_laps += i32::from(fastest_lap);
        self.dnfs += i32::from(position_text == "R");
    }
}
