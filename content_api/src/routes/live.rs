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
use crate::params::{self, QueryParams};
use crate::respond::{CacheKind, Envelope, Meta, Rendered};
use crate::state::AppState;

/// `?delay=` as a duration (zero when absent).
fn delay(q: &QueryParams) -> Result<std::time::Duration, ApiError> {
    Ok(q.get("delay").map(params::delay).transpose()?.unwrap_or_default())
}

/// The live session state (leaderboard, track status, race control,
/// weather); after a session ends its final state (status `finished`) until
/// the next one starts; 404 `no_live_session` when none was ever stored.
#[utoipa::path(
    get, path = "/content/v1/live", operation_id = "get_live", tag = "live",
    responses(
        (status = 200, description = "The live session", body = Envelope<Live>),
        (status = 404, description = "No session is live", body = ErrorBody),
        crate::openapi::responses::BadParameter,
        crate::openapi::responses::NotModified,
        crate::openapi::responses::Unavailable,
    )
)]
pub async fn now(State(app): State<AppState>, uri: Uri, q: QueryParams) -> Result<Response, ApiError> {
    let delay = delay(&q)?;
    app.answer(&uri, async {
        if let Some(held) = Some(delay).filter(|d| !d.is_zero()).and_then(|d| app.live.board_at(d)) {
            if held.board.is_null() {
                return Err(ApiError::NoLiveSession("no session was live then".into()));
            }
            let live: Live = serde_json::from_value(held.board.as_ref().clone())
                .map_err(|e| ApiError::Internal(format!("a held live board does not read back: {e}")))?;
            let date = live.updated_at;
            return Rendered::json(&live, Meta { date, cached: false, kind: CacheKind::Live });
        }
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
/// else starts with a fresh snapshot. With `?delay=N` (0 to 300) the stream
/// is held N seconds to match a delayed broadcast: the snapshot is the board
/// as it was N seconds ago and each event comes N seconds after it
/// happened (`sent_at_ms` still says when it first went out).
/// Streams have their own budget: past
/// it, or past the per-client cap, the answer is a 503 with `Retry-After`.
#[utoipa::path(
    get, path = "/content/v1/live/stream", operation_id = "stream_live", tag = "live",
    params(
        ("Last-Event-ID" = Option<String>, Header, description = "Resume after this event (an `id` the stream sent)"),
        ("delay" = Option<u32>, Query, minimum = 0, maximum = 300,
            description = "Seconds to hold the stream back (0-300), to match a delayed broadcast"),
    ),
    responses(
        (status = 200, description = "An event stream", content_type = "text/event-stream", body = String),
        crate::openapi::responses::BadParameter,
        (status = 503, description = "No stream can be opened now (budget or per-client cap); see Retry-After", body = ErrorBody),
    )
)]
pub async fn stream(State(app): State<AppState>, headers: HeaderMap, q: QueryParams) -> Result<Response, ApiError> {
    let delay = delay(&q)?;
    let last = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(EventId::parse);
    let body = if delay.is_zero() {
        Body::from_stream(app.live.subscribe(last, app.live_heartbeat))
    } else {
        Body::from_stream(app.live.subscribe_delayed(last, delay, app.live_heartbeat))
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    // Proxies (nginx and friends) must not hold the events back.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
