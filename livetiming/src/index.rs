//! `/static/{year}/Index.json`: a season's meetings and their sessions,
//! each with F1's key (`Key`: OpenF1's `meeting_key` / `session_key`) and
//! its folder (`Path`, relative to `/static/`).
//!
//! Meetings include pre-season testing and the list skips cancelled rounds,
//! so a round is found by its dates (fetcher_service does that, against our
//! calendar), or a session by its key ([`SeasonIndex::by_key`]), never by a
//! position in the list.
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::InvalidData;
use crate::openf1::input::local_to_utc;

/// The parsed Index.json of one season.
#[derive(Debug, Clone, PartialEq)]
pub struct SeasonIndex {
    pub year: i32,
    /// The URL path it was read from, for errors.
    pub path: String,
    pub meetings: Vec<Meeting>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// F1's meeting key (OpenF1's `meeting_key`), when listed.
    pub key: Option<i64>,
    pub name: String,
    pub official_name: String,
    pub location: String,
    pub country: String,
    pub sessions: Vec<IndexSession>,
}

/// One session listed in Index.json. Placeholder entries (no name or no
/// path, as the feed publishes for some rescheduled sessions) are dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexSession {
    /// F1's session key (OpenF1's `session_key`), when listed.
    pub key: Option<i64>,
    /// `Practice`, `Qualifying` or `Race`.
    pub kind: String,
    pub name: String,
    /// Relative to `/static/`, ending in `/`.
    pub path: String,
    /// Scheduled start, UTC.
    pub start: Option<NaiveDateTime>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawIndex {
    year: Option<i32>,
    meetings: Option<Vec<RawMeeting>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawMeeting {
    key: Option<i64>,
    name: Option<String>,
    official_name: Option<String>,
    location: Option<String>,
    country: Option<RawNamed>,
    #[serde(default)]
    sessions: Vec<RawSession>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawNamed {
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawSession {
    key: Option<i64>,
    #[serde(rename = "Type")]
    kind: Option<String>,
    name: Option<String>,
    start_date: Option<String>,
    gmt_offset: Option<String>,
    path: Option<String>,
}

/// The URL path of a season's index.
pub fn index_path(year: i32) -> String {
    format!("/static/{year}/Index.json")
}

/// Parses a season's Index.json (BOM tolerated). Errors name
/// [`index_path`] and the field.
pub fn parse_index(bytes: &[u8], year: i32) -> Result<SeasonIndex, InvalidData> {
    let path = index_path(year);
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let raw: RawIndex =
        serde_json::from_slice(bytes).map_err(|e| InvalidData::new(&path, "body", format!("invalid JSON: {e}")))?;
    if let Some(found) = raw.year.filter(|y| *y != year) {
        return Err(InvalidData::new(&path, "Year", format!("is {found}, expected {year}")));
    }
    let raw_meetings = raw.meetings.ok_or_else(|| InvalidData::new(&path, "Meetings", "missing"))?;
    let mut meetings = Vec::with_capacity(raw_meetings.len());
    for (i, m) in raw_meetings.into_iter().enumerate() {
        let name = m.name.ok_or_else(|| InvalidData::new(&path, format!("Meetings[{i}].Name"), "missing"))?;
        let mut sessions = Vec::new();
        for (j, s) in m.sessions.into_iter().enumerate() {
            let (Some(kind), Some(session_name), Some(session_path)) = (s.kind, s.name, s.path) else { continue };
            let start = match (&s.start_date, &s.gmt_offset) {
                (Some(date), Some(offset)) => Some(utc_start(date, offset).ok_or_else(|| {
                    InvalidData::new(
                        &path,
                        format!("Meetings[{i}].Sessions[{j}].StartDate"),
                        format!("`{date}` with offset `{offset}` is not a date-time"),
                    )
                })?),
                _ => None,
            };
            sessions.push(IndexSession { key: s.key, kind, name: session_name, path: session_path, start });
        }
        meetings.push(Meeting {
            key: m.key,
            name,
            official_name: m.official_name.unwrap_or_default(),
            location: m.location.unwrap_or_default(),
            country: m.country.and_then(|c| c.name).unwrap_or_default(),
            sessions,
        });
    }
    Ok(SeasonIndex { year, path, meetings })
}

/// A local `StartDate` (`2019-09-07T15:00:00`) and its `GmtOffset`
/// (`02:00:00`, `-03:00:00`) as a UTC date-time.
pub fn utc_start(local: &str, offset: &str) -> Option<NaiveDateTime> {
    local_to_utc(local, offset).map(|d| d.naive_utc())
}

impl SeasonIndex {
    /// The session keyed `session_key`, with its meeting.
    pub fn by_key(&self, session_key: i64) -> Option<(&Meeting, &IndexSession)> {
        self.meetings.iter().find_map(|m| m.sessions.iter().find(|s| s.key == Some(session_key)).map(|s| (m, s)))
    }

    /// Whether `path` is a session folder of this season's archive:
    /// `{year}/.../`, relative, and staying inside it.
    pub fn is_session_folder(&self, path: &str) -> bool {
        path.starts_with(&format!("{}/", self.year))
            && path.ends_with('/')
            && !path.contains("..")
            && !path.contains(['?', '#', '\\'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_paths_and_utc_starts() {
        let body = "\u{feff}{\"Year\":2024,\"Meetings\":[{\"Key\":1235,\"Name\":\"Emilia Romagna Grand Prix\",\
            \"Sessions\":[{\"Key\":9515,\"Type\":\"Race\",\"Name\":\"Race\",\"StartDate\":\"2024-05-19T15:00:00\",\
            \"GmtOffset\":\"02:00:00\",\"Path\":\"2024/2024-05-19_Emilia_Romagna_Grand_Prix/2024-05-19_Race/\"},\
            {\"Key\":9999,\"Type\":\"Race\"}]}]}";
        let index = parse_index(body.as_bytes(), 2024).unwrap();
        let (meeting, session) = index.by_key(9515).unwrap();
        assert_eq!((meeting.key, session.key), (Some(1235), Some(9515)));
        assert_eq!(session.start.unwrap().to_string(), "2024-05-19 13:00:00");
        assert!(index.is_session_folder(&session.path));
        assert!(index.by_key(9999).is_none(), "a placeholder without name or path is dropped");
        assert!(!index.is_session_folder("2024/../2023/x/"));
        assert!(!index.is_session_folder("2023/x/"));
        let err = parse_index(body.as_bytes(), 2023).unwrap_err();
        assert_eq!((err.path.as_str(), err.field.as_str()), ("/static/2023/Index.json", "Year"));
    }
}
