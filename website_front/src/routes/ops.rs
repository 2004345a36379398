//! `/health/ready`: ready when content_api answers.
use axum::extract::State;
use common::health::{Check, Readiness};

use crate::state::AppState;

pub async fn ready(State(app): State<AppState>) -> Readiness {
    let check = match app.content.healthy().await {
        Ok(()) => Check::ok(),
        Err(e) => Check::unavailable(e.to_string()),
    };
    Readiness::new("website_front").with("content_api", check)
}
