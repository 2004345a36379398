//! `GET /fetcher/v1/status`: each source's last success and failure, the
//! last fetch of each kind (since this process started) and whether
//! data_scheduler answers now.
use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use common::health::Check;
use serde::Serialize;

use super::AppState;
use crate::sync::SyncKind;
use crate::sync::status::{KindStatus, SourceStatus};
use crate::upstream::SourceName;

#[derive(Debug, Serialize)]
pub struct SourceView {
    /// Where requests go (None for f1db, which is read from files).
    pub base_url: Option<String>,
    #[serde(flatten)]
    pub status: SourceStatus,
}

#[derive(Debug, Serialize)]
pub struct StatusBody {
    pub service: &'static str,
    pub sources: BTreeMap<SourceName, SourceView>,
    pub kinds: BTreeMap<SyncKind, KindStatus>,
    pub data_scheduler: Check,
    pub timestamp: i64,
}

pub async fn status(State(state): State<AppState>) -> Json<StatusBody> {
    let (sources, kinds) = state.status().snapshot();
    let sources = sources
        .into_iter()
        .map(|(name, status)| {
            let base_url = state.upstream(name).map(|u| u.base_url().to_string());
            (name, SourceView { base_url, status })
        })
        .collect();
    Json(StatusBody {
        service: super::SERVICE,
        sources,
        kinds,
        data_scheduler: state.data_scheduler_check().await,
        timestamp: protobuf::domain::now_unix(),
    })
}
