//! The one HTTP implementation of [`Fetch`]: a base URL per source, a
//! timeout on every request, pacing, `Retry-After` on 429, retries of 5xx,
//! timeouts and transport failures with exponential backoff and jitter, and
//! a response cache that lives as long as one sync. Redirects are followed
//! only within the base URL's origin, and answers are read as a stream up
//! to the source's size limit ([`SourceName::max_body_bytes`]).
//!
//! [`Upstream`] is built once per source and shared (its pacing budget is
//! the process's); [`Upstream::sync`] hands each sync its own
//! [`UpstreamClient`] with an empty cache.

mod formula1;
mod pacing;
mod retry;
#[cfg(test)]
mod tests;

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
    /// Answers larger than this are refused.
    max_body: usize,
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
            .redirect(same_origin_redirects())
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| UpstreamError::Transport { upstream: source, path: String::new(), message: e.to_string() })?;
        let base_path = parsed.path().trim_end_matches('/').to_string();
        let max_body = source.max_body_bytes();
        let inner = Inner { source, base, base_path, http, policy, pacer: pacing.map(Pacer::new), max_body };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// The same upstream with another answer size limit (before it is shared).
    #[cfg(test)]
    fn with_max_body(mut self, bytes: usize) -> Self {
        Arc::get_mut(&mut self.inner).expect("set the limit before sharing the upstream").max_body = bytes;
        self
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
        let mut response = inner.http.get(url).send().await.map_err(|e| Failure::Retry(transport(e)))?;
        let status = response.status();
        if status.is_success() {
            let too_large = || {
                let message = format!("answer larger than the {} MiB limit", inner.max_body / (1024 * 1024));
                Failure::Final(UpstreamError::Transport { upstream, path: path.clone(), message })
            };
            if response.content_length().is_some_and(|n| n > inner.max_body as u64) {
                return Err(too_large());
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| Failure::Retry(transport(e)))? {
                if body.len() + chunk.len() > inner.max_body {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            return Ok(body);
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

/// Follows at most 5 redirects, and only to the origin (scheme, host, port)
/// the request was made to: an upstream cannot send the fetcher elsewhere.
/// A redirect to another origin is answered as the 3xx it is (an error).
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 5 {
            attempt.error("too many redirects")
        } else if same {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
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

/// One sync's view of an upstream: every path asked with [`Fetch::get`] is
/// fetched at most once (bodies read with [`Fetch::get_once`] are not kept).
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

    async fn get_once(&self, path: &str) -> Result<Vec<u8>, UpstreamError> {
        match self.cached(path) {
            Some(body) => Ok(body),
            None => self.upstream.fetch(path).await,
        }
    }

    fn source(&self) -> SourceName {
        self.upstream.source()
    }
}
