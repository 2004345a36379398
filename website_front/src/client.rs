//! The HTTP client of content_api's public REST API: one GET per question,
//! each with a deadline, answers unwrapped from the `{"metadata","result"}`
//! envelope.
use std::time::{Duration, Instant};

use reqwest::StatusCode;
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

#[derive(Clone, Debug)]
pub struct ContentClient {
    http: reqwest::Client,
    base: String,
    timeout: Duration,
}

impl ContentClient {
    pub fn new(base: &str, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder().timeout(timeout).connect_timeout(timeout).build()?;
        Ok(Self { http, base: base.trim_end_matches('/').to_string(), timeout })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    async fn send(&self, path: &str) -> Result<reqwest::Response, ContentError> {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(id) = common::request_id::current().filter(|id| !id.is_empty()) {
            req = req.header(common::request_id::HEADER, id);
        }
        let started = Instant::now();
        let sent = tokio::time::timeout(self.timeout, req.send()).await;
        metrics::histogram!("website_content_request_duration_seconds").record(started.elapsed().as_secs_f64());
        let res = match sent {
            Err(_) => return Err(ContentError::Unavailable(format!("{path}: no answer within {:?}", self.timeout))),
            Ok(Err(e)) => return Err(ContentError::Unavailable(format!("{path}: {e}"))),
            Ok(Ok(res)) => res,
        };
        match res.status() {
            s if s.is_success() => Ok(res),
            StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST => Err(ContentError::NotFound(path.to_string())),
            s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
                Err(ContentError::Unavailable(format!("{path}: {s}")))
            }
            s => Err(ContentError::Invalid(format!("{path}: {s}"))),
        }
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

    /// Whether content_api answers its own liveness check.
    pub async fn healthy(&self) -> Result<(), ContentError> {
        self.send("/health").await.map(|_| ())
    }
}
