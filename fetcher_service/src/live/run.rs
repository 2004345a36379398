//! The live feed as the fetcher runs it: one at a time, started and stopped
//! over HTTP (scheduler_api's live plan does it around every session), its
//! board written to data_scheduler coalesced: at most one write per
//! `write_interval`, and only when something changed.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Shutdown;
use common::health::Check;
use futures_util::future::BoxFuture;
use protobuf::v1::{LiveSessionState, Session, SessionStatus, SessionType};
use tokio::sync::watch;
use tokio::time::Instant;

use super::board::{self, Info, SessionRef};
use super::records::records_loop;
use super::{LiveFeed, LiveStatus, SupervisorConfig, TopicState};
use crate::error::FetchError;
use crate::sync::livetiming::provisional_batch;
use data_client::Client;

/// How long a session that is not in the stored calendar waits before the
/// calendar is read again (every board change retries, at most this often).
const PLACE_RETRY: Duration = Duration::from_secs(5);
/// How long before a season's calendar is asked for upstream again.
const CALENDAR_RETRY: Duration = Duration::from_secs(300);

/// Fetches and stores a season's calendar (a recorded `rounds` sync), for a
/// live session the stored calendar does not hold yet.
pub type CalendarFetch = Arc<dyn Fn(i32) -> BoxFuture<'static, Result<(), FetchError>> + Send + Sync>;

/// How a started feed behaves.
#[derive(Debug, Clone)]
pub struct LiveSettings {
    pub supervisor: SupervisorConfig,
    pub write_interval: Duration,
}

/// At most one write of the live session's records per this long, unless
/// configured (`WIBM_LIVE_RECORDS_INTERVAL_MS`).
pub const RECORDS_INTERVAL: Duration = Duration::from_secs(2);

struct Running {
    feed: LiveFeed,
    stop_writer: Shutdown,
    writer: tokio::task::JoinHandle<()>,
    /// Ends once the feed has stopped, after the records' last write.
    records: tokio::task::JoinHandle<()>,
}

/// Starts, stops and reports the live feed.
#[derive(Clone)]
pub struct LiveControl {
    running: Arc<Mutex<Option<Running>>>,
    /// The last feed's status, kept after it stops.
    last: Arc<Mutex<Option<LiveFeed>>>,
    records_interval: Duration,
}

impl Default for LiveControl {
    fn default() -> Self {
        Self::new(RECORDS_INTERVAL)
    }
}

impl LiveControl {
    /// Writes the session's records at most once per `records_interval`.
    pub fn new(records_interval: Duration) -> Self {
        let records_interval = records_interval.max(Duration::from_millis(10));
        Self { running: Arc::default(), last: Arc::default(), records_interval }
    }

    /// Starts the feed unless one runs; `session` names the session when the
    /// caller knows it (otherwise SessionInfo and the stored calendar do;
    /// `calendar` fetches a season's calendar the store lacks).
    /// Returns whether a new feed was started.
    pub fn start(
        &self,
        settings: LiveSettings,
        client: Client,
        session: Option<SessionRef>,
        calendar: Option<CalendarFetch>,
    ) -> bool {
        let mut running = self.running.lock().expect("live lock");
        if running.as_ref().is_some_and(|r| r.feed.is_running()) {
            return false;
        }
        let (seen_tx, seen) = tokio::sync::mpsc::unbounded_channel();
        let feed = LiveFeed::spawn_seeing(settings.supervisor, Some(seen_tx));
        let (placed_tx, placed) = watch::channel(None);
        let records = tokio::spawn(records_loop(seen, placed, client.clone(), self.records_interval));
        let stop_writer = Shutdown::new();
        let writer = Writer::new(client, session, calendar, placed_tx);
        let writer = tokio::spawn(write_loop(feed.watch(), writer, settings.write_interval, stop_writer.clone()));
        *self.last.lock().expect("live lock") = Some(feed.clone());
        *running = Some(Running { feed, stop_writer, writer, records });
        tracing::info!("live feed started");
        true
    }

