//! `POST /scheduler/v1/trigger/{seasons|rounds|results|standings|livetiming}`:
//! a manual run through the same path as planned runs. Answers the run
//! record: 200 when it succeeded, 409 when a run of the kind was already
//! running (skipped), 502 when the fetch failed.
//!
//! Admin only: the gateway (Traefik forwardAuth to auth_api) protects this
//! path and adds the internal credential, which the route requires when one
//! is configured (see [`crate::router`]), so the scheduler's own port is no
//! way around the gateway.
use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use common::extract::{Path, Query};
use protobuf::v1::SyncOutcome;

use super::RunView;
use crate::error::ApiError;
use crate::job::{Fetch, Kind, Trigger, Work};
use crate::state::AppState;

const TRIGGERS: [Kind; 6] =
    [Kind::Seasons, Kind::Rounds, Kind::Results, Kind::Standings, Kind::Livetiming, Kind::SessionData];

pub async fn trigger(
    State(app): State<AppState>,
    Path(kind): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Response, ApiError> {
    let kind = TRIGGERS.into_iter().find(|k| k.as_str() == kind).ok_or_else(|| {
        ApiError::NotFound(format!(
            "unknown trigger `{kind}` (expected one of seasons, rounds, results, standings, livetiming, session-data)"
        ))
    })?;
    let fetch = Fetch::from_query(kind, &params)?;
    let report = app.runner.run(Work::Fetch(fetch), Trigger::Manual).await;
    // The data may have changed under the plans (e.g. results now stored).
    app.engine.wake();
    let status = match report.outcome() {
        SyncOutcome::Success => StatusCode::OK,
        SyncOutcome::Skipped => StatusCode::CONFLICT,
        _ => StatusCode::BAD_GATEWAY,
    };
    Ok((status, Json(RunView::from(report.run))).into_response())
}
