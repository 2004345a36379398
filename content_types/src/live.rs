use serde::{Deserialize, Serialize};

use crate::{SessionStatus, SessionType};

/// A car on the live leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveDriver {
    pub position: i32,
    pub driver_number: i32,
    pub driver_code: String,
    pub driver_name: String,
    pub team: String,
    pub team_color: String,
    pub gap_to_leader: String,
    pub interval: String,
    pub last_lap: String,
    pub best_lap: String,
    pub sectors: Vec<String>,
    pub tyre: String,
    pub tyre_age: i32,
    pub pit_count: i32,
    pub in_pit: bool,
    pub retired: bool,
    pub laps: i32,
    /// Qualifying: out in an earlier part.
    pub knocked_out: bool,
    /// Stopped on track.
    pub stopped: bool,
    /// The current lap's mini-sectors lit so far (from the first) and how
    /// many the lap has; both 0 where the feed has none (2018-2019).
    pub mini_sectors_lit: i32,
    pub mini_sectors: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RaceControl {
    pub time: i64,
    pub category: String,
    pub flag: String,
    pub message: String,
    pub lap: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weather {
    pub air_temp: f64,
    pub track_temp: f64,
    pub humidity: f64,
    pub pressure: f64,
    pub rainfall: bool,
    pub wind_speed: f64,
    pub wind_direction: i32,
}

/// `/content/v1/live`: the session running now, or the last one's final
/// board (status finished) until the next starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Live {
    pub season: i32,
    /// 0 until the session is placed in the stored calendar (a season whose
    /// calendar is not stored yet): the board is live all the same.
    pub round: i32,
    #[serde(rename = "type")]
    pub session_type: SessionType,
    pub session_name: String,
    /// The meeting as the live feed names it (`Miami Grand Prix`).
    pub meeting_name: String,
    pub status: SessionStatus,
    pub track_status: String,
    pub track_status_message: String,
    pub current_lap: i32,
    pub total_laps: i32,
    pub leaderboard: Vec<LiveDriver>,
    pub race_control: Vec<RaceControl>,
    pub weather: Option<Weather>,
    /// When the state last changed (unix seconds).
    pub updated_at: i64,
    /// Qualifying part being run (1..3), 0 otherwise.
    pub session_part: i32,
    /// The session clock: time remaining (`H:MM:SS`) at `clock_at` (unix
    /// seconds), running down from then while `clock_running`.
    pub clock_remaining: String,
    pub clock_at: i64,
    pub clock_running: bool,
    /// The live feed's last heartbeat (unix seconds).
    pub heartbeat_at: i64,
}
