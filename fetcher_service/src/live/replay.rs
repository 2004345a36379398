//! `wibm replay`: serves the LiveTiming SignalR Core protocol from a
//! recorded session folder (the archive's `*.jsonStream` files), so the live
//! path runs with no internet.
//!
//! One clock drives the recording for every client, like the real hub: the
//! patches are merged into the server's state at their recorded time divided
//! by `speed`, and sent as `feed` messages to every subscribed connection.
//! A connection's Subscribe completion is the merged state at that moment.
//! A client too slow to keep up is disconnected (it reconnects for a fresh
//! snapshot) so it never holds the others back.
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, options};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::sync::{broadcast, watch};

use super::merge::merge;
use super::protocol::{self, Message};
use crate::sources::livetiming::LiveTimingError;
use livetiming::openf1::input::{ArchiveStream, archive_start};

const COOKIE: &str = "AWSALBCORS";

/// One recorded patch.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Since the recording began.
    pub at: Duration,
    pub topic: String,
    pub patch: Value,
}

/// Every patch of a session folder, in time order (a topic's own order is
/// kept for equal stamps).
#[derive(Debug, Clone, Default)]
pub struct Recording {
    pub patches: Vec<Recorded>,
    /// When the recording began, in UTC: each `feed` message is stamped
    /// with its recorded time (`start + at`), as the hub stamped it, so the
    /// session's records read from the replay carry the archive's dates.
    /// `None`: stamped with the time it is sent.
    pub start: Option<chrono::DateTime<chrono::Utc>>,
}

impl Recording {
    /// Reads every `{Topic}.jsonStream` of `dir`. Any unreadable file or
    /// malformed line is an error naming it.
    pub fn load(dir: &Path) -> Result<Self, LiveTimingError> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| LiveTimingError::invalid(&dir.display().to_string(), "folder", e.to_string()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonStream"))
            .collect();
        files.sort();
        let mut streams = Vec::new();
        for file in &files {
            let name = file.display().to_string();
            let topic = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            let bytes = std::fs::read(file).map_err(|e| LiveTimingError::invalid(&name, "file", e.to_string()))?;
            streams.push(ArchiveStream::read(&topic, &bytes, &name)?);
        }
        let start = archive_start(&streams).ok();
        let mut patches: Vec<Recorded> = streams
            .into_iter()
            .flat_map(|s| {
                let topic = s.topic;
                s.patches.into_iter().map(move |(at, patch)| Recorded { at, topic: topic.clone(), patch })
            })
            .collect();
        if patches.is_empty() {
            return Err(LiveTimingError::invalid(&dir.display().to_string(), "folder", "holds no *.jsonStream data"));
        }
        patches.sort_by_key(|p| p.at);
        Ok(Self { patches, start })
    }

