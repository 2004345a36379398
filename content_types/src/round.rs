use serde::{Deserialize, Serialize};

use crate::{RoundFormat, SessionStatus, SessionType};

/// `/content/v1/circuits/{id}`, and a round's circuit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Circuit {
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

/// Where a circuit's image is served.
pub fn circuit_image_url(id: &str) -> String {
    format!("/content/v1/circuits/{id}/image")
}

/// One line of a session's classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionResult {
    /// The row's place in the classification, 1..N for every row
    /// (retirements, disqualifications and non-starters included, in the
    /// published order); see `position_text` and `classified`.
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
    /// True when the driver is classified (`position_text` is a number).
    pub classified: bool,
}

/// Where a classification (or standings) came from and how sure it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provenance {
    /// `f1db`, `jolpica`, `formula1`, `livetiming_archive` or `livetiming_live`.
    pub source: String,
    /// `official` (the FIA classification, with the stewards' penalties) or
    /// `provisional` (the order at the flag, from timing data).
    pub status: String,
    /// When it was stored (unix seconds).
    pub updated_at: i64,
}

impl Provenance {
    pub fn is_provisional(&self) -> bool {
        self.status == "provisional"
    }
}

/// `/content/v1/seasons/{year}/rounds/{round}/sessions/{type}`, and a
/// round's sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    #[serde(rename = "type")]
    pub session_type: SessionType,
    /// Day of the session (UTC, `YYYY-MM-DD`).
    pub date: String,
    pub status: SessionStatus,
    pub total_laps: i32,
    pub current_laps: i32,
    pub results: Vec<SessionResult>,
    pub season: i32,
    pub round: i32,
    /// Scheduled start (unix seconds) when known.
    pub start_time: Option<i64>,
    /// Of the results; null while there are none.
    pub provenance: Option<Provenance>,
    /// Whether the session's timing records (laps, stints, race control...)
    /// are stored: on the session's own answer only, absent in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_data: Option<crate::SessionDataInfo>,
}

impl Session {
    /// Results that are the order at the flag, awaiting the official classification.
    pub fn is_provisional(&self) -> bool {
        !self.results.is_empty() && self.provenance.as_ref().is_some_and(Provenance::is_provisional)
    }
}

/// `/content/v1/seasons/{year}/rounds/{round}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Round {
    /// The round number within the season (the seed's name for it).
    pub round_id: i32,
    pub name: String,
    pub season: i32,
    pub circuit: Option<Circuit>,
    pub first_date: String,
    pub end_date: String,
    /// Every stored session of the round, in weekend order.
    pub sessions: Vec<Session>,
    pub official_name: String,
    pub grand_prix_id: String,
    pub format: RoundFormat,
    /// The race day.
    pub date: String,
    pub laps: i32,
    pub distance_km: f64,
    /// True when any session's results are provisional (awaiting the
    /// official classification).
    pub provisional: bool,
}

impl Round {
    pub fn session(&self, kind: SessionType) -> Option<&Session> {
        self.sessions.iter().find(|s| s.session_type == kind)
    }

    pub fn race(&self) -> Option<&Session> {
        self.session(SessionType::Race)
    }

    /// The race winner, once the race has results.
    pub fn winner(&self) -> Option<&SessionResult> {
        self.race().and_then(|r| r.results.iter().find(|x| x.position == 1))
    }

    /// Where the weekend stands, from its race (a race with results is
    /// finished), or from its other sessions when the race is not stored.
    pub fn status(&self) -> SessionStatus {
        if let Some(race) = self.race() {
            if race.status == SessionStatus::Finished || !race.results.is_empty() {
                return SessionStatus::Finished;
            }
            return race.status;
        }
        if self.sessions.iter().any(|s| s.status == SessionStatus::Live) {
            SessionStatus::Live
        } else {
            SessionStatus::Scheduled
        }
    }
}

/// Every round of a season (`/content/v1/seasons/{year}/rounds`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundList {
    pub season: i32,
    pub rounds: Vec<Round>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(status: SessionStatus, results: usize) -> serde_json::Value {
        let result = serde_json::json!({
            "position": 1, "position_text": "1", "driver_number": 1, "driver_name": "Max Verstappen",
            "driver_code": "VER", "team": "Red Bull", "time": "1:27:38.241", "laps": 57, "status": "Finished",
            "points": 25.0, "grid": 1, "q1": "", "q2": "", "q3": "", "driver_id": "max-verstappen",
            "constructor_id": "red-bull", "gap": "", "interval": "", "fastest_lap": false, "fastest_lap_time": "",
            "classified": true
        });
        serde_json::json!({
            "type": "race", "date": "2024-03-02", "status": status, "total_laps": 57, "current_laps": 0,
            "results": vec![result; results], "season": 2024, "round": 1, "start_time": null, "provenance": null
        })
    }

    fn round(sessions: Vec<serde_json::Value>) -> serde_json::Value {
        serde_json::json!({
            "round_id": 1, "name": "Bahrain Grand Prix", "season": 2024, "circuit": null,
            "first_date": "2024-02-29", "end_date": "2024-03-02", "sessions": sessions,
            "official_name": "", "grand_prix_id": "bahrain", "format": "conventional", "date": "2024-03-02",
            "laps": 57, "distance_km": 308.238, "provisional": false
        })
    }

    #[test]
    fn a_round_reads_back_as_written() {
        let json = round(vec![session(SessionStatus::Finished, 1)]);
        let r: Round = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(r.race().unwrap().session_type, SessionType::Race);
        assert_eq!(r.winner().unwrap().driver_code, "VER");
        assert_eq!(serde_json::to_value(&r).unwrap(), json);
    }

    #[test]
    fn a_missing_or_renamed_field_is_an_error() {
        let mut json = round(vec![]);
        json.as_object_mut().unwrap().remove("round_id");
        let err = serde_json::from_value::<Round>(json).unwrap_err().to_string();
        assert!(err.contains("round_id"), "{err}");
        let mut s = session(SessionStatus::Scheduled, 0);
        s["status"] = "done".into();
        assert!(serde_json::from_value::<Session>(s).is_err());
    }

    #[test]
    fn weekend_status() {
        let r: Round = serde_json::from_value(round(vec![session(SessionStatus::Scheduled, 1)])).unwrap();
        assert_eq!(r.status(), SessionStatus::Finished, "a race with results is finished");
        let r: Round = serde_json::from_value(round(vec![session(SessionStatus::Cancelled, 0)])).unwrap();
        assert_eq!(r.status(), SessionStatus::Cancelled);
        let r: Round = serde_json::from_value(round(vec![])).unwrap();
        assert_eq!(r.status(), SessionStatus::Scheduled);
    }
}
