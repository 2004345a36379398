//! The live board as Server-Sent Events (`/content/v1/live/stream`).
//!
//! One `WatchLiveState` stream per process feeds every client: each change
//! becomes an event kept in a short ring, so a client that comes back with
//! `Last-Event-ID` gets what it missed (or, when that is gone, a fresh
//! snapshot). Events:
//! - `snapshot`: the whole board (`{"live": false, "state": null}` when no
//!   session has been seen), first on every connection and whenever a new
//!   session starts;
//! - `update`: the top-level fields that changed, with their new values,
//!   and `sent_at_ms` (unix milliseconds when it was sent: clients and the
//!   benchmark measure their delay with it);
//! - `stale`: a live session whose board (its heartbeat included) has not
//!   changed for the silence period;
//! - `end`: the session finished; its final board stays the snapshot until
//!   the next session starts.
//!
//! A client that falls further behind than the channel holds is
//! disconnected (it can reconnect) so it never slows the others.
//!
//! Event ids name the board the event leaves the client holding: the
//! board's `version`, which data_scheduler gives every write, so every
//! replica and every restart of content_api names it the same way; `stale`
//! and `end`, which follow a board without changing it, are `<version>.<n>`.
//! A `Last-Event-ID` resumes only from an event this process holds in its
//! ring: what follows it there are changes to exactly that board, so they
//! apply to what the client holds, whichever process sent it the id. Any
//! other id (another session's, one older than the ring, a board this
//! process never saw, an id of the old per-process numbering) gets a fresh
//! `snapshot`, never changes to a board the client may not hold.
//!
//! Each event is written out as its `text/event-stream` frame once, when it
//! happens; every connection sends that same buffer (a reference count, no
//! copy), so reaching another client costs a write and nothing more.
//!
//! Every event is also kept, with when it arrived, in the last five
//! minutes' [`history`], which clients that asked for `?delay=N` read
//! (`delayed`): the same frames, each sent N seconds after it happened.
mod delayed;
pub mod history;

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use futures_util::{Stream, StreamExt};
use protobuf::v1::{Empty, LiveSessionState, SessionStatus};
use serde_json::{Value, json};
use tokio::sync::{broadcast, watch};

use self::history::{Built, History, Kind};
use crate::model;
use data_client::Client;

/// Events kept for `Last-Event-ID` resumption.
const RING: usize = 512;
/// Events a client may fall behind before it is dropped.
const CLIENT_BUFFER: usize = 256;

/// An event's id: the board's version, and for events that follow a board
/// without changing it (`stale`, `end`) their number after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventId {
    pub version: u64,
    pub after: u32,
}

impl EventId {
    /// Parses a `Last-Event-ID`; None for anything this stream never sends.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (version, after) = match text.split_once('.') {
            Some((version, after)) => (version, after.parse().ok().filter(|n| *n > 0)?),
            None => (text, 0),
        };
        if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Self { version: version.parse().ok()?, after })
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.after {
            0 => write!(f, "{}", self.version),
            n => write!(f, "{}.{n}", self.version),
        }
    }
}

#[derive(Debug, Clone)]
pub struct StreamEvent {
    pub id: EventId,
    /// The event as sent: `id`, `event` and `data` lines and a blank line.
    frame: Bytes,
}

impl StreamEvent {
    fn new(id: EventId, kind: &str, data: &str) -> Self {
        Self { id, frame: frame(id, kind, data) }
    }

    /// The event's data, read back from its frame (its `data:` lines).
    fn data(&self) -> String {
        let text = String::from_utf8_lossy(&self.frame);
        let lines: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
        lines.join("\n")
    }
}

/// The comment sent when nothing else was for a heartbeat period (it keeps
/// proxies from closing a quiet connection).
const HEARTBEAT: &[u8] = b": heartbeat\n\n";

/// One event in the `text/event-stream` format (WHATWG HTML §9.2): a line
/// break inside `data` starts another `data:` line.
fn frame(id: EventId, kind: &str, data: &str) -> Bytes {
    let mut out = String::with_capacity(data.len() + kind.len() + 40);
    out.push_str("id: ");
    out.push_str(&id.to_string());
    out.push_str("\nevent: ");
    out.push_str(kind);
    out.push('\n');
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    Bytes::from(out)
}

struct Board {
    /// The id of the last event about the current board.
    last_id: EventId,
    ring: VecDeque<Arc<StreamEvent>>,
    current: Option<LiveSessionState>,
    current_json: Value,
    changed_at: Instant,
    stale_sent: bool,
    /// The last few minutes of events, for delayed clients.
    history: History,
    /// When the current watch of data_scheduler began (unix microseconds,
    /// as boards' versions are): a first board older than that was there
    /// before this process watched.
    watching_since: u64,
}

