//! One pass of the loop, and the loop itself.
use chrono::{DateTime, Datelike, Utc};
use common::Shutdown;
use protobuf::Year;
use protobuf::v1::SyncOutcome;

use super::jobs::Task;
use super::{Engine, LEADER_LOCK, LoopStatus};
use crate::job::{Kind, Trigger};
use crate::plan::{self, Calendar, Job, PlanState};

impl Engine {
    /// Runs until `shutdown`; returns only then (the supervisor restarts it
    /// after a panic).
    pub(crate) async fn run_loop(self, shutdown: Shutdown) -> anyhow::Result<()> {
        self.state().status = LoopStatus::Running;
        while !shutdown.is_triggered() {
            let next = self.tick().await;
            let clock_sleep = match next {
                Some(at) => self.inner.clock.sleep_until(at),
                None => Box::pin(std::future::pending()),
            };
            tokio::select! {
                () = clock_sleep => {}
                () = tokio::time::sleep(self.inner.tick) => {}
                () = self.inner.wake.notified() => {}
                () = shutdown.wait() => {}
            }
        }
        self.stop().await;
        Ok(())
    }

    /// Plans at the clock's time and starts what is due; returns the next
    /// instant to wake at.
    pub(crate) async fn tick(&self) -> Option<DateTime<Utc>> {
        let now = self.inner.clock.now();
        let seen = self.inner.progress.borrow().finished;
        self.reload_calendar(now).await;
        self.hold_leadership(now).await;

        let (tasks, next_wake) = {
            let mut st = self.state();
            let Some(plan_state) = st.plan.as_ref() else {
                drop(st);
                self.inner.progress.send_modify(|p| {
                    p.planned_at = Some(now);
                    p.planned_finished = seen;
                    p.next_wake = None;
                });
                return None;
            };
            let plan = plan::plan(now, st.calendar.as_ref(), plan_state, &self.inner.settings);
            metrics::gauge!("scheduler_race_weekend").set(if plan.is_race_weekend { 1.0 } else { 0.0 });
            let mut tasks = Vec::new();
            for (_, job) in plan.due {
                let kind = job.plan();
                if st.running.contains(&kind) {
                    continue;
                }
                if let Some(task) = Task::new(job, now, st.calendar.as_ref(), &self.inner.settings) {
                    st.running.insert(kind);
                    tasks.push(task);
                }
            }
            let term = st.term;
            (tasks.into_iter().map(|t| (t, term)).collect::<Vec<_>>(), plan.next_wake)
        };
        self.inner.progress.send_modify(|p| {
            p.in_flight += tasks.len();
            p.planned_at = Some(now);
            p.planned_finished = seen;
            p.next_wake = next_wake;
        });
        for (task, term) in tasks {
            let engine = self.clone();
            tokio::spawn(async move { engine.execute(task, term).await });
        }
        next_wake
    }

    async fn reload_calendar(&self, now: DateTime<Utc>) {
        let Ok(season) = Year::new(now.year()) else { return };
        let loaded = self.inner.store.rounds(season).await;
        let mut st = self.state();
        match loaded {
            Ok(rounds) => {
                if st.calendar_error.take().is_some() {
                    tracing::info!(%season, "calendar readable again");
                }
                st.calendar = Some(Calendar::from_rounds(season, &rounds));
            }
            Err(e) => {
                // Keep planning with the calendar we have; say so once.
                if st.calendar_error.is_none() {
                    tracing::warn!(%season, error = %e, "cannot read the calendar; planning with the last one read");
                }
                st.calendar_error = Some(e.to_string());
            }
        }
    }

    async fn hold_leadership(&self, now: DateTime<Utc>) {
        let inner = &self.inner;
        let leader = match inner.lock.hold(LEADER_LOCK, &inner.token, inner.lock_ttl).await {
            Ok(held) => held,
            Err(e) => {
                // Without the lock nobody may run plans: a lost Redis must not
                // make two leaders.
                if self.is_leader() {
                    tracing::warn!(error = %e, "lost the leader lock backend; standing by");
                }
                false
            }
        };
        metrics::gauge!("scheduler_leader").set(if leader { 1.0 } else { 0.0 });
        match (leader, self.is_leader()) {
            (true, false) => {
                self.close_interrupted(now).await;
                let state = self.resume_state(now).await;
                let mut st = self.state();
                st.plan = Some(state);
                st.term += 1;
                tracing::info!(backend = inner.lock.backend(), "leading: running the plans");
            }
            (false, true) => {
                let mut st = self.state();
                st.plan = None;
                st.term += 1;
                tracing::info!("another replica leads: standing by");
            }
            _ => {}
        }
    }

