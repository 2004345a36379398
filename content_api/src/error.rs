//! The one error type of content_api, answered in the common JSON error
//! body `{"error":{"code","message"}}`.
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::error::HttpError;
use protobuf::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A request parameter that cannot be right, named.
    #[error("invalid {parameter}: {message}")]
    BadParameter { parameter: String, message: String },
    #[error("{0} not found")]
    NotFound(String),
    /// No session is live right now.
    #[error("{0}")]
    NoLiveSession(String),
    /// A documented endpoint this server does not answer (yet), with why.
    #[error("{0}")]
    NotImplemented(String),
    /// data_scheduler did not answer within the deadline, or is down.
    #[error("data_scheduler unavailable: {detail}")]
    Unavailable { detail: String, retry_after: Option<Duration> },
    /// An upstream this API reads directly (the LiveTiming archive, for
    /// car_data and location) failed; the detail is logged, never sent.
    #[error("upstream: {0}")]
    Upstream(String),
    /// Anything else; the detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
    /// A rejection of a shared extractor, already in the JSON error body.
    #[error("{0}")]
    Http(#[from] HttpError),
}

impl ApiError {
    pub fn bad(parameter: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadParameter { parameter: parameter.into(), message: message.into() }
    }
}

impl From<tonic::Status> for ApiError {
    fn from(status: tonic::Status) -> Self {
        DomainError::from(status).into()
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            // We validate before calling, so data_scheduler's wire names
            // (`season`) are mapped to ours (`year`).
            DomainError::Invalid { field, message } => {
                let parameter = if field == "season" { "year".to_string() } else { field };
                Self::BadParameter { parameter, message }
            }
            DomainError::NotFound(what) => Self::NotFound(what),
            DomainError::Unavailable(detail) => Self::Unavailable { detail, retry_after: None },
            DomainError::RateLimited { retry_after } => {
                Self::Unavailable { detail: "data_scheduler is rate limiting".into(), retry_after: Some(retry_after) }
            }
            DomainError::Conflict(detail) | DomainError::Internal(detail) => Self::Internal(detail),
        }
    }
}

pub use common::error::ErrorBody;

/// Builds the JSON error answer; server errors carry the request id.
pub fn error_response(status: StatusCode, code: &'static str, message: String, parameter: Option<String>) -> Response {
    HttpError { status, code, message, parameter }.into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::BadParameter { parameter, message } => {
                HttpError::invalid_parameter(parameter, message).into_response()
            }
            Self::NotFound(what) => {
                error_response(StatusCode::NOT_FOUND, "not_found", format!("{what} not found"), None)
            }
            Self::NoLiveSession(message) => error_response(StatusCode::NOT_FOUND, "no_live_session", message, None),
            Self::NotImplemented(message) => {
                error_response(StatusCode::NOT_IMPLEMENTED, "not_implemented", message, None)
            }
            Self::Unavailable { detail, retry_after: wait } => {
                tracing::warn!(error = %detail, "data_scheduler unavailable");
                let mut res = error_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the data service is not answering; retry later".into(),
                    None,
                );
                // Without a delay from data_scheduler, the router's layer
                // adds the configured one.
                if let Some(wait) = wait {
                    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs().max(1)));
                }
                res
            }
            Self::Upstream(detail) => {
                tracing::warn!(error = %detail, "upstream failed");
                error_response(
                    StatusCode::BAD_GATEWAY,
                    "upstream_unavailable",
                    "the LiveTiming archive did not answer as expected; retry later".into(),
                    None,
                )
            }
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                error_response(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error".into(), None)
            }
            Self::Http(e) => e.into_response(),
        }
    }
}
