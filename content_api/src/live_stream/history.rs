//! The last [`WINDOW`] of the live stream, kept for `?delay=N`: a viewer
//! whose TV shows the race N seconds late gets the board as it was N
//! seconds ago, and every later event N seconds after it happened.
//!
//! One history per process, shared by every delayed client: a base board
//! (the board just before the oldest held event) and the events after it,
//! each the very frame undelayed clients were sent, stamped with when it
//! arrived. Updates replace top-level fields, so the board at any moment of
//! the window is the base with every event up to that moment applied.
//! Events older than the window are folded into the base (their data read
//! back once), so what is held is bounded by the window, and by
//! [`MAX_BYTES`] should a feed write far faster than any real one does.
//! A delayed client holds only its position in the history and sleeps
//! until its next event is due; nothing is copied per client.
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::{EventId, StreamEvent};

/// The longest delay a client may ask for, in seconds.
pub const MAX_DELAY_SECS: u64 = 300;
/// How far back the history reaches.
pub const WINDOW: Duration = Duration::from_secs(MAX_DELAY_SECS);
/// The most event bytes held: past it the oldest are folded early (a
/// client delayed further than what is left then starts from the base).
pub const MAX_BYTES: usize = 64 << 20;

/// What an event does to the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Replaces the whole board (`{"live", "state"}`).
    Snapshot,
    /// Replaces the top-level fields it names (`sent_at_ms` aside).
    Update,
    /// Follows a board without changing it (`stale`, `end`).
    Follows,
}

impl Kind {
    pub fn of(kind: &str) -> Self {
        match kind {
            "snapshot" => Self::Snapshot,
            "update" => Self::Update,
            _ => Self::Follows,
        }
    }
}

struct Held {
    at: Instant,
    kind: Kind,
    event: Arc<StreamEvent>,
}

/// A board rebuilt at some position of the history, with its snapshot
/// frame (written once, sent to every client that starts there).
#[derive(Clone)]
pub struct Built {
    /// The number of the first event not applied.
    pub end: u64,
    pub board: Arc<Value>,
    pub id: EventId,
    pub frame: Bytes,
}

/// What a rebuild needs, copied out under the lock (reference counts) so
/// the rebuild itself runs without it.
pub struct Plan {
    from: Arc<Value>,
    from_id: EventId,
    events: Vec<(Kind, Arc<StreamEvent>)>,
    end: u64,
}

/// Where a delayed client's next event stands.
pub enum Next {
    /// Event `.1` arrived at `.0`.
    Held(Instant, Arc<StreamEvent>),
    /// Not arrived yet.
    NotYet,
    /// Folded away (the client fell further behind than the history).
    Gone,
}

pub struct History {
    base: Arc<Value>,
    base_id: EventId,
    /// The number of `held[0]`; numbers go on across folds.
    first: u64,
    held: VecDeque<Held>,
    bytes: usize,
    /// Whether any board was ever seen (a fresh process knows no past).
    seen: bool,
    /// [`MAX_BYTES`] (smaller in tests).
    max_bytes: usize,
}

impl Default for History {
    fn default() -> Self {
        Self {
            base: Arc::new(Value::Null),
            base_id: EventId { version: 0, after: 0 },
            first: 0,
            held: VecDeque::new(),
            bytes: 0,
            seen: false,
            max_bytes: MAX_BYTES,
        }
    }
}

impl History {
    /// Keeps `event`, which arrived `at`, and folds what the window no
    /// longer needs.
    pub fn push(&mut self, at: Instant, kind: Kind, event: Arc<StreamEvent>) {
        self.seen = true;
        self.bytes += event.frame.len();
        self.held.push_back(Held { at, kind, event });
        let horizon = at.checked_sub(WINDOW);
        while let Some(oldest) = self.held.front() {
            let old = horizon.is_some_and(|h| oldest.at <= h);
            if !old && self.bytes <= self.max_bytes {
                break;
            }
            let oldest = self.held.pop_front().expect("a held event");
            self.bytes -= oldest.event.frame.len();
            self.first += 1;
            let mut base = Arc::unwrap_or_clone(std::mem::take(&mut self.base));
            apply(&mut base, oldest.kind, &oldest.event);
            self.base = Arc::new(base);
            self.base_id = oldest.event.id;
        }
        metrics::gauge!("content_live_held_events").set(self.held.len() as f64);
        metrics::gauge!("content_live_held_bytes").set(self.bytes as f64);
    }

