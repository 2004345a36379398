//! Optional limits on how often one client may ask `/content/v1` and
//! `/ergast/f1`, for public deployments (off by default): a burst window
//! (`WIBM_CONTENT_RATE_PER_SECOND`, Jolpica's 4/s) and a sustained one
//! (`WIBM_CONTENT_RATE_PER_HOUR`, Jolpica's 500/h), each a token bucket that
//! refills evenly. A client is its API key when the request carries one
//! that auth_api accepts (`X-API-Key` or `Authorization: Bearer`), else its
//! address (the forwarded one only from our own proxy, as everywhere). An
//! admin's key is not limited, nor are our own services' requests (the
//! internal credential without a client address: the website rendering for
//! its viewers; our proxy's requests carry the credential with the client's
//! address, which counts). Past a limit:
//! `429` with `Retry-After`; every limited answer carries `RateLimit-Limit`,
//! `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`.
//!
//! The buckets live in the process: with several content_api replicas each
//! counts its own share.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use common::client_addr::Forwarded;
use common::internal::InternalToken;
use tokio::time::Instant;

use crate::error::error_response;

/// The paths limited.
const LIMITED: [&str; 2] = ["/content/v1", "/ergast/f1"];
const API_KEY_HEADER: &str = "x-api-key";
/// How long auth_api's word on a key is kept.
const KEY_TTL: Duration = Duration::from_secs(60);
/// A client unseen this long is forgotten (its buckets are full again by then).
const IDLE: Duration = Duration::from_secs(3600);

/// One window: `limit` requests per `period`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub limit: u32,
    pub period: Duration,
}

impl Window {
    fn rate(self) -> f64 {
        f64::from(self.limit) / self.period.as_secs_f64()
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(w: Window, now: Instant) -> Self {
        Self { tokens: f64::from(w.limit), at: now }
    }

    fn refill(&mut self, w: Window, now: Instant) {
        let gained = now.saturating_duration_since(self.at).as_secs_f64() * w.rate();
        self.tokens = (self.tokens + gained).min(f64::from(w.limit));
        self.at = now;
    }

    /// Time until one token is there.
    fn wait(&self, w: Window) -> Duration {
        Duration::from_secs_f64(((1.0 - self.tokens).max(0.0) / w.rate()).max(0.0))
    }

    /// Time until the bucket is full again.
    fn reset(&self, w: Window) -> Duration {
        Duration::from_secs_f64((f64::from(w.limit) - self.tokens).max(0.0) / w.rate())
    }
}

/// Who a request counts for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Caller {
    Exempt,
    Key(String),
    Address(String),
}

/// What auth_api said of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyWord {
    Admin,
    User(String),
    Unknown,
}

/// The verdict on one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub allowed: bool,
    /// The window that is closest to its limit.
    pub window: Window,
    pub remaining: u32,
    pub reset: Duration,
    /// When refused: how long to wait.
    pub retry_after: Duration,
}

#[derive(Clone)]
pub struct RateLimits {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    windows: Vec<Window>,
    /// `RateLimit-Policy`, made once: `4;w=1, 500;w=3600`.
    policy: HeaderValue,
    clients: moka::sync::Cache<String, Arc<Mutex<Vec<Bucket>>>>,
    keys: moka::future::Cache<String, KeyWord>,
    verify_url: Option<String>,
    http: hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, Body>,
    forwarded: Forwarded,
    internal: Option<InternalToken>,
}