    /// Runs recorded as `running` whose kind's run guard nobody holds were
    /// cut off by a stop (of this replica or another): a new leader marks
    /// them `interrupted`, so none stays running in the history forever.
    async fn close_interrupted(&self, now: DateTime<Utc>) {
        let inner = &self.inner;
        let runs = match inner.store.scheduler_runs(None, 1000).await {
            Ok(runs) => runs,
            Err(e) => return tracing::warn!(error = %e, "cannot read the run history to close interrupted runs"),
        };
        for mut run in runs.into_iter().filter(|r| r.outcome == SyncOutcome::Running as i32) {
            let Ok(kind) = Kind::try_from(run.kind) else { continue };
            let (guard, token) = (crate::runner::guard_name(kind), format!("closing-{}", run.id));
            // Holding the guard proves nobody is running that kind now.
            if !matches!(inner.lock.hold(&guard, &token, std::time::Duration::from_secs(30)).await, Ok(true)) {
                continue;
            }
            run.outcome = SyncOutcome::Interrupted as i32;
            run.finished_at = now.timestamp();
            run.error = "interrupted: the scheduler stopped before the run ended".into();
            match inner.store.write_run(run).await {
                Ok(run) => tracing::info!(id = %run.id, %kind, "marked an interrupted run"),
                Err(e) => tracing::warn!(error = %e, "cannot mark an interrupted run"),
            }
            if let Err(e) = inner.lock.release(&guard, &token).await {
                tracing::warn!(%kind, error = %e, "cannot release the run guard; it expires by itself");
            }
        }
    }

    /// A new leader's state: the interval plans continue from the last
    /// planned runs recorded (by any replica), so a restart or a hand-over
    /// does not run them again at once.
    async fn resume_state(&self, now: DateTime<Utc>) -> PlanState {
        let mut state = PlanState::new(now);
        for job in [Job::Seasons, Job::Rounds] {
            let kind = job.plan();
            match self.inner.store.scheduler_runs(Some(kind), 50).await {
                Ok(runs) => {
                    let last = runs
                        .iter()
                        .find(|r| r.trigger == Trigger::Planned.as_str())
                        .and_then(|r| DateTime::from_timestamp(r.started_at, 0));
                    if let Some(last) = last {
                        state.last.insert(kind, last);
                    }
                }
                Err(e) => tracing::warn!(%kind, error = %e, "cannot read the run history; the plan starts afresh"),
            }
        }
        // A session's archive copy is synced once: the ones a replica
        // already synced are done.
        match self.inner.store.scheduler_runs(Some(Kind::SessionData), 500).await {
            Ok(runs) => {
                let synced = runs
                    .iter()
                    .filter(|r| r.trigger == Trigger::Planned.as_str() && r.outcome == SyncOutcome::Success as i32);
                for id in synced.filter_map(|r| session_of(&r.params)) {
                    let done = plan::JobState { done_at: Some(now), ..Default::default() };
                    state.jobs.insert(Job::SessionData(id), done);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the session-data history; synced sessions may sync again")
            }
        }
        state
    }

    /// Lets running work finish (bounded), then frees the leader lock so
    /// another replica takes over at once.
    async fn stop(&self) {
        let mut rx = self.inner.progress.subscribe();
        let wait = rx.wait_for(|p| p.in_flight == 0);
        if tokio::time::timeout(self.inner.lock_ttl.max(std::time::Duration::from_secs(30)), wait).await.is_err() {
            tracing::warn!("stopping with runs still going");
        }
        if let Err(e) = self.inner.lock.release(LEADER_LOCK, &self.inner.token).await {
            tracing::warn!(error = %e, "cannot release the leader lock; it expires by itself");
        }
        let mut st = self.state();
        st.plan = None;
        st.term += 1;
        st.status = LoopStatus::Stopped;
        tracing::info!("scheduler engine stopped");
    }
}

/// The session a run's params name (`season=2024 round=5 session=race`).
fn session_of(params: &str) -> Option<plan::SessionId> {
    let value = |name: &str| params.split(' ').find_map(|p| p.strip_prefix(name)?.strip_prefix('='));
    let round = value("round")?.parse().ok()?;
    let kind = protobuf::v1::SessionType::from_slug(value("session")?).ok()?;
    Some(plan::SessionId { round, kind })
}
