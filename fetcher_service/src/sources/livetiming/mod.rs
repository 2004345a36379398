//! The F1 LiveTiming static archive (`{base}/static/...`).
//!
//! `/static/{year}/Index.json` lists a season's meetings and sessions with
//! their folder `Path`; each session folder holds one `{Topic}.jsonStream`
//! per topic. A session is read by replaying every topic's patches into its
//! final state ([`stream`]) and deriving from it the final classification
//! as a [`Session`], the tyre stints, the race control messages and a last
//! [`LiveSessionState`].
//!
//! Every request goes through [`Fetch`]; a failed request, a required stream
//! answering 404 or any answer that does not parse is an error naming the
//! URL path, and nothing is returned.
pub(crate) mod classify;
mod error;
pub mod index;
pub mod laps;
pub(crate) mod live;
pub mod records;
pub(crate) mod stints;
pub(crate) use livetiming::{stream, topics};

#[cfg(test)]
mod tests;

use protobuf::v1::{
    LiveSessionState, Provenance, RaceControlMessage, ResultSource, Round, Session, SessionStatus, SessionType,
};
use serde_json::Value;

use crate::upstream::{Fetch, UpstreamError};
use classify::Kind;
pub use error::LiveTimingError;
pub use index::{IndexSession, Meeting, RoundLookup, SeasonIndex};
pub use laps::CarLap;
pub use stints::TyreStint;

/// A finished session read from the archive.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchivedSession {
    /// The session folder, relative to `/static/` (as in Index.json).
    pub path: String,
    pub meeting_name: String,
    /// The session with its final classification (status finished).
    pub session: Session,
    pub stints: Vec<TyreStint>,
    pub race_control: Vec<RaceControlMessage>,
    /// A race's timed laps by car number (see [`laps`]); empty otherwise.
    pub laps: Vec<CarLap>,
    /// The state at the end of the session.
    pub live: LiveSessionState,
}

/// Fetches and parses `/static/{year}/Index.json`.
pub async fn season_index(fetch: &dyn Fetch, year: i32) -> Result<SeasonIndex, LiveTimingError> {
    let body = fetch.get(&index::index_path(year)).await?;
    index::parse_index(&body, year)
}

/// Reads one session of `round` (season `year`) from the archive: finds the
/// round's meeting in the season's Index.json by its dates (see
/// [`RoundLookup::meeting_for`]), then the session of type `session`, then
/// reads it with [`session_at_path`].
pub async fn archived_session(
    fetch: &dyn Fetch,
    year: i32,
    round: &Round,
    session: SessionType,
) -> Result<ArchivedSession, LiveTimingError> {
    let index = season_index(fetch, year).await?;
    let (_, found) = index.find_session(round, session)?;
    session_at_path(fetch, &found.path, year, round.round, session).await
}

/// Topics every session must have; a 404 on one of these is an error.
const REQUIRED: [&str; 5] = ["SessionInfo", "SessionStatus", "DriverList", "TimingData", "TimingAppData"];

