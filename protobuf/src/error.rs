//! The domain error shared by every service, and its one mapping to and from
//! gRPC status codes.
use std::time::Duration;

use tonic::{Code, Status};

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum DomainError {
    /// Bad input, naming the offending field.
    #[error("invalid {field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0} not found")]
    NotFound(String),
    /// A dependency (storage, an upstream) cannot be reached.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("rate limited, retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    #[error("conflict: {0}")]
    Conflict(String),
    /// Anything else. The message is for logs, never for clients.
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }
}

/// Metadata key carrying the retry delay (whole seconds) of RESOURCE_EXHAUSTED.
pub const RETRY_AFTER_METADATA: &str = "retry-after";
/// Metadata key carrying the invalid field's name on INVALID_ARGUMENT.
pub const FIELD_METADATA: &str = "x-invalid-field";

impl From<DomainError> for Status {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid { field, message } => {
                let mut status = Status::invalid_argument(format!("invalid {field}: {message}"));
                if let Ok(value) = field.parse() {
                    status.metadata_mut().insert(FIELD_METADATA, value);
                }
                status
            }
            DomainError::NotFound(what) => Status::not_found(format!("{what} not found")),
            DomainError::Unavailable(what) => Status::unavailable(what),
            DomainError::RateLimited { retry_after } => {
                let mut status = Status::resource_exhausted("rate limited");
                if let Ok(value) = retry_after.as_secs().max(1).to_string().parse() {
                    status.metadata_mut().insert(RETRY_AFTER_METADATA, value);
                }
                status
            }
            DomainError::Conflict(what) => Status::already_exists(what),
            // Internal detail stays in the server's log.
            DomainError::Internal(_) => Status::internal("internal error"),
        }
    }
}

impl From<Status> for DomainError {
    fn from(status: Status) -> Self {
        let message = status.message().to_string();
        match status.code() {
            Code::InvalidArgument => {
                let field = status
                    .metadata()
                    .get(FIELD_METADATA)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("request")
                    .to_string();
                DomainError::Invalid { field, message }
            }
            Code::NotFound => DomainError::NotFound(message.trim_end_matches(" not found").to_string()),
            Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled => DomainError::Unavailable(message),
            Code::ResourceExhausted => {
                let secs = status
                    .metadata()
                    .get(RETRY_AFTER_METADATA)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                DomainError::RateLimited { retry_after: Duration::from_secs(secs) }
            }
            Code::AlreadyExists => DomainError::Conflict(message),
            _ => DomainError::Internal(format!("{:?}: {message}", status.code())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_round_trips_with_its_field() {
        let status: Status = DomainError::invalid("round", "must be at least 1").into();
        assert_eq!(status.code(), Code::InvalidArgument);
        let back = DomainError::from(status);
        assert_eq!(
            back,
            DomainError::Invalid { field: "round".into(), message: "invalid round: must be at least 1".into() }
        );
    }

    #[test]
    fn internal_detail_is_not_sent() {
        let status: Status = DomainError::Internal("disk on fire at /var/x".into()).into();
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("disk"));
    }

    #[test]
    fn rate_limit_carries_retry_after() {
        let status: Status = DomainError::RateLimited { retry_after: Duration::from_secs(7) }.into();
        assert_eq!(status.code(), Code::ResourceExhausted);
        assert_eq!(DomainError::from(status), DomainError::RateLimited { retry_after: Duration::from_secs(7) });
    }
}