    /// How long the recording runs at speed 1.
    pub fn duration(&self) -> Duration {
        self.patches.last().map(|p| p.at).unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
pub struct ReplayConfig {
    /// 1 = real time, 100 = a hundred times faster.
    pub speed: f64,
    /// How often the server pings each connection.
    pub ping_interval: Duration,
    /// Hold the clock until the first client subscribes (so it sees the whole
    /// session as feed), instead of starting at once.
    pub wait_for_client: bool,
    /// Skip this much of the recording (pre-session chatter), at speed 1.
    pub skip: Duration,
    /// Frames a connection may fall behind before it is cut.
    pub buffer: usize,
}

impl Default for ReplayConfig {
    fn default() -> Self {
        Self {
            speed: 1.0,
            ping_interval: Duration::from_secs(15),
            wait_for_client: false,
            skip: Duration::ZERO,
            buffer: 4096,
        }
    }
}

/// A frame for every connection, with the topic it belongs to (`None`:
/// sent to all, whatever they subscribed).
type Broadcast = Arc<(Option<String>, String)>;

struct Hub {
    state: Map<String, Value>,
    position: usize,
    tokens: HashSet<String>,
}

struct Shared {
    hub: Mutex<Hub>,
    frames: broadcast::Sender<Broadcast>,
    config: ReplayConfig,
    /// Bumped to cut every connection at once (tests of reconnecting).
    generation: watch::Sender<u64>,
    subscribed: watch::Sender<bool>,
    finished: watch::Sender<bool>,
    /// While set, negotiate answers 503 (an upstream outage, in tests).
    outage: watch::Sender<bool>,
}

/// A running replay: the router to serve and a handle to steer it.
#[derive(Clone)]
pub struct Replay {
    shared: Arc<Shared>,
}

impl Replay {
    /// Starts the clock task; serve [`Replay::router`] to expose it.
    pub fn start(recording: Recording, config: ReplayConfig) -> Self {
        let shared = Arc::new(Shared {
            hub: Mutex::new(Hub { state: Map::new(), position: 0, tokens: HashSet::new() }),
            frames: broadcast::channel(config.buffer.max(16)).0,
            config,
            generation: watch::channel(0).0,
            subscribed: watch::channel(false).0,
            finished: watch::channel(false).0,
            outage: watch::channel(false).0,
        });
        tokio::spawn(drive(shared.clone(), recording));
        Self { shared }
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/signalrcore/negotiate", options(negotiate_options).post(negotiate))
            .route("/signalrcore", get(connect))
            .with_state(self.shared.clone())
    }

    /// Binds `addr` and serves until `shutdown`.
    pub async fn serve(&self, addr: SocketAddr, shutdown: common::Shutdown) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        let app = self.router();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).with_graceful_shutdown(shutdown.signalled()).await;
        });
        Ok(bound)
    }

    /// Drops every connection without a close message, as a network failure would.
    pub fn cut_connections(&self) {
        self.shared.generation.send_modify(|g| *g += 1);
    }

    /// Starts (`true`) or ends an outage: connections are cut and negotiate
    /// answers 503 until it ends. The recording's clock keeps running.
    pub fn outage(&self, on: bool) {
        self.shared.outage.send_replace(on);
        if on {
            self.cut_connections();
        }
    }

    /// Sends `text` as is to every connection (a malformed frame, in tests).
    pub fn send_raw(&self, text: &str) {
        let _ = self.shared.frames.send(Arc::new((None, text.to_string())));
    }

    /// Completes once every patch of the recording has been sent.
    pub async fn finished(&self) {
        let _ = self.shared.finished.subscribe().wait_for(|f| *f).await;
    }

    /// How many patches have been merged so far.
    pub fn position(&self) -> usize {
        self.shared.hub.lock().expect("replay lock").position
    }
}

async fn drive(shared: Arc<Shared>, recording: Recording) {
    if shared.config.wait_for_client {
        let _ = shared.subscribed.subscribe().wait_for(|s| *s).await;
    }
    let speed = if shared.config.speed > 0.0 { shared.config.speed } else { 1.0 };
    let skip = shared.config.skip;
    let started = tokio::time::Instant::now();
    let recorded = recording.start;
    for (i, p) in recording.patches.into_iter().enumerate() {
        let due = started + p.at.saturating_sub(skip).div_f64(speed);
        tokio::time::sleep_until(due).await;
        let at = recorded.map(|s| s + chrono::TimeDelta::from_std(p.at).unwrap_or_default());
        let utc = at.unwrap_or_else(chrono::Utc::now).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut hub = shared.hub.lock().expect("replay lock");
        let frame = protocol::feed(&p.topic, &p.patch, &utc);
        let topic = p.topic.clone();
        if p.topic.ends_with(".z") {
            hub.state.insert(p.topic, p.patch);
        } else if let Err(e) = merge(hub.state.entry(p.topic).or_insert(Value::Null), p.patch) {
            tracing::warn!(error = %e, %topic, "replay: a recorded patch does not merge");
        }
        hub.position = i + 1;
        // Sent under the lock, so a Subscribe sees each patch either in its
        // snapshot or as feed, never both or neither.
        let _ = shared.frames.send(Arc::new((Some(topic), frame)));
    }
    shared.finished.send_replace(true);
    tracing::info!("replay: the recording is over; connections stay open");
}

