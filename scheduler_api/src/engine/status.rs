//! What `GET /scheduler/v1/status` shows of the engine.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Engine, LoopStatus};
use crate::job::{self, Kind};
use crate::plan::{self, Settings};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NextSession {
    pub round: i32,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub start: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PlanView {
    pub kind: Kind,
    pub interval: String,
    /// Null on a replica that does not lead.
    pub next_run: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Snapshot {
    /// `running` (leads the plans), `standby` (another replica leads),
    /// `restarting`, `stopped` or `not_started`.
    pub status: &'static str,
    pub leader: bool,
    pub now: DateTime<Utc>,
    pub is_race_weekend: bool,
    pub next_session: Option<NextSession>,
    pub plans: Vec<PlanView>,
}

/// `5m`, `6h`, `1h30m`.
pub fn human(d: chrono::Duration) -> String {
    let mins = d.num_minutes();
    match (mins / 60, mins % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

fn interval(kind: Kind, weekend: bool, s: &Settings) -> String {
    match kind {
        Kind::Seasons => human(s.seasons_every),
        Kind::Rounds => human(plan::rounds_every(weekend, s)),
        Kind::Results => format!(
            "{} after each session's scheduled end, retried every {}..{} until stored, overdue after {}",
            human(s.results_delay),
            human(s.results_retry),
            human(s.results_retry_max),
            human(s.overdue_after)
        ),
        Kind::Standings => "after each race's and sprint's results are stored".into(),
        Kind::Live => {
            format!("start {} before each session, stop {} after its end", human(s.live_lead), human(s.live_stop_after))
        }
        Kind::Livetiming => "manual only".into(),
        Kind::SessionData => format!(
            "each session's archive copy once published: from {} after its scheduled end, retried every {}..{}",
            human(s.results_delay),
            human(s.results_retry),
            human(s.results_retry_max)
        ),
        Kind::Weekend | Kind::F1db | Kind::Unspecified => "not planned by the scheduler".into(),
    }
}

impl Engine {
    pub fn snapshot(&self) -> Snapshot {
        let now = self.inner.clock.now();
        let s = &self.inner.settings;
        let st = self.state();
        let cal = st.calendar.as_ref();
        let is_race_weekend = cal.is_some_and(|c| c.is_race_weekend(now, &s.weekend));
        let next_session = cal.and_then(|c| c.next_session(now)).map(|(round, session)| NextSession {
            round: round.round,
            name: round.name.clone(),
            kind: session.kind.slug(),
            start: session.start,
        });
        let next_run = st.plan.as_ref().map(|p| plan::plan(now, cal, p, s).next_run).unwrap_or_default();
        let plans = job::PLANNED
            .into_iter()
            .map(|kind| PlanView {
                kind,
                interval: interval(kind, is_race_weekend, s),
                next_run: next_run.get(&kind).copied(),
            })
            .collect();
        let status = match st.status {
            LoopStatus::NotStarted => "not_started",
            LoopStatus::Running if st.plan.is_some() => "running",
            LoopStatus::Running => "standby",
            LoopStatus::Restarting => "restarting",
            LoopStatus::Stopped => "stopped",
        };
        Snapshot { status, leader: st.plan.is_some(), now, is_race_weekend, next_session, plans }
    }
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(human(chrono::Duration::minutes(5)), "5m");
        assert_eq!(human(chrono::Duration::hours(6)), "6h");
        assert_eq!(human(chrono::Duration::minutes(90)), "1h30m");
    }
}
