//! Layers of the router: a `Retry-After` on every 503. Content negotiation
//! and conditional GETs are `common::conditional`, shared with the website;
//! unknown routes and methods answer through `common::error::json_fallbacks`.
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Adds the configured `Retry-After` to a 503 that has none.
pub async fn retry_after(State(secs): State<u64>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res.status() == StatusCode::SERVICE_UNAVAILABLE && !res.headers().contains_key(header::RETRY_AFTER) {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    }
    res
}
