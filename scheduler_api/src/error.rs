//! The one error type of scheduler_api's HTTP routes, answered in the
//! common JSON error body `{"error":{"code","message"}}`.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use common::error::HttpError;
use protobuf::DomainError;

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
    /// A rejection of a shared extractor, already in the JSON error body.
    #[error("{0}")]
    Http(#[from] HttpError),
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

fn answer(status: StatusCode, code: &'static str, message: String, parameter: Option<String>) -> Response {
    HttpError { status, code, message, parameter }.into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::BadParameter { parameter, message } => {
                HttpError::invalid_parameter(parameter, message).into_response()
            }
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
            Self::Http(e) => e.into_response(),
        }
    }
}
