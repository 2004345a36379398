//! How fresh the season's results are, for `/scheduler/v1/status`: sessions
//! whose results are only provisional (the results plan keeps asking the
//! official source for them), and sessions whose scheduled end has passed
//! with no results at all (not in yet, or overdue). Pure: time is given.
use chrono::{DateTime, Utc};
use protobuf::v1::{Round, SessionStatus, SessionType};
use serde::Serialize;

use super::Settings;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SessionRef {
    pub round: i32,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Scheduled start.
    pub start: DateTime<Utc>,
    /// For provisional results: when they were stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional_since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Freshness {
    /// Sessions with a provisional classification only.
    pub awaiting_official: Vec<SessionRef>,
    /// Past their scheduled end (plus the results delay), no results yet.
    pub results_not_in: Vec<SessionRef>,
    /// Still no results `overdue_after` past the scheduled end.
    pub overdue: Vec<SessionRef>,
}

pub fn freshness(now: DateTime<Utc>, rounds: &[Round], s: &Settings) -> Freshness {
    let mut out = Freshness::default();
    for r in rounds {
        for session in &r.sessions {
            let Ok(kind) = SessionType::from_wire(session.r#type) else { continue };
            let Some(start) = session.start_time.and_then(|t| DateTime::from_timestamp(t, 0)) else { continue };
            if session.status == SessionStatus::Cancelled as i32 {
                continue;
            }
            let end = start + s.durations.of(kind);
            let mut at =
                SessionRef { round: r.round, name: r.name.clone(), kind: kind.slug(), start, provisional_since: None };
            let provisional = session.provenance.as_ref().filter(|p| p.is_provisional());
            if let Some(p) = provisional.filter(|_| !session.results.is_empty()) {
                at.provisional_since = DateTime::from_timestamp(p.updated_at, 0);
                out.awaiting_official.push(at);
            } else if session.results.is_empty() && now >= end + s.overdue_after {
                out.overdue.push(at);
            } else if session.results.is_empty() && now >= end + s.results_delay {
                out.results_not_in.push(at);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use protobuf::v1::{Provenance, ResultSource, Session, SessionResult};

    use super::*;

    fn session(kind: SessionType, start: DateTime<Utc>, results: usize, source: Option<ResultSource>) -> Session {
        Session {
            r#type: kind as i32,
            start_time: Some(start.timestamp()),
            results: vec![SessionResult::default(); results],
            provenance: source
                .map(|s| Provenance { updated_at: start.timestamp() + 7200, ..Provenance::from_source(s) }),
            ..Default::default()
        }
    }

    #[test]
    fn provisional_not_in_and_overdue_sessions_are_told_apart() {
        let s = crate::config::Config::default().settings().unwrap();
        let race_start = Utc.with_ymd_and_hms(2026, 5, 3, 13, 0, 0).unwrap();
        let round = Round {
            round: 6,
            name: "Miami Grand Prix".into(),
            sessions: vec![
                session(SessionType::Practice1, race_start - Duration::days(2), 0, None),
                session(SessionType::Qualifying, race_start - Duration::days(1), 20, Some(ResultSource::Jolpica)),
                session(SessionType::Race, race_start, 20, Some(ResultSource::LivetimingArchive)),
                session(SessionType::Sprint, race_start - Duration::hours(20), 0, None),
            ],
            ..Default::default()
        };
        let now = race_start + Duration::hours(4);
        let f = freshness(now, &[round], &s);
        let kinds = |v: &[SessionRef]| v.iter().map(|r| r.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&f.awaiting_official), ["race"]);
        assert_eq!(f.awaiting_official[0].provisional_since, Some(race_start + Duration::hours(2)));
        assert_eq!(kinds(&f.overdue), ["practice_1"], "{f:?}");
        assert_eq!(kinds(&f.results_not_in), ["sprint"]);
    }
}
