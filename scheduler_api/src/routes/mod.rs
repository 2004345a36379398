//! HTTP routes under `/scheduler/v1`, plus `/health`, `/health/ready`, `/metrics`.
pub mod history;
pub mod ops;
pub mod status;
pub mod trigger;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use protobuf::v1::{SyncOutcome, SyncRun};
use serde::Serialize;

/// The name of a recorded kind (`results`, `live`).
pub(crate) fn kind_name(kind: i32) -> &'static str {
    protobuf::v1::SyncKind::try_from(kind).unwrap_or_default().as_str()
}

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
    /// What went wrong, in a few words (`fetcher_unreachable`, `fetch_failed`, ...).
    pub error_class: Option<String>,
    /// A short message without addresses or OS errors (those are in the log).
    pub error: Option<String>,
}

/// Splits a recorded `class: message`. Records written before errors were
/// classed may hold internal detail: only their class is shown.
fn public_error(recorded: &str) -> (Option<String>, Option<String>) {
    if recorded.is_empty() {
        return (None, None);
    }
    match recorded.split_once(": ") {
        Some((class, message)) if !class.is_empty() && class.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
            (Some(class.to_string()), Some(message.to_string()))
        }
        _ => (Some("error".into()), Some("the details are in the scheduler's log".into())),
    }
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
            error_class: public_error(&r.error).0,
            error: public_error(&r.error).1,
            counts: r.counts.into_iter().collect(),
            id: r.id,
            kind: kind_name(r.kind).to_string(),
            trigger: r.trigger,
            params: r.params,
            records_written: r.records_written,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::public_error;

    #[test]
    fn recorded_errors_are_shown_by_class_without_internal_detail() {
        assert_eq!(
            public_error("fetch_failed: the fetcher answered 502 (upstream_unavailable)"),
            (Some("fetch_failed".into()), Some("the fetcher answered 502 (upstream_unavailable)".into()))
        );
        let old =
            "fetcher answered 502 for http://127.0.0.1:41353/x: tcp connect error: Connection refused (os error 111)";
        let (class, message) = public_error(old);
        assert_eq!(class.as_deref(), Some("error"));
        assert!(!message.unwrap().contains("127.0.0.1"));
        assert_eq!(public_error(""), (None, None));
    }
}
