//! A session's records as stored: its head (keys, link, meeting, session)
//! in its summary, and its records in parts, one per record kind, or more
//! than one when a kind's records pass [`CHUNK_BYTES`] encoded (a race's
//! intervals and positions). Each part is a `SessionData` holding only its
//! records, so reading is merging the parts in key order: protobuf appends
//! repeated fields on merge, and a kind's chunks are numbered in order.
use prost::Message;
use protobuf::v1::{SessionData, SessionDataSummary};

use crate::repo::keys;

/// Most encoded bytes of records in one part: well under MongoDB's 16 MB
/// document limit, and small enough that a chunk is cheap to rewrite.
pub const CHUNK_BYTES: usize = 4 * 1024 * 1024;

/// Splits `records` into runs of at most `limit` encoded bytes (a record
/// larger than `limit` is a run of its own).
fn chunks<T: Message>(records: Vec<T>, limit: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    let mut size = 0;
    for r in records {
        // The record's bytes, its field tag and its length prefix.
        let n = r.encoded_len() + 6;
        if !run.is_empty() && size + n > limit {
            out.push(std::mem::take(&mut run));
            size = 0;
        }
        size += n;
        run.push(r);
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

macro_rules! kinds {
    ($($kind:ident),+ $(,)?) => {
        /// How many records of each kind `d` holds (every kind, 0 included).
        pub fn counts<C: FromIterator<(String, i64)>>(d: &SessionData) -> C {
            [$((stringify!($kind).to_string(), d.$kind.len() as i64)),+].into_iter().collect()
        }

        /// Moves the records of `d` into parts of at most `limit` encoded
        /// bytes each, named `kind/chunk`; `d` keeps its head. Every part
        /// carries the `session_key`, so a part alone says whose it is.
        pub fn split(d: &mut SessionData, limit: usize) -> Vec<(String, SessionData)> {
            let mut out = Vec::new();
            $(
                for (n, records) in chunks(std::mem::take(&mut d.$kind), limit).into_iter().enumerate() {
                    let part = SessionData { session_key: d.session_key, $kind: records, ..Default::default() };
                    out.push((keys::session_data_part(stringify!($kind), n), part));
                }
            )+
            out
        }
    };
}

kinds!(
    drivers,
    laps,
    stints,
    pit,
    race_control,
    weather,
    intervals,
    position,
    session_result,
    starting_grid,
    overtakes,
    team_radio,
    track_status,
    session_status,
);

/// The summary of `d` (its head and counts), written at `now`.
pub fn summary(d: &SessionData, now: i64) -> SessionDataSummary {
    SessionDataSummary {
        meeting_key: d.meeting_key,
        session_key: d.session_key,
        season: d.season,
        round: d.round,
        r#type: d.r#type,
        source: d.source.clone(),
        complete: d.complete,
        meeting: d.meeting.clone(),
        session: d.session.clone(),
        counts: counts(d),
        updated_at: now,
    }
}

/// The session's records: its head from `summary`, its records from the
/// bodies of its parts, merged in key order.
pub fn join<'a>(
    summary: &SessionDataSummary,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> Result<SessionData, String> {
    let mut d = SessionData::default();
    for body in parts {
        d.merge(body).map_err(|e| e.to_string())?;
    }
    d.meeting_key = summary.meeting_key;
    d.session_key = summary.session_key;
    d.season = summary.season;
    d.round = summary.round;
    d.r#type = summary.r#type;
    d.source.clone_from(&summary.source);
    d.complete = summary.complete;
    d.meeting.clone_from(&summary.meeting);
    d.session.clone_from(&summary.session);
    Ok(d)
}

/// The year a session's answers are filed under (their cache tags, the
/// index's season filter): our season when linked, else the session's (or
/// meeting's) year.
pub fn year(s: &SessionDataSummary) -> i32 {
    year_of(s.season, s.session.as_ref().map(|x| x.year), s.meeting.as_ref().map(|m| m.year))
}

pub fn year_of(season: i32, session_year: Option<i32>, meeting_year: Option<i32>) -> i32 {
    [Some(season), session_year, meeting_year].into_iter().flatten().find(|y| *y != 0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use protobuf::v1::SessionDataPosition;

    use super::*;

    fn position(i: i32) -> SessionDataPosition {
        SessionDataPosition { driver_number: 1 + i % 20, date: 1_700_000_000_000_000 + i64::from(i), position: 1 }
    }

    #[test]
    fn parts_merge_back_into_the_records_in_order() {
        let records: Vec<_> = (0..1000).map(position).collect();
        let mut d = SessionData { session_key: 9158, position: records.clone(), ..Default::default() };
        let parts = split(&mut d, 2_000);
        assert!(parts.len() > 5, "small chunks: {}", parts.len());
        assert!(parts.iter().all(|(_, p)| p.encoded_len() <= 2_100 && p.session_key == 9158));
        let mut names: Vec<&String> = parts.iter().map(|(n, _)| n).collect();
        names.sort();
        assert_eq!(names[0], "position/0000");
        let bodies: Vec<Vec<u8>> = parts.iter().map(|(_, p)| p.encode_to_vec()).collect();
        let joined = join(&summary(&d, 1), bodies.iter().map(Vec::as_slice)).unwrap();
        assert_eq!(joined.position, records);
        let counts: Vec<(String, i64)> = counts(&joined);
        assert_eq!(counts.len(), 14, "every kind is counted, 0 included");
        assert!(counts.contains(&("position".to_string(), 1000)));
    }
}
