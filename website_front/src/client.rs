//! The HTTP client of content_api's public REST API: one GET per question,
//! each with a deadline, answers unwrapped from the `{"metadata","result"}`
//! envelope. While a page is built, every answer's ETag is noted in
//! [`Sources`], so a kept page can later ask content_api whether any of
//! them changed (`If-None-Match`) without reading a byte of JSON.
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{ETAG, HeaderValue, IF_NONE_MATCH};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Why content_api gave no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// No such season, round, driver... (404, or a path parameter content_api rejects).
    #[error("not found: {0}")]
    NotFound(String),
    /// content_api is down, slow or failing (connect error, timeout, 5xx).
    #[error("content_api unavailable: {0}")]
    Unavailable(String),
    /// An answer we cannot read.
    #[error("unexpected answer from content_api: {0}")]
    Invalid(String),
}

#[derive(Deserialize)]
struct Envelope<T> {
    result: T,
}

/// Reads content_api's data version without a request: given when the
/// website runs in the same process as the content_api it reads.
pub type VersionSource = Arc<dyn Fn() -> Option<String> + Send + Sync>;

#[derive(Clone)]
pub struct ContentClient {
    http: reqwest::Client,
    /// For the live event stream: a deadline to connect and to answer, none
    /// on the body, which runs for as long as the visitor watches.
    streaming: reqwest::Client,
    base: Arc<str>,
    timeout: Duration,
    /// The internal credential, sent with every request: content_api then
    /// believes a passed-on stream's client address and does not count the
    /// site's own requests against its per-client limits.
    token: Option<common::internal::InternalToken>,
    /// In the same process as content_api: its version, read directly.
    local_version: Option<VersionSource>,
}

impl std::fmt::Debug for ContentClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContentClient").field("base", &self.base).field("local", &self.local_version.is_some()).finish()
    }
}

impl ContentClient {
    pub fn new(base: &str, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder().timeout(timeout).connect_timeout(timeout).build()?;
        let streaming = reqwest::Client::builder().connect_timeout(timeout).build()?;
        Ok(Self { http, streaming, base: base.trim_end_matches('/').into(), timeout, token: None, local_version: None })
    }

    /// Sends `token` (the internal credential) with every request.
    pub fn forwarding_with(self, token: Option<common::internal::InternalToken>) -> Self {
        Self { token, ..self }
    }

