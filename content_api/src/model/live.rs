use protobuf::v1::{LiveDriver, LiveSessionState, RaceControlMessage, SessionStatus, SessionType, Weather};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveDriverJson {
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
}

impl From<LiveDriver> for LiveDriverJson {
    fn from(d: LiveDriver) -> Self {
        Self {
            position: d.position,
            driver_number: d.driver_number,
            driver_code: d.driver_code,
            driver_name: d.driver_name,
            team: d.team,
            team_color: d.team_color,
            gap_to_leader: d.gap_to_leader,
            interval: d.interval,
            last_lap: d.last_lap,
            best_lap: d.best_lap,
            sectors: d.sectors,
            tyre: d.tyre,
            tyre_age: d.tyre_age,
            pit_count: d.pit_count,
            in_pit: d.in_pit,
            retired: d.retired,
            laps: d.laps,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RaceControlJson {
    pub time: i64,
    pub category: String,
    pub flag: String,
    pub message: String,
    pub lap: i32,
}

impl From<RaceControlMessage> for RaceControlJson {
    fn from(m: RaceControlMessage) -> Self {
        Self { time: m.time, category: m.category, flag: m.flag, message: m.message, lap: m.lap }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeatherJson {
    pub air_temp: f64,
    pub track_temp: f64,
    pub humidity: f64,
    pub pressure: f64,
    pub rainfall: bool,
    pub wind_speed: f64,
    pub wind_direction: i32,
}

impl From<Weather> for WeatherJson {
    fn from(w: Weather) -> Self {
        Self {
            air_temp: w.air_temp,
            track_temp: w.track_temp,
            humidity: w.humidity,
            pressure: w.pressure,
            rainfall: w.rainfall,
            wind_speed: w.wind_speed,
            wind_direction: w.wind_direction,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveJson {
    pub season: i32,
    pub round: i32,
    #[serde(rename = "type")]
    pub session_type: String,
    pub session_name: String,
    pub status: String,
    pub track_status: String,
    pub track_status_message: String,
    pub current_lap: i32,
    pub total_laps: i32,
    pub leaderboard: Vec<LiveDriverJson>,
    pub race_control: Vec<RaceControlJson>,
    pub weather: Option<WeatherJson>,
    /// When the state last changed (unix seconds).
    pub updated_at: i64,
}

impl From<LiveSessionState> for LiveJson {
    fn from(s: LiveSessionState) -> Self {
        Self {
            season: s.season,
            round: s.round,
            session_type: SessionType::try_from(s.session_type).unwrap_or_default().slug().to_string(),
            session_name: s.session_name,
            status: SessionStatus::try_from(s.status).unwrap_or_default().slug().to_string(),
            track_status: s.track_status,
            track_status_message: s.track_status_message,
            current_lap: s.current_lap,
            total_laps: s.total_laps,
            leaderboard: s.leaderboard.into_iter().map(Into::into).collect(),
            race_control: s.race_control.into_iter().map(Into::into).collect(),
            weather: s.weather.map(Into::into),
            updated_at: s.updated_at,
        }
    }
}
