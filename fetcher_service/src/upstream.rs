//! The seam between sources and HTTP: every source fetches through [`Fetch`],
//! so pacing, retries with backoff and jitter, `Retry-After`, timeouts and
//! the per-sync response cache live in one implementation
//! (`UpstreamClient`), and parsers can be tested on recorded bytes.
use async_trait::async_trait;

/// Which upstream a request went to (named in every error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceName {
    Jolpica,
    Formula1,
    Livetiming,
    F1db,
}

impl SourceName {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jolpica => "jolpica",
            Self::Formula1 => "formula1",
            Self::Livetiming => "livetiming",
            Self::F1db => "f1db",
        }
    }

    /// The largest answer read from this source; a bigger one is an error,
    /// read no further (a hostile or broken upstream cannot fill memory).
    /// LiveTiming's race `*.jsonStream` files are the largest real answers
    /// (tens of MB); Jolpica pages and formula1.com pages and images are
    /// well under a few MB.
    pub fn max_body_bytes(self) -> usize {
        const MIB: usize = 1024 * 1024;
        match self {
            Self::Jolpica => 8 * MIB,
            Self::Formula1 => 16 * MIB,
            Self::Livetiming => 96 * MIB,
            Self::F1db => 64 * MIB,
        }
    }
}

impl std::fmt::Display for SourceName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed upstream request or an upstream answer that failed validation.
/// `path` is the URL path (and query) asked for, never the full URL with
/// credentials.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum UpstreamError {
    #[error("{upstream}: {path}: HTTP {status}")]
    Status { upstream: SourceName, path: String, status: u16 },
    #[error("{upstream}: {path}: timed out")]
    Timeout { upstream: SourceName, path: String },
    #[error("{upstream}: {path}: {message}")]
    Transport { upstream: SourceName, path: String, message: String },
    /// The answer arrived but is not what the parser expects.
    #[error("{upstream}: {path}: invalid answer: {field}: {message}")]
    Invalid { upstream: SourceName, path: String, field: String, message: String },
}

#[async_trait]
pub trait Fetch: Send + Sync {
    /// GETs `path` (with its query, e.g. `/ergast/f1/2024.json?limit=100`)
    /// relative to this source's base URL and returns the body.
    async fn get(&self, path: &str) -> Result<Vec<u8>, UpstreamError>;

    /// As [`Fetch::get`], for a body a sync reads only once (a session's
    /// streams): a fetcher with a response cache does not keep it, so a
    /// season's sync holds one session's streams at a time, not all of them.
    async fn get_once(&self, path: &str) -> Result<Vec<u8>, UpstreamError> {
        self.get(path).await
    }

    /// The source this fetcher talks to.
    fn source(&self) -> SourceName;
}