    /// Reads the data version from `source` instead of asking
    /// `/content/v1/changes` (the same process's content_api).
    pub fn version_from(self, source: Option<VersionSource>) -> Self {
        Self { local_version: source, ..self }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    async fn send(&self, path: &str) -> Result<reqwest::Response, ContentError> {
        let res = self.request(path, None).await?;
        note(path, &res);
        checked(path, res)
    }

    /// Sends `req` for `path` within the deadline, any status.
    async fn dispatch(&self, path: &str, mut req: reqwest::RequestBuilder) -> Result<reqwest::Response, ContentError> {
        if let Some(id) = common::request_id::current().filter(|id| !id.is_empty()) {
            req = req.header(common::request_id::HEADER, id);
        }
        // Our own requests: content_api's optional per-client limits do not
        // count them, and it believes the viewer's address a stream passes on.
        if let Some(token) = &self.token {
            req = req.header(common::internal::HEADER, token.header_value());
        }
        let started = Instant::now();
        let sent = tokio::time::timeout(self.timeout, req.send()).await;
        metrics::histogram!("website_content_request_duration_seconds").record(started.elapsed().as_secs_f64());
        match sent {
            Err(_) => Err(ContentError::Unavailable(format!("{path}: no answer within {:?}", self.timeout))),
            Ok(Err(e)) => Err(ContentError::Unavailable(format!("{path}: {e}"))),
            Ok(Ok(res)) => Ok(res),
        }
    }

    /// One GET of `path`, any status; `Unavailable` when no answer came in time.
    async fn request(
        &self,
        path: &str,
        if_none_match: Option<&HeaderValue>,
    ) -> Result<reqwest::Response, ContentError> {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(tag) = if_none_match {
            req = req.header(IF_NONE_MATCH, tag);
        }
        self.dispatch(path, req).await
    }

    /// Whether content_api's answer to `source` is still the one a page was
    /// built from: 304 for its ETag, or still absent (404). No body is read.
    pub async fn unchanged(&self, source: &Source) -> Result<bool, ContentError> {
        let res = self.request(&source.path, source.etag.as_ref()).await?;
        let s = res.status();
        if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS {
            return Err(ContentError::Unavailable(format!("{}: {s}", source.path)));
        }
        Ok(match &source.etag {
            Some(_) => s == StatusCode::NOT_MODIFIED,
            None => s == StatusCode::NOT_FOUND || s == StatusCode::BAD_REQUEST,
        })
    }

    /// The version of the data content_api answers from
    /// (`/content/v1/changes`), or `None` when it cannot tell (it does not
    /// follow the writes right now, or did not answer): then every answer
    /// is to be revalidated.
    pub async fn version(&self) -> Option<String> {
        if let Some(local) = &self.local_version {
            return local();
        }
        let path = "/content/v1/changes";
        let res = self.request(path, None).await.ok().filter(|r| r.status().is_success())?;
        let bytes = tokio::time::timeout(self.timeout, res.bytes()).await.ok()?.ok()?;
        serde_json::from_slice::<content_types::ChangesVersion>(&bytes).ok().map(|v| v.version)
    }

    /// GETs `path` (e.g. `/content/v1/seasons/2024`) and returns its `result`.
    pub async fn get<T: DeserializeOwned>(&self, path: impl AsRef<str>) -> Result<T, ContentError> {
        let path = path.as_ref();
        let res = self.send(path).await?;
        let bytes = tokio::time::timeout(self.timeout, res.bytes())
            .await
            .map_err(|_| ContentError::Unavailable(format!("{path}: body not read within {:?}", self.timeout)))?
            .map_err(|e| ContentError::Unavailable(format!("{path}: {e}")))?;
        serde_json::from_slice::<Envelope<T>>(&bytes)
            .map(|e| e.result)
            .map_err(|e| ContentError::Invalid(format!("{path}: {e}")))
    }

    /// POSTs a JSON `body` to `path` (the what-if) and returns its `result`.
    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: &impl serde::Serialize) -> Result<T, ContentError> {
        let req = self.http.post(format!("{}{path}", self.base)).json(body);
        let res = checked(path, self.dispatch(path, req).await?)?;
        let bytes = tokio::time::timeout(self.timeout, res.bytes())
            .await
            .map_err(|_| ContentError::Unavailable(format!("{path}: body not read within {:?}", self.timeout)))?
            .map_err(|e| ContentError::Unavailable(format!("{path}: {e}")))?;
        serde_json::from_slice::<Envelope<T>>(&bytes)
            .map(|e| e.result)
            .map_err(|e| ContentError::Invalid(format!("{path}: {e}")))
    }