    /// Takes `event` as the board of the time before this process watched
    /// (a board written before it started): the base, held as no event, so
    /// a delayed client sees it at once rather than `delay` after now.
    /// Numbered as an event folded at once, so a client that subscribed
    /// before it starts again from it.
    pub fn seed(&mut self, kind: Kind, event: &StreamEvent) {
        self.seen = true;
        self.first += 1;
        let mut base = Arc::unwrap_or_clone(std::mem::take(&mut self.base));
        apply(&mut base, kind, event);
        self.base = Arc::new(base);
        self.base_id = event.id;
    }

    pub fn seen(&self) -> bool {
        self.seen
    }

    /// The number after the last held event.
    pub fn end(&self) -> u64 {
        self.first + self.held.len() as u64
    }

    pub fn next(&self, number: u64) -> Next {
        if number < self.first {
            return Next::Gone;
        }
        match self.held.get((number - self.first) as usize) {
            Some(h) => Next::Held(h.at, h.event.clone()),
            None => Next::NotYet,
        }
    }

    /// The number after the event `id`, when it is held (or is the last
    /// one folded) and arrived no later than `cutoff`.
    pub fn after(&self, id: EventId, cutoff: Instant) -> Option<u64> {
        if id == self.base_id && id.version != 0 {
            return Some(self.first);
        }
        let at = self.held.iter().rposition(|h| h.event.id == id)?;
        (self.held[at].at <= cutoff).then_some(self.first + at as u64 + 1)
    }

    /// How to rebuild the board as it was at `cutoff`, starting from the
    /// cached board `near` when it is on the way.
    pub fn plan(&self, cutoff: Instant, near: &[Built]) -> Plan {
        let end = self.first + self.held.partition_point(|h| h.at <= cutoff) as u64;
        let start = near.iter().filter(|b| b.end >= self.first && b.end <= end).max_by_key(|b| b.end);
        let (from, from_id, from_end) = match start {
            Some(b) => (b.board.clone(), b.id, b.end),
            None => (self.base.clone(), self.base_id, self.first),
        };
        let events = self
            .held
            .range((from_end - self.first) as usize..(end - self.first) as usize)
            .map(|h| (h.kind, h.event.clone()))
            .collect();
        Plan { from, from_id, events, end }
    }
}

impl Plan {
    pub fn end(&self) -> u64 {
        self.end
    }

    /// The board with the planned events applied, and its snapshot.
    pub fn build(self) -> Built {
        let mut id = self.from_id;
        let board = if self.events.is_empty() {
            self.from
        } else {
            let mut board = Arc::unwrap_or_clone(self.from);
            for (kind, event) in &self.events {
                apply(&mut board, *kind, event);
                id = event.id;
            }
            Arc::new(board)
        };
        let frame = StreamEvent::new(id, "snapshot", &snapshot_data(&board)).frame;
        Built { end: self.end, board, id, frame }
    }
}

/// A snapshot's data for `board` (`null` when no session was seen), as the
/// undelayed stream writes it.
pub fn snapshot_data(board: &Value) -> String {
    let live = board.get("status").and_then(Value::as_str) == Some("live");
    json!({"live": live, "state": board}).to_string()
}

