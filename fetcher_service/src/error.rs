//! What can stop a sync: a bad parameter, an upstream that failed or
//! answered something invalid, or data_scheduler refusing or unreachable.
use protobuf::DomainError;

use crate::upstream::UpstreamError;

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum FetchError {
    /// A request parameter is invalid; `field` names it.
    #[error("invalid {field}: {message}")]
    Param { field: String, message: String },
    /// An upstream failed (after its retries) or answered something the
    /// parser does not accept.
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    /// data_scheduler refused the write or could not be reached.
    #[error("data_scheduler: {0}")]
    Store(DomainError),
}

impl FetchError {
    pub fn param(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Param { field: field.into(), message: message.into() }
    }

    /// Whether data_scheduler could not be reached (as opposed to refusing).
    pub fn is_store_unavailable(&self) -> bool {
        matches!(self, Self::Store(DomainError::Unavailable(_)))
    }
}

impl From<tonic::Status> for FetchError {
    fn from(status: tonic::Status) -> Self {
        Self::Store(DomainError::from(status))
    }
}

/// Parameter errors from the validated domain types keep their field.
impl From<DomainError> for FetchError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid { field, message } => Self::Param { field, message },
            other => Self::Store(other),
        }
    }
}

impl From<FetchError> for DomainError {
    fn from(err: FetchError) -> Self {
        match err {
            FetchError::Param { field, message } => DomainError::Invalid { field, message },
            FetchError::Upstream(e) => DomainError::Unavailable(e.to_string()),
            FetchError::Store(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_unavailable_is_store_unavailable() {
        let err = FetchError::from(tonic::Status::unavailable("connection refused"));
        assert!(err.is_store_unavailable());
        assert!(!FetchError::from(tonic::Status::invalid_argument("bad")).is_store_unavailable());
    }

    #[test]
    fn domain_invalid_becomes_a_param_error() {
        let err = FetchError::from(DomainError::invalid("season", "abc is not a year"));
        assert_eq!(err, FetchError::param("season", "abc is not a year"));
    }
}
