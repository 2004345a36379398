//! The one HTTP implementation of [`Fetch`]: a base URL per source, a
//! timeout on every request, pacing, `Retry-After` on 429, retries of 5xx,
//! timeouts and transport failures with exponential backoff and jitter, and
//! a response cache that lives as long as one sync.
//!
//! [`Upstream`] is built once per source and shared (its pacing budget is
//! the process's); [`Upstream::sync`] hands each sync its own
//! [`UpstreamClient`] with an empty cache.

mod formula1;
mod pacing;
mod retry;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use reqwest::StatusCode;

pub use formula1::{F1_MEDIA_ORIGIN, F1_SITE_ORIGIN, Formula1Hosts};
pub use pacing::{Pacer, Pacing};
pub use retry::{Policy, retry_after};

use crate::upstream::{Fetch, SourceName, UpstreamError};

const USER_AGENT: &str = concat!("willitbemax-fetcher/", env!("CARGO_PKG_VERSION"));

#[derive(Debug)]
struct Inner {
    source: SourceName,
    /// Base URL without a trailing slash, e.g. `https://api.jolpi.ca/ergast/f1`.
    base: String,
    /// The base URL's path (named in errors with the request's path).
    base_path: String,
    http: reqwest::Client,
    policy: Policy,
    pacer: Option<Pacer>,
}

/// One upstream source: shared by every sync of the process.
#[derive(Debug, Clone)]
pub struct Upstream {
    inner: Arc<Inner>,
}

impl Upstream {
    /// `pacing` None turns pacing off.
    pub fn new(
        source: SourceName,
        base_url: &str,
        policy: Policy,
        pacing: Option<Pacing>,
    ) -> Result<Self, UpstreamError> {
        let base = base_url.trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&base).map_err(|e| UpstreamError::Transport {
            upstream: source,
            path: String::new(),
            message: format!("base URL `{base}` is invalid: {e}"),
        })?;
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| UpstreamError::Transport { upstream: source, path: String::new(), message: e.to_string() })?;
        let base_path = parsed.path().trim_end_matches('/').to_string();
        Ok(Self { inner: Arc::new(Inner { source, base, base_path, http, policy, pacer: pacing.map(Pacer::new) }) })
    }

    pub fn source(&self) -> SourceName {
        self.inner.source
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// A fetcher for one sync, with its own response cache.
    pub fn sync(&self) -> UpstreamClient {
        UpstreamClient { upstream: self.clone(), cache: Mutex::default() }
    }

    /// GETs `path` with pacing and retries (no cache).
    async fn fetch(&self, path: &str) -> Result<Vec<u8>, UpstreamError> {
        let inner = &self.inner;
        let shown = format!("{}{path}", inner.base_path);
        let url = format!("{}{path}", inner.base);
        let policy = inner.policy;
        let attempts = policy.attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(pacer) = &inner.pacer {
                pacer.ready().await;
            }
            let (error, wait) = match self.once(&url, &shown).await {
                Ok(body) => {
                    metrics::counter!("upstream_requests_total", "source" => inner.source.as_str(), "outcome" => "ok")
                        .increment(1);
                    return Ok(body);
                }
                Err(Failure::Final(e)) => (e, None),
                Err(Failure::RetryAfter(e, wait)) => (e, Some(wait)),
                Err(Failure::Retry(e)) => (e, Some(policy.backoff(attempt))),
            };
            metrics::counter!("upstream_requests_total", "source" => inner.source.as_str(), "outcome" => "error")
                .increment(1);
            match wait {
                Some(wait) if attempt < attempts => {
                    tracing::warn!(source = %inner.source, path = %shown, attempt, wait_ms = wait.as_millis() as u64, error = %error, "upstream request failed; retrying");
                    tokio::time::sleep(wait).await;
                }
                _ => return Err(error),
            }
        }
    }

    async fn once(&self, url: &str, shown: &str) -> Result<Vec<u8>, Failure> {
        let inner = &self.inner;
        let (upstream, path) = (inner.source, shown.to_string());
        let transport = |e: reqwest::Error| {
            if e.is_timeout() {
                UpstreamError::Timeout { upstream, path: path.clone() }
            } else {
                UpstreamError::Transport { upstream, path: path.clone(), message: transport_message(&e) }
            }
        };
        let response = inner.http.get(url).send().await.map_err(|e| Failure::Retry(transport(e)))?;
        let status = response.status();
        if status.is_success() {
            return match response.bytes().await {
                Ok(b) => Ok(b.to_vec()),
                Err(e) => Err(Failure::Retry(transport(e))),
            };
        }
        let error = UpstreamError::Status { upstream, path: path.clone(), status: status.as_u16() };
        if status == StatusCode::TOO_MANY_REQUESTS {
            let header = response.headers().get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok());
            return Err(match header.and_then(|v| retry_after(v, chrono::Utc::now())) {
                None => Failure::Retry(error),
                Some(wait) if wait > inner.policy.max_retry_after => Failure::Final(error),
                Some(wait) => Failure::RetryAfter(error, wait),
            });
        }
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            return Err(Failure::Retry(error));
        }
        Err(Failure::Final(error))
    }
}

enum Failure {
    /// Not worth retrying (404, a 429 asking for too long a wait).
    Final(UpstreamError),
    /// Retry after the backoff.
    Retry(UpstreamError),
    /// Retry after the wait the server asked for.
    RetryAfter(UpstreamError, Duration),
}

/// reqwest's error text without the URL (which may carry credentials).
fn transport_message(e: &reqwest::Error) -> String {
    let mut message = if e.is_connect() { "connection failed".to_string() } else { "request failed".to_string() };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    message
}

/// One sync's view of an upstream: every path is fetched at most once.
#[derive(Debug)]
pub struct UpstreamClient {
    upstream: Upstream,
    cache: Mutex<HashMap<String, Vec<u8>>>,
}

impl UpstreamClient {
    /// The base URL paths are fetched from.
    pub fn base_url(&self) -> &str {
        self.upstream.base_url()
    }

    fn cached(&self, path: &str) -> Option<Vec<u8>> {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(path).cloned()
    }
}

#[async_trait]
impl Fetch for UpstreamClient {
    async fn get(&self, path: &str) -> Result<Vec<u8>, UpstreamError> {
        if let Some(body) = self.cached(path) {
            return Ok(body);
        }
        let body = self.upstream.fetch(path).await?;
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path.to_string(), body.clone());
        Ok(body)
    }

    fn source(&self) -> SourceName {
        self.upstream.source()
    }
}
