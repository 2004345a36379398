//! The planner: given the time, the stored calendar and what has been done,
//! what is due now and when to look again. Pure functions, no I/O: the
//! engine loop only drives them.
//!
//! Plans (every interval configurable, see [`Settings`]):
//! - seasons every 6 h; the current season's rounds every 30 min, every
//!   5 min during a race weekend;
//! - results of each session from a few minutes after its scheduled end
//!   (start + the session type's usual length), retried with backoff until
//!   its results are stored; still none after a limit → one overdue record;
//! - standings once the results of a race or sprint are in;
//! - each session's timing records (session data) from the LiveTiming
//!   archive once, when it is published: from the same delay after the
//!   session as its results, retried with the same backoff until the
//!   archive has it (it fills what a reconnect of the live feed missed),
//!   up to the same limit; sessions from 2018 on (the archive's start);
//! - a live start signal a few minutes before each session, a stop after it.
//!
//! Failed runs are retried with a doubling backoff up to a cap.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveTime, Utc, Weekday};
use protobuf::v1::SessionType;

use crate::job::Kind;

pub mod calendar;
pub mod freshness;

pub use calendar::{CalSession, Calendar};

/// The LiveTiming archive (session data) starts with this season.
pub const ARCHIVE_FIRST_SEASON: i32 = 2018;

/// A live stop signal that keeps failing is given up this long after it was due.
const LIVE_STOP_GIVE_UP: Duration = Duration::hours(6);

#[derive(Debug, Clone)]
pub struct Settings {
    pub seasons_every: Duration,
    pub rounds_every: Duration,
    pub rounds_weekend_every: Duration,
    pub results_delay: Duration,
    pub results_retry: Duration,
    pub results_retry_max: Duration,
    pub overdue_after: Duration,
    pub retry: Duration,
    pub retry_max: Duration,
    pub live_lead: Duration,
    pub live_stop_after: Duration,
    pub durations: Durations,
    pub weekend: WeekendRule,
}

/// The usual length of each session type, for a scheduled end.
#[derive(Debug, Clone)]
pub struct Durations {
    pub practice: Duration,
    pub qualifying: Duration,
    pub sprint_qualifying: Duration,
    pub sprint: Duration,
    pub race: Duration,
}

impl Durations {
    pub fn of(&self, kind: SessionType) -> Duration {
        match kind {
            SessionType::Qualifying => self.qualifying,
            SessionType::SprintQualifying => self.sprint_qualifying,
            SessionType::Sprint => self.sprint,
            SessionType::Race => self.race,
            _ => self.practice,
        }
    }
}

/// A race weekend runs from `start` (weekday and UTC time) on or before the
/// first session's day to `end` after the race day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekendRule {
    pub start: (Weekday, NaiveTime),
    pub end: (Weekday, NaiveTime),
}

/// One session of the current season.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId {
    pub round: i32,
    pub kind: SessionType,
}

/// One unit of planned work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    Seasons,
    Rounds,
    Results(SessionId),
    /// The session's results never came: record it once.
    Overdue(SessionId),
    Standings(SessionId),
    /// The session's archive copy of its timing records.
    SessionData(SessionId),
    LiveStart(SessionId),
    LiveStop(SessionId),
}

impl Job {
    /// The plan (and run kind) the job belongs to.
    pub fn plan(self) -> Kind {
        match self {
            Job::Seasons => Kind::Seasons,
            Job::Rounds => Kind::Rounds,
            Job::Results(_) | Job::Overdue(_) => Kind::Results,
            Job::Standings(_) => Kind::Standings,
            Job::SessionData(_) => Kind::SessionData,
            Job::LiveStart(_) | Job::LiveStop(_) => Kind::Live,
        }
    }
}

/// Progress of one job.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobState {
    pub attempts: u32,
    pub retry_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
}

/// How a job's run ended, as far as its plan cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobResult {
    /// Done: for results, the session's results are stored.
    Done,
    /// Ran, but the thing waited for is not there yet (results not stored).
    NotYet,
    Failed,
    /// Another run of the kind was running.
    Skipped,
}

/// What the leader has done since it took the lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanState {
    /// When this leader started; sessions whose results window had already
    /// closed by then are not followed.
    pub since: DateTime<Utc>,
    /// Last planned start of the interval plans (seasons, rounds).
    pub last: BTreeMap<Kind, DateTime<Utc>>,
    pub jobs: BTreeMap<Job, JobState>,
}

fn backoff(first: Duration, max: Duration, attempts: u32) -> Duration {
    let factor = 1i32.checked_shl(attempts.saturating_sub(1).min(20)).unwrap_or(i32::MAX);
    (first * factor).min(max)
}

impl PlanState {
    pub fn new(since: DateTime<Utc>) -> Self {
        Self { since, last: BTreeMap::new(), jobs: BTreeMap::new() }
    }

    fn job(&self, job: Job) -> Option<&JobState> {
        self.jobs.get(&job)
    }

    fn done(&self, job: Job) -> Option<DateTime<Utc>> {
        self.job(job).and_then(|j| j.done_at)
    }

