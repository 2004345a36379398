//! The live feed as the fetcher runs it: one at a time, started and stopped
//! over HTTP (scheduler_api's live plan does it around every session), its
//! board written to data_scheduler coalesced: at most one write per
//! `write_interval`, and only when something changed.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Shutdown;
use common::health::Check;
use protobuf::v1::{LiveSessionState, Session, SessionStatus};
use tokio::sync::watch;

use super::board::{self, Info, SessionRef};
use super::{LiveFeed, LiveStatus, SupervisorConfig, TopicState};
use crate::error::FetchError;
use crate::sync::livetiming::provisional_batch;
use data_client::Client;

/// How a started feed behaves.
#[derive(Debug, Clone)]
pub struct LiveSettings {
    pub supervisor: SupervisorConfig,
    pub write_interval: Duration,
}

struct Running {
    feed: LiveFeed,
    stop_writer: Shutdown,
    writer: tokio::task::JoinHandle<()>,
}

/// Starts, stops and reports the live feed.
#[derive(Clone, Default)]
pub struct LiveControl {
    running: Arc<Mutex<Option<Running>>>,
    /// The last feed's status, kept after it stops.
    last: Arc<Mutex<Option<LiveFeed>>>,
}

impl LiveControl {
    /// Starts the feed unless one runs; `session` names the session when the
    /// caller knows it (otherwise SessionInfo and the stored calendar do).
    /// Returns whether a new feed was started.
    pub fn start(&self, settings: LiveSettings, client: Client, session: Option<SessionRef>) -> bool {
        let mut running = self.running.lock().expect("live lock");
        if running.as_ref().is_some_and(|r| r.feed.is_running()) {
            return false;
        }
        let feed = LiveFeed::spawn(settings.supervisor);
        let stop_writer = Shutdown::new();
        let writer =
            tokio::spawn(write_loop(feed.watch(), client, session, settings.write_interval, stop_writer.clone()));
        *self.last.lock().expect("live lock") = Some(feed.clone());
        *running = Some(Running { feed, stop_writer, writer });
        tracing::info!("live feed started");
        true
    }

    /// Stops the feed, writes its last board, and returns whether one ran.
    pub async fn stop(&self) -> bool {
        let Some(running) = self.running.lock().expect("live lock").take() else { return false };
        running.feed.stop().await;
        running.stop_writer.trigger();
        let _ = running.writer.await;
        tracing::info!("live feed stopped");
        true
    }

    pub fn status(&self) -> LiveStatus {
        self.last.lock().expect("live lock").as_ref().map(LiveFeed::status).unwrap_or_default()
    }

    /// `stale` (degraded) when a session is live and nothing arrived for
    /// `silence`; ok otherwise (no feed running is not a fault).
    pub fn health(&self, silence: Duration) -> Check {
        let Some(feed) = self.last.lock().expect("live lock").clone() else { return Check::ok() };
        let status = feed.status();
        let live = board::status(&feed.watch().borrow()) == SessionStatus::Live;
        let age = status.last_frame_age_ms.map(Duration::from_millis);
        match (status.running && live, age) {
            (true, Some(age)) if age >= silence => {
                Check::degraded(format!("stale: no live frame for {} s during a live session", age.as_secs()))
            }
            (true, None) => Check::degraded("stale: no live frame yet during a live session"),
            _ => Check::ok(),
        }
    }
}

async fn write_loop(
    mut rx: watch::Receiver<Arc<TopicState>>,
    client: Client,
    given: Option<SessionRef>,
    interval: Duration,
    stop: Shutdown,
) {
    let mut writer = Writer { client, given, resolved: None, last: None, classified: None };
    loop {
        tokio::select! {
            changed = rx.changed() => if changed.is_err() { break },
            _ = stop.wait() => break,
        }
        let state = rx.borrow_and_update().clone();
        writer.write(&state).await;
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop.wait() => break,
        }
    }
    // What arrived during the last interval.
    let state = rx.borrow().clone();
    writer.write(&state).await;
}

struct Writer {
    client: Client,
    given: Option<SessionRef>,
    /// The session key last resolved and what it resolved to.
    resolved: Option<(String, Option<SessionRef>)>,
    last: Option<LiveSessionState>,
    /// The provisional classification last written, and its session key.
    classified: Option<(String, Session)>,
}

