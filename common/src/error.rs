//! The one JSON error body every HTTP service answers with:
//! `{"error":{"code","message","parameter"?,"request_id"?}}`.
//!
//! Client errors (4xx) say in our words what was wrong and name the field
//! or parameter; server errors (5xx) carry an opaque message and the request
//! id, their detail stays in the log. Answers are never cached.
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::request_id;

/// The error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// What went wrong, for programs: `invalid_parameter`, `invalid_request` (the body),
    /// `not_found`, `method_not_allowed`, `unavailable`, `internal`, ...
    pub code: String,
    /// What went wrong, for people; a client error names the field.
    pub message: String,
    /// The offending path or query parameter, or body field (4xx only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Quote it when reporting a server error (5xx only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// An error answer about to be sent: the status, the code, the message and
/// the field it is about. Extractor rejections and the services' error
/// types all end here.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct HttpError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub parameter: Option<String>,
}

impl HttpError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), parameter: None }
    }

    /// A 400 about `parameter` (a path or query parameter): "invalid year: ...".
    pub fn invalid_parameter(parameter: impl Into<String>, message: impl std::fmt::Display) -> Self {
        let parameter = parameter.into();
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_parameter",
            message: format!("invalid {parameter}: {message}"),
            parameter: Some(parameter),
        }
    }

    /// A 400 about a field of the JSON body.
    pub fn invalid_body(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        let field = field.into();
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_request",
            message: format!("invalid {field}: {message}"),
            parameter: Some(field),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// A 500 whose `detail` is logged here, once, and never sent.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
    }

    pub fn body(&self) -> ErrorBody {
        let request_id = if self.status.is_server_error() { request_id::current() } else { None };
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message.clone(),
                parameter: self.parameter.clone(),
                request_id,
            },
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(self.body())).into_response();
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    }
}

/// `{"error":{"code":..,"message":..}}` with `status`. Server errors carry
/// the request id so a user can quote it; their detail stays in the log.
pub fn error_response(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    HttpError::new(status, code, message).into_response()
}

/// Fallback for paths no route serves.
pub async fn not_found(method: axum::http::Method, uri: axum::http::Uri) -> HttpError {
    HttpError::not_found(format!("no route for {method} {}", uri.path()))
}

/// Fallback for a method a route does not serve (axum's own 405 has no body).
pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> HttpError {
    HttpError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed on {}", uri.path()),
    )
}

/// Answers unknown paths with 404 and unserved methods with 405, both in
/// the JSON error body. Call it on a router before it is framed.
pub fn json_fallbacks<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    router.fallback(not_found).method_not_allowed_fallback(method_not_allowed)
}

/// An event stream that only says why it ends and when to try again: a
/// browser's `EventSource` reconnects after `secs` (on a 503 it would stop).
pub(crate) fn retry_event(message: &str, secs: u64) -> Response {
    let mut res = Response::new(axum::body::Body::from(format!(": {message}\nretry: {}\n\n", secs * 1000)));
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_name_their_field_and_carry_no_request_id() {
        let body = HttpError::invalid_parameter("year", "`abc` is not a whole number").body();
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"]["code"], "invalid_parameter");
        assert_eq!(json["error"]["parameter"], "year");
        assert_eq!(json["error"]["message"], "invalid year: `abc` is not a whole number");
        assert!(json["error"].get("request_id").is_none());
    }

    #[test]
    fn errors_are_not_cached() {
        let res = HttpError::not_found("season 1900 not found").into_response();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    }
}
