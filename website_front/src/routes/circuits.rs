//! `/images/circuits/{id}`: the circuit image from content_api, served
//! from the site's own origin so pages need no other host.
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::extract::Path;

use crate::client::ContentError;
use crate::state::AppState;

pub async fn image(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = super::id(&id, "circuit") else { return StatusCode::NOT_FOUND.into_response() };
    match app.content.bytes(&format!("/content/v1/circuits/{id}/image")).await {
        Ok((kind, body)) if kind.starts_with("image/") => {
            let mut res = body.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&kind).unwrap_or(HeaderValue::from_static("image/png")),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
            res
        }
        Ok(_) | Err(ContentError::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(ContentError::Unavailable(_)) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "circuit image");
            StatusCode::BAD_GATEWAY.into_response()
        }
    }
}
