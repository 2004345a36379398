//! The merged topics as the typed [`LiveSessionState`] data_scheduler stores:
//! leaderboard, track status, laps, session status and clock, race control,
//! weather. The archive reader's typed views of TimingData, TimingAppData and
//! DriverList are reused, so a live board and an archived one agree.
use chrono::{Datelike, NaiveDateTime};
use protobuf::v1::{LiveSessionState, Provenance, ResultSource, Session, SessionStatus, SessionType};
use serde_json::Value;

use super::TopicState;
use crate::sources::livetiming::classify::Kind;
use crate::sources::livetiming::index::{is_session_type, utc_start};
use crate::sources::livetiming::{LiveTimingError, classify, live, stints, topics};

/// The championship session a feed is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRef {
    pub season: i32,
    pub round: i32,
    pub session_type: SessionType,
}

/// What SessionInfo says about the session.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    /// The archive folder (`2024/2024-05-19_..._Grand_Prix/2024-05-18_Qualifying/`).
    pub key: String,
    pub season: Option<i32>,
    pub session_type: Option<SessionType>,
    pub name: String,
    pub meeting: String,
    /// Scheduled start, UTC.
    pub start: Option<NaiveDateTime>,
}

pub fn info(state: &TopicState) -> Option<Info> {
    let info = state.get("SessionInfo")?;
    let key = state.session_key()?;
    let (kind, name) = (topics::text(info, "Type"), topics::text(info, "Name"));
    use SessionType::*;
    let session_type = [Practice1, Practice2, Practice3, Qualifying, SprintQualifying, Sprint, Race]
        .into_iter()
        .find(|t| is_session_type(&kind, &name, *t));
    let start = utc_start(&topics::text(info, "StartDate"), &topics::text(info, "GmtOffset"));
    let season = key.get(..4).and_then(|y| y.parse().ok()).or_else(|| start.map(|s| s.and_utc().year()));
    let meeting = info.get("Meeting").map(|m| topics::text(m, "Name")).unwrap_or_default();
    Some(Info { key, season, session_type, name, meeting, start })
}

/// SessionStatus's `Status` as ours: `Started` and `Aborted` (a red flag) are
/// live; `Finished`, `Finalised` and `Ends` are over.
pub fn status(state: &TopicState) -> SessionStatus {
    match state.get("SessionStatus").map(|s| topics::text(s, "Status")).as_deref() {
        Some("Started" | "Aborted") => SessionStatus::Live,
        Some("Finished" | "Finalised" | "Ends") => SessionStatus::Finished,
        _ => SessionStatus::Scheduled,
    }
}

/// The board of `at`, or an error naming the topic and field that is
/// missing or malformed (TimingData must have cars; every car must be in
/// DriverList). `now` stamps it.
pub fn board(state: &TopicState, at: SessionRef, now: i64) -> Result<LiveSessionState, LiveTimingError> {
    let path = |topic: &str| format!("live:{topic}");
    let null = Value::Null;
    let get = |topic: &str| state.get(topic).unwrap_or(&null);
    let kind = Kind::of(at.session_type);
    let lines = topics::timing_lines(get("TimingData"), &path("TimingData"))?;
    let app = match state.get("TimingAppData") {
        Some(app) => stints::app_data(app, &path("TimingAppData"))?,
        None => stints::AppData::default(),
    };
    let leaderboard = live::leaderboard(kind, &lines, get("DriverList"), &path("DriverList"), &app)?;
    let laps = |key: &str| topics::int(get("LapCount"), key).ok().flatten().unwrap_or(0) as i32;
    let track = get("TrackStatus");
    let clock = get("ExtrapolatedClock");
    let race_control = match state.get("RaceControlMessages") {
        Some(rc) => live::race_control(rc, &path("RaceControlMessages"))?,
        None => Vec::new(),
    };
    let weather = state.get("WeatherData").map(|w| live::weather(w, &path("WeatherData"))).transpose()?;
    let session = info(state);
    let code = topics::text(track, "Status");
    Ok(LiveSessionState {
        season: at.season,
        round: at.round,
        session_type: at.session_type as i32,
        session_name: session.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
        status: status(state) as i32,
        track_status: if code.is_empty() { String::new() } else { live::track_status_slug(&code) },
        track_status_message: topics::text(track, "Message"),
        current_lap: laps("CurrentLap"),
        total_laps: laps("TotalLaps"),
        leaderboard,
        race_control,
        weather,
        updated_at: now,
        session_part: topics::int(get("TimingData"), "SessionPart").ok().flatten().unwrap_or(0) as i32,
        clock_remaining: topics::text(clock, "Remaining"),
        clock_at: parse_utc(&topics::text(clock, "Utc")).unwrap_or(0),
        clock_running: topics::flag(clock, "Extrapolating"),
        meeting_name: session.as_ref().map(|i| i.meeting.clone()).unwrap_or_default(),
        session_key: session.map(|i| i.key).unwrap_or_default(),
        heartbeat_at: parse_utc(&topics::text(get("Heartbeat"), "Utc")).unwrap_or(0),
        // data_scheduler numbers the boards.
        version: 0,
    })
}

/// The classification of `at` from the merged topics, made as the archive
/// reader makes it (the order at the flag; see `classify`): provisional,
/// from the live feed. Drivers carry numbers, codes and names, not ids yet.
pub fn classification(state: &TopicState, at: SessionRef) -> Result<Session, LiveTimingError> {
    let path = |topic: &str| format!("live:{topic}");
    let null = Value::Null;
    let get = |topic: &str| state.get(topic).unwrap_or(&null);
    let lines = topics::timing_lines(get("TimingData"), &path("TimingData"))?;
    let app = match state.get("TimingAppData") {
        Some(app) => stints::app_data(app, &path("TimingAppData"))?,
        None => stints::AppData::default(),
    };
    let observed = state.observed();
    let inputs = classify::Inputs {
        kind: Kind::of(at.session_type),
        lines: &lines,
        drivers: get("DriverList"),
        drivers_path: &path("DriverList"),
        app: &app,
        parts: &observed.parts,
        moved: &observed.moved,
        timing_path: &path("TimingData"),
    };
    let results = classify::results(&inputs)?;
    let laps = |key: &str| topics::int(get("LapCount"), key).ok().flatten().unwrap_or(0) as i32;
    let start = info(state).and_then(|i| i.start);
    Ok(Session {
        season: at.season,
        round: at.round,
        r#type: at.session_type as i32,
        date: start.map(|s| s.date().format("%Y-%m-%d").to_string()).unwrap_or_default(),
        start_time: start.map(|s| s.and_utc().timestamp()),
        status: SessionStatus::Finished as i32,
        total_laps: laps("TotalLaps"),
        current_laps: laps("CurrentLap"),
        results,
        provenance: Some(Provenance::from_source(ResultSource::LivetimingLive)),
    })
}

/// `2024-05-18T13:58:58.8967776Z` as unix seconds.
fn parse_utc(text: &str) -> Option<i64> {
    let text = text.trim_end_matches('Z');
    let text = text.get(..19.min(text.len()))?;
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok().map(|t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_status_and_clock_read_from_their_topics() {
        let mut state = TopicState::default();
        state.apply("SessionStatus", serde_json::json!({"Status": "Aborted"})).unwrap();
        assert_eq!(status(&state), SessionStatus::Live);
        state.apply("SessionStatus", serde_json::json!({"Status": "Finalised"})).unwrap();
        assert_eq!(status(&state), SessionStatus::Finished);
        assert_eq!(parse_utc("2024-05-18T13:58:58.8967776Z"), Some(1_716_040_738));
    }
}
