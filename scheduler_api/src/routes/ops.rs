//! `/health/ready`: ready when data_scheduler and the fetcher answer (and
//! Redis, when the locks live there).
use axum::extract::State;
use common::health::{Check, Readiness};

use crate::state::AppState;

pub async fn ready(State(app): State<AppState>) -> Readiness {
    let (store, fetcher, lock) = tokio::join!(app.store.ping(), app.fetcher.ping(), app.lock.ping());
    let check = |r: Result<(), String>| r.map_or_else(Check::unavailable, |()| Check::ok());
    Readiness::new("scheduler_api")
        .with("data_scheduler", check(store.map_err(|e| e.to_string())))
        .with("fetcher", check(fetcher.map_err(|e| e.to_string())))
        .with(&format!("locks ({})", app.lock.backend()), check(lock.map_err(|e| e.to_string())))
}