impl Writer {
    async fn write(&mut self, state: &TopicState) {
        let Some(info) = board::info(state) else { return };
        if self.resolved.as_ref().is_none_or(|(key, _)| *key != info.key) {
            let at = match self.given.take() {
                Some(given) => Some(given),
                None => resolve(&self.client, &info).await,
            };
            self.resolved = Some((info.key.clone(), at));
        }
        let Some((_, Some(at))) = &self.resolved else { return };
        let now = protobuf::domain::now_unix();
        let board = match board::board(state, *at, now) {
            Ok(board) => board,
            Err(e) => {
                tracing::debug!(error = %e, "no live board yet");
                return;
            }
        };
        if self.last.as_ref().is_some_and(|last| LiveSessionState { updated_at: now, ..last.clone() } == board) {
            return;
        }
        let finished = board.status == SessionStatus::Finished as i32;
        match self.client.grpc().write_live_state(board.clone()).await {
            Ok(_) => {
                metrics::counter!("fetcher_live_writes_total").increment(1);
                self.last = Some(board);
            }
            Err(e) => tracing::warn!(error = %e.message(), "writing the live board failed; the next change retries"),
        }
        if finished {
            let at = *at;
            self.classify(state, at, &info.key).await;
        }
    }

    /// At the flag (SessionStatus Finished or Finalised), writes the order
    /// as the session's provisional classification, scored by the season's
    /// rules, with the provisional standings after the round; again when a
    /// late car crossing the line changes it. data_scheduler never lets it
    /// replace an official classification; the scheduler fetches that one.
    async fn classify(&mut self, state: &TopicState, at: SessionRef, key: &str) {
        let found = match board::classification(state, at) {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, session = key, "no provisional classification at the flag");
                return;
            }
        };
        let same = |(k, s): &(String, Session)| k == key && s.results == found.results;
        if self.classified.as_ref().is_some_and(same) {
            return;
        }
        let written = async {
            let rounds = self.client.rounds(at.season).await?;
            let batch = provisional_batch(&self.client, &rounds, found.clone(), &format!("live:{key}")).await?;
            self.client.grpc().write_batch(batch).await.map_err(FetchError::from)?;
            Ok::<_, FetchError>(())
        };
        match written.await {
            Ok(()) => {
                metrics::counter!("fetcher_live_classifications_total").increment(1);
                tracing::info!(season = at.season, round = at.round, session = %at.session_type.slug(), "provisional classification written at the flag");
                self.classified = Some((key.to_string(), found));
            }
            Err(e) => {
                tracing::warn!(error = %e, session = key, "writing the provisional classification failed; the next change retries")
            }
        }
    }
}

/// Finds the stored round whose session of this type starts when
/// SessionInfo says (within a day), or whose weekend holds that day.
async fn resolve(client: &Client, info: &Info) -> Option<SessionRef> {
    let (Some(season), Some(session_type)) = (info.season, info.session_type) else {
        tracing::warn!(session = %info.key, "SessionInfo names no championship session; the board is not written");
        return None;
    };
    let rounds = match client.calendar(season).await {
        Ok(rounds) => rounds,
        Err(e) => {
            tracing::warn!(error = %e, season, "cannot read the calendar to place the live session");
            return None;
        }
    };
    let start = info.start.map(|s| s.and_utc().timestamp());
    let day = info.start.map(|s| s.date().format("%Y-%m-%d").to_string()).unwrap_or_default();
    let by_start = rounds.iter().find(|r| {
        r.sessions.iter().any(|s| {
            s.r#type == session_type as i32
                && matches!((s.start_time, start), (Some(a), Some(b)) if (a - b).abs() <= 86_400)
        })
    });
    let by_day = || {
        rounds.iter().find(|r| {
            let last = if r.end_date.is_empty() { &r.date } else { &r.end_date };
            !r.first_date.is_empty() && r.first_date <= day && day <= *last
        })
    };
    match by_start.or_else(by_day) {
        Some(round) => Some(SessionRef { season, round: round.round, session_type }),
        None => {
            tracing::warn!(session = %info.key, season, "no stored round holds the live session; fetch the calendar");
            None
        }
    }
}
