//! HTTP routes under `/scheduler/v1`, plus `/health`, `/health/ready`, `/metrics`.
pub mod history;
pub mod ops;
pub mod status;
pub mod trigger;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use protobuf::v1::{SyncOutcome, SyncRun};
use serde::Serialize;

/// One run record as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RunView {
    pub id: String,
    pub kind: String,
    /// `planned` or `manual`.
    pub trigger: String,
    pub params: String,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `running`, `success`, `failed`, `skipped` or `overdue`.
    pub outcome: &'static str,
    pub records_written: i64,
    pub counts: BTreeMap<String, i64>,
    pub error: Option<String>,
}

fn instant(secs: i64) -> Option<DateTime<Utc>> {
    if secs == 0 { None } else { DateTime::from_timestamp(secs, 0) }
}

impl From<SyncRun> for RunView {
    fn from(r: SyncRun) -> Self {
        Self {
            outcome: SyncOutcome::try_from(r.outcome).unwrap_or(SyncOutcome::Unspecified).slug(),
            started_at: instant(r.started_at),
            finished_at: instant(r.finished_at),
            error: Some(r.error).filter(|e| !e.is_empty()),
            counts: r.counts.into_iter().collect(),
            id: r.id,
            kind: r.kind,
            trigger: r.trigger,
            params: r.params,
            records_written: r.records_written,
        }
    }
}
