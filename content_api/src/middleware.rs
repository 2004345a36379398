//! Layers of the router: conditional GETs (`If-None-Match` → 304) and a
//! `Retry-After` on every 503.
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::error_response;
use crate::respond::not_modified;

/// Weak comparison, as RFC 9110 asks for `If-None-Match`.
fn matches(if_none_match: &str, etag: &str) -> bool {
    let strip = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let etag = strip(etag);
    if_none_match.trim() == "*" || if_none_match.split(',').any(|t| strip(t) == etag)
}

/// Answers 304 when the client already holds the representation.
pub async fn conditional(req: Request, next: Next) -> Response {
    let wanted = match *req.method() {
        Method::GET | Method::HEAD => req.headers().get(header::IF_NONE_MATCH).cloned(),
        _ => None,
    };
    let res = next.run(req).await;
    let Some(wanted) = wanted.as_ref().and_then(|v| v.to_str().ok()) else { return res };
    if res.status() != StatusCode::OK {
        return res;
    }
    match res.headers().get(header::ETAG).and_then(|v| v.to_str().ok()) {
        Some(etag) if matches(wanted, etag) => {
            let etag = res.headers()[header::ETAG].clone();
            not_modified(etag, res.headers().get(header::CACHE_CONTROL).cloned())
        }
        _ => res,
    }
}

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

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        assert!(matches("\"a\"", "\"a\""));
        assert!(matches("\"x\", W/\"a\"", "\"a\""));
        assert!(matches("*", "\"a\""));
        assert!(!matches("\"b\"", "\"a\""));
    }
}
