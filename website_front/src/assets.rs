//! Static assets compiled into the binary and served under fingerprinted
//! names (`site.<hash>.css`): the hash of the content is in the URL, so a
//! browser may keep them for a year and a new build never serves stale ones.
use std::sync::LazyLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::extract::Path;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Asset {
    /// The name pages refer to (`site.css`).
    logical: &'static str,
    bytes: &'static [u8],
    content_type: &'static str,
    hash: u64,
}

/// FNV-1a, computed at compile time over the embedded bytes.
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

macro_rules! asset {
    ($logical:literal, $file:literal, $ct:literal) => {{
        const BYTES: &[u8] = include_bytes!($file);
        const HASH: u64 = fnv1a(BYTES);
        Asset { logical: $logical, bytes: BYTES, content_type: $ct, hash: HASH }
    }};
}

const ASSETS: &[Asset] = &[
    asset!("site.css", "assets/site.css", "text/css; charset=utf-8"),
    asset!("site.js", "assets/site.js", "text/javascript; charset=utf-8"),
    asset!("live.js", "assets/live.js", "text/javascript; charset=utf-8"),
    asset!("favicon.svg", "assets/favicon.svg", "image/svg+xml"),
];

impl Asset {
    fn file_name(&self) -> String {
        let (stem, ext) = self.logical.rsplit_once('.').unwrap_or((self.logical, ""));
        format!("{stem}.{:012x}.{ext}", self.hash >> 16)
    }
}

/// `/assets/<fingerprinted name>` for each asset, in [`ASSETS`] order.
static URLS: LazyLock<Vec<String>> =
    LazyLock::new(|| ASSETS.iter().map(|a| format!("/assets/{}", a.file_name())).collect());

/// The URL of an asset by its logical name (`site.css`).
pub fn url(logical: &str) -> &'static str {
    let i = ASSETS.iter().position(|a| a.logical == logical).unwrap_or_else(|| panic!("no asset {logical}"));
    &URLS[i]
}

/// Every fingerprinted asset URL (for tests and preloading).
pub fn urls() -> &'static [String] {
    &URLS
}

fn respond(a: &Asset, cache: &'static str) -> Response {
    let mut res = a.bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::ETAG, HeaderValue::from_str(&format!("\"{:016x}\"", a.hash)).expect("hex"));
    res
}

/// `GET /assets/{file}`: only the current fingerprinted names exist.
pub async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.file_name() == file) {
        Some(a) => respond(a, IMMUTABLE),
        None => (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], "no such asset").into_response(),
    }
}

/// `GET /favicon.ico`, for browsers that ask without reading the page.
pub async fn favicon() -> Response {
    let a = ASSETS.iter().find(|a| a.logical == "favicon.svg").expect("favicon is embedded");
    respond(a, "public, max-age=86400")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        let css = url("site.css");
        assert!(css.starts_with("/assets/site.") && css.ends_with(".css"), "{css}");
        assert_eq!(css.len(), "/assets/site.".len() + 12 + ".css".len());
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
        assert_eq!(urls().len(), ASSETS.len());
    }
}
