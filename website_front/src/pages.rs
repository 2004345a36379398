//! Rendered pages kept like content_api keeps its answers, so a repeat
//! visit costs what an API cache hit costs.
//!
//! A page is kept with its compressed forms and a strong ETag
//! ([`Variants`]), and with the ETags of the content_api answers it was
//! built from ([`Sources`]). On the next visit the site asks content_api,
//! with `If-None-Match`, whether any of those answers changed: if all are
//! 304, the kept page is served (and `common::conditional` answers the
//! visitor's own `If-None-Match` with a 304) without reading any JSON; if
//! one changed, the page is built again. Kept pages are bounded in count
//! and bytes, and live at most [`KEEP_AT_MOST`] (views may read the clock,
//! e.g. a driver's age) or until the time a page asked for
//! ([`crate::client::keep_until`]).
//!
//! Each page also notes content_api's version (`/content/v1/changes`) from
//! before its answers were read. Within a window after a revalidation
//! (`WIBM_WEBSITE_PAGE_FRESH_MS`, 10 s) a visit asks only for that version:
//! while it is the same, no write has completed since (a write answers only
//! once content_api applied it), so the page is served as kept; when it
//! changed, the page's answers are revalidated. So a visit after a
//! successful write never gets a page from before it, and under load a page
//! costs one small request per visit rather than one per answer.
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use common::encoding::{Encoding, Variants, strong_etag};
use common::flight::Flights;
use futures_util::future::try_join_all;

use crate::client::{ContentClient, Source, Sources};

/// The longest a page is kept, however still its data.
pub const KEEP_AT_MOST: Duration = Duration::from_secs(3600);

/// A rendered page and what it was built from.
pub struct Kept {
    variants: Arc<Variants>,
    content_type: Option<HeaderValue>,
    cache_control: Option<HeaderValue>,
    sources: Vec<Source>,
    expires: Instant,
    /// When content_api last confirmed the sources (or the page was built),
    /// and its version from before they were read.
    checked: Mutex<(Instant, Option<String>)>,
}

impl Kept {
    fn new(
        body: Bytes,
        headers: &HeaderMap,
        sources: Vec<Source>,
        until: Option<i64>,
        version: Option<String>,
    ) -> Self {
        let etag = strong_etag(0, &body);
        let now = chrono::Utc::now().timestamp();
        let left = until.map_or(KEEP_AT_MOST, |t| Duration::from_secs(u64::try_from(t - now).unwrap_or(0)));
        Self {
            variants: Variants::new(body, etag),
            content_type: headers.get(header::CONTENT_TYPE).cloned(),
            cache_control: headers.get(header::CACHE_CONTROL).cloned(),
            sources,
            expires: Instant::now() + left.min(KEEP_AT_MOST),
            checked: Mutex::new((Instant::now(), version)),
        }
    }

    /// The identity response with its ETag, carrying the [`Variants`] from
    /// which `common::conditional` sends the form the visitor accepts, or a 304.
    fn response(&self) -> Response {
        let mut res = Response::new(Body::from(self.variants.identity().clone()));
        let h = res.headers_mut();
        if let Some(v) = &self.content_type {
            h.insert(header::CONTENT_TYPE, v.clone());
        }
        if let Some(v) = &self.cache_control {
            h.insert(header::CACHE_CONTROL, v.clone());
        }
        h.insert(header::ETAG, self.variants.etag(Encoding::Identity).clone());
        res.extensions_mut().insert(self.variants.clone());
        res
    }

    /// Whether this visit may be served the page without revalidating its
    /// answers: it was confirmed within `window`, and content_api's version
    /// (asked for by this visit) is the one it was confirmed at.
    fn fresh(&self, window: Duration, version: Option<&String>) -> bool {
        self.confirmed_at(version) && self.checked.lock().is_ok_and(|c| c.0.elapsed() < window)
    }

