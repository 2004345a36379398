//! `/health`, `/health/ready`, `/metrics`.
use axum::extract::State;
use common::health::{Check, Readiness};

use crate::error::ApiError;
use crate::state::AppState;

/// Ready when data_scheduler's health service says it serves.
pub async fn ready(State(app): State<AppState>) -> Readiness {
    let check = match app.ready().await {
        Ok(_) => Check::ok(),
        Err(ApiError::Unavailable { detail, .. }) => Check::unavailable(detail),
        Err(e) => Check::unavailable(e.to_string()),
    };
    Readiness::new("content_api").with("data_scheduler", check)
}
