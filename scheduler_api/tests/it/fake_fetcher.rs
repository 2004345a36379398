//! A fake fetcher_service on 127.0.0.1:0: it records every call with the
//! test clock's time, answers as the fetcher does, and can make a session's
//! results appear (written into data_scheduler) on its n-th results call,
//! fail every call, or hold calls of one kind until released.
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use data_client::SportData as Client;
use protobuf::v1::{Provenance, ResultSource, SessionKey, SessionResult, SessionType, WriteBatchRequest};
use scheduler_api::{Clock, TestClock};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The fetch kind, `live` for the live signal URL, or `live_start` /
    /// `live_stop` for the fetcher's own live routes.
    pub kind: String,
    pub query: BTreeMap<String, String>,
    pub trigger: String,
    pub at: DateTime<Utc>,
    /// The live signal's JSON body.
    pub body: Option<Value>,
}

impl Call {
    pub fn param(&self, name: &str) -> &str {
        self.query.get(name).map_or("", String::as_str)
    }
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    /// 503 for every call while set.
    down: bool,
    /// Results of a session appear on its n-th results call (absent: never).
    appear_on: HashMap<SessionType, usize>,
    results_calls: HashMap<(i32, SessionType), usize>,
    /// A session's archive copy is published for its n-th session-data call
    /// (absent: at once); earlier calls answer 502 as the fetcher does.
    archive_on: HashMap<SessionType, usize>,
    archive_calls: HashMap<(i32, SessionType), usize>,
    holds: HashMap<String, Arc<Semaphore>>,
}

#[derive(Clone)]
pub struct FakeFetcher {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

#[derive(Clone)]
struct AppState {
    inner: Arc<Mutex<Inner>>,
    clock: TestClock,
    data: Client,
}

impl FakeFetcher {
    pub async fn start(clock: TestClock, data: Client) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        Self::serve(listener, clock, data)
    }

    /// Serves on a given listener (a test that first had the fetcher down).
    pub fn serve(listener: tokio::net::TcpListener, clock: TestClock, data: Client) -> Self {
        let addr = listener.local_addr().expect("addr");
        let inner = Arc::new(Mutex::new(Inner::default()));
        let state = AppState { inner: inner.clone(), clock, data };
        let app = Router::new()
            .route("/fetcher/v1/fetch/{kind}", post(fetch))
            .route("/live", post(live))
            .route("/fetcher/v1/live/{action}", post(fetcher_live))
            .route("/health", get(health))
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, inner }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.lock().unwrap().calls.clone()
    }

    pub fn calls_of(&self, kind: &str) -> Vec<Call> {
        self.calls().into_iter().filter(|c| c.kind == kind).collect()
    }

    pub fn results_appear_on(&self, kind: SessionType, call: usize) {
        self.inner.lock().unwrap().appear_on.insert(kind, call);
    }

    pub fn archive_appears_on(&self, kind: SessionType, call: usize) {
        self.inner.lock().unwrap().archive_on.insert(kind, call);
    }

    pub fn set_down(&self, down: bool) {
        self.inner.lock().unwrap().down = down;
    }

    /// Calls of `kind` wait until [`FakeFetcher::release`].
    pub fn hold(&self, kind: &str) {
        self.inner.lock().unwrap().holds.insert(kind.to_string(), Arc::new(Semaphore::new(0)));
    }

    pub fn release(&self, kind: &str) {
        if let Some(gate) = self.inner.lock().unwrap().holds.remove(kind) {
            gate.add_permits(Semaphore::MAX_PERMITS);
        }
    }
}

fn trigger_of(headers: &HeaderMap) -> String {
    headers.get("x-wibm-trigger").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

async fn health(State(app): State<AppState>) -> StatusCode {
    if app.inner.lock().unwrap().down { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK }
}

async fn live(State(app): State<AppState>, headers: HeaderMap, Json(body): Json<Value>) -> StatusCode {
    let call = Call {
        kind: "live".into(),
        query: BTreeMap::new(),
        trigger: trigger_of(&headers),
        at: app.clock.now(),
        body: Some(body),
    };
    app.inner.lock().unwrap().calls.push(call);
    StatusCode::NO_CONTENT
}

async fn fetcher_live(
    State(app): State<AppState>,
    Path(action): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> StatusCode {
    let call =
        Call { kind: format!("live_{action}"), query, trigger: trigger_of(&headers), at: app.clock.now(), body: None };
    app.inner.lock().unwrap().calls.push(call);
    StatusCode::OK
}

async fn fetch(
    State(app): State<AppState>,
    Path(kind): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let call = Call {
        kind: kind.clone(),
        query: query.clone(),
        trigger: trigger_of(&headers),
        at: app.clock.now(),
        body: None,
    };
    let (down, gate) = {
        let mut inner = app.inner.lock().unwrap();
        inner.calls.push(call);
        (inner.down, inner.holds.get(&kind).cloned())
    };
    if let Some(gate) = gate {
        let _ = gate.acquire().await.map(|p| p.forget());
    }
    if down {
        let body =
            json!({"error": {"code": "upstream_failed", "message": "jolpica: /ergast/f1/2024.json answered 500"}});
        return (StatusCode::BAD_GATEWAY, Json(body)).into_response();
    }
    if kind == "session-data"
        && let (Some(session), Some(round)) = (query.get("session"), query.get("round"))
    {
        let session = SessionType::from_slug(session).expect("a session slug");
        let mut inner = app.inner.lock().unwrap();
        let n = inner.archive_calls.entry((round.parse().unwrap(), session)).or_default();
        *n += 1;
        let n = *n;
        if inner.archive_on.get(&session).is_some_and(|on| n < *on) {
            let message = "livetiming: /static/2024/Index.json: invalid answer: Sessions: meeting has no race session";
            let body = json!({"error": {"code": "upstream_invalid", "message": message}});
            return (StatusCode::BAD_GATEWAY, Json(body)).into_response();
        }
    }
    let mut count = 3;
    if kind == "results"
        && let Some(session) = query.get("session")
    {
        count = results_call(&app, &query, session).await;
    }
    Json(protobuf::fetcher::SyncAnswer {
        success: true,
        source: "jolpica".into(),
        count,
        records: count,
        counts: [("records".to_string(), count)].into(),
        run_id: format!("fake-{kind}"),
        timestamp: app.clock.now().timestamp(),
    })
    .into_response()
}

/// Counts the session's results call and, on the chosen one, stores results.
async fn results_call(app: &AppState, query: &BTreeMap<String, String>, session: &str) -> i64 {
    let kind = SessionType::from_slug(session).expect("a session slug");
    let season: i32 = query["season"].parse().unwrap();
    let round: i32 = query["round"].parse().unwrap();
    let appear = {
        let mut inner = app.inner.lock().unwrap();
        let n = inner.results_calls.entry((round, kind)).or_default();
        *n += 1;
        let n = *n;
        inner.appear_on.get(&kind) == Some(&n)
    };
    if !appear {
        return 0;
    }
    let mut data = app.data.clone();
    let key = SessionKey { season, round, r#type: kind as i32 };
    let mut stored = data.get_session(key).await.expect("session stored").into_inner().session.expect("session");
    stored.results = (1..=3)
        .map(|p| SessionResult {
            position: p,
            position_text: p.to_string(),
            driver_name: format!("Driver {p}"),
            ..SessionResult::default()
        })
        .collect();
    // As Jolpica answers: the official classification.
    stored.provenance = Some(Provenance::from_source(ResultSource::Jolpica));
    data.write_batch(WriteBatchRequest { sessions: vec![stored], ..Default::default() })
        .await
        .expect("results written");
    3
}