    /// Whether the page was last confirmed at content_api's `version`.
    fn confirmed_at(&self, version: Option<&String>) -> bool {
        version.is_some() && self.checked.lock().is_ok_and(|c| c.1.as_ref() == version)
    }

    fn confirmed(&self, version: Option<String>) {
        if let Ok(mut c) = self.checked.lock() {
            *c = (Instant::now(), version);
        }
    }

    /// The identity bytes and room for the compressed forms (HTML this
    /// repetitive compresses to well under a tenth).
    fn size(&self) -> u64 {
        let identity = self.variants.identity().len() as u64;
        identity + identity / 5
    }
}

/// What a page's build left for the visits that waited on it.
#[derive(Clone)]
enum Built {
    Kept(Arc<Kept>),
    /// Not a page to keep (an error, or data that cannot be revalidated):
    /// each visit builds its own.
    NotKept,
}

/// What the layer needs: the kept pages and the client that asks whether
/// their answers changed (the site's state holds it; this module does not
/// know the state).
#[derive(Clone)]
pub struct PageKeeper {
    pub(crate) pages: PageCache,
    pub(crate) content: ContentClient,
}

/// Kept pages by path.
#[derive(Clone)]
pub struct PageCache {
    inner: Option<moka::future::Cache<String, Arc<Kept>>>,
    fresh: Duration,
    /// One build per page at a time: a burst of visits to a page not kept
    /// yet (after a start, or when its data changed) builds it once, rather
    /// than each visit reading the same answers from content_api at once.
    flights: Flights<Built>,
}

struct UntilExpiry;

impl moka::Expiry<String, Arc<Kept>> for UntilExpiry {
    fn expire_after_create(&self, _key: &String, value: &Arc<Kept>, _created_at: Instant) -> Option<Duration> {
        Some(value.expires.saturating_duration_since(Instant::now()))
    }
}

impl PageCache {
    /// At most `entries` pages and `bytes` in all; zero of either turns keeping off.
    pub fn new(entries: u64, bytes: u64) -> Self {
        let inner = (entries > 0 && bytes > 0).then(|| {
            // Every page weighs at least bytes/entries, so the byte bound
            // also bounds the count.
            let floor = bytes / entries;
            moka::future::Cache::builder()
                .max_capacity(bytes)
                .weigher(move |_k: &String, v: &Arc<Kept>| u32::try_from(v.size().max(floor)).unwrap_or(u32::MAX))
                .expire_after(UntilExpiry)
                .build()
        });
        Self { inner, fresh: Duration::ZERO, flights: Flights::default() }
    }

    /// Serve a page revalidated less than `window` ago after checking only
    /// content_api's version.
    pub fn fresh_for(mut self, window: Duration) -> Self {
        self.fresh = window;
        self
    }

    async fn get(&self, key: &str) -> Option<Arc<Kept>> {
        self.inner.as_ref()?.get(key).await.filter(|k| k.expires > Instant::now())
    }

    async fn put(&self, key: String, kept: Arc<Kept>) {
        if let Some(inner) = &self.inner {
            inner.insert(key, kept).await;
        }
    }

    fn enabled(&self) -> bool {
        self.inner.is_some()
    }
}

fn count(result: &'static str) {
    metrics::counter!("website_page_cache_total", "result" => result).increment(1);
}