    /// Like [`get`](Self::get), but a 404 is `None` (e.g. no live session).
    pub async fn get_optional<T: DeserializeOwned>(&self, path: impl AsRef<str>) -> Result<Option<T>, ContentError> {
        match self.get(path).await {
            Ok(v) => Ok(Some(v)),
            Err(ContentError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// For a part a page can do without (a chart, a panel): `None` when
    /// missing or unreadable (logged), an error only when content_api is down.
    pub async fn get_extra<T: DeserializeOwned>(&self, path: impl AsRef<str>) -> Result<Option<T>, ContentError> {
        let path = path.as_ref();
        match self.get(path).await {
            Ok(v) => Ok(Some(v)),
            Err(ContentError::NotFound(_)) => Ok(None),
            Err(ContentError::Invalid(detail)) => {
                tracing::warn!(%detail, "leaving out a part of the page");
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Raw bytes and content type (circuit images).
    pub async fn bytes(&self, path: &str) -> Result<(String, axum::body::Bytes), ContentError> {
        let res = self.send(path).await?;
        let kind = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_string();
        let body = tokio::time::timeout(self.timeout, res.bytes())
            .await
            .map_err(|_| ContentError::Unavailable(format!("{path}: body not read within {:?}", self.timeout)))?
            .map_err(|e| ContentError::Unavailable(format!("{path}: {e}")))?;
        Ok((kind, body))
    }

    /// Opens `/content/v1/live/stream` (resuming after `last_event_id`); the
    /// response's body is the event stream, read as it arrives.
    /// content_api's live stream for the viewer at `client` (its address,
    /// passed on in `X-Forwarded-For` so content_api's per-client cap counts
    /// the viewer, not this site).
    pub async fn live_stream(
        &self,
        last_event_id: Option<&str>,
        client: &str,
        delay: u32,
    ) -> Result<reqwest::Response, ContentError> {
        let path = "/content/v1/live/stream";
        let mut url = format!("{}{path}", self.base);
        if delay > 0 {
            url.push_str(&format!("?delay={delay}"));
        }
        let mut req = self.streaming.get(url).header("x-forwarded-for", client);
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id);
        }
        checked(path, self.dispatch(path, req).await?)
    }

    /// Whether content_api answers its own liveness check.
    pub async fn healthy(&self) -> Result<(), ContentError> {
        self.send("/health").await.map(|_| ())
    }
}

/// A content_api answer a page was built from: its path and ETag, or no
/// ETag when the answer was "not found" (a page may show that absence,
/// e.g. no live session).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: String,
    pub etag: Option<HeaderValue>,
}

/// What the answers read while building one page allow: keeping the page
/// (each answer can be revalidated) and until when (unix seconds).
#[derive(Debug, Clone, Default)]
pub struct Sources(Arc<Mutex<Noted>>);

#[derive(Debug, Default)]
struct Noted {
    seen: Vec<Source>,
    /// An answer without an ETag (or an unexpected status) was read.
    unkeepable: bool,
    until: Option<i64>,
    /// An answer that must be revalidated once stale (provisional results) was read.
    provisional: bool,
}

tokio::task_local! {
    static SOURCES: Sources;
}

impl Sources {
    /// Runs `f` (a page handler) noting every content_api answer it reads.
    pub async fn scope<F: Future>(&self, f: F) -> F::Output {
        SOURCES.scope(self.clone(), f).await
    }

    /// The answers read, once each, or `None` when the page cannot be kept.
    pub fn finish(&self) -> Option<(Vec<Source>, Option<i64>)> {
        let mut n = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if n.unkeepable {
            return None;
        }
        let mut seen = std::mem::take(&mut n.seen);
        seen.sort_by(|a, b| a.path.cmp(&b.path));
        seen.dedup();
        Some((seen, n.until))
    }

    fn with(f: impl FnOnce(&mut Noted)) {
        let _ = SOURCES.try_with(|s| f(&mut s.0.lock().unwrap_or_else(|e| e.into_inner())));
    }
}

/// Runs a page that is not kept (the what-if) noting what it reads, so
/// its `Cache-Control` knows whether it shows provisional results.
pub async fn noting(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    Sources::default().scope(next.run(req)).await
}

/// Whether the page being built read an answer content_api marked
/// `must-revalidate` (one holding provisional results).
pub fn shows_provisional() -> bool {
    SOURCES.try_with(|s| s.0.lock().unwrap_or_else(|e| e.into_inner()).provisional).unwrap_or(false)
}

/// A success, or the error its status means.
fn checked(path: &str, res: reqwest::Response) -> Result<reqwest::Response, ContentError> {
    match res.status() {
        s if s.is_success() => Ok(res),
        StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST => Err(ContentError::NotFound(path.to_string())),
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
            Err(ContentError::Unavailable(format!("{path}: {s}")))
        }
        s => Err(ContentError::Invalid(format!("{path}: {s}"))),
    }
}

/// Notes `res` for the page being built, if any.
fn note(path: &str, res: &reqwest::Response) {
    let status = res.status();
    let etag = res.headers().get(ETAG).cloned();
    let revalidate = res
        .headers()
        .get(reqwest::header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("must-revalidate"));
    Sources::with(|n| n.provisional |= revalidate);
    Sources::with(|n| match (status, etag) {
        (s, Some(etag)) if s.is_success() => n.seen.push(Source { path: path.to_string(), etag: Some(etag) }),
        (StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST, _) => {
            n.seen.push(Source { path: path.to_string(), etag: None })
        }
        _ => n.unkeepable = true,
    });
}

/// The page being built shows something that changes at `ts` (unix
/// seconds) even if no answer does, e.g. the next session's countdown:
/// keep it no later than that.
pub fn keep_until(ts: i64) {
    Sources::with(|n| n.until = Some(n.until.map_or(ts, |u| u.min(ts))));
}
