//! One run, planned or manual, always the same path: take the kind's run
//! guard (a kind already running → a skipped record), record the run as
//! running, do the work, record how it ended.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use protobuf::v1::{SyncOutcome, SyncRun};

use crate::clock::Clock;
use crate::fetcher::Fetcher;
use crate::job::{Fetch, Kind, Trigger, Work};
use crate::lock::Lock;
use crate::store::{SOURCE, Store};

/// A finished run and, for a results fetch of one session, how many
/// results that session now has stored.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub run: SyncRun,
    pub session_results: Option<usize>,
}

impl RunReport {
    pub fn outcome(&self) -> SyncOutcome {
        SyncOutcome::try_from(self.run.outcome).unwrap_or(SyncOutcome::Unspecified)
    }
}

pub struct Runner {
    clock: Arc<dyn Clock>,
    lock: Arc<dyn Lock>,
    store: Store,
    fetcher: Fetcher,
    guard_ttl: Duration,
}

struct Ended {
    outcome: SyncOutcome,
    error: String,
    counts: HashMap<String, i64>,
    session_results: Option<usize>,
}

impl Ended {
    /// A failure as the (public) run history shows it: `class: message`.
    /// The detail, which may hold addresses and OS errors, is logged here.
    fn failed(class: &'static str, public: impl Into<String>, detail: &dyn std::fmt::Display) -> Self {
        tracing::warn!(class, error = %detail, "run failed");
        let error = format!("{class}: {}", public.into());
        Self { outcome: SyncOutcome::Failed, error, counts: HashMap::new(), session_results: None }
    }

    fn fetch_failed(e: &crate::fetcher::FetchError) -> Self {
        let (class, public) = e.public();
        Self::failed(class, public, e)
    }

    fn store_failed(what: &str, e: &protobuf::DomainError) -> Self {
        let class = match e {
            protobuf::DomainError::Unavailable(_) => "store_unavailable",
            _ => "store_error",
        };
        Self::failed(class, format!("{what}: data_scheduler did not answer as expected"), e)
    }
}

/// The name of a kind's run guard.
pub fn guard_name(kind: Kind) -> String {
    format!("run:{kind}")
}

impl Runner {
    /// `guard_ttl` bounds how long a crashed run keeps its kind blocked; it
    /// must exceed the longest run (the fetch timeout).
    pub fn new(
        clock: Arc<dyn Clock>,
        lock: Arc<dyn Lock>,
        store: Store,
        fetcher: Fetcher,
        guard_ttl: Duration,
    ) -> Self {
        Self { clock, lock, store, fetcher, guard_ttl }
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    fn new_run(&self, kind: Kind, trigger: Trigger, params: String, started: DateTime<Utc>) -> SyncRun {
        SyncRun {
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind as i32,
            trigger: trigger.as_str().to_string(),
            source: SOURCE.to_string(),
            params,
            started_at: started.timestamp(),
            outcome: SyncOutcome::Running as i32,
            ..SyncRun::default()
        }
    }

    pub async fn run(&self, work: Work, trigger: Trigger) -> RunReport {
        let kind = work.kind();
        let mut run = self.new_run(kind, trigger, work.params(), self.clock.now());
        let guard = guard_name(kind);
        let ended = match self.lock.acquire(&guard, &run.id, self.guard_ttl).await {
            Ok(true) => {
                self.record(&run).await;
                let started = Instant::now();
                let ended = self.execute(&work, trigger).await;
                metrics::histogram!("scheduler_run_duration_seconds", "kind" => kind.as_str())
                    .record(started.elapsed().as_secs_f64());
                if let Err(e) = self.lock.release(&guard, &run.id).await {
                    // It expires by itself after the guard's ttl.
                    tracing::warn!(%kind, error = %e, "cannot release the run guard");
                }
                ended
            }
            Ok(false) => Ended {
                outcome: SyncOutcome::Skipped,
                error: format!("already_running: a {kind} run is already running"),
                counts: HashMap::new(),
                session_results: None,
            },
            Err(e) => Ended::failed("lock_unavailable", format!("cannot take the {kind} run guard"), &e),
        };
        run.finished_at = self.clock.now().timestamp();
        run.outcome = ended.outcome as i32;
        run.error = ended.error;
        run.records_written = ended.counts.get("records").copied().unwrap_or_default();
        run.counts = ended.counts;
        self.record(&run).await;
        let outcome = ended.outcome.slug();
        metrics::counter!("scheduler_runs_total", "kind" => kind.as_str(), "trigger" => trigger.as_str(), "outcome" => outcome)
            .increment(1);
        match ended.outcome {
            SyncOutcome::Failed => {
                tracing::warn!(%kind, trigger = trigger.as_str(), params = %run.params, error = %run.error, "run failed");
            }
            _ => tracing::info!(%kind, trigger = trigger.as_str(), params = %run.params, outcome, "run ended"),
        }
        RunReport { run, session_results: ended.session_results }
    }

    async fn execute(&self, work: &Work, trigger: Trigger) -> Ended {
        match work {
            Work::Fetch(fetch) => {
                let fetched = match self.fetcher.fetch(fetch, trigger).await {
                    Ok(f) => f,
                    Err(e) => return Ended::fetch_failed(&e),
                };
                let mut counts = HashMap::from([("records".to_string(), fetched.count)]);
                let mut session_results = None;
                if let Fetch::Results { season, round, session: Some(kind) } = fetch {
                    match self.store.session_results(*season, *round, *kind).await {
                        Ok(n) => {
                            counts.insert("session_results".into(), n as i64);
                            session_results = Some(n);
                        }
                        Err(e) => {
                            return Ended::store_failed("fetched, but checking the stored results failed", &e);
                        }
                    }
                }
                Ended { outcome: SyncOutcome::Success, error: String::new(), counts, session_results }
            }
            Work::Live(signal) => match self.fetcher.signal(signal).await {
                Ok(posted) => Ended {
                    outcome: SyncOutcome::Success,
                    error: String::new(),
                    counts: HashMap::from([("posted".to_string(), i64::from(posted))]),
                    session_results: None,
                },
                Err(e) => Ended::fetch_failed(&e),
            },
        }
    }

    /// Records that a session's results never came.
    pub async fn record_overdue(&self, params: String, message: String) -> Result<SyncRun, protobuf::DomainError> {
        let now = self.clock.now();
        let mut run = self.new_run(Kind::Results, Trigger::Planned, params, now);
        run.finished_at = now.timestamp();
        run.outcome = SyncOutcome::Overdue as i32;
        run.error = format!("results_overdue: {message}");
        metrics::counter!("scheduler_runs_total", "kind" => "results", "trigger" => "planned", "outcome" => "overdue")
            .increment(1);
        tracing::warn!(params = %run.params, error = %run.error, "session results overdue");
        self.store.write_run(run).await
    }

    /// Writes the record; a failure is logged and the run goes on (the
    /// fetch itself is recorded by the fetcher too).
    async fn record(&self, run: &SyncRun) {
        if let Err(e) = self.store.write_run(run.clone()).await {
            tracing::warn!(kind = %run.kind, id = %run.id, error = %e, "cannot record the run");
        }
    }
}
