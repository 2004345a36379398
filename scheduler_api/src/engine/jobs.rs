//! Running one planned job through the runner and telling the plan how it went.
use chrono::{DateTime, Utc};
use protobuf::v1::SyncOutcome;
use protobuf::{RoundNumber, Year};

use super::Engine;
use crate::job::{Fetch, LiveSignal, Trigger, Work};
use crate::plan::{CalSession, Calendar, Job, JobResult, SessionId, Settings};

/// A due job with what it needs from the calendar.
pub(crate) struct Task {
    job: Job,
    season: Year,
    session: Option<SessionTask>,
}

struct SessionTask {
    id: SessionId,
    round: RoundNumber,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Task {
    /// None when the job's session is no longer in the calendar.
    pub(crate) fn new(job: Job, now: DateTime<Utc>, cal: Option<&Calendar>, s: &Settings) -> Option<Self> {
        let season = cal.map(|c| c.season).or_else(|| Year::new(chrono::Datelike::year(&now)).ok())?;
        let id = match job {
            Job::Seasons | Job::Rounds => return Some(Self { job, season, session: None }),
            Job::Results(id)
            | Job::Overdue(id)
            | Job::Standings(id)
            | Job::SessionData(id)
            | Job::LiveStart(id)
            | Job::LiveStop(id) => id,
        };
        let found: &CalSession = cal?.sessions().find(|x| x.round == id.round && x.kind == id.kind)?;
        let session = SessionTask {
            id,
            round: RoundNumber::new(id.round).ok()?,
            start: found.start,
            end: found.start + s.durations.of(found.kind),
        };
        Some(Self { job, season, session: Some(session) })
    }
}

impl Engine {
    pub(crate) async fn execute(self, task: Task, term: u64) {
        let started = self.inner.clock.now();
        let (job, result) = self.perform(&task).await;
        let at = self.inner.clock.now();
        {
            let mut st = self.state();
            if st.term == term
                && let Some(plan) = st.plan.as_mut()
            {
                plan.finished(job, started, at, result, &self.inner.settings);
            }
            st.running.remove(&task.job.plan());
        }
        self.inner.progress.send_modify(|p| {
            p.in_flight = p.in_flight.saturating_sub(1);
            p.finished += 1;
        });
        self.inner.wake.notify_one();
    }

    async fn planned(&self, work: Work) -> (JobResult, Option<usize>) {
        let report = self.inner.runner.run(work, Trigger::Planned).await;
        let result = match report.outcome() {
            SyncOutcome::Success => JobResult::Done,
            SyncOutcome::Skipped => JobResult::Skipped,
            _ => JobResult::Failed,
        };
        (result, report.session_results)
    }

    /// Does the job; returns the job whose state it settles (an overdue
    /// check that finds results settles the results job instead).
    async fn perform(&self, task: &Task) -> (Job, JobResult) {
        let season = task.season;
        let s = match (task.job, &task.session) {
            (Job::Seasons, _) => {
                let fetch = Fetch::Seasons { from: Some(season), to: Some(season) };
                return (task.job, self.planned(Work::Fetch(fetch)).await.0);
            }
            (Job::Rounds, _) => {
                return (task.job, self.planned(Work::Fetch(Fetch::Rounds { season, round: None })).await.0);
            }
            (_, Some(s)) => s,
            // Task::new gives every session job its session.
            (_, None) => return (task.job, JobResult::Failed),
        };
        match task.job {
            Job::Results(id) => {
                if self.results_stored(season, s).await {
                    return (task.job, JobResult::Done);
                }
                let fetch = Fetch::Results { season, round: s.round, session: Some(id.kind) };
                let result = match self.planned(Work::Fetch(fetch)).await {
                    (JobResult::Done, Some(n)) if n > 0 => JobResult::Done,
                    (JobResult::Done, _) => JobResult::NotYet,
                    (other, _) => other,
                };
                (task.job, result)
            }
            Job::Overdue(id) => {
                if self.results_stored(season, s).await {
                    return (Job::Results(id), JobResult::Done);
                }
                let hours = self.inner.settings.overdue_after.num_hours();
                let params = format!("season={season} round={} session={}", s.round, id.kind.slug());
                let message = format!("no results stored {hours} h after the scheduled end ({})", s.end.to_rfc3339());
                match self.inner.runner.record_overdue(params, message).await {
                    Ok(_) => (task.job, JobResult::Done),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot record an overdue session; will try again");
                        (task.job, JobResult::Failed)
                    }
                }
            }
            Job::Standings(_) => (task.job, self.planned(Work::Fetch(Fetch::Standings { season })).await.0),
            // Once the archive has published the session; until then the
            // fetcher fails and the job is retried (with the results' backoff).
            Job::SessionData(id) => {
                let fetch = Fetch::SessionData { season, round: Some(s.round), session: Some(id.kind) };
                (task.job, self.planned(Work::Fetch(fetch)).await.0)
            }
            _ => {
                let signal = LiveSignal {
                    action: if matches!(task.job, Job::LiveStart(_)) { "start" } else { "stop" },
                    season: season.get(),
                    round: s.round.get(),
                    session: s.id.kind.slug(),
                    start: s.start,
                    end: s.end,
                };
                (task.job, self.planned(Work::Live(signal)).await.0)
            }
        }
    }

    /// Whether the session's results are already stored (a failed check
    /// counts as "not yet": the fetch that follows will say more).
    async fn results_stored(&self, season: Year, s: &SessionTask) -> bool {
        matches!(self.inner.store.session_results(season, s.round, s.id.kind).await, Ok(n) if n > 0)
    }
}