/// The process's one live feed, shared by every SSE client.
#[derive(Clone)]
pub struct LiveHub {
    board: Arc<Mutex<Board>>,
    events: broadcast::Sender<Arc<StreamEvent>>,
    started: Arc<std::sync::Once>,
    client: Client,
    silence: Duration,
    /// The number after the newest held event: delayed clients waiting for
    /// one more watch it.
    held: watch::Sender<u64>,
    /// The boards delayed clients started from most recently (a crowd with
    /// one delay shares one rebuild).
    built: Arc<Mutex<VecDeque<Built>>>,
}

impl LiveHub {
    pub fn new(client: Client, silence: Duration) -> Self {
        let board = Board {
            last_id: EventId { version: 0, after: 0 },
            ring: VecDeque::new(),
            current: None,
            current_json: Value::Null,
            changed_at: Instant::now(),
            stale_sent: false,
            history: History::default(),
            watching_since: 0,
        };
        Self {
            board: Arc::new(Mutex::new(board)),
            events: broadcast::channel(CLIENT_BUFFER).0,
            started: Arc::new(std::sync::Once::new()),
            client,
            silence,
            held: watch::Sender::new(0),
            built: Arc::new(Mutex::new(VecDeque::new())),
        }
    }

    /// The bytes one client gets: a snapshot (or, with a `last_id` this
    /// process holds in its ring, what followed it), then every new event,
    /// with a heartbeat comment after each `heartbeat` without one. Ends
    /// when the client falls too far behind.
    pub fn subscribe(
        &self,
        last_id: Option<EventId>,
        heartbeat: Duration,
    ) -> impl Stream<Item = Result<Bytes, Infallible>> + use<> {
        self.start();
        let board = self.board.lock().expect("live board lock");
        let rx = self.events.subscribe();
        // Version 0 is a board data_scheduler did not number: it names nothing.
        let held = last_id.filter(|id| id.version != 0).and_then(|id| board.ring.iter().rposition(|e| e.id == id));
        let first = match held {
            Some(at) => board.ring.iter().skip(at + 1).cloned().collect(),
            None => vec![Arc::new(snapshot(&board))],
        };
        drop(board);
        let live = futures_util::stream::unfold(rx, move |mut rx| async move {
            match tokio::time::timeout(heartbeat, rx.recv()).await {
                Err(_quiet) => Some((Bytes::from_static(HEARTBEAT), rx)),
                Ok(Ok(event)) => Some((event.frame.clone(), rx)),
                Ok(Err(broadcast::error::RecvError::Lagged(n))) => {
                    metrics::counter!("content_live_clients_dropped_total").increment(1);
                    tracing::info!(missed = n, "dropping a live stream client that fell behind");
                    None
                }
                Ok(Err(broadcast::error::RecvError::Closed)) => None,
            }
        });
        futures_util::stream::iter(first.into_iter().map(|e| e.frame.clone())).chain(live).map(Ok)
    }

    /// Starts following data_scheduler's live state (once per process), so
    /// the history delayed clients read fills from then on.
    pub fn start(&self) {
        let hub = self.clone();
        self.started.call_once(move || {
            tokio::spawn(hub.clone().pump());
            tokio::spawn(hub.watch_silence());
        });
    }

