use protobuf::v1::{Circuit, Round, RoundFormat, Session, SessionResult, SessionStatus, SessionType};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct CircuitJson {
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub locality: String,
    pub country: String,
    pub country_code: String,
    pub latitude: f64,
    pub longitude: f64,
    pub length_km: f64,
    pub turns: i32,
    pub race_laps: i32,
    pub circuit_type: String,
    pub direction: String,
    /// `/content/v1/circuits/{id}/image` when an image is stored, else null.
    pub image_url: Option<String>,
}

pub fn image_url(id: &str) -> String {
    format!("/content/v1/circuits/{id}/image")
}

impl From<Circuit> for CircuitJson {
    fn from(c: Circuit) -> Self {
        Self {
            image_url: c.has_image.then(|| image_url(&c.id)),
            id: c.id,
            name: c.name,
            full_name: c.full_name,
            locality: c.locality,
            country: c.country,
            country_code: c.country_code,
            latitude: c.latitude,
            longitude: c.longitude,
            length_km: c.length_km,
            turns: c.turns,
            race_laps: c.race_laps,
            circuit_type: c.circuit_type,
            direction: c.direction,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultJson {
    /// 0 when not classified; see `position_text`.
    pub position: i32,
    /// "1".."20", or R (retired), DQ, NC, DNS, DNQ, DNPQ, EX, W.
    pub position_text: String,
    pub driver_number: i32,
    pub driver_name: String,
    pub driver_code: String,
    pub team: String,
    /// Race time for the winner, gap for others, or the best lap time.
    pub time: String,
    pub laps: i32,
    pub status: String,
    pub points: f64,
    pub grid: i32,
    pub q1: String,
    pub q2: String,
    pub q3: String,
    pub driver_id: String,
    pub constructor_id: String,
    pub gap: String,
    pub interval: String,
    pub fastest_lap: bool,
    pub fastest_lap_time: String,
}

impl From<SessionResult> for ResultJson {
    fn from(r: SessionResult) -> Self {
        Self {
            position: r.position,
            position_text: r.position_text,
            driver_number: r.driver_number,
            driver_name: r.driver_name,
            driver_code: r.driver_code,
            team: r.team,
            time: r.time,
            laps: r.laps,
            status: r.status,
            points: r.points,
            grid: r.grid,
            q1: r.q1,
            q2: r.q2,
            q3: r.q3,
            driver_id: r.driver_id,
            constructor_id: r.constructor_id,
            gap: r.gap,
            interval: r.interval,
            fastest_lap: r.fastest_lap,
            fastest_lap_time: r.fastest_lap_time,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionJson {
    /// `practice_1`, `practice_2`, `practice_3`, `qualifying`,
    /// `sprint_qualifying`, `sprint` or `race`.
    #[serde(rename = "type")]
    pub session_type: String,
    /// Day of the session (UTC, `YYYY-MM-DD`).
    pub date: String,
    /// `scheduled`, `live`, `finished` or `cancelled`.
    pub status: String,
    pub total_laps: i32,
    pub current_laps: i32,
    pub results: Vec<ResultJson>,
    pub season: i32,
    pub round: i32,
    /// Scheduled start (unix seconds) when known.
    pub start_time: Option<i64>,
}

impl From<Session> for SessionJson {
    fn from(s: Session) -> Self {
        Self {
            session_type: SessionType::try_from(s.r#type).unwrap_or_default().slug().to_string(),
            date: s.date,
            status: SessionStatus::try_from(s.status).unwrap_or_default().slug().to_string(),
            total_laps: s.total_laps,
            current_laps: s.current_laps,
            results: s.results.into_iter().map(Into::into).collect(),
            season: s.season,
            round: s.round,
            start_time: s.start_time,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundJson {
    /// The round number within the season (the seed's name for it).
    pub round_id: i32,
    pub name: String,
    pub season: i32,
    pub circuit: Option<CircuitJson>,
    pub first_date: String,
    pub end_date: String,
    /// Every stored session of the round, in weekend order.
    pub sessions: Vec<SessionJson>,
    pub official_name: String,
    pub grand_prix_id: String,
    /// `conventional` or `sprint`.
    pub format: String,
    /// The race day.
    pub date: String,
    pub laps: i32,
    pub distance_km: f64,
}

impl From<Round> for RoundJson {
    fn from(r: Round) -> Self {
        Self {
            round_id: r.round,
            name: r.name,
            season: r.season,
            circuit: r.circuit.map(Into::into),
            first_date: r.first_date,
            end_date: r.end_date,
            sessions: r.sessions.into_iter().map(Into::into).collect(),
            official_name: r.official_name,
            grand_prix_id: r.grand_prix_id,
            format: RoundFormat::try_from(r.format).unwrap_or_default().slug().to_string(),
            date: r.date,
            laps: r.laps,
            distance_km: r.distance_km,
        }
    }
}

/// Every round of a season.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundList {
    pub season: i32,
    pub rounds: Vec<RoundJson>,
}
