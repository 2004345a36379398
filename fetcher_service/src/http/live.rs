//! `/fetcher/v1/live/*`: start, stop and watch the live timing feed.
use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;

use super::params::Params;
use super::{ApiError, AppState};
use crate::error::FetchError;
use crate::live::LiveStatus;
use crate::live::board::SessionRef;
use crate::live::run::CalendarFetch;
use crate::sources::jolpica::sync as jolpica;
use crate::sync::{self, Run, SyncKind, Trigger};
use crate::upstream::SourceName;
use std::sync::Arc;

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
    let started =
        state.live().start(state.config().live_settings(), state.client().clone(), at, Some(calendar_fetch(&state)));
    Ok(Json(Started { started, status: status_of(&state) }))
}

/// `POST /fetcher/v1/live/stop`
pub async fn stop(State(state): State<AppState>) -> Json<Stopped> {
    let stopped = state.live().stop().await;
    Json(Stopped { stopped, status: status_of(&state) })
}

/// `GET /fetcher/v1/live/status`
pub async fn status(State(state): State<AppState>) -> Json<LiveStatus> {
    Json(status_of(&state))
}

/// The feed's status, with the topics it goes without for want of an F1 TV
/// token (the feed runs with the configured one, so the configuration
/// says, running or not).
fn status_of(state: &AppState) -> LiveStatus {
    state.live().status().with_token(state.config().live_settings().supervisor.hub.token.is_some())
}

/// Fetches a season's calendar from Jolpica as a recorded `rounds` sync, for
/// a live session the stored calendar does not hold yet.
pub(super) fn calendar_fetch(state: &AppState) -> CalendarFetch {
    let state = state.clone();
    Arc::new(move |season| {
        let state = state.clone();
        Box::pin(async move {
            let source = SourceName::Jolpica;
            let run =
                Run { kind: SyncKind::Rounds, source, trigger: Trigger::Planned, params: format!("season={season}") };
            let work = async {
                let year = protobuf::Year::new(season).map_err(FetchError::Store)?;
                let batch = jolpica::rounds(&state.inner.jolpica.sync(), state.client(), year, None).await?;
                sync::write(state.client(), SyncKind::Rounds, batch).await
            };
            run.execute(state.client(), state.status(), work).await.map(|_| ())
        })
    })
}