/// The layer around the page routes: serves a kept page while content_api
/// says its data is unchanged, else builds the page (noting its sources)
/// and keeps it when every source can be revalidated.
pub async fn keep(State(app): State<Arc<PageKeeper>>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) || !app.pages.enabled() {
        return next.run(req).await;
    }
    // Pages read no query, so the path alone names one.
    let key = req.uri().path().to_string();
    // Asked before any answer is read: a write that completed before this
    // visit came changed it.
    let version = app.content.version().await;
    let stale = app.pages.get(&key).await;
    if let Some(kept) = &stale {
        if kept.fresh(app.pages.fresh, version.as_ref()) {
            count("fresh");
            return kept.response();
        }
        let checked = try_join_all(kept.sources.iter().map(|s| app.content.unchanged(s))).await;
        match checked {
            Ok(same) if same.iter().all(|s| *s) => {
                count("hit");
                kept.confirmed(version);
                return kept.response();
            }
            Ok(_) => count("changed"),
            // Build the page again: it shows the outage as any first visit would.
            Err(e) => {
                tracing::debug!(error = %e, "revalidating a kept page");
                count("miss");
            }
        }
    } else {
        count("miss");
    }
    if version.is_none() {
        // content_api cannot tell whether a write completed since another
        // build began: build this visit's own, without queueing for it.
        return build(&app, &key, req, next, None).await.0;
    }
    let flight = app.pages.flights.join(&key);
    let mut made = flight.lock().await;
    match made.as_ref() {
        // Shared only if no write completed between that build's start and
        // this visit (the same version).
        Some(Built::Kept(kept)) if kept.confirmed_at(version.as_ref()) => {
            count("shared");
            return kept.response();
        }
        Some(Built::NotKept) => {
            drop(made);
            return next.run(req).await;
        }
        _ => {}
    }
    // Built while this visit waited for a flight that has landed since.
    let newer = app
        .pages
        .get(&key)
        .await
        .filter(|k| !stale.as_ref().is_some_and(|s| Arc::ptr_eq(s, k)) && k.confirmed_at(version.as_ref()));
    if let Some(kept) = newer {
        count("shared");
        return kept.response();
    }
    let _landing = app.pages.flights.landing(&key);
    let (res, kept) = build(&app, &key, req, next, version).await;
    *made = Some(kept.map_or(Built::NotKept, Built::Kept));
    res
}

/// Builds the page, noting its sources, and keeps it when it can be
/// revalidated.
async fn build(
    app: &PageKeeper,
    key: &str,
    req: Request,
    next: Next,
    version: Option<String>,
) -> (Response, Option<Arc<Kept>>) {
    let sources = Sources::default();
    let res = sources.scope(next.run(req)).await;
    let Some((noted, until)) = sources.finish().filter(|_| res.status() == StatusCode::OK) else { return (res, None) };
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "reading a rendered page");
            return (StatusCode::INTERNAL_SERVER_ERROR.into_response(), None);
        }
    };
    let kept = Arc::new(Kept::new(body, &parts.headers, noted, until, version));
    app.pages.put(key.to_string(), kept.clone()).await;
    (kept.response(), Some(kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(until: Option<i64>) -> Kept {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        Kept::new(Bytes::from_static(b"<p>hi</p>"), &h, Vec::new(), until, None)
    }

    #[test]
    fn a_kept_page_names_its_bytes() {
        let (a, b) = (kept(None), kept(None));
        assert_eq!(a.variants.etag(Encoding::Identity), b.variants.etag(Encoding::Identity));
        let res = a.response();
        assert_eq!(res.headers()[header::ETAG], a.variants.etag(Encoding::Identity));
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
    }

    #[test]
    fn kept_no_later_than_asked() {
        let now = chrono::Utc::now().timestamp();
        assert!(kept(Some(now + 60)).expires <= Instant::now() + Duration::from_secs(60));
        assert!(kept(Some(now - 5)).expires <= Instant::now(), "a time already past keeps nothing");
        assert!(kept(Some(now + 86_400)).expires <= Instant::now() + KEEP_AT_MOST);
    }

    #[tokio::test]
    async fn bounded_in_count() {
        let cache = PageCache::new(2, 1 << 20);
        let inner = cache.inner.clone().unwrap();
        for i in 0..5 {
            cache.put(format!("/p{i}"), Arc::new(kept(None))).await;
        }
        inner.run_pending_tasks().await;
        assert!(inner.entry_count() <= 2, "{} pages kept", inner.entry_count());
        assert!(!PageCache::new(0, 1 << 20).enabled());
    }
}
