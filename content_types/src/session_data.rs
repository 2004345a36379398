//! A session's timing records under `/content/v1/seasons/{y}/rounds/{r}/
//! sessions/{type}/...` (laps, stints, pit stops, race control, weather,
//! positions, intervals, and one car's car data and location): the
//! records `/openf1/v1` serves in OpenF1's
//! shape, here with our ids (`driver`: the driver's id, when the session's
//! classification names the car) and our paging. Times are seconds, speeds
//! km/h, temperatures °C, dates RFC 3339 in UTC.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Whether a session's timing records are stored (`/content/v1/.../sessions/{type}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionDataInfo {
    /// True when laps, stints, race control... are stored for the session.
    pub available: bool,
    /// F1's keys (OpenF1's), when stored.
    pub session_key: Option<i64>,
    pub meeting_key: Option<i64>,
    /// `archive` (synced after the session) or `live` (recorded as it ran).
    pub source: Option<String>,
    /// False while a live session is still being recorded.
    pub complete: bool,
    /// Records per kind (`laps`, `stints`, `pit`, `race_control`, ...).
    pub counts: BTreeMap<String, i64>,
}

/// A gap: seconds, or the feed's text (`+1 LAP`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Gap {
    Seconds(f64),
    Text(String),
}

/// One completed lap of one car.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lap {
    pub driver_number: i32,
    pub driver: Option<String>,
    pub lap: i32,
    pub start: Option<String>,
    pub time: Option<f64>,
    pub sector_1: Option<f64>,
    pub sector_2: Option<f64>,
    pub sector_3: Option<f64>,
    pub speed_i1: Option<i64>,
    pub speed_i2: Option<i64>,
    pub speed_trap: Option<i64>,
    pub pit_out_lap: bool,
    /// The lap's mini-sectors, one list per sector, with the feed's codes
    /// (2048 yellow, 2049 green: a personal best, 2051 purple: the
    /// session's best, 2064 in the pit lane); null where a segment was not
    /// seen, an empty list where the sector was not.
    pub mini_sectors: Vec<Vec<Option<i64>>>,
}

/// One stint of one car: a set of tyres from its first lap to its last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stint {
    pub driver_number: i32,
    pub driver: Option<String>,
    pub stint: i32,
    pub compound: Option<String>,
    pub tyre_age_at_start: Option<i64>,
    pub first_lap: i32,
    pub last_lap: i32,
}

/// One pit stop: when the car entered the lane, and for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PitStop {
    pub driver_number: i32,
    pub driver: Option<String>,
    pub lap: i32,
    pub date: Option<String>,
    /// Pit-lane time, entry to exit.
    pub lane_duration: Option<f64>,
    /// Stationary time, where the feed has it (2023 on).
    pub stop_duration: Option<f64>,
}

/// One race control message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RaceControlMessage {
    pub date: Option<String>,
    pub category: Option<String>,
    pub flag: Option<String>,
    pub scope: Option<String>,
    pub sector: Option<i64>,
    pub driver_number: Option<i32>,
    pub lap: Option<i64>,
    pub qualifying_phase: Option<i64>,
    pub message: Option<String>,
}

/// One weather sample (about one a minute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeatherSample {
    pub date: String,
    pub air_temperature: Option<f64>,
    pub track_temperature: Option<f64>,
    pub humidity: Option<f64>,
    pub pressure: Option<f64>,
    pub rainfall: Option<i64>,
    pub wind_direction: Option<i64>,
    pub wind_speed: Option<f64>,
}

/// The track's status from `date` on: F1's code (`1` all clear, `2`
/// yellow, `4` safety car, `5` red, `6` virtual safety car, `7` virtual
/// safety car ending) and its word (`AllClear`, `Yellow`, `SCDeployed`,
/// `Red`, `VSCDeployed`, `VSCEnding`), as the feed sends them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackStatusChange {
    pub date: String,
    pub status: String,
    pub message: String,
}

/// The session's status from `date` on, as the feed sends it (`Inactive`,
/// `Started`, `Aborted`, `Finished`, `Finalised`, `Ends`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionStatusChange {
    pub date: String,
    pub status: String,
}

/// A car's place in the running order from `date` on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PositionChange {
    pub driver_number: i32,
    pub driver: Option<String>,
    pub date: String,
    pub position: i32,
}

/// A car's gaps at `date`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    pub driver_number: i32,
    pub driver: Option<String>,
    pub date: String,
    pub gap_to_leader: Option<Gap>,
    pub interval: Option<Gap>,
}

/// One car's telemetry sample (CarData.z, about 4 a second): engine,
/// speed, gear, pedals and DRS at `date`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarDataSample {
    pub driver_number: i32,
    pub driver: Option<String>,
    pub date: String,
    pub rpm: Option<i64>,
    /// km/h.
    pub speed: Option<i64>,
    pub gear: Option<i64>,
    /// Percent.
    pub throttle: Option<i64>,
    /// 0 or 100 (the feed sends on or off).
    pub brake: Option<i64>,
    /// The feed's DRS code (0/1 off, 8 eligible, 10/12/14 open).
    pub drs: Option<i64>,
}

/// One car's place on the track (Position.z, about 4 a second), in the
/// feed's coordinates (1/10 m).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationSample {
    pub driver_number: i32,
    pub driver: Option<String>,
    pub date: String,
    pub x: i64,
    pub y: i64,
    pub z: i64,
}

/// One page of a session's records of one kind, in time order (laps by
/// car, then lap).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRecordPage<T> {
    pub season: i32,
    pub round: i32,
    /// F1's key of the session, when its records are stored.
    pub session_key: Option<i64>,
    /// Records matching the filters, across every page (0 when the
    /// session has no stored records).
    pub total: i32,
    pub page: u32,
    pub per_page: u32,
    pub items: Vec<T>,
}