/// `event` applied to `board`.
fn apply(board: &mut Value, kind: Kind, event: &StreamEvent) {
    if kind == Kind::Follows {
        return;
    }
    let Ok(data) = serde_json::from_str::<Value>(&event.data()) else {
        tracing::warn!(id = %event.id, "a held live event does not read back; skipped");
        return;
    };
    match (kind, data) {
        (Kind::Snapshot, Value::Object(mut data)) => *board = data.remove("state").unwrap_or(Value::Null),
        (Kind::Update, Value::Object(changed)) => {
            if !board.is_object() {
                *board = Value::Object(Default::default());
            }
            let fields = board.as_object_mut().expect("an object");
            for (k, v) in changed.into_iter().filter(|(k, _)| k != "sent_at_ms") {
                fields.insert(k, v);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(version: u64, kind: &str, data: Value) -> Arc<StreamEvent> {
        Arc::new(StreamEvent::new(EventId { version, after: 0 }, kind, &data.to_string()))
    }

    #[tokio::test(start_paused = true)]
    async fn the_board_at_a_moment_is_the_base_with_every_event_until_then() {
        let mut h = History::default();
        let t0 = Instant::now();
        let board = |lap: i32| json!({"status": "live", "current_lap": lap, "track_status": "all_clear"});
        h.push(t0, Kind::Snapshot, event(1, "snapshot", json!({"live": true, "state": board(1)})));
        for lap in 2..=400 {
            let at = t0 + Duration::from_secs(lap as u64);
            h.push(at, Kind::Update, event(lap as u64, "update", json!({"current_lap": lap, "sent_at_ms": 5})));
        }
        // 400 s of events: the first 100 are folded.
        assert_eq!(h.held.len(), 300);
        assert_eq!(h.first, 100);
        assert_eq!(*h.base, board(100));
        let at = |secs: u64| h.plan(t0 + Duration::from_secs(secs) + Duration::from_millis(500), &[]).build();
        let built = at(250);
        assert_eq!(*built.board, board(250));
        assert_eq!(built.id, EventId { version: 250, after: 0 });
        assert_eq!(
            &built.frame[..],
            format!("id: 250\nevent: snapshot\ndata: {}\n\n", snapshot_data(&board(250))).as_bytes()
        );
        // From a cached board on the way, the same board.
        let later = h.plan(t0 + Duration::from_secs(330), std::slice::from_ref(&built));
        assert_eq!(later.events.len(), 80);
        assert_eq!(*later.build().board, board(330));
        // Before the window: the base.
        assert_eq!(*at(20).board, board(100));
        assert!(matches!(h.next(99), Next::Gone));
        assert!(matches!(h.next(400), Next::NotYet));
        assert_eq!(h.after(EventId { version: 250, after: 0 }, t0 + Duration::from_secs(300)), Some(250));
        assert_eq!(h.after(EventId { version: 350, after: 0 }, t0 + Duration::from_secs(300)), None, "not due yet");
    }

    #[test]
    fn a_board_from_before_the_process_watched_is_the_base_at_once() {
        let mut h = History::default();
        assert!(!h.seen());
        let board = json!({"status": "live", "current_lap": 7});
        h.seed(Kind::Snapshot, &event(3, "snapshot", json!({"live": true, "state": board})));
        assert!(h.seen());
        assert!(matches!(h.next(0), Next::Gone), "a client from before starts again");
        let built = h.plan(Instant::now(), &[]).build();
        assert_eq!((*built.board).clone(), board);
        assert_eq!(built.id, EventId { version: 3, after: 0 });
    }

    #[test]
    fn what_is_held_is_bounded_by_bytes_too() {
        let mut h = History { max_bytes: 64 << 10, ..History::default() };
        let now = Instant::now();
        let big = "x".repeat(1 << 10);
        for v in 1..=100 {
            h.push(now, Kind::Update, event(v, "update", json!({"leaderboard": format!("{v}{big}")})));
        }
        assert!(h.bytes <= 64 << 10, "{}", h.bytes);
        assert!(h.held.len() < 100 && h.held.len() > 50, "{}", h.held.len());
        let folded = 100 - h.held.len();
        assert_eq!(h.base["leaderboard"], format!("{folded}{big}"), "the base has every folded event");
    }
}