impl RateLimits {
    /// Limits of `per_second` and `per_hour` requests (0: that window is
    /// off; both 0: no limits). `auth_url` is where keys are checked.
    pub fn new(
        per_second: u32,
        per_hour: u32,
        auth_url: Option<&str>,
        forwarded: Forwarded,
        internal: Option<InternalToken>,
    ) -> Self {
        let windows: Vec<Window> = [(per_second, Duration::from_secs(1)), (per_hour, Duration::from_secs(3600))]
            .into_iter()
            .filter(|(limit, _)| *limit > 0)
            .map(|(limit, period)| Window { limit, period })
            .collect();
        if windows.is_empty() {
            return Self { inner: None };
        }
        let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(hyper_util::client::legacy::connect::HttpConnector::new());
        let policy = windows.iter().map(|w| format!("{};w={}", w.limit, w.period.as_secs())).collect::<Vec<_>>();
        let policy = HeaderValue::from_str(&policy.join(", ")).expect("digits, semicolons and commas");
        Self {
            inner: Some(Arc::new(Inner {
                windows,
                policy,
                clients: moka::sync::Cache::builder().max_capacity(1_000_000).time_to_idle(IDLE).build(),
                keys: moka::future::Cache::builder().max_capacity(100_000).time_to_live(KEY_TTL).build(),
                verify_url: auth_url.map(|u| format!("{}/auth/v1/verify", u.trim_end_matches('/'))),
                http,
                forwarded,
                internal,
            })),
        }
    }
}

impl Inner {
    /// Takes one request from `client`'s buckets.
    fn take(&self, client: String, now: Instant) -> Verdict {
        let buckets = self
            .clients
            .get_with(client, || Arc::new(Mutex::new(self.windows.iter().map(|w| Bucket::full(*w, now)).collect())));
        let mut buckets = buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (b, w) in buckets.iter_mut().zip(&self.windows) {
            b.refill(*w, now);
        }
        let refused = buckets.iter().zip(&self.windows).filter(|(b, _)| b.tokens < 1.0).map(|(b, w)| b.wait(*w)).max();
        if refused.is_none() {
            for b in buckets.iter_mut() {
                b.tokens -= 1.0;
            }
        }
        // The window with the fewest requests left speaks for the answer.
        let (b, w) = buckets
            .iter()
            .zip(&self.windows)
            .min_by(|(a, _), (b, _)| a.tokens.total_cmp(&b.tokens))
            .expect("at least one window");
        Verdict {
            allowed: refused.is_none(),
            window: *w,
            remaining: b.tokens.max(0.0).floor() as u32,
            reset: b.reset(*w),
            retry_after: refused.unwrap_or_default(),
        }
    }

    async fn caller(&self, headers: &HeaderMap, address: String) -> Caller {
        // Our own services' requests (the website rendering a page) carry
        // the credential and no client address; our proxy (Traefik) adds
        // the credential to a client's request with its address, which
        // then counts.
        if let Some(token) = &self.internal
            && headers.get(common::internal::HEADER).is_some_and(|v| token.matches(v.as_bytes()))
            && !headers.contains_key("x-forwarded-for")
        {
            return Caller::Exempt;
        }
        if let Some(key) = key_of(headers) {
            match self.key_word(headers, &key).await {
                KeyWord::Admin => return Caller::Exempt,
                KeyWord::User(id) => return Caller::Key(id),
                KeyWord::Unknown => {}
            }
        }
        Caller::Address(address)
    }

    /// auth_api's word on a key, kept a minute; a key it refuses (or an
    /// auth_api that does not answer) counts as no key.
    async fn key_word(&self, headers: &HeaderMap, key: &str) -> KeyWord {
        let Some(url) = &self.verify_url else { return KeyWord::Unknown };
        let credential: Vec<(header::HeaderName, HeaderValue)> =
            [header::AUTHORIZATION, header::HeaderName::from_static(API_KEY_HEADER)]
                .into_iter()
                .filter_map(|h| headers.get(&h).map(|v| (h, v.clone())))
                .collect();
        self.keys
            .get_with(key.to_string(), async {
                let mut req = http::Request::get(url.as_str());
                for (h, v) in credential {
                    req = req.header(h, v);
                }
                let Ok(req) = req.body(Body::empty()) else { return KeyWord::Unknown };
                match tokio::time::timeout(Duration::from_secs(2), self.http.request(req)).await {
                    Ok(Ok(res)) if res.status() == StatusCode::OK => {
                        let role = res.headers().get("x-user-role").and_then(|v| v.to_str().ok()).unwrap_or("");
                        let id = res.headers().get("x-user-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                        if role == "admin" { KeyWord::Admin } else { KeyWord::User(id.to_string()) }
                    }
                    Ok(Ok(_)) => KeyWord::Unknown,
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "auth_api did not answer a key check; the key counts as none");
                        KeyWord::Unknown
                    }
                    Err(_) => {
                        tracing::warn!("auth_api did not answer a key check in time; the key counts as none");
                        KeyWord::Unknown
                    }
                }
            })
            .await
    }
}

