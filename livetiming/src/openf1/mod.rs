//! A session's records in OpenF1's shape (field names, units, dates), derived
//! from time-stamped topic messages by one code path whether they come
//! from the archive ([`input::archive_messages`]) or the live hub
//! ([`input::hub_messages`]), so a session recorded live and the same
//! session read from the archive give the same records.
//!
//! Records are keyed by F1's `meeting_key` and `session_key` (SessionInfo's
//! `Meeting.Key` and `Key`, the numbers OpenF1 uses) and `driver_number`.
//!
//! Where we differ from OpenF1, and why:
//! - laps: a lap is a record once completed, so a car has as many laps as
//!   its final `NumberOfLaps` (OpenF1 also lists the lap in progress);
//! - pit: read from TimingData's pit-lane entry and exit (the archive has
//!   no PitLaneTimeCollection before 2023), with the lane and stationary
//!   times PitLaneTimeCollection/PitStopSeries publish where present; races
//!   and sprints only, between the start and the chequered flag;
//! - intervals: from TimingData's `GapToLeader`/`IntervalToPositionAhead`
//!   (OpenF1 reads DriverRaceInfo, which the archive lacks), races only;
//! - overtakes: from TimingData's running order, see [`derive`]'s rule
//!   (OpenF1 reads DriverRaceInfo's `OvertakeState`);
//! - meetings: `date_start` is the start of the session the records came
//!   from; starting_grid has no `lap_duration` (the race's feed lacks it);
//! - track_status and session_status are ours (OpenF1 has no such endpoint).
//!
//! Overtake rule: in a race or sprint, between the start (SessionStatus
//! `Started`) and the chequered flag, car A overtakes car B when A was
//! behind B in one consistent running order of TimingData (every car on its
//! own line) and ahead in the next. A swap is no overtake when either car
//! entered or left the pit lane within 60 s of it (a pit stop moves the
//! order without a pass), or when B retired or stopped no later than 60 s
//! after it.
pub mod date;
mod derive;
pub mod input;
pub mod records;
mod session;
pub mod telemetry;
mod timing;

pub use derive::Deriver;
pub use input::{ArchiveStream, TopicMessage};
pub use records::*;

/// Where the archive serves team radio recordings (and every stream).
pub const ARCHIVE_BASE: &str = "https://livetiming.formula1.com/static/";

/// Every record of a session recorded as `{Topic}.jsonStream` files in
/// `dir` (an archive session's folder copied to disk): what tests and
/// benchmarks read recorded sessions with.
pub fn derive_folder(dir: &std::path::Path) -> Result<SessionRecords, crate::InvalidData> {
    derive(folder_messages(dir)?)
}

/// The messages of the `{Topic}.jsonStream` files in `dir`, in time order.
pub fn folder_messages(dir: &std::path::Path) -> Result<Vec<TopicMessage>, crate::InvalidData> {
    let label = dir.display().to_string();
    let io = |e: std::io::Error| crate::InvalidData::new(&label, "folder", e.to_string());
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        files.push(entry.map_err(io)?.path());
    }
    files.sort();
    let mut streams = Vec::new();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "jsonStream")) {
        let topic = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let bytes = std::fs::read(file).map_err(io)?;
        streams.push(ArchiveStream::read(topic, &bytes, &file.display().to_string())?);
    }
    let start = input::archive_start(&streams)?;
    Ok(input::archive_messages(streams, start))
}

/// Derives every record of `messages` (in time order).
pub fn derive(messages: impl IntoIterator<Item = TopicMessage>) -> Result<SessionRecords, crate::InvalidData> {
    let mut deriver = Deriver::new();
    for message in messages {
        deriver.push(message)?;
    }
    Ok(deriver.finish())
}
