//! Rendering JSON answers: the `{"metadata","result"}` envelope, a strong
//! ETag, `Cache-Control` by kind of data, and the in-process reuse of
//! rendered answers (with their compressed forms, see [`common::encoding`]).
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use protobuf::v1::Metadata;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use common::encoding::{Encoding, Variants};

/// How long clients and proxies may keep an answer: the class data_scheduler
/// gave it (the lifetimes live in `protobuf::v1::CacheClass::max_age`).
pub use protobuf::v1::CacheClass as CacheKind;

/// The `Cache-Control` header of `kind`. Provisional data is kept briefly
/// and then revalidated, never served stale (`must-revalidate`; so no
/// `stale-while-revalidate`, which would allow just that).
pub fn cache_control(kind: CacheKind) -> HeaderValue {
    match kind.max_age().as_secs() {
        0 => HeaderValue::from_static("no-store"),
        secs if kind.must_revalidate() => HeaderValue::from_str(&format!("public, max-age={secs}, must-revalidate"))
            .expect("digits are a valid header value"),
        secs => HeaderValue::from_str(&format!("public, max-age={secs}")).expect("digits are a valid header value"),
    }
}

/// The envelope's `metadata`, passed through from data_scheduler (with the
/// answer's cache class, which chooses `Cache-Control` and is not shown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Meta {
    /// When the data was last written (unix seconds).
    pub date: i64,
    /// True only when the whole answer came from a cache.
    pub cached: bool,
    #[serde(skip)]
    pub kind: CacheKind,
}

impl Meta {
    pub fn of(m: Option<Metadata>) -> Self {
        let m = m.unwrap_or_default();
        Self { date: m.date, cached: m.cached, kind: CacheKind::try_from(m.cache_class).unwrap_or_default() }
    }

    /// The metadata of an answer built from several reads: the latest
    /// write, cached only if every part was, kept as long as its shortest-lived part.
    pub fn and(self, other: Self) -> Self {
        Self { date: self.date.max(other.date), cached: self.cached && other.cached, kind: self.kind.and(other.kind) }
    }
}

/// Every JSON answer: `{"metadata": {...}, "result": ...}` (documentation
/// only; answers are assembled from pre-rendered bytes).
#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<T> {
    pub metadata: Meta,
    pub result: T,
}

const JSON: &str = "application/json";

/// A rendered answer: the serialized `result`, ready to wrap.
#[derive(Debug, Clone)]
pub struct Rendered {
    result: Bytes,
    meta: Meta,
    etag: HeaderValue,
    kind: CacheKind,
    /// Sent as it is, without the envelope (the Ergast and OpenF1 answers).
    bare: bool,
    content_type: &'static str,
}

/// The ETag names the data (its write date and result), not the `cached`
/// flag, so a revalidation still matches once the answer comes from a cache.
fn etag(date: i64, bytes: &[u8]) -> HeaderValue {
    common::encoding::strong_etag(date, bytes)
}

impl Rendered {
    /// `result` with `meta`, kept downstream as long as `meta`'s class allows.
    pub fn json<T: Serialize>(result: &T, meta: Meta) -> Result<Self, ApiError> {
        let bytes = serde_json::to_vec(result).map_err(|e| ApiError::Internal(format!("serialising: {e}")))?;
        let etag = etag(meta.date, &bytes);
        Ok(Self { result: Bytes::from(bytes), meta, etag, kind: meta.kind, bare: false, content_type: JSON })
    }

    /// A whole answer in its own envelope (`meta` only names the data for
    /// the ETag).
    pub fn bare(body: Vec<u8>, meta: Meta, kind: CacheKind) -> Self {
        let etag = etag(meta.date, &body);
        Self { result: Bytes::from(body), meta, etag, kind, bare: true, content_type: JSON }
    }

