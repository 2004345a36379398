//! `/fetcher/v1/live/*`: start, stop and watch the live timing feed.
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;

use super::params::Params;
use super::{ApiError, AppState};
use crate::error::FetchError;
use crate::live::board::SessionRef;
use crate::live::{HubConfig, LiveSettings, LiveStatus, SupervisorConfig};
use crate::upstream::SourceName;

#[derive(Debug, Serialize)]
pub struct Started {
    /// False when a feed was already running (start is idempotent).
    pub started: bool,
    pub status: LiveStatus,
}

#[derive(Debug, Serialize)]
pub struct Stopped {
    /// False when no feed was running.
    pub stopped: bool,
    pub status: LiveStatus,
}

/// `POST /fetcher/v1/live/start[?season=YYYY&round=N&session=TYPE]`: the three
/// name the session (all or none; without them SessionInfo and the stored
/// calendar place it).
pub async fn start(
    State(state): State<AppState>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Json<Started>, ApiError> {
    const ROUTE: &str = "/fetcher/v1/live/start";
    let bad = |e: FetchError| ApiError::new(ROUTE, SourceName::Livetiming, e);
    let p = Params::new(q, &["season", "round", "session"]).map_err(bad)?;
    let (season, round, session) =
        (p.year("season").map_err(bad)?, p.round("round").map_err(bad)?, p.session("session").map_err(bad)?);
    let at = match (season, round, session) {
        (Some(season), Some(round), Some(session_type)) => {
            Some(SessionRef { season: season.get(), round: round.get(), session_type })
        }
        (None, None, None) => None,
        _ => {
            let missing = [("season", season.is_none()), ("round", round.is_none()), ("session", session.is_none())];
            let name = missing.iter().find(|(_, m)| *m).map(|(n, _)| *n).unwrap_or("season");
            return Err(bad(FetchError::param(name, "is required with the other two (season, round, session)")));
        }
    };
    let started = state.live().start(settings(&state), state.client().clone(), at);
    Ok(Json(Started { started, status: state.live().status() }))
}

/// `POST /fetcher/v1/live/stop`
pub async fn stop(State(state): State<AppState>) -> Json<Stopped> {
    let stopped = state.live().stop().await;
    Json(Stopped { stopped, status: state.live().status() })
}

/// `GET /fetcher/v1/live/status`
pub async fn status(State(state): State<AppState>) -> Json<LiveStatus> {
    Json(state.live().status())
}

/// The live feed's settings from the configuration.
pub fn settings(state: &AppState) -> LiveSettings {
    let c = state.config();
    LiveSettings {
        supervisor: SupervisorConfig {
            hub: HubConfig {
                base_url: c.livetiming_url.clone(),
                // An empty value (as in .env.example) is no token.
                token: c.f1tv_token.clone().filter(|t| !secrecy::ExposeSecret::expose_secret(t).trim().is_empty()),
                connect_timeout: c.upstream_timeout_ms.get(),
                ping_interval: Duration::from_secs(15),
            },
            silence: c.live_silence_secs.get(),
            backoff_min: c.live_backoff_ms.get(),
            backoff_max: Duration::from_secs(60),
            publish_interval: c.live_write_interval_ms.get().clamp(Duration::from_millis(10), Duration::from_secs(1)),
        },
        write_interval: c.live_write_interval_ms.get(),
    }
}
