//! `GET /scheduler/v1/history?kind=&page=&per_page=`: the scheduler's run
//! records, newest first.
use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use common::extract::Query;
use protobuf::{DomainError, PageSpec};
use serde::Serialize;

use super::RunView;
use crate::error::ApiError;
use crate::job;
use crate::state::AppState;

/// History pages are smaller than data_scheduler's default.
const DEFAULT_PER_PAGE: i64 = 50;
/// Records a history scan reads at most.
const SCAN_LIMIT: usize = 20_000;

#[derive(Debug, Serialize)]
pub struct HistoryView {
    pub page: u32,
    pub per_page: u32,
    pub total: usize,
    pub runs: Vec<RunView>,
}

fn number(params: &BTreeMap<String, String>, field: &str) -> Result<Option<i64>, DomainError> {
    params
        .get(field)
        .map(|v| v.trim().parse().map_err(|_| DomainError::invalid(field, format!("`{v}` is not a number"))))
        .transpose()
}

pub async fn history(
    State(app): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Json<HistoryView>, ApiError> {
    if let Some(unknown) = params.keys().find(|k| !["kind", "page", "per_page"].contains(&k.as_str())) {
        return Err(DomainError::invalid(unknown.as_str(), "unknown parameter (expected kind, page, per_page)").into());
    }
    let kind = params.get("kind").filter(|k| !k.is_empty()).map(|k| job::parse_kind("kind", k)).transpose()?;
    let page = number(&params, "page")?.unwrap_or(1);
    if page < 1 {
        return Err(DomainError::invalid("page", "must be at least 1").into());
    }
    let spec = PageSpec::new(page, Some(number(&params, "per_page")?.unwrap_or(DEFAULT_PER_PAGE)))?;
    let runs = app.store.scheduler_runs(kind, SCAN_LIMIT).await?;
    let total = runs.len();
    Ok(Json(HistoryView {
        page: spec.page,
        per_page: spec.per_page,
        total,
        runs: spec.slice(runs).into_iter().map(RunView::from).collect(),
    }))
}
