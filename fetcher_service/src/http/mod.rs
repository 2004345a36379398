//! The HTTP API (`/fetcher/v1/...`), health, readiness and metrics.
//!
//! | route | does |
//! |---|---|
//! | `POST /fetcher/v1/fetch/seasons?from=YYYY&to=YYYY` | seasons with their final or current standings (Jolpica) |
//! | `POST /fetcher/v1/fetch/rounds?season=YYYY[&round=N]` | calendar, circuits, sessions with start times, results (Jolpica) |
//! | `POST /fetcher/v1/fetch/results?season=YYYY&round=N[&session=TYPE]` | one round's classifications (Jolpica; practice from formula1.com) |
//! | `POST /fetcher/v1/fetch/standings?season=YYYY` | standings after every completed round (Jolpica) |
//! | `POST /fetcher/v1/fetch/livetiming?season=YYYY&round=N&session=TYPE` | a finished session from the LiveTiming archive |
//! | `POST /fetcher/v1/fetch/weekend?season=YYYY&round=N` | a round's timetable, circuit facts and circuit image (formula1.com) |
//! | `POST /fetcher/v1/fetch/session-data?season=YYYY[&round=N[&session=TYPE]]` | timing records (session data) of a session, a round or a season from the LiveTiming archive |
//! | `POST /fetcher/v1/import/f1db[?path=DIR&from=YYYY&to=YYYY]` | bulk import from f1db data (bundled when no path) |
//! | `GET /fetcher/v1/status` | each source's last success/failure, last fetch per kind, data_scheduler connectivity |
//! | `POST /fetcher/v1/live/start[?season=YYYY&round=N&session=TYPE]` | start the live timing feed (idempotent) |
//! | `POST /fetcher/v1/live/stop` | stop it (its last board stays stored) |
//! | `GET /fetcher/v1/live/status` | connected, session, topics, last frame age, messages, reconnects |

mod error;
mod fetch;
mod import;
mod live;
mod params;
mod status;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use common::health::{Check, Readiness};
use common::internal::InternalToken;
use protobuf::fetcher::{SyncAnswer, fetch_path};

pub use error::ApiError;

use crate::client::{Formula1Hosts, Upstream};
use crate::config::Config;
use crate::live::LiveControl;
use crate::sync::{Done, StatusBoard, SyncKind};
use crate::upstream::SourceName;
use data_client::Client;

pub const SERVICE: &str = "fetcher_service";

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    client: Client,
    jolpica: Upstream,
    formula1: Formula1Hosts,
    livetiming: Upstream,
    status: StatusBoard,
    internal: Option<InternalToken>,
    live: LiveControl,
}

impl AppState {
    /// Builds the upstream clients and a lazy data_scheduler client (the
    /// fetcher may start before data_scheduler).
    pub fn new(config: Config) -> anyhow::Result<Self> {
        let timeout = config.data_scheduler_timeout_ms.get();
        let token = InternalToken::from_config(config.internal_token.as_ref())?;
        let client = Client::connect_lazy_with(&config.data_scheduler_url, timeout, token.as_ref())?;
        let policy = config.policy();
        let jolpica = Upstream::new(SourceName::Jolpica, &config.jolpica_url, policy, config.jolpica_pacing())?;
        let formula1 =
            Formula1Hosts::new(&config.f1_website_url, &config.f1_media_url, policy, config.formula1_pacing())?;
        let livetiming =
            Upstream::new(SourceName::Livetiming, &config.livetiming_url, policy, config.livetiming_pacing())?;
        let status = StatusBoard::default();
        let internal = InternalToken::from_config(config.internal_token.as_ref())?;
        let live = LiveControl::new(config.live_records_interval_ms.get());
        let inner = Inner { config, client, jolpica, formula1, livetiming, status, internal, live };
        let state = Self { inner: Arc::new(inner) };
        if state.config().live_autostarts() {
            let calendar = live::calendar_fetch(&state);
            state.live().start(state.config().live_settings(), state.client().clone(), None, Some(calendar));
        }
        Ok(state)
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    pub fn upstream(&self, source: SourceName) -> Option<&Upstream> {
        match source {
            SourceName::Jolpica => Some(&self.inner.jolpica),
            SourceName::Formula1 => Some(self.inner.formula1.site()),
            SourceName::Livetiming => Some(&self.inner.livetiming),
            SourceName::F1db => None,
        }
    }

    /// The live timing feed.
    pub fn live(&self) -> &LiveControl {
        &self.inner.live
    }

    fn status(&self) -> &StatusBoard {
        &self.inner.status
    }

    /// Whether data_scheduler answers its gRPC health check.
    pub async fn data_scheduler_check(&self) -> Check {
        match self.inner.client.ready().await {
            Ok(()) => Check::ok(),
            Err(e) => Check::unavailable(format!(
                "data_scheduler unreachable at {}: {}",
                self.inner.config.data_scheduler_url,
                e.message()
            )),
        }
    }
}

/// The answer to a sync that succeeded (the contract shared with its readers).
fn success(source: SourceName, run_id: String, done: Done) -> SyncAnswer {
    SyncAnswer {
        success: true,
        source: source.as_str().to_string(),
        count: done.count,
        records: done.records,
        counts: done.counts,
        run_id,
        timestamp: protobuf::domain::now_unix(),
    }
}

/// The fetcher's routes inside the common frame (request ids, metrics,
/// request timeout, tracing). With an internal token configured, every
/// `/fetcher/v1` route needs it; health and metrics stay open.
pub fn router(state: AppState) -> Router {
    let timeout = state.config().fetcher_request_timeout_secs.get();
    let api = Router::new()
        .route(&fetch_path(SyncKind::Seasons), post(fetch::seasons))
        .route(&fetch_path(SyncKind::Rounds), post(fetch::rounds))
        .route(&fetch_path(SyncKind::Results), post(fetch::results))
        .route(&fetch_path(SyncKind::Standings), post(fetch::standings))
        .route(&fetch_path(SyncKind::Livetiming), post(fetch::livetiming))
        .route(&fetch_path(SyncKind::Weekend), post(fetch::weekend))
        .route(&fetch_path(SyncKind::SessionData), post(fetch::session_data))
        .route("/fetcher/v1/import/f1db", post(import::f1db))
        .route("/fetcher/v1/status", get(status::status))
        .route("/fetcher/v1/live/start", post(live::start))
        .route("/fetcher/v1/live/stop", post(live::stop))
        .route("/fetcher/v1/live/status", get(live::status));
    let routes = common::internal::guard(api, state.inner.internal.clone())
        .route("/health", get(common::health::liveness))
        .route("/health/ready", get(ready))
        .route("/metrics", get(common::metrics::render));
    let routes = common::error::json_fallbacks(routes).with_state(state);
    common::http::frame(routes, SERVICE, timeout)
}

async fn ready(State(state): State<AppState>) -> Readiness {
    let silence = state.config().live_silence_secs.get();
    Readiness::new(SERVICE)
        .with("data_scheduler", state.data_scheduler_check().await)
        .with("live_feed", state.live().health(silence))
}
