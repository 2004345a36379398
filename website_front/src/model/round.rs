use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Circuit {
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub locality: String,
    pub country: String,
    pub length_km: f64,
    pub turns: i32,
    pub race_laps: i32,
    pub circuit_type: String,
    pub direction: String,
    pub image_url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SessionResult {
    pub position: i32,
    pub position_text: String,
    pub driver_number: i32,
    pub driver_name: String,
    pub driver_code: String,
    pub team: String,
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

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Session {
    /// `practice_1`..`practice_3`, `qualifying`, `sprint_qualifying`, `sprint`, `race`.
    #[serde(rename = "type")]
    pub session_type: String,
    pub date: String,
    /// `scheduled`, `live`, `finished` or `cancelled`.
    pub status: String,
    pub total_laps: i32,
    pub current_laps: i32,
    pub results: Vec<SessionResult>,
    /// Scheduled start, unix seconds.
    pub start_time: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Round {
    pub round_id: i32,
    pub name: String,
    pub season: i32,
    pub circuit: Option<Circuit>,
    pub first_date: String,
    pub end_date: String,
    pub sessions: Vec<Session>,
    pub official_name: String,
    /// `conventional` or `sprint`.
    pub format: String,
    pub date: String,
    pub laps: i32,
    pub distance_km: f64,
}

impl Round {
    pub fn session(&self, kind: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.session_type == kind)
    }

    pub fn race(&self) -> Option<&Session> {
        self.session("race")
    }

    /// The race winner, once the race has results.
    pub fn winner(&self) -> Option<&SessionResult> {
        self.race().and_then(|r| r.results.iter().find(|x| x.position == 1))
    }

    /// `finished`, `live`, `cancelled` or `scheduled`, from the race (or the
    /// weekend's sessions when the race is not stored).
    pub fn status(&self) -> &str {
        if let Some(race) = self.race() {
            if race.status == "finished" || !race.results.is_empty() {
                return "finished";
            }
            return race.status.as_str();
        }
        if self.sessions.iter().any(|s| s.status == "live") { "live" } else { "scheduled" }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RoundList {
    pub season: i32,
    pub rounds: Vec<Round>,
}
