//! `GET /scheduler/v1/status`: `{status, is_race_weekend, next_session,
//! plans:[{kind, interval, last_run, next_run}], results:{awaiting_official,
//! results_not_in, overdue}}`.
use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use protobuf::v1::{SyncOutcome, SyncRun};
use serde::Serialize;

use crate::engine::NextSession;
use crate::job::Kind;
use crate::plan::freshness::{Freshness, freshness};
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct StatusView {
    pub status: &'static str,
    /// Whether this replica runs the plans.
    pub leader: bool,
    /// The scheduler's clock.
    pub now: DateTime<Utc>,
    pub is_race_weekend: bool,
    pub next_session: Option<NextSession>,
    pub plans: Vec<PlanStatus>,
    /// The current season's sessions awaiting official results, and those
    /// whose results are not in yet (or overdue). Null when the calendar
    /// cannot be read.
    pub results: Option<Freshness>,
}

#[derive(Debug, Serialize)]
pub struct PlanStatus {
    pub kind: Kind,
    pub interval: String,
    /// Start of the latest run of the kind, by any replica.
    pub last_run: Option<DateTime<Utc>>,
    pub last_outcome: Option<&'static str>,
    pub next_run: Option<DateTime<Utc>>,
}

pub async fn status(State(app): State<AppState>) -> Json<StatusView> {
    let snapshot = app.engine.snapshot();
    // The history is shared by every replica; without it, last runs are unknown.
    let latest: BTreeMap<String, SyncRun> = match app.store.scheduler_runs(None, 500).await {
        Ok(runs) => {
            let mut latest = BTreeMap::new();
            for run in runs {
                latest.entry(super::kind_name(run.kind).to_string()).or_insert(run);
            }
            latest
        }
        Err(e) => {
            tracing::warn!(error = %e, "status without last runs: history unreadable");
            BTreeMap::new()
        }
    };
    let plans = snapshot
        .plans
        .into_iter()
        .map(|p| {
            let last = latest.get(p.kind.as_str());
            PlanStatus {
                kind: p.kind,
                interval: p.interval,
                last_run: last.and_then(|r| DateTime::from_timestamp(r.started_at, 0)),
                last_outcome: last.map(|r| SyncOutcome::try_from(r.outcome).unwrap_or(SyncOutcome::Unspecified).slug()),
                next_run: p.next_run,
            }
        })
        .collect();
    let results = match protobuf::Year::new(chrono::Datelike::year(&snapshot.now)) {
        Ok(season) => match app.store.rounds(season).await {
            Ok(rounds) => Some(freshness(snapshot.now, &rounds, app.engine.settings())),
            Err(e) => {
                tracing::warn!(error = %e, "status without results freshness: calendar unreadable");
                None
            }
        },
        Err(_) => None,
    };
    Json(StatusView {
        results,
        status: snapshot.status,
        leader: snapshot.leader,
        now: snapshot.now,
        is_race_weekend: snapshot.is_race_weekend,
        next_session: snapshot.next_session,
        plans,
    })
}
