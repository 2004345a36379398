//! The HTTP frame every service's router is wrapped in, the JSON error body,
//! and serving with graceful shutdown.
use std::time::Duration;

use axum::{
    Router,
    http::{HeaderName, Request, StatusCode},
    middleware,
};
use tokio::net::TcpListener;
use tower_http::{
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{Shutdown, metrics, request_id};

/// Wraps a service's router: request ids, a span per request carrying the
/// id, metrics, and a request timeout.
pub fn frame(router: Router, service: &'static str, timeout: Duration) -> Router {
    let header = HeaderName::from_static(request_id::HEADER);
    router
        .layer(middleware::from_fn(request_id::make_current))
        .layer(middleware::from_fn_with_state(service, metrics::track_http))
        .layer(TimeoutLayer::with_status_code(StatusCode::GATEWAY_TIMEOUT, timeout))
        .layer(TraceLayer::new_for_http().make_span_with(move |req: &Request<_>| {
            let id = req.headers().get(request_id::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("http", service, request_id = %id, method = %req.method(), uri = %req.uri())
        }))
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(SetRequestIdLayer::new(header, request_id::NextRequestId))
}

pub use crate::error::{ErrorBody, ErrorDetail, error_response};

/// Binds `addr` (port 0 picks a free one).
pub async fn bind(addr: &str) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves `router` until `shutdown` triggers, then lets in-flight requests
/// finish, with the default [`ServeLimits`](crate::serve::ServeLimits)
/// (header-read deadline, connection cap, bounded drain).
pub async fn serve(listener: TcpListener, router: Router, shutdown: Shutdown) -> std::io::Result<()> {
    crate::serve::serve_with(listener, router, shutdown, crate::serve::ServeLimits::default()).await
}
