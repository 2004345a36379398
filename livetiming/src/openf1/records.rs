//! The records, with OpenF1's field names and units: times in seconds
//! (`f64`), speeds in km/h, dates in UTC written as OpenF1 writes them
//! (`2023-09-16T13:03:35.292000+00:00`). Every record carries the F1 keys
//! `meeting_key` and `session_key` (SessionInfo's `Meeting.Key` and `Key`).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::date;

pub type Date = DateTime<Utc>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub meeting_key: i64,
    pub meeting_name: String,
    pub meeting_official_name: Option<String>,
    pub location: String,
    pub country_key: Option<i64>,
    pub country_code: Option<String>,
    pub country_name: Option<String>,
    pub circuit_key: Option<i64>,
    pub circuit_short_name: Option<String>,
    /// The start of the session the records came from: one session does
    /// not tell when the meeting's first session began.
    #[serde(with = "date::opt")]
    pub date_start: Option<Date>,
    /// `+04:00:00` style, as OpenF1 writes it.
    pub gmt_offset: String,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub meeting_key: i64,
    pub session_key: i64,
    /// `Practice 1`, `Qualifying`, `Sprint`, `Race`, ...
    pub session_name: String,
    /// `Practice`, `Qualifying` or `Race` (a sprint is of type `Race`).
    pub session_type: String,
    #[serde(with = "date::opt")]
    pub date_start: Option<Date>,
    #[serde(with = "date::opt")]
    pub date_end: Option<Date>,
    pub gmt_offset: String,
    pub location: String,
    pub country_key: Option<i64>,
    pub country_code: Option<String>,
    pub country_name: Option<String>,
    pub circuit_key: Option<i64>,
    pub circuit_short_name: Option<String>,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    pub broadcast_name: String,
    pub full_name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub name_acronym: String,
    pub team_name: Option<String>,
    /// Hex without `#` (`3671C6`), as OpenF1 has it.
    pub team_colour: Option<String>,
    pub headshot_url: Option<String>,
    pub country_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lap {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    pub lap_number: i32,
    #[serde(with = "date::opt")]
    pub date_start: Option<Date>,
    pub lap_duration: Option<f64>,
    pub duration_sector_1: Option<f64>,
    pub duration_sector_2: Option<f64>,
    pub duration_sector_3: Option<f64>,
    /// Mini-sector codes as the feed sends them (0 not lit, 2048 yellow,
    /// 2049 green, 2051 purple, 2064 pit lane, ...); `None` where unseen.
    pub segments_sector_1: Option<Vec<Option<i64>>>,
    pub segments_sector_2: Option<Vec<Option<i64>>>,
    pub segments_sector_3: Option<Vec<Option<i64>>>,
    pub i1_speed: Option<i64>,
    pub i2_speed: Option<i64>,
    pub st_speed: Option<i64>,
    pub is_pit_out_lap: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stint {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    pub stint_number: i32,
    pub compound: Option<String>,
    pub tyre_age_at_start: Option<i64>,
    pub lap_start: i32,
    pub lap_end: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pit {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    pub lap_number: i32,
    /// When the car entered the pit lane.
    #[serde(with = "date::opt")]
    pub date: Option<Date>,
    /// Pit-lane time, entry to exit (OpenF1 keeps this name as an alias of
    /// `lane_duration`).
    pub pit_duration: Option<f64>,
    pub lane_duration: Option<f64>,
    /// Stationary time, only where the feed publishes it (PitStopSeries).
    pub stop_duration: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaceControl {
    pub meeting_key: i64,
    pub session_key: i64,
    #[serde(with = "date::opt")]
    pub date: Option<Date>,
    pub category: Option<String>,
    pub flag: Option<String>,
    pub scope: Option<String>,
    pub sector: Option<i64>,
    pub driver_number: Option<i32>,
    pub lap_number: Option<i64>,
    pub qualifying_phase: Option<i64>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weather {
    pub meeting_key: i64,
    pub session_key: i64,
    #[serde(with = "date::req")]
    pub date: Date,
    pub air_temperature: Option<f64>,
    pub track_temperature: Option<f64>,
    pub humidity: Option<f64>,
    pub pressure: Option<f64>,
    pub rainfall: Option<i64>,
    pub wind_direction: Option<i64>,
    pub wind_speed: Option<f64>,
}

/// A gap as OpenF1 gives it: seconds, or text such as `+1 LAP`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Gap {
    Seconds(f64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    #[serde(with = "date::req")]
    pub date: Date,
    pub gap_to_leader: Option<Gap>,
    pub interval: Option<Gap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    #[serde(with = "date::req")]
    pub date: Date,
    pub position: i32,
}

/// A result time: one value, or one per qualifying part (Q1, Q2, Q3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResultTime {
    One(Option<Gap>),
    Parts(Vec<Option<Gap>>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionResult {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    pub position: i32,
    pub number_of_laps: i32,
    pub dnf: bool,
    pub dns: bool,
    pub dsq: bool,
    /// Best lap (practice), best lap per part (qualifying), or the sum of
    /// the lap times when every lap was timed (race).
    pub duration: ResultTime,
    pub gap_to_leader: ResultTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartingGrid {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    pub position: i32,
    /// The qualifying lap; the race's own feed does not carry it.
    pub lap_duration: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overtake {
    pub meeting_key: i64,
    pub session_key: i64,
    pub overtaking_driver_number: i32,
    pub overtaken_driver_number: i32,
    #[serde(with = "date::req")]
    pub date: Date,
    /// The overtaking car's position after the pass.
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamRadio {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    #[serde(with = "date::opt")]
    pub date: Option<Date>,
    pub recording_url: String,
}

/// A TrackStatus change (OpenF1 has no endpoint for it: `status` is the
/// feed's code, `1` clear, `2` yellow, `4` safety car, `5` red, `6`/`7`
/// virtual safety car deployed/ending).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackStatus {
    pub meeting_key: i64,
    pub session_key: i64,
    #[serde(with = "date::req")]
    pub date: Date,
    pub status: String,
    pub message: String,
}

/// A SessionStatus change (`Inactive`, `Started`, `Aborted`, `Finished`,
/// `Finalised`, `Ends`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionStatus {
    pub meeting_key: i64,
    pub session_key: i64,
    #[serde(with = "date::req")]
    pub date: Date,
    pub status: String,
}

/// One CarData.z sample of one car (about 4 Hz).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarData {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    #[serde(with = "date::req")]
    pub date: Date,
    pub rpm: Option<i64>,
    pub speed: Option<i64>,
    pub n_gear: Option<i64>,
    /// Percent.
    pub throttle: Option<i64>,
    /// 0 or 100 (the feed sends on/off).
    pub brake: Option<i64>,
    /// The feed's DRS code (0/1 off, 8 eligible, 10/12/14 open).
    pub drs: Option<i64>,
}

/// One Position.z sample of one car: track coordinates in the feed's unit
/// (1/10 m).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub meeting_key: i64,
    pub session_key: i64,
    pub driver_number: i32,
    #[serde(with = "date::req")]
    pub date: Date,
    pub x: i64,
    pub y: i64,
    pub z: i64,
}

/// Every record of one session.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SessionRecords {
    pub meeting: Option<Meeting>,
    pub session: Option<Session>,
    pub drivers: Vec<Driver>,
    pub laps: Vec<Lap>,
    pub stints: Vec<Stint>,
    pub pit: Vec<Pit>,
    pub race_control: Vec<RaceControl>,
    pub weather: Vec<Weather>,
    pub intervals: Vec<Interval>,
    pub position: Vec<Position>,
    pub session_result: Vec<SessionResult>,
    pub starting_grid: Vec<StartingGrid>,
    pub overtakes: Vec<Overtake>,
    pub team_radio: Vec<TeamRadio>,
    pub track_status: Vec<TrackStatus>,
    pub session_status: Vec<SessionStatus>,
}