    /// Follows data_scheduler's WatchLiveState for as long as the process
    /// runs, reconnecting with backoff.
    async fn pump(self) {
        let mut delay = Duration::from_millis(200);
        loop {
            match self.client.live().watch_live_state(Empty {}).await {
                Ok(stream) => {
                    let mut stream = stream.into_inner();
                    self.board.lock().expect("live board lock").watching_since = unix_micros();
                    delay = Duration::from_millis(200);
                    while let Some(message) = stream.next().await {
                        match message {
                            Ok(state) => self.offer(state),
                            Err(e) => {
                                tracing::warn!(error = %e.message(), "live watch ended; reconnecting");
                                break;
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e.message(), "cannot watch the live state; retrying"),
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(10));
        }
    }

    async fn watch_silence(self) {
        let mut tick = tokio::time::interval((self.silence / 4).max(Duration::from_millis(20)));
        loop {
            tick.tick().await;
            let mut board = self.board.lock().expect("live board lock");
            let live = board.current.as_ref().is_some_and(|s| s.status == SessionStatus::Live as i32);
            if live && !board.stale_sent && board.changed_at.elapsed() >= self.silence {
                board.stale_sent = true;
                let data = json!({"silent_for_secs": board.changed_at.elapsed().as_secs()}).to_string();
                let id = board.following();
                self.push(&mut board, id, "stale", data);
            }
        }
    }

    fn offer(&self, state: LiveSessionState) {
        let mut board = self.board.lock().expect("live board lock");
        let json = serde_json::to_value(model::live(state.clone())).unwrap_or_default();
        let previous = board.current.replace(state.clone());
        let before = std::mem::replace(&mut board.current_json, json.clone());
        board.changed_at = Instant::now();
        board.stale_sent = false;
        let id = EventId { version: state.version, after: 0 };
        let new_session = previous.as_ref().is_none_or(|p| {
            p.session_key != state.session_key
                || p.season != state.season
                || p.round != state.round
                || p.session_type != state.session_type
        });
        if new_session {
            let data = snapshot_data(&board);
            self.push(&mut board, id, "snapshot", data);
        } else {
            let mut changed = diff(&before, &json);
            if !changed.is_empty() {
                changed.insert("sent_at_ms".into(), json!(unix_millis()));
                self.push(&mut board, id, "update", Value::Object(changed).to_string());
            }
        }
        let over = |s: &LiveSessionState| {
            s.status == SessionStatus::Finished as i32 || s.status == SessionStatus::Cancelled as i32
        };
        if over(&state) && previous.as_ref().is_none_or(|p| !over(p) || new_session) {
            let data = snapshot_data(&board);
            let id = board.following();
            self.push(&mut board, id, "end", data);
        }
    }

    /// Sends `data` as event `id` and keeps it in the ring and the history
    /// (under the board lock, so a subscriber sees it exactly once).
    fn push(&self, board: &mut Board, id: EventId, kind: &'static str, data: String) {
        let event = Arc::new(StreamEvent::new(id, kind, &data));
        board.last_id = id;
        board.ring.push_back(event.clone());
        if board.ring.len() > RING {
            board.ring.pop_front();
        }
        let _ = self.events.send(event.clone());
        if !board.history.seen() && id.version != 0 && id.version < board.watching_since {
            board.history.seed(Kind::of(kind), &event);
        } else {
            board.history.push(tokio::time::Instant::now(), Kind::of(kind), event);
            self.held.send_replace(board.history.end());
        }
    }
}

fn unix_micros() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64)
}

fn unix_millis() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn snapshot_data(board: &Board) -> String {
    match &board.current {
        Some(s) => {
            let live = s.status == SessionStatus::Live as i32;
            json!({"live": live, "state": board.current_json}).to_string()
        }
        None => json!({"live": false, "state": null}).to_string(),
    }
}

impl Board {
    /// The id of an event that follows the current board without changing it.
    fn following(&self) -> EventId {
        EventId { after: self.last_id.after + 1, ..self.last_id }
    }
}

/// A snapshot carrying the id of the last event sent about this board, so
/// resuming after it continues from there.
fn snapshot(board: &Board) -> StreamEvent {
    StreamEvent::new(board.last_id, "snapshot", &snapshot_data(board))
}

/// The top-level fields of `after` that differ from `before`.
fn diff(before: &Value, after: &Value) -> serde_json::Map<String, Value> {
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        return after.as_object().cloned().unwrap_or_default();
    };
    after.iter().filter(|(k, v)| before.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_one_frame_with_a_data_line_per_line() {
        let one = StreamEvent::new(EventId { version: 7, after: 0 }, "update", r#"{"current_lap":4}"#);
        assert_eq!(&one.frame[..], b"id: 7\nevent: update\ndata: {\"current_lap\":4}\n\n");
        let two = StreamEvent::new(EventId { version: 7, after: 1 }, "stale", "a\r\nb");
        assert_eq!(&two.frame[..], b"id: 7.1\nevent: stale\ndata: a\ndata: b\n\n");
    }

    #[test]
    fn ids_read_back_as_written_and_nothing_else() {
        for id in [EventId { version: 1_765_000_000_000_000, after: 0 }, EventId { version: 9, after: 2 }] {
            assert_eq!(EventId::parse(&id.to_string()), Some(id));
        }
        for foreign in ["", "abc", "-3", "7.", "7.0", "7.x", ".1", "+7", "7.1.1"] {
            assert_eq!(EventId::parse(foreign), None, "{foreign:?}");
        }
    }

    #[test]
    fn an_update_carries_only_what_changed() {
        let before = json!({"current_lap": 3, "leaderboard": [1, 2], "track_status": "all_clear"});
        let after = json!({"current_lap": 4, "leaderboard": [1, 2], "track_status": "yellow"});
        assert_eq!(Value::Object(diff(&before, &after)), json!({"current_lap": 4, "track_status": "yellow"}));
    }
}
