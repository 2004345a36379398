//! Layers of the router: a `Retry-After` on every 503 and JSON answers
//! for unknown routes and methods. Content negotiation and conditional
//! GETs are `common::conditional`, shared with the website.
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::error_response;

/// Adds the configured `Retry-After` to a 503 that has none.
pub async fn retry_after(State(secs): State<u64>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res.status() == StatusCode::SERVICE_UNAVAILABLE && !res.headers().contains_key(header::RETRY_AFTER) {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    }
    res
}

/// Unknown paths answer in the same JSON shape as every other error.
pub async fn not_found(method: Method, uri: axum::http::Uri) -> Response {
    error_response(StatusCode::NOT_FOUND, "not_found", format!("no route for {method} {}", uri.path()), None)
}

/// The JSON answer for a method a route does not serve.
pub async fn method_not_allowed(method: Method) -> Response {
    error_response(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", format!("{method} is not allowed here"), None)
}
