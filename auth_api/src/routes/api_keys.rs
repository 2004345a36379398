//! Admin only: `GET/POST /auth/v1/api-keys`, `DELETE /auth/v1/api-keys/{id}`.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use common::extract::{Path, Query};
use serde::Deserialize;

use super::{Admin, ApiJson};
use crate::domain::api_keys::{self, ApiKeyView};
use crate::error::AuthError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct NewKey {
    name: String,
    /// The key's user; the calling admin when absent.
    user_id: Option<String>,
}

/// The answer holds the key, shown this once.
pub async fn create(
    State(state): State<AppState>,
    Admin(me): Admin,
    ApiJson(body): ApiJson<NewKey>,
) -> Result<impl IntoResponse, AuthError> {
    let created = api_keys::create(&state, &me, &body.name, body.user_id.as_deref()).await?;
    Ok((StatusCode::CREATED, [(axum::http::header::CACHE_CONTROL, "no-store")], Json(created)))
}

#[derive(Deserialize)]
pub struct ListQuery {
    user_id: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<ApiKeyView>>, AuthError> {
    Ok(Json(api_keys::list(&state, q.user_id.as_deref()).await?))
}

pub async fn delete(
    State(state): State<AppState>,
    Admin(me): Admin,
    Path(id): Path<String>,
) -> Result<StatusCode, AuthError> {
    api_keys::delete(&state, &me, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
