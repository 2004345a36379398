//! The error of reading LiveTiming data that is not what we expect.

/// A stream, topic or field that does not parse. It names the URL path (or
/// another label of the source) and the field, so the caller can report it
/// in its own words; fetcher_service turns it into its archive error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("livetiming: {path}: invalid answer: {field}: {message}")]
pub struct InvalidData {
    pub path: String,
    pub field: String,
    pub message: String,
}

impl InvalidData {
    pub fn new(path: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.to_string(), field: field.into(), message: message.into() }
    }
}
