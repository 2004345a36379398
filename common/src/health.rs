//! Health answers: `/health` is liveness (the process answers), readiness
//! reports each dependency honestly: its name and state in public, the
//! reason (addresses, OS errors) in the log only.
use std::collections::BTreeMap;

use axum::{Json, http::StatusCode, response::IntoResponse};
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    /// Working with reduced service (e.g. cache down, reads go to the store).
    Degraded,
    Unavailable,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub status: CheckStatus,
    /// Why it is not ok: logged when the report is made, never sent (it can
    /// hold internal addresses and OS errors).
    #[serde(skip)]
    pub detail: Option<String>,
}

impl Check {
    pub fn ok() -> Self {
        Self { status: CheckStatus::Ok, detail: None }
    }
    pub fn degraded(detail: impl Into<String>) -> Self {
        Self { status: CheckStatus::Degraded, detail: Some(detail.into()) }
    }
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self { status: CheckStatus::Unavailable, detail: Some(detail.into()) }
    }
}

/// A readiness report: the worst check decides; only `unavailable` makes it 503.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub status: CheckStatus,
    pub service: &'static str,
    pub checks: BTreeMap<String, Check>,
}

impl Readiness {
    pub fn new(service: &'static str) -> Self {
        Self { status: CheckStatus::Ok, service, checks: BTreeMap::new() }
    }

    pub fn with(mut self, name: &str, check: Check) -> Self {
        if let Some(detail) = &check.detail {
            tracing::info!(service = self.service, dependency = name, status = ?check.status, %detail, "readiness check not ok");
        }
        self.status = self.status.max(check.status);
        self.checks.insert(name.to_string(), check);
        self
    }
}

impl IntoResponse for Readiness {
    fn into_response(self) -> axum::response::Response {
        let code =
            if self.status == CheckStatus::Unavailable { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
        (code, Json(self)).into_response()
    }
}

/// `GET /health`: the process is up.
pub async fn liveness() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_report_names_the_dependency_and_its_state_but_not_the_reason() {
        let report = Readiness::new("svc")
            .with("store", Check::ok())
            .with("cache", Check::degraded("redis: Connection refused (os error 111) at 10.0.0.5:6379"));
        let json = serde_json::to_string(&report).unwrap();
        assert_eq!(
            json,
            r#"{"status":"degraded","service":"svc","checks":{"cache":{"status":"degraded"},"store":{"status":"ok"}}}"#
        );
    }
}
