//! `/health`, `/health/ready`, `/metrics`.
use axum::extract::State;
use common::health::{Check, Readiness};

use crate::error::ApiError;
use crate::state::AppState;

/// Ready when data_scheduler's health service says it serves; degraded
/// while answers would be kept but the change announcements are not
/// followed (then nothing is kept).
pub async fn ready(State(app): State<AppState>) -> Readiness {
    let check = match app.ready().await {
        Ok(_) => Check::ok(),
        Err(ApiError::Unavailable { detail, .. }) => Check::unavailable(detail),
        Err(e) => Check::unavailable(e.to_string()),
    };
    let ready = Readiness::new("content_api").with("data_scheduler", check);
    if !app.answers().enabled() {
        return ready;
    }
    let changes = match app.answers().since() {
        Some(_) => Check::ok(),
        None => Check::degraded("not following data_scheduler's change announcements: no answer is kept"),
    };
    ready.with("changes", changes)
}
