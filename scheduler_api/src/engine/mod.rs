//! The engine: a supervised loop that, on each wake, reloads the calendar,
//! holds (or waits for) the leader lock, asks the planner what is due at
//! the clock's time and starts those runs. It sleeps until the planner's
//! next instant, a finished run, or the tick (lock renewal), whichever
//! comes first.
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, watch};

use crate::clock::Clock;
use crate::job::Kind;
use crate::lock::Lock;
use crate::plan::{Calendar, PlanState, Settings};
use crate::runner::Runner;
use crate::store::Store;

mod jobs;
mod status;
mod supervise;
mod tick;

pub use status::NextSession;

/// The leader lock's name: one replica runs every plan.
pub const LEADER_LOCK: &str = "leader";

/// Whether the engine loop is alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopStatus {
    NotStarted,
    Running,
    /// It failed and the supervisor is about to restart it.
    Restarting,
    Stopped,
}

/// What tests (and the single-process stack) can wait on: the last clock
/// time planned for, and whether work started since is still going on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub planned_at: Option<DateTime<Utc>>,
    pub in_flight: usize,
    /// Runs finished so far, and how many of them the last plan had seen:
    /// while they differ, another plan is coming.
    pub finished: u64,
    pub planned_finished: u64,
    pub next_wake: Option<DateTime<Utc>>,
}

struct State {
    /// Some while this replica leads.
    plan: Option<PlanState>,
    /// Bumped on every change of leadership, so a run from an earlier term
    /// does not touch the new term's state.
    term: u64,
    calendar: Option<Calendar>,
    calendar_error: Option<String>,
    running: BTreeSet<Kind>,
    status: LoopStatus,
}

pub(crate) struct Inner {
    settings: Settings,
    clock: Arc<dyn Clock>,
    lock: Arc<dyn Lock>,
    store: Store,
    runner: Arc<Runner>,
    token: String,
    lock_ttl: Duration,
    tick: Duration,
    state: Mutex<State>,
    wake: Notify,
    progress: watch::Sender<Progress>,
}

#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

/// How the engine is set up.
pub struct EngineParts {
    pub settings: Settings,
    pub runner: Arc<Runner>,
    pub store: Store,
    pub lock: Arc<dyn Lock>,
    /// Leader lock expiry.
    pub lock_ttl: Duration,
    /// Longest real-time pause between two plans; below half the lock ttl.
    pub tick: Duration,
}

impl Engine {
    pub fn new(parts: EngineParts) -> Self {
        let clock = parts.runner.clock().clone();
        let state = State {
            plan: None,
            term: 0,
            calendar: None,
            calendar_error: None,
            running: BTreeSet::new(),
            status: LoopStatus::NotStarted,
        };
        Self {
            inner: Arc::new(Inner {
                settings: parts.settings,
                clock,
                lock: parts.lock,
                store: parts.store,
                runner: parts.runner,
                token: uuid::Uuid::new_v4().to_string(),
                lock_ttl: parts.lock_ttl,
                tick: parts.tick,
                state: Mutex::new(state),
                wake: Notify::new(),
                progress: watch::channel(Progress::default()).0,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    pub fn is_leader(&self) -> bool {
        self.state().plan.is_some()
    }

    pub fn progress(&self) -> Progress {
        self.inner.progress.borrow().clone()
    }

    /// The next clock instant the engine will act at, as of its last plan.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        self.inner.progress.borrow().next_wake
    }

    /// Completes once the engine has planned for clock time `at` (or later)
    /// and every run started since has finished and been planned after.
    pub async fn settled(&self, at: DateTime<Utc>) {
        let mut rx = self.inner.progress.subscribe();
        let _ = rx
            .wait_for(|p| p.planned_at.is_some_and(|t| t >= at) && p.in_flight == 0 && p.planned_finished == p.finished)
            .await;
    }

    /// Asks for a plan now (e.g. after a manual run changed the data).
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }
}
