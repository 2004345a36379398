//! `/static/{year}/Index.json`: a season's meetings and their sessions,
//! parsed by the `livetiming` crate ([`livetiming::index`], shared with
//! content_api's telemetry reader); here, finding our round's meeting and
//! session in it ([`RoundLookup`]).
//!
//! Meetings include pre-season testing and the list skips cancelled rounds,
//! so a round is found by its dates (and name when dates are ambiguous),
//! never by its position in the list.
pub use ::livetiming::index::{IndexSession, Meeting, SeasonIndex, index_path, utc_start};
use chrono::{Days, NaiveDate};
use protobuf::v1::{Round, SessionType};

use super::LiveTimingError;

/// Parses a season's Index.json (BOM tolerated); errors are the archive's
/// `Invalid`, naming the index's path.
pub fn parse_index(bytes: &[u8], year: i32) -> Result<SeasonIndex, LiveTimingError> {
    Ok(::livetiming::index::parse_index(bytes, year)?)
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

/// The UTC days a meeting's weekend sessions start on, first and last.
fn span(meeting: &Meeting) -> Option<(NaiveDate, NaiveDate)> {
    let mut days = meeting.sessions.iter().filter(|s| is_championship_session(s)).filter_map(|s| s.start);
    let first = days.next()?.date();
    Some(days.fold((first, first), |(lo, hi), d| (lo.min(d.date()), hi.max(d.date()))))
}

/// The Index.json session of type `wanted` in `meeting`.
pub fn session_of(meeting: &Meeting, wanted: SessionType) -> Option<&IndexSession> {
    meeting.sessions.iter().find(|s| is_session_type(&s.kind, &s.name, wanted))
}

/// Our rounds and session types looked up in a season's index.
pub trait RoundLookup {
    /// The meeting of `round`: the one whose weekend (± a day, for local
    /// versus UTC dates) contains the round's race day, narrowed by name when
    /// two qualify. Without a race day the name alone decides.
    fn meeting_for(&self, round: &Round) -> Result<&Meeting, LiveTimingError>;

    /// The meeting of `round` and its session of type `wanted`, with a path
    /// that stays inside this season's archive.
    fn find_session(&self, round: &Round, wanted: SessionType) -> Result<(&Meeting, &IndexSession), LiveTimingError>;
}

impl RoundLookup for SeasonIndex {
    fn meeting_for(&self, round: &Round) -> Result<&Meeting, LiveTimingError> {
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
                        span(m).is_some_and(|(lo, hi)| {
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

    fn find_session(&self, round: &Round, wanted: SessionType) -> Result<(&Meeting, &IndexSession), LiveTimingError> {
        let meeting = self.meeting_for(round)?;
        let session = session_of(meeting, wanted).ok_or_else(|| LiveTimingError::SessionNotFound {
            path: self.path.clone(),
            meeting: meeting.name.clone(),
            session: wanted.slug(),
        })?;
        if !self.is_session_folder(&session.path) {
            return Err(LiveTimingError::invalid(
                &self.path,
                format!("{} {}.Path", meeting.name, session.name),
                format!("`{}` is not a session folder of {}", session.path, self.year),
            ));
        }
        Ok((meeting, session))
    }
}
