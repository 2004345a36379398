//! Conditional GETs and content negotiation for answers rendered once and
//! kept (content_api's JSON, the website's pages): `If-None-Match` → 304,
//! and the compressed form the client's `Accept-Encoding` asks for, from
//! the [`Variants`] a response carries in its extensions.
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::encoding::{Encoding, Variants};

/// An entity tag without its weak prefix and without the `-gz`/`-br` that
/// names a compressed form: what every form of one answer shares.
fn data_tag(tag: &str) -> &str {
    let tag = tag.trim().trim_start_matches("W/");
    tag.strip_suffix("-gz\"").or_else(|| tag.strip_suffix("-br\"")).unwrap_or(tag).trim_end_matches('"')
}

/// The tag a 304 names when `if_none_match` (weak comparison, as RFC 9110
/// asks) shows the client holds this answer: `etag`, the tag of the form
/// it would be sent, when listed (or `*`); else the listed tag of another
/// form of the same data (the client's copy is current, and a cache keeps
/// the form it holds).
fn held(if_none_match: &str, etag: &HeaderValue) -> Option<HeaderValue> {
    let etag_str = etag.to_str().ok()?;
    let strip = |t: &str| t.trim().trim_start_matches("W/").to_string();
    if if_none_match.trim() == "*" || if_none_match.split(',').any(|t| strip(t) == strip(etag_str)) {
        return Some(etag.clone());
    }
    let sibling = if_none_match.split(',').find(|t| data_tag(t) == data_tag(etag_str))?;
    HeaderValue::from_str(&strip(sibling)).ok()
}

/// Sends the form of the answer the client accepts (for answers rendered
/// here, which carry their [`Variants`]) and answers 304 when the client
/// already holds the answer.
pub async fn conditional(req: Request, next: Next) -> Response {
    let wanted = match *req.method() {
        Method::GET | Method::HEAD => req.headers().get(header::IF_NONE_MATCH).cloned(),
        _ => None,
    };
    let accepted = Encoding::preferred(req.headers());
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let variants = res.extensions().get::<Arc<Variants>>().cloned();
    let encoding = variants.as_ref().map_or(Encoding::Identity, |v| v.choose(accepted));
    let etag = match &variants {
        Some(v) => Some(v.etag(encoding).clone()),
        None => res.headers().get(header::ETAG).cloned(),
    };
    let if_none_match = wanted.as_ref().and_then(|v| v.to_str().ok());
    if let (Some(wanted), Some(etag)) = (if_none_match, &etag)
        && let Some(tag) = held(wanted, etag)
    {
        let mut not = not_modified(tag, res.headers().get(header::CACHE_CONTROL).cloned());
        if variants.as_ref().is_some_and(|v| v.compressible()) {
            not.headers_mut().append(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        return not;
    }
    match variants {
        Some(v) => v.into_response(res, encoding).await,
        None => res,
    }
}

/// `304 Not Modified` for `etag` and `cache_control`.
pub fn not_modified(etag: HeaderValue, cache_control: Option<HeaderValue>) -> Response {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::NOT_MODIFIED;
    res.headers_mut().insert(header::ETAG, etag);
    if let Some(cc) = cache_control {
        res.headers_mut().insert(header::CACHE_CONTROL, cc);
    }
    res
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::held;

    fn tag(wanted: &str, etag: &'static str) -> Option<String> {
        held(wanted, &HeaderValue::from_static(etag)).map(|v| v.to_str().unwrap().to_string())
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        assert_eq!(tag("\"a\"", "\"a\"").as_deref(), Some("\"a\""));
        assert_eq!(tag("\"x\", W/\"a\"", "\"a\"").as_deref(), Some("\"a\""));
        assert_eq!(tag("*", "\"a\"").as_deref(), Some("\"a\""));
        assert_eq!(tag("\"b\"", "\"a\""), None);
    }

    #[test]
    fn any_form_of_the_answer_is_held() {
        assert_eq!(tag("\"a-1f-gz\"", "\"a-1f-gz\"").as_deref(), Some("\"a-1f-gz\""));
        // A client holding another form keeps it: the 304 names that one.
        assert_eq!(tag("\"a-1f\"", "\"a-1f-gz\"").as_deref(), Some("\"a-1f\""));
        assert_eq!(tag("W/\"a-1f-br\"", "\"a-1f\"").as_deref(), Some("\"a-1f-br\""));
        // The form to be sent wins over another listed one.
        assert_eq!(tag("\"a-1f\", \"a-1f-br\"", "\"a-1f-br\"").as_deref(), Some("\"a-1f-br\""));
        assert_eq!(tag("\"a-1f-gz\"", "\"b-1f-gz\""), None);
        assert_eq!(tag("\"a-1\"", "\"a-1f\""), None);
    }
}