/// Reads the session in folder `path` (relative to `/static/`, e.g.
/// `2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying/`) and
/// classifies it as `session` of round `round` of `season`. The folder must
/// hold that session type, and the session must have finished.
///
/// TrackStatus, RaceControlMessages and WeatherData are optional (older
/// sessions lack some): a 404 leaves them empty. LapCount is required for
/// races and sprints.
pub async fn session_at_path(
    fetch: &dyn Fetch,
    path: &str,
    season: i32,
    round: i32,
    session: SessionType,
) -> Result<ArchivedSession, LiveTimingError> {
    if path.starts_with('/') || !path.ends_with('/') || path.contains("..") || path.contains('?') {
        return Err(LiveTimingError::invalid(&format!("/static/{path}"), "path", "is not a session folder"));
    }
    let kind = Kind::of(session);
    let url = |topic: &str| format!("/static/{path}{topic}.jsonStream");
    let mut bodies = Vec::with_capacity(REQUIRED.len());
    for topic in REQUIRED {
        let path = url(topic);
        bodies.push(stream_body(fetch, &path, true).await?.ok_or(LiveTimingError::MissingStream { path })?);
    }
    let lap_count = stream_body(fetch, &url("LapCount"), kind == Kind::Race).await?;
    let track = stream_body(fetch, &url("TrackStatus"), false).await?;
    let messages = stream_body(fetch, &url("RaceControlMessages"), false).await?;
    let weather = stream_body(fetch, &url("WeatherData"), false).await?;

    let replay = |topic: &str, body: &[u8]| stream::replay(body, &url(topic), |_| {});
    let info = replay("SessionInfo", &bodies[0])?;
    let (session_name, start, end) = session_info(&info, &url("SessionInfo"), path, session)?;
    // When the session started (the lights went out), in the recording's time.
    let mut started_at = None;
    let status = stream::replay_timed(&bodies[1], &url("SessionStatus"), |at, patch| {
        if started_at.is_none() && topics::has_started(patch) {
            started_at = Some(at);
        }
    })?;
    let status = topics::text(&status, "Status");
    if !matches!(status.as_str(), "Finished" | "Finalised" | "Ends") {
        return Err(LiveTimingError::NotFinished { path: url("SessionStatus"), status });
    }
    let drivers = replay("DriverList", &bodies[2])?;
    let (mut parts, mut moved) = (topics::PartBests::default(), topics::Moved::default());
    let mut lap_times = laps::LapTimes::default();
    let timing = stream::replay_timed(&bodies[3], &url("TimingData"), |at, patch| {
        parts.observe(patch);
        if started_at.is_some_and(|started| at >= started) {
            moved.start();
        }
        moved.observe(patch);
        if session == SessionType::Race {
            lap_times.observe(at, patch);
        }
    })?;
    let lines = topics::timing_lines(&timing, &url("TimingData"))?;
    let app = stints::app_data(&replay("TimingAppData", &bodies[4])?, &url("TimingAppData"))?;

    let inputs = classify::Inputs {
        kind,
        lines: &lines,
        drivers: &drivers,
        drivers_path: &url("DriverList"),
        app: &app,
        parts: &parts,
        moved: &moved,
        timing_path: &url("TimingData"),
    };
    let results = classify::results(&inputs)?;
    let (current_lap, total_laps) = match &lap_count {
        Some(body) => laps(&replay("LapCount", body)?, &url("LapCount"))?,
        None => (0, 0),
    };
    let (track_status, track_message) = match &track {
        Some(body) => {
            let state = replay("TrackStatus", body)?;
            (live::track_status_slug(&topics::text(&state, "Status")), topics::text(&state, "Message"))
        }
        None => (String::new(), String::new()),
    };
    let race_control = match &messages {
        Some(body) => live::race_control(&replay("RaceControlMessages", body)?, &url("RaceControlMessages"))?,
        None => Vec::new(),
    };
    let weather = match &weather {
        Some(body) => Some(live::weather(&replay("WeatherData", body)?, &url("WeatherData"))?),
        None => None,
    };
    let leaderboard = live::leaderboard(kind, &lines, &drivers, &url("DriverList"), &app)?;

    let meeting_name = info.get("Meeting").map(|m| topics::text(m, "Name")).unwrap_or_default();
    Ok(ArchivedSession {
        path: path.to_string(),
        meeting_name,
        session: Session {
            season,
            round,
            r#type: session as i32,
            date: start.date().format("%Y-%m-%d").to_string(),
            start_time: Some(start.and_utc().timestamp()),
            status: SessionStatus::Finished as i32,
            total_laps,
            current_laps: current_lap,
            results,
            // The order at the flag, before the stewards.
            provenance: Some(Provenance::from_source(ResultSource::LivetimingArchive)),
        },
        stints: app.stints,
        laps: lap_times.finish(),
        live: LiveSessionState {
            season,
            round,
            session_type: session as i32,
            session_name,
            status: SessionStatus::Finished as i32,
            track_status,
            track_status_message: track_message,
            current_lap,
            total_laps,
            leaderboard,
            race_control: race_control.clone(),
            weather,
            updated_at: end.unwrap_or(start).and_utc().timestamp(),
            session_key: path.to_string(),
            ..Default::default()
        },
        race_control,
    })
}

/// GETs one stream; a 404 is `None` for optional streams and
/// [`LiveTimingError::MissingStream`] for required ones.
async fn stream_body(fetch: &dyn Fetch, path: &str, required: bool) -> Result<Option<Vec<u8>>, LiveTimingError> {
    // Each stream is read once: not kept in the sync's cache (a season's
    // streams would all stay in memory until its last session).
    match fetch.get_once(path).await {
        Ok(body) => Ok(Some(body)),
        Err(UpstreamError::Status { status: 404, .. }) if required => {
            Err(LiveTimingError::MissingStream { path: path.to_string() })
        }
        Err(UpstreamError::Status { status: 404, .. }) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

type SessionTimes = (String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>);

/// Checks SessionInfo describes the asked session in this folder; returns
/// its name and its UTC start and end.
fn session_info(info: &Value, url: &str, folder: &str, wanted: SessionType) -> Result<SessionTimes, LiveTimingError> {
    let (kind, name) = (topics::text(info, "Type"), topics::text(info, "Name"));
    if !index::is_session_type(&kind, &name, wanted) {
        return Err(LiveTimingError::invalid(
            url,
            "Type/Name",
            format!("holds a `{kind}` session named `{name}`, not {}", wanted.slug()),
        ));
    }
    let published_path = topics::text(info, "Path");
    if !published_path.is_empty() && published_path != folder {
        return Err(LiveTimingError::invalid(url, "Path", format!("is `{published_path}`, expected `{folder}`")));
    }
    let offset = topics::text(info, "GmtOffset");
    let at = |key: &str| index::utc_start(&topics::text(info, key), &offset);
    let start = at("StartDate").ok_or_else(|| {
        LiveTimingError::invalid(
            url,
            "StartDate",
            format!("`{}` (offset `{offset}`) is not a date-time", topics::text(info, "StartDate")),
        )
    })?;
    Ok((name, start, at("EndDate")))
}

fn laps(state: &Value, url: &str) -> Result<(i32, i32), LiveTimingError> {
    let get = |key: &str| {
        topics::int(state, key)
            .map_err(|e| LiveTimingError::invalid(url, key, e))?
            .ok_or_else(|| LiveTimingError::invalid(url, key, "missing"))
    };
    Ok((get("CurrentLap")? as i32, get("TotalLaps")? as i32))
}
