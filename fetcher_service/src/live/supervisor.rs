//! Keeps one hub connection alive for as long as the live feed runs:
//! reconnects with backoff and jitter after a close, an error or silence,
//! replaces the state with the fresh snapshot of every new connection, and
//! reconnects at once when SessionInfo names a new session. The merged state
//! is published, at most once per `publish_interval`, on a watch channel.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Shutdown;
use rand::Rng;
use serde::Serialize;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::client::{self, Event, HubConfig};
use super::records::Seen;
use super::state::SUBSCRIBER_TOPICS;
use super::{LiveError, TopicState, subscription};
use livetiming::openf1::TopicMessage;

#[derive(Debug, Clone)]
pub struct SupervisorConfig {
    pub hub: HubConfig,
    /// No frame (ping included) for this long counts as a dead connection.
    pub silence: Duration,
    /// First reconnect delay; doubles per failed attempt up to `backoff_max`.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// Coalescing: the state is published at most once per interval.
    pub publish_interval: Duration,
}

/// What `GET /fetcher/v1/live/status` reports.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct LiveStatus {
    pub running: bool,
    pub connected: bool,
    /// The session's archive folder from SessionInfo.
    pub session: Option<String>,
    /// The topics that hold state.
    pub topics: Vec<String>,
    /// Milliseconds since the last frame (ping included).
    pub last_frame_age_ms: Option<u64>,
    /// Feed messages received since start.
    pub messages: u64,
    pub reconnects: u64,
    pub last_error: Option<String>,
    /// Whether the feed presents an F1 TV token (`WIBM_F1TV_TOKEN`).
    pub f1tv_token: bool,
    /// The topics the hub does not send this feed, and why: without a
    /// token, CarData.z (car data), Position.z (car positions) and
    /// ChampionshipPrediction.
    pub missing_topics: Vec<MissingTopic>,
}

/// A topic the live feed goes without.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MissingTopic {
    pub topic: String,
    pub reason: String,
}

impl LiveStatus {
    /// The status with what a feed with (or without) an F1 TV token gets.
    pub fn with_token(mut self, token: bool) -> Self {
        self.f1tv_token = token;
        self.missing_topics = if token {
            Vec::new()
        } else {
            SUBSCRIBER_TOPICS
                .iter()
                .map(|topic| MissingTopic {
                    topic: topic.to_string(),
                    reason: format!(
                        "the hub sends {topic} only to an F1 TV subscriber: set WIBM_F1TV_TOKEN{}",
                        match *topic {
                            "CarData.z" => " (car_data is read from the archive once the session is published)",
                            "Position.z" => " (location is read from the archive once the session is published)",
                            _ => "",
                        }
                    ),
                })
                .collect()
        };
        self
    }
}

#[derive(Debug, Default)]
struct Stats {
    connected: bool,
    session: Option<String>,
    topics: Vec<String>,
    last_frame: Option<Instant>,
    messages: u64,
    reconnects: u64,
    last_error: Option<String>,
}

/// A running live feed: its status and its published state.
#[derive(Clone)]
pub struct LiveFeed {
    stats: Arc<Mutex<Stats>>,
    state: watch::Receiver<Arc<TopicState>>,
    stop: Shutdown,
    done: watch::Receiver<bool>,
    /// Whether it presents an F1 TV token.
    token: bool,
}

impl LiveFeed {
    /// Starts the supervised connection in the background.
    pub fn spawn(config: SupervisorConfig) -> Self {
        Self::spawn_seeing(config, None)
    }

    /// Starts it and sends `seen` every snapshot and feed message, in the
    /// order they arrive (the session records are derived from them).
    pub fn spawn_seeing(config: SupervisorConfig, seen: Option<mpsc::UnboundedSender<Seen>>) -> Self {
        let (state_tx, state) = watch::channel(Arc::new(TopicState::default()));
        let (done_tx, done) = watch::channel(false);
        let token = config.hub.token.is_some();
        let feed = Self { stats: Arc::default(), state, stop: Shutdown::new(), done, token };
        let run = Runner { config, stats: feed.stats.clone(), state: state_tx, stop: feed.stop.clone(), seen };
        tokio::spawn(async move {
            run.supervise().await;
            done_tx.send_replace(true);
        });
        feed
    }

    /// Stops the feed and waits until the connection is closed.
    pub async fn stop(&self) {
        self.stop.trigger();
        let _ = self.done.clone().wait_for(|done| *done).await;
    }

    pub fn is_running(&self) -> bool {
        !*self.done.borrow()
    }

    /// The merged state, republished (coalesced) as it changes.
    pub fn watch(&self) -> watch::Receiver<Arc<TopicState>> {
        self.state.clone()
    }

    pub fn status(&self) -> LiveStatus {
        let stats = self.stats.lock().expect("live stats lock");
        LiveStatus {
            running: self.is_running(),
            connected: stats.connected,
            session: stats.session.clone(),
            topics: stats.topics.clone(),
            last_frame_age_ms: stats.last_frame.map(|t| t.elapsed().as_millis() as u64),
            messages: stats.messages,
            reconnects: stats.reconnects,
            last_error: stats.last_error.clone(),
            ..LiveStatus::default()
        }
        .with_token(self.token)
    }
}

