//! The session's records (session data) as the live feed sees them: every
//! snapshot and feed message, in the order it arrived, goes through the
//! same `Deriver` as the archive sync, and the records are written whole
//! with `WriteSessionData` (source `live`), coalesced: at most one write
//! per interval, only when something arrived, and a last one when the feed
//! stops. They are `complete` once the feed says the session is over
//! (`Finalised` or `Ends`, in SessionStatus or SessionData's StatusSeries:
//! some captures carry only the latter).
//!
//! A reconnect's snapshot of the same session is read for the state of its
//! topics, but not for the event topics (race control, team radio, pit
//! times), whose snapshot repeats every event already read; what a
//! reconnect missed is filled by the archive sync the scheduler runs once
//! the archive is published.
use std::time::Duration;

use chrono::{DateTime, Utc};
use livetiming::openf1::{Deriver, TopicMessage, input};
use livetiming::wire::Source;
use protobuf::v1::SessionData;
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use super::TopicState;
use super::board::SessionRef;
use crate::sources::livetiming::records::to_session_data;

/// What the feed saw, in the order it saw it.
#[derive(Debug, Clone)]
pub enum Seen {
    /// A connection's first answer: the state of every topic, received at `date`.
    Snapshot { state: TopicState, date: DateTime<Utc> },
    /// One feed message, dated by the hub.
    Feed(TopicMessage),
}

/// Where the live session is in our calendar: its archive folder (the
/// feed's session key) and the round, once the board's writer placed it.
pub type Placed = watch::Receiver<Option<(String, SessionRef)>>;

/// Topics whose every patch adds events: a reconnect's snapshot repeats them.
const EVENT_TOPICS: [&str; 4] = ["RaceControlMessages", "TeamRadio", "PitLaneTimeCollection", "PitStopSeries"];

/// Where the records go: data_scheduler, or a test's list.
pub trait Sink: Send {
    fn write(&mut self, data: SessionData) -> impl Future<Output = Result<(), String>> + Send;
}

impl Sink for data_client::Client {
    async fn write(&mut self, data: SessionData) -> Result<(), String> {
        self.sport().write_session_data(data).await.map(|_| ()).map_err(|s| s.message().to_string())
    }
}

/// One session's derivation.
struct Current {
    key: String,
    deriver: Deriver,
    /// Something arrived since the last write.
    dirty: bool,
    /// The feed said the session is over.
    over: bool,
}

impl Current {
    fn new(key: String) -> Self {
        Self { key, deriver: Deriver::new(), dirty: false, over: false }
    }
}

/// Whether `message` says the session is over.
fn says_over(message: &TopicMessage) -> bool {
    let over = |s: Option<&Value>| s.and_then(Value::as_str).is_some_and(|s| matches!(s, "Finalised" | "Ends"));
    match message.topic.as_str() {
        "SessionStatus" => over(message.payload.get("Status")),
        "SessionData" => match message.payload.get("StatusSeries") {
            Some(Value::Object(items)) => items.values().any(|i| over(i.get("SessionStatus"))),
            Some(Value::Array(items)) => items.iter().any(|i| over(i.get("SessionStatus"))),
            _ => false,
        },
        _ => false,
    }
}

/// Derives and writes the records of what `seen` delivers until the feed
/// stops (the channel closes), at most once per `interval`.
pub async fn records_loop<S: Sink>(
    mut seen: mpsc::UnboundedReceiver<Seen>,
    placed: Placed,
    mut sink: S,
    interval: Duration,
) {
    let mut current: Option<Current> = None;
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            next = seen.recv() => match next {
                Some(next) => {
                    if let Some(ended) = take(&mut current, next) {
                        // A new session: the last of the old one first.
                        write(ended, &placed, &mut sink).await;
                    }
                }
                None => break,
            },
            _ = tick.tick() => {
                if let Some(c) = current.as_mut().filter(|c| c.dirty) {
                    c.dirty = false;
                    write_records(c, &placed, &mut sink).await;
                }
            }
        }
    }
    if let Some(c) = current.filter(|c| c.dirty) {
        write(c, &placed, &mut sink).await;
    }
}

/// Feeds `next` to the session it belongs to; returns the previous
/// session's derivation when `next` starts another one.
fn take(current: &mut Option<Current>, next: Seen) -> Option<Current> {
    match next {
        Seen::Snapshot { state, date } => {
            let key = state.session_key().unwrap_or_default();
            let same = current.as_ref().is_some_and(|c| c.key == key);
            let ended = if same { None } else { current.replace(Current::new(key)) };
            let c = current.as_mut().expect("just set");
            for message in snapshot(&state, date, same) {
                push(c, message);
            }
            ended
        }
        Seen::Feed(message) => {
            let c = current.get_or_insert_with(|| Current::new(String::new()));
            // A SessionInfo naming another session: the supervisor reconnects
            // for that session's snapshot, which starts its records.
            if message.topic == "SessionInfo"
                && let Some(path) = message.payload.get("Path").and_then(Value::as_str)
                && !c.key.is_empty()
                && path != c.key
            {
                return None;
            }
            if message.topic == "SessionInfo"
                && c.key.is_empty()
                && let Some(path) = message.payload.get("Path").and_then(Value::as_str)
            {
                c.key = path.to_string();
            }
            push(c, message);
            None
        }
    }
}

fn push(c: &mut Current, message: TopicMessage) {
    let topic = message.topic.clone();
    c.over |= says_over(&message);
    match c.deriver.push(message) {
        Ok(()) => c.dirty = true,
        Err(e) => tracing::warn!(error = %e, %topic, "session records: skipping a message"),
    }
}

/// A snapshot's topics as messages: SessionInfo and SessionStatus first (a
/// race, and whether it started, decide how TimingData is read), dated by
/// its Heartbeat when it has one. `again`: a reconnect's snapshot of the
/// same session, whose event topics are left out.
fn snapshot(state: &TopicState, received: DateTime<Utc>, again: bool) -> Vec<TopicMessage> {
    let date = state.get("Heartbeat").and_then(|h| h.get("Utc")).and_then(Value::as_str);
    let date = date.and_then(input::parse_utc).unwrap_or(received);
    let first = ["SessionInfo", "SessionStatus"];
    let names = first.iter().copied().chain(state.names().filter(|n| !first.contains(n)));
    names
        .filter(|n| !(again && EVENT_TOPICS.contains(n)))
        .filter_map(|n| Some(TopicMessage { date, topic: n.to_string(), payload: state.get(n)?.clone() }))
        .collect()
}

async fn write<S: Sink>(mut c: Current, placed: &Placed, sink: &mut S) {
    write_records(&mut c, placed, sink).await;
}

async fn write_records<S: Sink>(c: &mut Current, placed: &Placed, sink: &mut S) {
    let records = c.deriver.records();
    let complete = c.over;
    let link = placed
        .borrow()
        .as_ref()
        .filter(|(key, at)| *key == c.key && at.round > 0)
        .map(|(_, at)| (at.season, at.round, at.session_type));
    let Some(data) = to_session_data(&records, link, Source::Live, complete) else {
        tracing::debug!("session records: no SessionInfo keys yet");
        return;
    };
    match sink.write(data).await {
        Ok(()) => metrics::counter!("fetcher_live_session_data_writes_total").increment(1),
        Err(e) => {
            // The next interval writes the whole records again.
            c.dirty = true;
            tracing::warn!(error = %e, "writing the live session records failed; the next interval retries");
        }
    }
}
