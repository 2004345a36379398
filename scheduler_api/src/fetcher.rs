//! The HTTP client to fetcher_service (`POST /fetcher/v1/fetch/{kind}`) and
//! to the live signal URL. Every call has a deadline; planned calls say so
//! in `X-Wibm-Trigger`, so the fetcher's own records tell them apart.
use std::time::Duration;

use common::internal::InternalToken;
use serde::Deserialize;

use crate::job::{Fetch, LiveSignal, Trigger};

pub const TRIGGER_HEADER: &str = "x-wibm-trigger";
const PING_TIMEOUT: Duration = Duration::from_secs(3);
const SIGNAL_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("fetcher unreachable at {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("fetcher did not answer {url} within {secs} s")]
    Timeout { url: String, secs: u64 },
    /// The fetcher answered with an error (its code and message).
    #[error("fetcher answered {status} for {url}: {code}: {message}")]
    Answered { url: String, status: u16, code: String, message: String },
    #[error("fetcher answer for {url} is not understood: {detail}")]
    BadAnswer { url: String, detail: String },
}

impl FetchError {
    /// The error's class and a message fit for public answers (the run
    /// history is public): no URLs, addresses or OS errors. A 4xx keeps the
    /// fetcher's own message (it names the bad parameter); a 5xx says only
    /// that the sync failed upstream.
    pub fn public(&self) -> (&'static str, String) {
        match self {
            Self::Unreachable { .. } => ("fetcher_unreachable", "the fetcher is not answering".into()),
            Self::Timeout { secs, .. } => ("fetcher_timeout", format!("the fetcher did not answer within {secs} s")),
            Self::Answered { status, code, message, .. } if *status < 500 => {
                ("fetch_refused", format!("the fetcher answered {status} ({code}): {message}"))
            }
            Self::Answered { status, code, .. } => ("fetch_failed", format!("the fetcher answered {status} ({code})")),
            Self::BadAnswer { .. } => ("fetcher_bad_answer", "the fetcher's answer was not understood".into()),
        }
    }
}

/// The fetcher's success answer: the contract's one type.
pub use protobuf::fetcher::SyncAnswer as Fetched;

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

#[derive(Clone)]
pub struct Fetcher {
    http: reqwest::Client,
    base: String,
    timeout: Duration,
    live_signal_url: Option<String>,
    /// Sent to the fetcher only (never to the live signal URL).
    internal: Option<InternalToken>,
}

fn with_request_id(req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    match common::request_id::current().filter(|id| !id.is_empty()) {
        Some(id) => req.header(common::request_id::HEADER, id),
        None => req,
    }
}

impl Fetcher {
    pub fn new(base: &str, timeout: Duration, live_signal_url: Option<String>) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder().connect_timeout(Duration::from_secs(5)).build()?;
        let live_signal_url = live_signal_url.filter(|u| !u.trim().is_empty());
        Ok(Self { http, base: base.trim_end_matches('/').to_string(), timeout, live_signal_url, internal: None })
    }

    /// Sends the internal credential with every fetch (the fetcher refuses
    /// fetches without it when it has one).
    pub fn with_internal_token(mut self, token: Option<InternalToken>) -> Self {
        self.internal = token;
        self
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn classify(&self, url: &str, timeout: Duration, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout { url: url.to_string(), secs: timeout.as_secs() }
        } else {
            // The error chain carries the useful part (connection refused, ...).
            let mut detail = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                detail = format!("{detail}: {s}");
                source = s.source();
            }
            FetchError::Unreachable { url: url.to_string(), detail }
        }
    }

    /// Runs one fetch and returns the fetcher's answer.
    pub async fn fetch(&self, fetch: &Fetch, trigger: Trigger) -> Result<Fetched, FetchError> {
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base, protobuf::fetcher::fetch_path(fetch.kind())))
            .map_err(|e| FetchError::Unreachable { url: self.base.clone(), detail: e.to_string() })?;
        let query = fetch.query();
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let url = url.to_string();
        let mut req = self.http.post(&url).header(TRIGGER_HEADER, trigger.as_str());
        if let Some(token) = &self.internal {
            req = req.header(common::internal::HEADER, token.header_value());
        }
        let res = with_request_id(req)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.classify(&url, self.timeout, e))?;
        let status = res.status();
        let body = res.bytes().await.map_err(|e| self.classify(&url, self.timeout, e))?;
        if !status.is_success() {
            let (code, message) = match serde_json::from_slice::<ErrorBody>(&body) {
                Ok(b) => (b.error.code, b.error.message),
                Err(_) => ("unknown".into(), String::from_utf8_lossy(&body).chars().take(200).collect()),
            };
            return Err(FetchError::Answered { url, status: status.as_u16(), code, message });
        }
        let answer: Fetched = serde_json::from_slice(&body)
            .map_err(|e| FetchError::BadAnswer { url: url.clone(), detail: e.to_string() })?;
        if !answer.success {
            return Err(FetchError::BadAnswer { url, detail: "success is not true".into() });
        }
        Ok(answer)
    }

    /// Starts or stops the fetcher's live feed (`POST /fetcher/v1/live/{start|stop}`
    /// naming the session), then POSTs the signal to the configured URL, if
    /// any. Returns whether that URL was posted to.
    pub async fn signal(&self, signal: &LiveSignal) -> Result<bool, FetchError> {
        let url = format!(
            "{}/fetcher/v1/live/{}?season={}&round={}&session={}",
            self.base, signal.action, signal.season, signal.round, signal.session
        );
        let mut req = self.http.post(&url).header(TRIGGER_HEADER, Trigger::Planned.as_str());
        if let Some(token) = &self.internal {
            req = req.header(common::internal::HEADER, token.header_value());
        }
        let res = with_request_id(req)
            .timeout(SIGNAL_TIMEOUT)
            .send()
            .await
            .map_err(|e| self.classify(&url, SIGNAL_TIMEOUT, e))?;
        if !res.status().is_success() {
            return Err(FetchError::Answered {
                url,
                status: res.status().as_u16(),
                code: "live".into(),
                message: format!("the fetcher refused to {} the live feed", signal.action),
            });
        }
        let Some(url) = &self.live_signal_url else { return Ok(false) };
        let req = self.http.post(url).json(signal).header(TRIGGER_HEADER, Trigger::Planned.as_str());
        let res = with_request_id(req)
            .timeout(SIGNAL_TIMEOUT)
            .send()
            .await
            .map_err(|e| self.classify(url, SIGNAL_TIMEOUT, e))?;
        if !res.status().is_success() {
            return Err(FetchError::Answered {
                url: url.clone(),
                status: res.status().as_u16(),
                code: "live_signal".into(),
                message: "the live signal URL refused the signal".into(),
            });
        }
        Ok(true)
    }

    /// Whether the fetcher answers its `/health`.
    pub async fn ping(&self) -> Result<(), FetchError> {
        let url = format!("{}/health", self.base);
        let res =
            self.http.get(&url).timeout(PING_TIMEOUT).send().await.map_err(|e| self.classify(&url, PING_TIMEOUT, e))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(FetchError::Answered {
                url,
                status: res.status().as_u16(),
                code: "health".into(),
                message: "not healthy".into(),
            })
        }
    }
}
