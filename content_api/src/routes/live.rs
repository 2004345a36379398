//! `/content/v1/live`: the session being run now.
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::Response;
use content_types::Live;

use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::live_stream::EventId;
use crate::model;
use crate::respond::{CacheKind, Envelope, Meta, Rendered};
use crate::state::AppState;

/// The live session state (leaderboard, track status, race control,
/// weather); after a session ends its final state (status `finished`) until
/// the next one starts; 404 `no_live_session` when none was ever stored.
#[utoipa::path(
    get, path = "/content/v1/live", operation_id = "get_live", tag = "live",
    responses(
        (status = 200, description = "The live session", body = Envelope<Live>),
        (status = 404, description = "No session is live", body = ErrorBody),
        crate::openapi::responses::NotModified,
        crate::openapi::responses::Unavailable,
    )
)]
pub async fn now(State(app): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    app.answer(&uri, async {
        let Some((state, meta)) = data::live(&app).await? else {
            return Err(ApiError::NoLiveSession("no session is live right now".into()));
        };
        Rendered::json(&model::live(state), Meta { kind: CacheKind::Live, ..meta })
    })
    .await
}

/// `GET /content/v1/live/stream`: the live board as Server-Sent Events
/// (`snapshot` first, then `update`s, `stale` while the feed is silent and
/// `end` after the session), with a heartbeat comment every few seconds
/// (15 by default). `Last-Event-ID`
/// resumes after that event when this process still holds it (ids name the
/// board, so one sent by another replica or before a restart resumes too),
/// else starts with a fresh snapshot. Streams have their own budget: past
/// it, or past the per-client cap, the answer is a 503 with `Retry-After`.
#[utoipa::path(
    get, path = "/content/v1/live/stream", operation_id = "stream_live", tag = "live",
    params(("Last-Event-ID" = Option<String>, Header, description = "Resume after this event (an `id` the stream sent)")),
    responses(
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = String),
        (status = 503, description = "No stream can be opened now (budget or per-client cap); see Retry-After", body = ErrorBody),
    )
)]
pub async fn stream(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let last = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(EventId::parse);
    let events = app.live.subscribe(last, app.live_heartbeat);
    let mut response = Response::new(Body::from_stream(events));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    // Proxies (nginx and friends) must not hold the events back.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
