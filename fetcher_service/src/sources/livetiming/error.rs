//! The one error type of the LiveTiming archive source.
use crate::upstream::{SourceName, UpstreamError};

/// Everything that can go wrong reading a session from the archive. Every
/// variant names the URL path it is about; none is ever returned alongside
/// partial data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LiveTimingError {
    /// The request itself failed (after the client's retries).
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    /// A stream every session must have answered 404.
    #[error("livetiming: {path}: required stream is missing (HTTP 404)")]
    MissingStream { path: String },
    /// The answer is not what the parser expects.
    #[error("livetiming: {path}: invalid answer: {field}: {message}")]
    Invalid { path: String, field: String, message: String },
    /// No meeting of the season's Index.json matches the round.
    #[error("livetiming: {path}: no meeting matches round {round} ({what})")]
    MeetingNotFound { path: String, round: i32, what: String },
    /// The meeting was found but has no session of the asked type.
    #[error("livetiming: {path}: meeting `{meeting}` has no {session} session")]
    SessionNotFound { path: String, meeting: String, session: &'static str },
    /// The archive holds a session that has not finished yet.
    #[error("livetiming: {path}: session is not finished (last status `{status}`)")]
    NotFinished { path: String, status: String },
}

/// The shared reader's "not what we expect" is the archive's `Invalid`.
impl From<livetiming::InvalidData> for LiveTimingError {
    fn from(e: livetiming::InvalidData) -> Self {
        Self::Invalid { path: e.path, field: e.field, message: e.message }
    }
}

impl LiveTimingError {
    pub(crate) fn invalid(path: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { path: path.to_string(), field: field.into(), message: message.into() }
    }

    /// The URL path (relative to the LiveTiming base URL) the error is about.
    pub fn path(&self) -> &str {
        match self {
            Self::Upstream(
                UpstreamError::Status { path, .. }
                | UpstreamError::Timeout { path, .. }
                | UpstreamError::Transport { path, .. }
                | UpstreamError::Invalid { path, .. },
            ) => path,
            Self::MissingStream { path }
            | Self::Invalid { path, .. }
            | Self::MeetingNotFound { path, .. }
            | Self::SessionNotFound { path, .. }
            | Self::NotFinished { path, .. } => path,
        }
    }
}

/// Lets callers that speak only [`UpstreamError`] (the HTTP layer) report
/// archive errors as "the upstream answer failed validation", keeping the
/// path and what was wrong.
impl From<LiveTimingError> for UpstreamError {
    fn from(err: LiveTimingError) -> Self {
        let upstream = SourceName::Livetiming;
        match err {
            LiveTimingError::Upstream(inner) => inner,
            LiveTimingError::MissingStream { path } => UpstreamError::Status { upstream, path, status: 404 },
            LiveTimingError::Invalid { path, field, message } => {
                UpstreamError::Invalid { upstream, path, field, message }
            }
            LiveTimingError::MeetingNotFound { path, round, what } => UpstreamError::Invalid {
                upstream,
                path,
                field: "Meetings".into(),
                message: format!("no meeting matches round {round} ({what})"),
            },
            LiveTimingError::SessionNotFound { path, meeting, session } => UpstreamError::Invalid {
                upstream,
                path,
                field: "Sessions".into(),
                message: format!("meeting `{meeting}` has no {session} session"),
            },
            LiveTimingError::NotFinished { path, status } => UpstreamError::Invalid {
                upstream,
                path,
                field: "SessionStatus".into(),
                message: format!("session is not finished (last status `{status}`)"),
            },
        }
    }
}