    /// Stops the feed, writes its last board, and returns whether one ran.
    pub async fn stop(&self) -> bool {
        let Some(running) = self.running.lock().expect("live lock").take() else { return false };
        running.feed.stop().await;
        running.stop_writer.trigger();
        let _ = running.writer.await;
        let _ = running.records.await;
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

async fn write_loop(mut rx: watch::Receiver<Arc<TopicState>>, mut writer: Writer, interval: Duration, stop: Shutdown) {
    loop {
        // A session not placed yet is tried again even when nothing changes
        // (a quiet feed, or one that has ended).
        let unplaced = writer.unplaced.is_some();
        tokio::select! {
            changed = rx.changed() => if changed.is_err() { break },
            _ = tokio::time::sleep(PLACE_RETRY), if unplaced => {}
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
    /// The session key last placed in the calendar, and where.
    placed: Option<(String, SessionRef)>,
    /// The session key that could not be placed yet, and when it was tried.
    unplaced: Option<(String, Instant)>,
    calendar: Option<CalendarFetch>,
    /// When each season's calendar was last asked for.
    asked: HashMap<i32, Instant>,
    last: Option<LiveSessionState>,
    /// The provisional classification last written, and its session key.
    classified: Option<(String, Session)>,
    /// Where the session was placed, for its records' link.
    placed_tx: watch::Sender<Option<(String, SessionRef)>>,
}

impl Writer {
    fn new(
        client: Client,
        given: Option<SessionRef>,
        calendar: Option<CalendarFetch>,
        placed_tx: watch::Sender<Option<(String, SessionRef)>>,
    ) -> Self {
        Self {
            placed_tx,
            client,
            given,
            placed: None,
            unplaced: None,
            calendar,
            asked: HashMap::new(),
            last: None,
            classified: None,
        }
    }

    async fn write(&mut self, state: &TopicState) {
        let Some(info) = board::info(state) else { return };
        let placed = self.place(&info).await;
        // Until the session is placed, the board says what SessionInfo says
        // (season, session type and name, meeting), with round 0.
        let at = placed.unwrap_or(SessionRef {
            season: info.season.unwrap_or_default(),
            round: 0,
            session_type: info.session_type.unwrap_or(SessionType::Unspecified),
        });
        let now = protobuf::domain::now_unix();
        let board = match board::board(state, at, now) {
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
        match self.client.live().write_live_state(board.clone()).await {
            Ok(_) => {
                metrics::counter!("fetcher_live_writes_total").increment(1);
                self.last = Some(board);
            }
            Err(e) => tracing::warn!(error = %e.message(), "writing the live board failed; the next change retries"),
        }
        if let (true, Some(at)) = (finished, placed) {
            self.classify(state, at, &info.key).await;
        }
    }

    /// Where the session is in the stored calendar. A session not found is
    /// tried again on a later board change (at most every `PLACE_RETRY`),
    /// never given up on: the calendar may be written any moment (a first
    /// start still importing, or the season's calendar asked for here).
    async fn place(&mut self, info: &Info) -> Option<SessionRef> {
        if let Some(given) = self.given.take() {
            self.placed = Some((info.key.clone(), given));
            self.placed_tx.send_replace(self.placed.clone());
        }
        match &self.placed {
            Some((key, at)) if *key == info.key => return Some(*at),
            _ => {}
        }
        let first_try = match &self.unplaced {
            Some((key, tried)) if *key == info.key => {
                if tried.elapsed() < PLACE_RETRY {
                    return None;
                }
                false
            }
            _ => true,
        };
        self.unplaced = Some((info.key.clone(), Instant::now()));
        match resolve(&self.client, info).await {
            Ok(at) => {
                tracing::info!(session = %info.key, season = at.season, round = at.round, "live session placed in the calendar");
                self.placed = Some((info.key.clone(), at));
                self.placed_tx.send_replace(self.placed.clone());
                self.unplaced = None;
                Some(at)
            }
            Err(why) => {
                if first_try {
                    tracing::warn!(session = %info.key, "{why}; the board is written without its round until it is placed");
                } else {
                    tracing::debug!(session = %info.key, "{why}");
                }
                if let (Unplaced::NotInCalendar(season), Some(fetch)) = (why, self.calendar.clone()) {
                    self.ask_for_calendar(season, fetch);
                }
                None
            }
        }
    }

    /// Fetches the season's calendar in the background (at most every
    /// `CALENDAR_RETRY`), so a later retry can place the session.
    fn ask_for_calendar(&mut self, season: i32, fetch: CalendarFetch) {
        if self.asked.get(&season).is_some_and(|at| at.elapsed() < CALENDAR_RETRY) {
            return;
        }
        self.asked.insert(season, Instant::now());
        tokio::spawn(async move {
            match fetch(season).await {
                Ok(()) => tracing::info!(season, "fetched the calendar of the live session's season"),
                Err(e) => tracing::warn!(error = %e, season, "fetching the live session's calendar failed"),
            }
        });
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
            self.client.sport().write_batch(batch).await.map_err(FetchError::from)?;
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

/// Why a live session is not placed in the calendar (yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unplaced {
    /// SessionInfo names no championship session (testing, a filming day).
    NotChampionship,
    /// The calendar could not be read.
    Unreadable,
    /// No stored round of this season holds it: the calendar is missing or
    /// out of date.
    NotInCalendar(i32),
}

impl std::fmt::Display for Unplaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotChampionship => f.write_str("SessionInfo names no championship session"),
            Self::Unreadable => f.write_str("the calendar cannot be read"),
            Self::NotInCalendar(season) => write!(f, "no stored round of {season} holds the live session"),
        }
    }
}

/// Finds the stored round whose session of this type starts when
/// SessionInfo says (within a day), or whose weekend holds that day.
async fn resolve(client: &Client, info: &Info) -> Result<SessionRef, Unplaced> {
    let (Some(season), Some(session_type)) = (info.season, info.session_type) else {
        return Err(Unplaced::NotChampionship);
    };
    let rounds = match client.calendar(season).await {
        Ok(rounds) => rounds,
        Err(e) => {
            tracing::warn!(error = %e, season, "cannot read the calendar to place the live session");
            return Err(Unplaced::Unreadable);
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
        Some(round) => Ok(SessionRef { season, round: round.round, session_type }),
        None => Err(Unplaced::NotInCalendar(season)),
    }
}
