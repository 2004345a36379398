//! `/static/{year}/Index.json`: a season's meetings and their sessions.
//!
//! Meetings include pre-season testing and the list skips cancelled rounds,
//! so a round is found by its dates (and name when dates are ambiguous),
//! never by its position in the list.
use chrono::{Days, NaiveDate, NaiveDateTime};
use protobuf::v1::{Round, SessionType};
use serde::Deserialize;

use super::LiveTimingError;

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

/// Parses a season's Index.json (BOM tolerated).
pub fn parse_index(bytes: &[u8], year: i32) -> Result<SeasonIndex, LiveTimingError> {
    let path = index_path(year);
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let raw: RawIndex = serde_json::from_slice(bytes)
        .map_err(|e| LiveTimingError::invalid(&path, "body", format!("invalid JSON: {e}")))?;
    if let Some(found) = raw.year.filter(|y| *y != year) {
        return Err(LiveTimingError::invalid(&path, "Year", format!("is {found}, expected {year}")));
    }
    let raw_meetings = raw.meetings.ok_or_else(|| LiveTimingError::invalid(&path, "Meetings", "missing"))?;
    let mut meetings = Vec::with_capacity(raw_meetings.len());
    for (i, m) in raw_meetings.into_iter().enumerate() {
        let name = m.name.ok_or_else(|| LiveTimingError::invalid(&path, format!("Meetings[{i}].Name"), "missing"))?;
        let mut sessions = Vec::new();
        for (j, s) in m.sessions.into_iter().enumerate() {
            let (Some(kind), Some(session_name), Some(session_path)) = (s.kind, s.name, s.path) else { continue };
            let start = match (&s.start_date, &s.gmt_offset) {
                (Some(date), Some(offset)) => Some(utc_start(date, offset).ok_or_else(|| {
                    LiveTimingError::invalid(
                        &path,
                        format!("Meetings[{i}].Sessions[{j}].StartDate"),
                        format!("`{date}` with offset `{offset}` is not a date-time"),
                    )
                })?),
                _ => None,
            };
            sessions.push(IndexSession { kind, name: session_name, path: session_path, start });
        }
        meetings.push(Meeting {
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
pub(crate) fn utc_start(local: &str, offset: &str) -> Option<NaiveDateTime> {
    let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S").ok()?;
    let (negative, hms) = match offset.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, offset.strip_prefix('+').unwrap_or(offset)),
    };
    let mut parts = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (parts.next()??, parts.next().flatten().unwrap_or(0), parts.next().flatten().unwrap_or(0));
    let seconds = h * 3600 + m * 60 + s;
    Some(local - chrono::TimeDelta::seconds(if negative { -seconds } else { seconds }))
}

/// Whether an Index.json session is the asked session type. The names moved
/// over the years: 2021's sprint race was called "Sprint Qualifying" (type
/// Race), 2023's sprint qualifying "Sprint Shootout", 2024's "Sprint
/// Qualifying" (type Qualifying).
pub(crate) fn is_session_type(kind: &str, name: &str, wanted: SessionType) -> bool {
    let name = name.trim().to_ascii_lowercase();
    let kind = kind.trim().to_ascii_lowercase();
    match wanted {
        SessionType::Practice1 => name == "practice 1",
        SessionType::Practice2 => name == "practice 2",
        SessionType::Practice3 => name == "practice 3",
        SessionType::Qualifying => name == "qualifying",
        SessionType::SprintQualifying => {
            kind == "qualifying" && (name == "sprint shootout" || name == "sprint qualifying")
        }
        SessionType::Sprint => kind == "race" && (name == "sprint" || name == "sprint qualifying"),
        SessionType::Race => kind == "race" && name == "race",
        SessionType::Unspecified => false,
    }
}

fn is_championship_session(s: &IndexSession) -> bool {
    use SessionType::*;
    [Practice1, Practice2, Practice3, Qualifying, SprintQualifying, Sprint, Race]
        .into_iter()
        .any(|t| is_session_type(&s.kind, &s.name, t))
}

fn normalized(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

impl Meeting {
    /// The UTC days its weekend sessions start on, first and last.
    fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let mut days = self.sessions.iter().filter(|s| is_championship_session(s)).filter_map(|s| s.start);
        let first = days.next()?.date();
        Some(days.fold((first, first), |(lo, hi), d| (lo.min(d.date()), hi.max(d.date()))))
    }

    /// The Index.json session of type `wanted`.
    pub fn session(&self, wanted: SessionType) -> Option<&IndexSession> {
        self.sessions.iter().find(|s| is_session_type(&s.kind, &s.name, wanted))
    }
}

impl SeasonIndex {
    /// The meeting of `round`: the one whose weekend (± a day, for local
    /// versus UTC dates) contains the round's race day, narrowed by name when
    /// two qualify. Without a race day the name alone decides.
    pub fn meeting_for(&self, round: &Round) -> Result<&Meeting, LiveTimingError> {
        let not_found =
            |what: String| LiveTimingError::MeetingNotFound { path: self.path.clone(), round: round.round, what };
        let name = normalized(&round.name);
        let by_name = |m: &&Meeting| !name.is_empty() && normalized(&m.name) == name;
        let candidates: Vec<&Meeting> = match NaiveDate::parse_from_str(&round.date, "%Y-%m-%d") {
            Ok(day) => {
                let dated: Vec<&Meeting> = self
                    .meetings
                    .iter()
                    .filter(|m| {
                        m.span().is_some_and(|(lo, hi)| {
                            lo.checked_sub_days(Days::new(1)).is_some_and(|lo| lo <= day)
                                && hi.checked_add_days(Days::new(1)).is_some_and(|hi| day <= hi)
                        })
                    })
                    .collect();
                if dated.len() > 1 { dated.into_iter().filter(by_name).collect() } else { dated }
            }
            Err(_) => self.meetings.iter().filter(by_name).collect(),
        };
        match candidates.as_slice() {
            [one] => Ok(one),
            [] => Err(not_found(format!("`{}` on `{}`", round.name, round.date))),
            many => Err(not_found(format!(
                "`{}` on `{}` is ambiguous between {}",
                round.name,
                round.date,
                many.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
            ))),
        }
    }

    /// The meeting of `round` and its session of type `wanted`, with a path
    /// that stays inside this season's archive.
    pub fn find_session(
        &self,
        round: &Round,
        wanted: SessionType,
    ) -> Result<(&Meeting, &IndexSession), LiveTimingError> {
        let meeting = self.meeting_for(round)?;
        let session = meeting.session(wanted).ok_or_else(|| LiveTimingError::SessionNotFound {
            path: self.path.clone(),
            meeting: meeting.name.clone(),
            session: wanted.slug(),
        })?;
        let prefix = format!("{}/", self.year);
        if !session.path.starts_with(&prefix) || !session.path.ends_with('/') || session.path.contains("..") {
            return Err(LiveTimingError::invalid(
                &self.path,
                format!("{} {}.Path", meeting.name, session.name),
                format!("`{}` is not a session folder of {}", session.path, self.year),
            ));
        }
        Ok((meeting, session))
    }
}