/// The API key a request carries, if any.
fn key_of(headers: &HeaderMap) -> Option<String> {
    let from = |h: &str| headers.get(h).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty());
    from(API_KEY_HEADER)
        .map(str::to_string)
        .or_else(|| from("authorization").and_then(|v| v.strip_prefix("Bearer ")).map(|v| v.trim().to_string()))
        .filter(|v| !v.is_empty())
}

fn seconds_up(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

fn set_headers(headers: &mut HeaderMap, v: &Verdict, policy: &HeaderValue) {
    headers.insert("ratelimit-limit", HeaderValue::from(v.window.limit));
    headers.insert("ratelimit-remaining", HeaderValue::from(v.remaining));
    headers.insert("ratelimit-reset", HeaderValue::from(seconds_up(v.reset)));
    headers.insert("ratelimit-policy", policy.clone());
}

/// The middleware: counts requests to the limited paths.
pub async fn limit(State(limits): State<RateLimits>, req: Request, next: Next) -> Response {
    let Some(inner) = limits.inner.as_deref() else { return next.run(req).await };
    let path = req.uri().path();
    let limited =
        LIMITED.iter().any(|p| path.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')));
    if !limited {
        return next.run(req).await;
    }
    let address = inner.forwarded.client_addr(req.headers(), req.extensions());
    let client = match inner.caller(req.headers(), address).await {
        Caller::Exempt => return next.run(req).await,
        Caller::Key(id) => format!("key:{id}"),
        Caller::Address(a) => format!("ip:{a}"),
    };
    let verdict = inner.take(client, Instant::now());
    if !verdict.allowed {
        metrics::counter!("content_rate_limited_total").increment(1);
        let wait = seconds_up(verdict.retry_after).max(1);
        let message = format!("too many requests from this client; retry in {wait} s");
        let mut res = error_response(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message, None);
        set_headers(res.headers_mut(), &verdict, &inner.policy);
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return res;
    }
    let mut res = next.run(req).await;
    set_headers(res.headers_mut(), &verdict, &inner.policy);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_second: u32, per_hour: u32) -> Arc<Inner> {
        RateLimits::new(per_second, per_hour, None, Forwarded::default(), None).inner.unwrap()
    }

    #[test]
    fn off_by_default() {
        assert!(RateLimits::new(0, 0, None, Forwarded::default(), None).inner.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_then_one_per_interval() {
        let l = limits(4, 0);
        let now = Instant::now();
        for left in (0..4).rev() {
            let v = l.take("a".into(), now);
            assert!(v.allowed);
            assert_eq!(v.remaining, left);
        }
        let v = l.take("a".into(), now);
        assert!(!v.allowed);
        assert_eq!(v.retry_after, Duration::from_millis(250), "4/s refills one every 250 ms");
        assert!(l.take("b".into(), now).allowed, "another client has its own bucket");
        assert!(l.take("a".into(), now + Duration::from_millis(250)).allowed);
        assert!(!l.take("a".into(), now + Duration::from_millis(260)).allowed);
    }

    #[tokio::test(start_paused = true)]
    async fn the_sustained_window_holds_after_bursts() {
        let l = limits(4, 500);
        let mut now = Instant::now();
        let mut allowed = 0;
        // Four a second for ten minutes would be 2,400: the hour allows 500
        // at once plus its refill (500/h over 10 min is about 83).
        for _ in 0..600 {
            for _ in 0..4 {
                allowed += usize::from(l.take("a".into(), now).allowed);
            }
            now += Duration::from_secs(1);
        }
        assert!((580..=585).contains(&allowed), "{allowed}");
        let v = l.take("a".into(), now);
        assert!(!v.allowed);
        assert_eq!(v.window.limit, 500, "the hour speaks");
        assert!(v.retry_after > Duration::from_secs(1) && v.retry_after <= Duration::from_secs(8), "{v:?}");
    }
}