async fn negotiate_options(State(shared): State<Arc<Shared>>) -> Response {
    if *shared.outage.borrow() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let cookie = format!("{COOKIE}={}; Path=/; SameSite=None", uuid_like());
    (StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response()
}

async fn negotiate(State(shared): State<Arc<Shared>>) -> Response {
    if *shared.outage.borrow() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let (id, token) = (uuid_like(), uuid_like());
    shared.hub.lock().expect("replay lock").tokens.insert(token.clone());
    axum::Json(json!({
        "negotiateVersion": 1,
        "connectionId": id,
        "connectionToken": token,
        "availableTransports": [{"transport": "WebSockets", "transferFormats": ["Text"]}],
    }))
    .into_response()
}

#[derive(Deserialize)]
struct ConnectQuery {
    id: String,
}

/// The WebSocket, for a token from negotiate presented with the cookie
/// negotiate set (the real hub's load balancer needs it).
async fn connect(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<ConnectQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let has_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(';').any(|c| c.trim().starts_with(&format!("{COOKIE}="))));
    let known = shared.hub.lock().expect("replay lock").tokens.remove(&q.id);
    if !known || !has_cookie {
        return (StatusCode::UNAUTHORIZED, "negotiate first, and keep its cookie").into_response();
    }
    ws.on_upgrade(move |socket| async move {
        if let Err(e) = session(shared, socket).await {
            tracing::debug!(error = %e, "replay: connection ended");
        }
    })
}

async fn session(shared: Arc<Shared>, mut socket: WebSocket) -> Result<(), String> {
    let mut generation = shared.generation.subscribe();
    let handshake = next_text(&mut socket).await?;
    let hello: Value = serde_json::from_str(handshake.trim_end_matches(protocol::RECORD_SEPARATOR))
        .map_err(|_| "a handshake that is not JSON")?;
    if hello != json!({"protocol": "json", "version": 1}) {
        let _ = socket.send(WsMessage::text(protocol::frame(&json!({"error": "unsupported protocol"})))).await;
        return Err("unsupported handshake".into());
    }
    // The real hub pings right away, before any completion.
    socket
        .send(WsMessage::text(format!("{{}}{}{}", protocol::RECORD_SEPARATOR, protocol::ping())))
        .await
        .map_err(|e| e.to_string())?;

    let (invocation, topics) = loop {
        let text = next_text(&mut socket).await?;
        let subscribe = protocol::split(&text).find_map(|m| match m {
            Ok(Message::Invocation { invocation_id: Some(id), target, arguments }) if target == "Subscribe" => {
                let topics: Vec<String> = arguments
                    .first()
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                Some((id, topics))
            }
            _ => None,
        });
        if let Some(found) = subscribe {
            break found;
        }
    };
    let (snapshot, mut frames) = {
        let hub = shared.hub.lock().expect("replay lock");
        let snapshot: Map<String, Value> =
            hub.state.iter().filter(|(t, _)| topics.contains(t)).map(|(t, v)| (t.clone(), v.clone())).collect();
        (Value::Object(snapshot), shared.frames.subscribe())
    };
    shared.subscribed.send_replace(true);
    socket.send(WsMessage::text(protocol::completion(&invocation, &snapshot))).await.map_err(|e| e.to_string())?;

    let mut ping = tokio::time::interval(shared.config.ping_interval);
    ping.reset();
    loop {
        tokio::select! {
            frame = frames.recv() => match frame {
                Ok(frame) => {
                    let (topic, text) = &*frame;
                    if topic.as_ref().is_none_or(|t| topics.contains(t)) {
                        socket.send(WsMessage::text(text.clone())).await.map_err(|e| e.to_string())?;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    let _ = socket.send(WsMessage::text(protocol::close())).await;
                    return Err(format!("a slow client missed {n} frames: disconnected"));
                }
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
            _ = ping.tick() => socket.send(WsMessage::text(protocol::ping())).await.map_err(|e| e.to_string())?,
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(WsMessage::Close(_))) => return Ok(()),
                Some(Ok(WsMessage::Text(text))) => {
                    if protocol::split(&text).any(|m| matches!(m, Ok(Message::Close { .. }))) {
                        return Ok(());
                    }
                }
                Some(Ok(_)) => {}
            },
            _ = generation.changed() => return Err("cut by the replay".into()),
        }
    }
}

async fn next_text(socket: &mut WebSocket) -> Result<String, String> {
    loop {
        match socket.recv().await {
            Some(Ok(WsMessage::Text(text))) => return Ok(text.to_string()),
            Some(Ok(WsMessage::Close(_))) | None => return Err("closed".into()),
            Some(Err(e)) => return Err(e.to_string()),
            Some(Ok(_)) => {}
        }
    }
}

fn uuid_like() -> String {
    use rand::Rng;
    format!("{:032x}", rand::rng().random::<u128>())
}
