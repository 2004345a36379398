//! Rendering JSON answers: the `{"metadata","result"}` envelope, a strong
//! ETag, `Cache-Control` by kind of data, and the in-process reuse of
//! rendered answers (with their compressed forms, see [`crate::encoding`]).
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use protobuf::v1::{Metadata, SeasonStatus};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use common::encoding::{Encoding, Variants};

/// How long clients and proxies may keep an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheKind {
    /// A completed season: it rarely changes.
    Completed,
    /// The current or an upcoming season, and lists that follow it.
    Current,
    /// Drivers, constructors, circuits.
    Reference,
    /// Live timing: never stored.
    Live,
}

impl CacheKind {
    pub fn of_season(status: i32) -> Self {
        if status == SeasonStatus::Completed as i32 { Self::Completed } else { Self::Current }
    }

    pub fn max_age(self) -> Duration {
        Duration::from_secs(match self {
            Self::Completed => 86_400,
            Self::Current => 60,
            Self::Reference => 3_600,
            Self::Live => 0,
        })
    }

    pub fn header(self) -> HeaderValue {
        match self {
            Self::Completed => HeaderValue::from_static("public, max-age=86400"),
            Self::Current => HeaderValue::from_static("public, max-age=60"),
            Self::Reference => HeaderValue::from_static("public, max-age=3600"),
            Self::Live => HeaderValue::from_static("no-store"),
        }
    }
}

/// The envelope's `metadata`, passed through from data_scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Meta {
    /// When the data was last written (unix seconds).
    pub date: i64,
    /// True only when the whole answer came from a cache.
    pub cached: bool,
}

impl Meta {
    pub fn of(m: Option<Metadata>) -> Self {
        let m = m.unwrap_or_default();
        Self { date: m.date, cached: m.cached }
    }

    /// The metadata of an answer built from several reads: the latest
    /// write, and cached only if every part was.
    pub fn and(self, other: Self) -> Self {
        Self { date: self.date.max(other.date), cached: self.cached && other.cached }
    }
}

/// Every JSON answer: `{"metadata": {...}, "result": ...}` (documentation
/// only; answers are assembled from pre-rendered bytes).
#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<T> {
    pub metadata: Meta,
    pub result: T,
}

/// A rendered answer: the serialized `result`, ready to wrap.
#[derive(Debug, Clone)]
pub struct Rendered {
    result: Bytes,
    meta: Meta,
    etag: HeaderValue,
    kind: CacheKind,
    /// Sent as it is, without the envelope (the Ergast answers).
    bare: bool,
}

/// The ETag names the data (its write date and result), not the `cached`
/// flag, so a revalidation still matches once the answer comes from a cache.
fn etag(date: i64, bytes: &[u8]) -> HeaderValue {
    common::encoding::strong_etag(date, bytes)
}

impl Rendered {
    pub fn json<T: Serialize>(result: &T, meta: Meta, kind: CacheKind) -> Result<Self, ApiError> {
        let bytes = serde_json::to_vec(result).map_err(|e| ApiError::Internal(format!("serialising: {e}")))?;
        let etag = etag(meta.date, &bytes);
        Ok(Self { result: Bytes::from(bytes), meta, etag, kind, bare: false })
    }

    /// A whole answer in its own envelope (`meta` only names the data for
    /// the ETag).
    pub fn bare(body: Vec<u8>, meta: Meta, kind: CacheKind) -> Self {
        let etag = etag(meta.date, &body);
        Self { result: Bytes::from(body), meta, etag, kind, bare: true }
    }

    pub fn kind(&self) -> CacheKind {
        self.kind
    }

    fn body(&self, cached: bool) -> Bytes {
        if self.bare {
            return self.result.clone();
        }
        let head = format!(r#"{{"metadata":{{"date":{},"cached":{cached}}},"result":"#, self.meta.date);
        let mut out = Vec::with_capacity(head.len() + self.result.len() + 1);
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&self.result);
        out.push(b'}');
        Bytes::from(out)
    }

    /// The answer as data_scheduler gave it.
    pub fn response(&self) -> Response {
        answer(Variants::new(self.body(self.meta.cached), self.etag.clone()), self.kind)
    }

    /// What the in-process cache keeps: the body as served from it, whose
    /// compressed forms are made once, when first asked for.
    pub fn to_reusable(&self, ttl: Duration) -> Reusable {
        let variants = Variants::new(self.body(true), self.etag.clone());
        Reusable { variants, kind: self.kind, expires: Instant::now() + ttl }
    }
}

/// The identity response, carrying `variants` for the layer that picks the
/// form the client accepts ([`common::conditional::conditional`]).
fn answer(variants: Arc<Variants>, kind: CacheKind) -> Response {
    let mut res = response(variants.identity().clone(), variants.etag(Encoding::Identity), kind);
    res.extensions_mut().insert(variants);
    res
}

