//! website_front's configuration (`WIBM_*` variables; see the README).
use std::time::Duration;

use common::config::{Millis, Secs};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// HTTP listen address (`WIBM_WEBSITE_LISTEN`).
    #[serde(default = "default_listen")]
    pub website_listen: String,
    /// Base URL of content_api's public REST API (`WIBM_CONTENT_URL`).
    #[serde(default = "default_content_url")]
    pub content_url: String,
    /// Deadline of each call to content_api
    /// (`WIBM_WEBSITE_CONTENT_TIMEOUT_MS`); past it the page is a 503.
    #[serde(default = "default_content_timeout")]
    pub website_content_timeout_ms: Millis,
    /// Whole-request timeout (`WIBM_WEBSITE_REQUEST_TIMEOUT_SECS`).
    #[serde(default = "default_request_timeout")]
    pub website_request_timeout_secs: Secs,
    /// After this the "data service unavailable" page reloads itself
    /// (`WIBM_WEBSITE_RETRY_SECS`).
    #[serde(default = "default_retry")]
    pub website_retry_secs: Secs,
    /// Rendered pages kept at most (`WIBM_WEBSITE_PAGE_CACHE_ENTRIES`); 0 keeps none.
    #[serde(default = "default_page_cache_entries")]
    pub website_page_cache_entries: u64,
    /// Megabytes of rendered pages kept at most (`WIBM_WEBSITE_PAGE_CACHE_MB`); 0 keeps none.
    #[serde(default = "default_page_cache_mb")]
    pub website_page_cache_mb: u64,
    /// A kept page revalidated less than this many milliseconds ago is
    /// served after asking content_api only for its version, unchanged since
    /// (`WIBM_WEBSITE_PAGE_FRESH_MS`); 0 revalidates every answer on every visit.
    #[serde(default = "default_page_fresh_ms")]
    pub website_page_fresh_ms: u64,
    /// Ordinary connections open at once (`WIBM_WEBSITE_MAX_CONNECTIONS`);
    /// past it a new connection gets a 503 at once. 0: a quarter of the
    /// open-files limit.
    #[serde(default)]
    pub website_max_connections: usize,
    /// `/live/stream` streams open at once, apart from ordinary connections
    /// (`WIBM_WEBSITE_MAX_STREAMS`). 0: the rest of the open-files limit.
    #[serde(default)]
    pub website_max_streams: usize,
    /// `/live/stream` streams open at once from one client address
    /// (`WIBM_WEBSITE_STREAMS_PER_CLIENT`).
    #[serde(default = "default_streams_per_client")]
    pub website_streams_per_client: usize,
    /// Count clients by the last `X-Forwarded-For` entry (only behind a
    /// proxy that sets it); with `WIBM_INTERNAL_TOKEN` set, only on requests
    /// that carry it (`WIBM_WEBSITE_TRUST_FORWARDED_FOR`).
    #[serde(default)]
    pub website_trust_forwarded_for: bool,
    /// The internal credential (`WIBM_INTERNAL_TOKEN`): sent with the
    /// client's address when the live stream is passed on, so content_api
    /// counts the viewer, not the website, against its per-client cap.
    #[serde(default)]
    pub internal_token: Option<SecretString>,
}

impl Default for Config {
    fn default() -> Self {
        common::config::defaults()
    }
}

impl Config {
    pub fn content_timeout(&self) -> Duration {
        self.website_content_timeout_ms.get()
    }

    pub fn request_timeout(&self) -> Duration {
        self.website_request_timeout_secs.get()
    }

    pub fn serve_limits(&self) -> common::serve::ServeLimits {
        common::serve::ServeLimits::configured(self.website_max_connections, self.website_retry_secs.count())
    }

    pub fn stream_limits(&self) -> common::streams::StreamLimits {
        common::streams::StreamLimits::configured(
            self.website_max_streams,
            self.website_streams_per_client,
            self.website_retry_secs.count(),
        )
    }

    pub fn page_cache_bytes(&self) -> u64 {
        self.website_page_cache_mb.saturating_mul(1024 * 1024)
    }
}

fn default_listen() -> String {
    "127.0.0.1:3000".into()
}
fn default_content_url() -> String {
    "http://127.0.0.1:8080".into()
}
fn default_content_timeout() -> Millis {
    Millis::of(3000)
}
fn default_request_timeout() -> Secs {
    Secs::of(30)
}
fn default_retry() -> Secs {
    Secs::of(10)
}
fn default_page_cache_entries() -> u64 {
    1000
}
fn default_page_cache_mb() -> u64 {
    64
}
fn default_page_fresh_ms() -> u64 {
    10_000
}
fn default_streams_per_client() -> usize {
    8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let c = Config::default();
        assert_eq!(c.website_listen, "127.0.0.1:3000");
        assert_eq!(c.content_url, "http://127.0.0.1:8080");
        assert_eq!(c.content_timeout(), Duration::from_secs(3));
    }
}