struct Runner {
    config: SupervisorConfig,
    stats: Arc<Mutex<Stats>>,
    state: watch::Sender<Arc<TopicState>>,
    stop: Shutdown,
    seen: Option<mpsc::UnboundedSender<Seen>>,
}

/// Why a connection ended.
enum Ended {
    Stopped,
    NewSession,
    Failed(LiveError),
}

impl Runner {
    async fn supervise(self) {
        let topics = subscription(self.config.hub.token.is_some());
        let mut failures: u32 = 0;
        let mut first = true;
        while !self.stop.is_triggered() {
            if !first {
                self.stats(|s| s.reconnects += 1);
                metrics::counter!("fetcher_live_reconnects_total").increment(1);
            }
            first = false;
            let ended = tokio::select! {
                connected = client::connect(&self.config.hub, &topics) => match connected {
                    Ok(connection) => self.run(connection).await,
                    Err(e) => Ended::Failed(e),
                },
                _ = self.stop.wait() => Ended::Stopped,
            };
            self.stats(|s| s.connected = false);
            let delay = match ended {
                Ended::Stopped => break,
                Ended::NewSession => {
                    tracing::info!("SessionInfo names a new session: reconnecting for its snapshot");
                    failures = 0;
                    Duration::ZERO
                }
                Ended::Failed(e) => {
                    tracing::warn!(error = %e, "live connection lost; reconnecting");
                    self.stats(|s| s.last_error = Some(e.to_string()));
                    failures = failures.saturating_add(1);
                    self.backoff(failures)
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = self.stop.wait() => break,
            }
        }
        self.stats(|s| s.connected = false);
    }

    /// `backoff_min * 2^(n-1)`, capped, then a random 50–100 % of it so that
    /// many clients do not reconnect in step.
    fn backoff(&self, failures: u32) -> Duration {
        let base = self.config.backoff_min.saturating_mul(1 << failures.saturating_sub(1).min(16));
        let capped = base.min(self.config.backoff_max);
        capped.mul_f64(rand::rng().random_range(0.5..=1.0))
    }

    async fn run(&self, mut connection: client::Connection) -> Ended {
        self.stats(|s| {
            s.connected = true;
            s.last_frame = Some(Instant::now());
        });
        let mut state = TopicState::default();
        let mut dirty = false;
        let mut publish = tokio::time::interval(self.config.publish_interval);
        publish.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut gauge = tokio::time::interval(Duration::from_secs(1));
        // One deadline for the whole connection, moved only by a frame
        // (a hub ping included): the other branches' turns never restart it.
        let silent = tokio::time::sleep(self.config.silence);
        tokio::pin!(silent);
        loop {
            let event = tokio::select! {
                () = &mut silent => return Ended::Failed(LiveError::Silent(self.config.silence)),
                _ = gauge.tick() => {
                    let age = self.stats.lock().expect("live stats lock").last_frame.map(|t| t.elapsed());
                    metrics::gauge!("fetcher_live_last_frame_age_seconds").set(age.unwrap_or_default().as_secs_f64());
                    continue;
                }
                event = connection.next() => event,
                _ = publish.tick(), if dirty => {
                    self.publish(&state);
                    dirty = false;
                    continue;
                }
                _ = self.stop.wait() => {
                    connection.close().await;
                    return Ended::Stopped;
                }
            };
            let event = match event {
                Err(e) => return Ended::Failed(e),
                Ok(event) => event,
            };
            let now = Instant::now();
            silent.as_mut().reset(now + self.config.silence);
            self.stats(|s| s.last_frame = Some(now));
            match event {
                Event::Alive => {}
                Event::Snapshot(snapshot) => {
                    self.see(|| Seen::Snapshot { state: snapshot.clone(), date: chrono::Utc::now() });
                    // A fresh snapshot replaces whatever we held.
                    state = snapshot;
                    self.publish(&state);
                    dirty = false;
                }
                Event::Feed { topic, payload, date } => {
                    self.see(|| {
                        let date = date.unwrap_or_else(chrono::Utc::now);
                        Seen::Feed(TopicMessage { date, topic: topic.clone(), payload: payload.clone() })
                    });
                    self.stats(|s| s.messages += 1);
                    metrics::counter!("fetcher_live_messages_total").increment(1);
                    let before = state.session_key();
                    match state.apply(&topic, payload) {
                        Ok(_) => dirty = true,
                        Err(e) => tracing::warn!(error = %e, "skipping a feed message"),
                    }
                    if topic == "SessionInfo" && before.is_some() && state.session_key() != before {
                        self.publish(&state);
                        connection.close().await;
                        return Ended::NewSession;
                    }
                }
            }
        }
    }

    fn publish(&self, state: &TopicState) {
        self.stats(|s| {
            s.session = state.session_key();
            s.topics = state.names().map(str::to_string).collect();
        });
        self.state.send_replace(Arc::new(state.clone()));
    }

    /// Sends what the feed saw to the session records, when they are kept.
    fn see(&self, seen: impl FnOnce() -> Seen) {
        if let Some(tx) = &self.seen {
            // The records' task ends only when the feed is stopped.
            let _ = tx.send(seen());
        }
    }

    fn stats(&self, f: impl FnOnce(&mut Stats)) {
        f(&mut self.stats.lock().expect("live stats lock"));
    }
}
