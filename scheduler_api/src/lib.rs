//! scheduler_api: keeps the data fresh without anyone watching.
//!
//! The [`plan`] module decides, from the clock, the stored calendar and
//! what has been done, which runs are due (a pure function); the
//! [`engine`] loop drives it (leader lock, supervision, shutdown); every
//! run, planned or manual, goes through the [`runner`] (run guard, fetcher
//! call, record in the sync history). HTTP routes live in [`routes`].

pub(crate) mod clock;
pub(crate) mod config;
pub(crate) mod engine;
pub(crate) mod error;
pub(crate) mod fetcher;
pub(crate) mod job;
pub mod lock;
pub(crate) mod plan;
pub(crate) mod routes;
pub(crate) mod runner;
pub(crate) mod state;
pub(crate) mod store;

use std::net::SocketAddr;

use axum::Router;
use axum::routing::{get, post};
use common::Shutdown;
use tokio::net::TcpListener;

pub use clock::{Clock, SystemClock, TestClock};
pub use config::Config;
pub use engine::Engine;
pub use state::AppState;

/// Every route, wrapped in the shared HTTP frame (request ids, tracing,
/// metrics, a request timeout long enough for a manual run). With an
/// internal token configured, the triggers need it.
pub fn router(state: AppState) -> Router {
    use routes::{history, ops, status, trigger};
    let timeout = state.request_timeout;
    let triggers = Router::new().route("/scheduler/v1/trigger/{kind}", post(trigger::trigger));
    let app = common::internal::guard(triggers, state.internal.clone())
        .route("/scheduler/v1/status", get(status::status))
        .route("/scheduler/v1/history", get(history::history))
        .route("/health", get(common::health::liveness))
        .route("/health/ready", get(ops::ready))
        .route("/metrics", get(common::metrics::render));
    let app = common::error::json_fallbacks(app).with_state(state);
    common::http::frame(app, "scheduler_api", timeout)
}

/// A running scheduler: its HTTP server and its engine.
pub struct Running {
    pub addr: SocketAddr,
    pub engine: Engine,
    /// Ends after shutdown, once the server has drained and the engine has
    /// let its runs finish and freed the leader lock.
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Serves `state`'s routes on `listener` and runs its engine, both until `shutdown`.
pub async fn spawn(listener: TcpListener, state: AppState, shutdown: Shutdown) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let engine = state.engine.clone();
    let engine_task = engine.spawn(shutdown.clone());
    tracing::info!(%addr, lock = state.lock.backend(), fetcher = state.fetcher.base(), "scheduler_api listening");
    let server = common::http::serve(listener, router(state), shutdown);
    let task = tokio::spawn(async move {
        let served = server.await;
        if let Err(e) = engine_task.await {
            tracing::error!(error = %e, "scheduler engine task ended abnormally");
        }
        served
    });
    Ok(Running { addr, engine, task })
}
