//! `/content/v1/changes`: how far this process has followed what was
//! written, for those who keep what they built from its answers (the
//! website keeps pages).
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use content_types::ChangesVersion;

use crate::error::{ErrorBody, error_response};
use crate::state::AppState;

/// The version of the data this process answers from: a page built from
/// answers read after this version was `v` is current while the version is
/// still `v` (a write answers only once every content_api has applied it).
#[utoipa::path(
    get, path = "/content/v1/changes", operation_id = "get_changes_version", tag = "changes",
    responses(
        (status = 200, description = "The version", body = ChangesVersion),
        (status = 503, description = "Not following the writes right now: revalidate every answer", body = ErrorBody),
    )
)]
pub async fn version(State(app): State<AppState>) -> Response {
    let mut res = match app.answers().version() {
        Some(version) => Json(ChangesVersion { version }).into_response(),
        // Expected (answer reuse off, or data_scheduler away: readiness
        // says which), so not logged on every visit of the website.
        None => error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_following",
            "this process does not follow the writes right now".into(),
            None,
        ),
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