    fn retry_at(&self, job: Job) -> Option<DateTime<Utc>> {
        self.job(job).and_then(|j| j.retry_at)
    }

    /// Records how `job`, started at `started`, ended at `at`.
    pub fn finished(&mut self, job: Job, started: DateTime<Utc>, at: DateTime<Utc>, result: JobResult, s: &Settings) {
        if matches!(job, Job::Seasons | Job::Rounds) {
            // A skipped planned run means a manual one was doing the same work.
            self.last.insert(job.plan(), started);
            if result != JobResult::Failed {
                self.jobs.remove(&job);
                return;
            }
        }
        let entry = self.jobs.entry(job).or_default();
        if result == JobResult::Done {
            entry.done_at = Some(at);
            entry.retry_at = None;
            return;
        }
        entry.attempts += 1;
        let wait = match job {
            Job::Results(_) | Job::SessionData(_) => backoff(s.results_retry, s.results_retry_max, entry.attempts),
            _ => backoff(s.retry, s.retry_max, entry.attempts),
        };
        entry.retry_at = Some(at + wait);
    }
}

/// What is due at `now`, and when to look again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Due jobs, earliest first.
    pub due: Vec<(DateTime<Utc>, Job)>,
    /// The next instant after `now` when a job becomes due or the race
    /// weekend flag flips.
    pub next_wake: Option<DateTime<Utc>>,
    pub is_race_weekend: bool,
    /// Earliest pending instant of each plan (may be in the past while due).
    pub next_run: BTreeMap<Kind, DateTime<Utc>>,
}

/// The rounds interval that applies at `now`.
pub fn rounds_every(weekend: bool, s: &Settings) -> Duration {
    if weekend { s.rounds_weekend_every } else { s.rounds_every }
}

pub fn plan(now: DateTime<Utc>, cal: Option<&Calendar>, st: &PlanState, s: &Settings) -> Plan {
    let is_race_weekend = cal.is_some_and(|c| c.is_race_weekend(now, &s.weekend));
    let mut pending: Vec<(DateTime<Utc>, Job)> = Vec::new();

    for (job, every) in [(Job::Seasons, s.seasons_every), (Job::Rounds, rounds_every(is_race_weekend, s))] {
        let regular = st.last.get(&job.plan()).map_or(st.since, |last| *last + every);
        let at = st.retry_at(job).map_or(regular, |retry| retry.min(regular));
        pending.push((at, job));
    }

    // A job is pending while `now` and its due instant are both before its expiry.
    let mut push = |at: DateTime<Utc>, expiry: Option<DateTime<Utc>>, job: Job| {
        if expiry.is_none_or(|e| now < e && at < e) {
            pending.push((at, job));
        }
    };
    for session in cal.iter().flat_map(|c| c.sessions()) {
        let id = SessionId { round: session.round, kind: session.kind };
        let start = session.start;
        let end = start + s.durations.of(session.kind);
        let later = |job: Job, at: DateTime<Utc>| st.retry_at(job).map_or(at, |r| r.max(at));

        let overdue_at = end + s.overdue_after;
        let results = st.done(Job::Results(id));
        if results.is_none() && st.done(Job::Overdue(id)).is_none() && overdue_at > st.since {
            push(later(Job::Results(id), end + s.results_delay), Some(overdue_at), Job::Results(id));
            push(later(Job::Overdue(id), overdue_at), None, Job::Overdue(id));
        }
        if cal.is_some_and(|c| c.season.get() >= ARCHIVE_FIRST_SEASON)
            && st.done(Job::SessionData(id)).is_none()
            && overdue_at > st.since
        {
            let job = Job::SessionData(id);
            push(later(job, end + s.results_delay), Some(overdue_at), job);
        }
        if let Some(found) = results
            && session.kind.scores_points()
            && st.done(Job::Standings(id)).is_none()
        {
            push(later(Job::Standings(id), found), None, Job::Standings(id));
        }
        if st.done(Job::LiveStart(id)).is_none() {
            push(later(Job::LiveStart(id), start - s.live_lead), Some(end), Job::LiveStart(id));
        } else if st.done(Job::LiveStop(id)).is_none() {
            let stop = end + s.live_stop_after;
            push(later(Job::LiveStop(id), stop), Some(stop + LIVE_STOP_GIVE_UP), Job::LiveStop(id));
        }
    }

    pending.sort();
    let mut next_run = BTreeMap::new();
    for (at, job) in &pending {
        next_run.entry(job.plan()).or_insert(*at);
    }
    let boundaries = cal.map(|c| c.weekends(&s.weekend)).unwrap_or_default();
    let next_wake = pending
        .iter()
        .map(|(at, _)| *at)
        .chain(boundaries.iter().flat_map(|(a, b)| [*a, *b]))
        .filter(|at| *at > now)
        .min();
    let due = pending.into_iter().filter(|(at, _)| *at <= now).collect();
    Plan { due, next_wake, is_race_weekend, next_run }
}

#[cfg(test)]
mod tests;
