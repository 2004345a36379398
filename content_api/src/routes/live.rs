//! `/content/v1/live`: the session being run now.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use content_types::Live;
use protobuf::v1::SessionStatus;

use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::model;
use crate::respond::{CacheKind, Envelope, Rendered};
use crate::state::AppState;

/// The live session state (leaderboard, track status, race control,
/// weather), or 404 `no_live_session` when no session is running.
#[utoipa::path(
    get, path = "/content/v1/live", operation_id = "get_live", tag = "live",
    responses(
        (status = 200, description = "The live session", body = Envelope<Live>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, description = "No session is live", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn now(State(app): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    app.answer(&uri, async {
        let Some((state, meta)) = data::live(&app).await? else {
            return Err(ApiError::NoLiveSession("no session is live right now".into()));
        };
        let status = SessionStatus::try_from(state.status).unwrap_or_default();
        if matches!(status, SessionStatus::Finished | SessionStatus::Cancelled) {
            let name = if state.session_name.is_empty() { "the last session" } else { &state.session_name };
            return Err(ApiError::NoLiveSession(format!(
                "no session is live right now ({name} of round {} of {} is {})",
                state.round,
                state.season,
                status.slug()
            )));
        }
        Rendered::json(&model::live(state), meta, CacheKind::Live)
    })
    .await
}