fn response(body: Bytes, etag: &HeaderValue, kind: CacheKind) -> Response {
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::ETAG, etag.clone());
    h.insert(header::CACHE_CONTROL, kind.header());
    res
}

/// A rendered answer kept in-process (with `cached: true`).
#[derive(Debug, Clone)]
pub struct Reusable {
    variants: Arc<Variants>,
    kind: CacheKind,
    expires: Instant,
}

impl Reusable {
    pub fn response(&self) -> Response {
        answer(self.variants.clone(), self.kind)
    }

    /// The identity bytes and room for the compressed forms (each well
    /// under a tenth of JSON this repetitive: 8% and 7% for the rounds answer).
    pub fn size(&self) -> usize {
        let identity = self.variants.identity().len();
        identity + identity / 5
    }

    pub fn ttl_left(&self) -> Duration {
        self.expires.saturating_duration_since(Instant::now())
    }
}

/// Bytes with their own content type (circuit images), with an ETag of
/// their content.
pub fn bytes(content_type: &str, data: Vec<u8>, kind: CacheKind) -> Result<Response, ApiError> {
    let content_type = HeaderValue::from_str(content_type)
        .map_err(|_| ApiError::Internal(format!("stored content type `{content_type}` is not a header value")))?;
    let tag = etag(0, &data);
    let mut res = response(Bytes::from(data), &tag, kind);
    res.headers_mut().insert(header::CONTENT_TYPE, content_type);
    Ok(res)
}

/// In-process reuse of rendered answers, keyed by path and query.
#[derive(Clone)]
pub struct AnswerCache {
    inner: Option<moka::future::Cache<String, Arc<Reusable>>>,
    cap: Duration,
}

struct ByEntry;

impl moka::Expiry<String, Arc<Reusable>> for ByEntry {
    fn expire_after_create(&self, _key: &String, value: &Arc<Reusable>, _created_at: Instant) -> Option<Duration> {
        Some(value.ttl_left())
    }
}

/// Rendered answers kept at most this many bytes in all.
const CACHE_BYTES: u64 = 128 * 1024 * 1024;

impl AnswerCache {
    /// Keeps answers at most `cap` (and never beyond their max-age); a zero
    /// `cap` turns reuse off.
    pub fn new(cap: Duration) -> Self {
        let inner = (!cap.is_zero()).then(|| {
            moka::future::Cache::builder()
                .max_capacity(CACHE_BYTES)
                .weigher(|_k: &String, v: &Arc<Reusable>| u32::try_from(v.size()).unwrap_or(u32::MAX))
                .expire_after(ByEntry)
                .build()
        });
        Self { inner, cap }
    }

    pub async fn get(&self, key: &str) -> Option<Arc<Reusable>> {
        let hit = self.inner.as_ref()?.get(key).await.filter(|r| !r.ttl_left().is_zero());
        metrics::counter!("content_answer_cache_total", "result" => if hit.is_some() { "hit" } else { "miss" })
            .increment(1);
        hit
    }

    pub async fn put(&self, key: String, rendered: &Rendered) {
        let Some(inner) = &self.inner else { return };
        let ttl = self.cap.min(rendered.kind().max_age());
        if !ttl.is_zero() {
            inner.insert(key, Arc::new(rendered.to_reusable(ttl))).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_and_etag() {
        let r =
            Rendered::json(&serde_json::json!({"a": 1}), Meta { date: 7, cached: false }, CacheKind::Current).unwrap();
        assert_eq!(&r.body(false)[..], br#"{"metadata":{"date":7,"cached":false},"result":{"a":1}}"#);
        let again =
            Rendered::json(&serde_json::json!({"a": 1}), Meta { date: 7, cached: true }, CacheKind::Current).unwrap();
        assert_eq!(r.etag, again.etag, "the cached flag does not change the tag");
        let newer =
            Rendered::json(&serde_json::json!({"a": 1}), Meta { date: 8, cached: false }, CacheKind::Current).unwrap();
        assert_ne!(r.etag, newer.etag);
        let body: serde_json::Value =
            serde_json::from_slice(r.to_reusable(Duration::ZERO).variants.identity()).unwrap();
        assert_eq!(body["metadata"]["cached"], true);
    }

    #[test]
    fn metadata_of_several_reads() {
        let a = Meta { date: 5, cached: true };
        assert_eq!(a.and(Meta { date: 9, cached: false }), Meta { date: 9, cached: false });
        assert_eq!(a.and(Meta { date: 1, cached: true }), Meta { date: 5, cached: true });
    }
}
