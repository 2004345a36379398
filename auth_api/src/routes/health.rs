//! `/health` (liveness), `/health/ready` (data_scheduler answers), `/metrics`.
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use common::health::{Check, Readiness};

use crate::state::AppState;

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/health", get(common::health::liveness))
        .route("/health/ready", get(ready))
        .route("/metrics", get(common::metrics::render))
        .with_state(state)
}

async fn ready(State(state): State<AppState>) -> Readiness {
    let check = match state.accounts().ping().await {
        Ok(()) => Check::ok(),
        Err(e) => Check::unavailable(e.to_string()),
    };
    Readiness::new("auth_api").with("data_scheduler", check)
}
