//! The HTTP frame every service's router is wrapped in, the JSON error body,
//! and serving with graceful shutdown.
use std::time::Duration;

use axum::{
    Json, Router,
    http::{HeaderName, Request, StatusCode},
    middleware,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use tokio::net::TcpListener;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
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
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
}

#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `{"error":{"code":..,"message":..}}` with `status`. Server errors carry
/// the request id so a user can quote it; their detail stays in the log.
pub fn error_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let request_id = if status.is_server_error() { request_id::current() } else { None };
    let body = ErrorBody { error: ErrorDetail { code: code.to_string(), message: message.into(), request_id } };
    (status, Json(body)).into_response()
}

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
