//! The one error type of the formula1.com source.
use crate::upstream::{SourceName, UpstreamError};

/// Everything that can go wrong scraping formula1.com. Every variant names
/// the URL path; none is ever returned alongside partial data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Formula1Error {
    /// The request itself failed (after the client's retries).
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    /// The page does not hold an element the scraper relies on: the markup
    /// changed (or the page is not the one expected).
    #[error("formula1: {path}: markup changed: {element} not found")]
    MissingElement { path: String, element: String },
    /// The element is there but its content is not what the parser expects.
    #[error("formula1: {path}: invalid answer: {field}: {message}")]
    Invalid { path: String, field: String, message: String },
}

impl Formula1Error {
    pub(crate) fn missing(path: &str, element: impl Into<String>) -> Self {
        Self::MissingElement { path: path.to_string(), element: element.into() }
    }

    pub(crate) fn invalid(path: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { path: path.to_string(), field: field.into(), message: message.into() }
    }

    /// The URL path the error is about.
    pub fn path(&self) -> &str {
        match self {
            Self::Upstream(
                UpstreamError::Status { path, .. }
                | UpstreamError::Timeout { path, .. }
                | UpstreamError::Transport { path, .. }
                | UpstreamError::Invalid { path, .. },
            ) => path,
            Self::MissingElement { path, .. } | Self::Invalid { path, .. } => path,
        }
    }
}

/// Lets callers that speak only [`UpstreamError`] (the HTTP layer) report
/// scraper errors as "the upstream answer failed validation".
impl From<Formula1Error> for UpstreamError {
    fn from(err: Formula1Error) -> Self {
        let upstream = SourceName::Formula1;
        match err {
            Formula1Error::Upstream(inner) => inner,
            Formula1Error::MissingElement { path, element } => {
                UpstreamError::Invalid { upstream, path, field: element, message: "not found (markup changed?)".into() }
            }
            Formula1Error::Invalid { path, field, message } => {
                UpstreamError::Invalid { upstream, path, field, message }
            }
        }
    }
}