    /// [`Self::bare`] sent as `content_type` (OpenF1's `csv=true`).
    pub fn bare_as(body: Vec<u8>, meta: Meta, kind: CacheKind, content_type: &'static str) -> Self {
        Self { content_type, ..Self::bare(body, meta, kind) }
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
        answer(Variants::new(self.body(self.meta.cached), self.etag.clone()), self.kind, self.content_type)
    }

    /// What the in-process cache keeps: the body as served from it, whose
    /// compressed forms are made once, when first asked for.
    pub fn to_reusable(&self, ttl: Duration) -> Reusable {
        let variants = Variants::new(self.body(true), self.etag.clone());
        let now = Instant::now();
        Reusable {
            variants,
            kind: self.kind,
            content_type: self.content_type,
            expires: now + ttl,
            servable: now + self.kind.max_age().max(ttl),
        }
    }
}

/// The identity response, carrying `variants` for the layer that picks the
/// form the client accepts ([`common::conditional::conditional`]).
fn answer(variants: Arc<Variants>, kind: CacheKind, content_type: &'static str) -> Response {
    let mut res = response(variants.identity().clone(), variants.etag(Encoding::Identity), kind);
    if content_type != JSON {
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    res.extensions_mut().insert(variants);
    res
}

fn response(body: Bytes, etag: &HeaderValue, kind: CacheKind) -> Response {
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    h.insert(header::ETAG, etag.clone());
    h.insert(header::CACHE_CONTROL, cache_control(kind));
    res
}

/// A rendered answer kept in-process (with `cached: true`).
#[derive(Debug, Clone)]
pub struct Reusable {
    variants: Arc<Variants>,
    kind: CacheKind,
    content_type: &'static str,
    expires: Instant,
    /// When the answer's own max-age runs out: until then it may still be
    /// served while another request builds its successor.
    servable: Instant,
}

impl Reusable {
    pub fn response(&self) -> Response {
        answer(self.variants.clone(), self.kind, self.content_type)
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

    /// Whether the answer is still within its max-age (however long ago it
    /// stopped being reused on its own).
    pub fn servable(&self) -> bool {
        Instant::now() < self.servable
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_and_etag() {
        let meta = |date, cached| Meta { date, cached, kind: CacheKind::CurrentSeason };
        let r = Rendered::json(&serde_json::json!({"a": 1}), meta(7, false)).unwrap();
        assert_eq!(&r.body(false)[..], br#"{"metadata":{"date":7,"cached":false},"result":{"a":1}}"#);
        let again = Rendered::json(&serde_json::json!({"a": 1}), meta(7, true)).unwrap();
        assert_eq!(r.etag, again.etag, "the cached flag does not change the tag");
        let newer = Rendered::json(&serde_json::json!({"a": 1}), meta(8, false)).unwrap();
        assert_ne!(r.etag, newer.etag);
        let body: serde_json::Value =
            serde_json::from_slice(r.to_reusable(Duration::ZERO).variants.identity()).unwrap();
        assert_eq!(body["metadata"]["cached"], true);
    }

    #[test]
    fn metadata_of_several_reads() {
        let m = |date, cached, kind| Meta { date, cached, kind };
        let a = m(5, true, CacheKind::CompletedSeason);
        assert_eq!(a.and(m(9, false, CacheKind::CompletedSeason)), m(9, false, CacheKind::CompletedSeason));
        assert_eq!(a.and(m(1, true, CacheKind::CurrentSeason)), m(5, true, CacheKind::CurrentSeason));
    }

    #[test]
    fn cache_control_follows_the_class() {
        assert_eq!(cache_control(CacheKind::CompletedSeason), "public, max-age=86400");
        assert_eq!(cache_control(CacheKind::CurrentSeason), "public, max-age=60");
        assert_eq!(cache_control(CacheKind::Reference), "public, max-age=3600");
        assert_eq!(cache_control(CacheKind::Live), "no-store");
        assert_eq!(cache_control(CacheKind::Provisional), "public, max-age=30, must-revalidate");
    }
}
