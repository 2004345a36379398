//! A session's records (session data, in OpenF1's shape) from the archive:
//! every stream the derivation reads, dated from when the recording began,
//! fed in time order through `livetiming::openf1`'s one [`Deriver`], the
//! same code the live feed feeds frame by frame.
use livetiming::openf1::{ArchiveStream, Deriver, SessionRecords, input};
use livetiming::wire::{self, Head, Link, Source};
use protobuf::v1::{SessionData, SessionType};

use super::{LiveTimingError, stream_body};
use crate::upstream::Fetch;

/// The archive starts with the 2018 season.
pub const FIRST_SEASON: i32 = 2018;

/// The streams the derivation reads, in name order (the order the replay
/// server and `archive_messages` keep for patches with equal times, so both
/// paths see the same sequence), with whether a session cannot do without
/// it. Heartbeat only dates the recording.
pub const STREAMS: [(&str, bool); 13] = [
    ("DriverList", true),
    ("Heartbeat", false),
    ("PitLaneTimeCollection", false),
    ("PitStopSeries", false),
    ("RaceControlMessages", false),
    ("SessionData", false),
    ("SessionInfo", true),
    ("SessionStatus", true),
    ("TeamRadio", false),
    ("TimingAppData", true),
    ("TimingData", true),
    ("TrackStatus", false),
    ("WeatherData", false),
];

/// Reads every stream of the session folder `path` (relative to
/// `/static/`) and derives its records. A required stream answering 404 is
/// [`LiveTimingError::MissingStream`]; an optional one is simply absent.
pub async fn session_records(fetch: &dyn Fetch, path: &str) -> Result<SessionRecords, LiveTimingError> {
    if path.starts_with('/') || !path.ends_with('/') || path.contains("..") || path.contains('?') {
        return Err(LiveTimingError::invalid(&format!("/static/{path}"), "path", "is not a session folder"));
    }
    let mut streams = Vec::with_capacity(STREAMS.len());
    for (topic, required) in STREAMS {
        let url = format!("/static/{path}{topic}.jsonStream");
        if let Some(body) = stream_body(fetch, &url, required).await? {
            streams.push(ArchiveStream::read(topic, &body, &url)?);
        }
    }
    let start = input::archive_start(&streams)?;
    let mut deriver = Deriver::new();
    for message in input::archive_messages(streams, start) {
        deriver.push(message)?;
    }
    Ok(deriver.finish())
}

/// The records as data_scheduler stores them, keyed by SessionInfo's keys;
/// `None` while the records have no keys yet (no SessionInfo).
pub fn to_session_data(
    records: &SessionRecords,
    link: Option<(i32, i32, SessionType)>,
    source: Source,
    complete: bool,
) -> Option<SessionData> {
    let session = records.session.as_ref()?;
    if session.session_key <= 0 || session.meeting_key <= 0 {
        return None;
    }
    let link = link.map(|(season, round, session_type)| Link { season, round, session_type });
    let head = Head { meeting_key: session.meeting_key, session_key: session.session_key, link, source, complete };
    Some(wire::to_wire(records, head))
}

/// Records written per kind, for a sync's counts.
pub fn counts(data: &SessionData) -> [(&'static str, usize); 14] {
    [
        ("drivers", data.drivers.len()),
        ("laps", data.laps.len()),
        ("stints", data.stints.len()),
        ("pit", data.pit.len()),
        ("race_control", data.race_control.len()),
        ("weather", data.weather.len()),
        ("intervals", data.intervals.len()),
        ("position", data.position.len()),
        ("session_result", data.session_result.len()),
        ("starting_grid", data.starting_grid.len()),
        ("overtakes", data.overtakes.len()),
        ("team_radio", data.team_radio.len()),
        ("track_status", data.track_status.len()),
        ("session_status", data.session_status.len()),
    ]
}
