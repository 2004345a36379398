//! The one error type of scheduler_api's HTTP routes and its JSON answer
//! `{"error":{"code","message"}}`.
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use protobuf::DomainError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A request parameter that cannot be right, named.
    #[error("invalid {parameter}: {message}")]
    BadParameter { parameter: String, message: String },
    #[error("{0}")]
    NotFound(String),
    /// data_scheduler is not answering.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything else; the detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { field, message } => Self::BadParameter { parameter: field, message },
            DomainError::NotFound(what) => Self::NotFound(format!("{what} not found")),
            DomainError::Unavailable(detail) => Self::Unavailable(detail),
            DomainError::RateLimited { .. } => Self::Unavailable("data_scheduler is rate limiting".into()),
            DomainError::Conflict(detail) | DomainError::Internal(detail) => Self::Internal(detail),
        }
    }
}

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Serialize)]
struct ErrorDetail {
    code: &'static str,
    message: String,
    /// The offending query or path parameter (400 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<String>,
    /// Quote it when reporting a server error (5xx only).
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
}

fn answer(status: StatusCode, code: &'static str, message: String, parameter: Option<String>) -> Response {
    let request_id = if status.is_server_error() { common::request_id::current() } else { None };
    (status, Json(ErrorBody { error: ErrorDetail { code, message, parameter, request_id } })).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::BadParameter { parameter, message } => answer(
                StatusCode::BAD_REQUEST,
                "invalid_parameter",
                format!("invalid {parameter}: {message}"),
                Some(parameter),
            ),
            Self::NotFound(message) => answer(StatusCode::NOT_FOUND, "not_found", message, None),
            Self::Unavailable(detail) => {
                tracing::warn!(error = %detail, "data_scheduler unavailable");
                answer(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the data service is not answering; retry later".into(),
                    None,
                )
            }
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                answer(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error".into(), None)
            }
        }
    }
}
