//! The one error type of auth_api's HTTP surface and of the functions the
//! gateway and the CLI call.
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::error::HttpError;
use protobuf::DomainError;

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum AuthError {
    /// No `Authorization: Bearer` nor `X-API-Key`.
    #[error("missing credentials")]
    MissingCredentials,
    /// Login failed. The same answer for an unknown email, a wrong password
    /// and a disabled account, so accounts cannot be discovered.
    #[error("invalid email or password")]
    InvalidCredentials,
    /// A token or key that is malformed, tampered, expired, revoked or whose
    /// user is gone or disabled.
    #[error("invalid or expired credentials")]
    InvalidToken,
    /// Authenticated, but the role is not enough.
    #[error("forbidden")]
    Forbidden,
    #[error("registration is closed")]
    RegistrationClosed,
    #[error("too many attempts, retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    #[error("invalid {field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict: {0}")]
    Conflict(String),
    /// data_scheduler cannot be reached.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything else. The message is for logs, never for clients.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AuthError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::MissingCredentials | Self::InvalidCredentials | Self::InvalidToken => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::RegistrationClosed => StatusCode::FORBIDDEN,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Invalid { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::MissingCredentials => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidToken => "invalid_token",
            Self::Forbidden => "forbidden",
            Self::RegistrationClosed => "registration_closed",
            Self::RateLimited { .. } => "rate_limited",
            Self::Invalid { .. } => "invalid_request",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }
}

impl From<DomainError> for AuthError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid { field, message } => Self::Invalid { field, message },
            DomainError::NotFound(_) => Self::NotFound("record"),
            DomainError::Unavailable(what) => Self::Unavailable(what),
            DomainError::RateLimited { retry_after } => Self::RateLimited { retry_after },
            DomainError::Conflict(what) => Self::Conflict(what),
            DomainError::Internal(what) => Self::Internal(what),
        }
    }
}

impl From<tonic::Status> for AuthError {
    fn from(status: tonic::Status) -> Self {
        DomainError::from(status).into()
    }
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            // Logged once, here; the client gets an opaque message and the request id.
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "auth_api internal error");
                "internal error".to_string()
            }
            Self::Unavailable(detail) => {
                tracing::error!(error = %detail, "data_scheduler unavailable");
                "a dependency is unavailable, retry later".to_string()
            }
            other => other.to_string(),
        };
        let parameter = match &self {
            Self::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        let mut response = HttpError { status, code: self.code(), message, parameter }.into_response();
        let headers = response.headers_mut();
        match &self {
            Self::RateLimited { retry_after } => {
                // Rounded up, so a client that waits exactly this long is let in.
                let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                headers.insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
            }
            Self::MissingCredentials | Self::InvalidToken => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"willitbemax\""));
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_answer_carries_retry_after() {
        let response = AuthError::RateLimited { retry_after: Duration::from_millis(41_200) }.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "42");
    }

    #[test]
    fn internal_detail_is_not_sent() {
        let response = AuthError::Internal("disk on fire".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
