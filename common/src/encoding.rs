//! Compressed forms of rendered answers, made once per answer and kept
//! beside its identity bytes, and the choice among them by `Accept-Encoding`.
//!
//! tower-http's `CompressionLayer` would compress every response again on
//! the fly: milliseconds of CPU per request for the 857 kB rounds answer.
//! A rendered answer (content_api's JSON, the website's pages) instead
//! carries its [`Variants`] (in the response's extensions) and
//! [`crate::conditional::conditional`] serves the form the
//! client accepts, compressing it the first time one is asked for; the
//! `CompressionLayer` leaves such responses alone ([`NotNegotiated`]).
use std::hash::{DefaultHasher, Hasher};
use std::io::Write;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Response, header};
use tokio::sync::OnceCell;
use tower_http::compression::Predicate;

/// Answers smaller than this are always sent as they are.
pub const MIN_COMPRESSED_SIZE: usize = 1024;

/// gzip level and brotli quality of the kept forms: each is made at most
/// once per kept answer, so they favour size over speed a little more than
/// on-the-fly compression would.
const GZIP_LEVEL: u32 = 6;
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW_LOG: u32 = 22;

/// A strong entity tag naming `bytes` (and `seed`, e.g. the write date of
/// the data they show): `"<hash>-<length>"`, both in hex.
pub fn strong_etag(seed: i64, bytes: &[u8]) -> HeaderValue {
    let mut h = DefaultHasher::new();
    h.write_i64(seed);
    h.write(bytes);
    let tag = format!("\"{:016x}-{:x}\"", h.finish(), bytes.len());
    HeaderValue::from_str(&tag).expect("hex is a valid header value")
}

/// A content coding of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// What the client's `Accept-Encoding` asks for: brotli or gzip when
    /// accepted (q > 0), the higher q first and brotli on a tie; `*` stands
    /// for codings not named. Without the header, identity.
    pub fn preferred(headers: &HeaderMap) -> Self {
        let (mut br, mut gzip, mut any) = (None, None, None);
        let items = headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok());
        for item in items.flat_map(|v| v.split(',')) {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let q = parts
                .find_map(|p| {
                    let (k, v) = p.split_once('=')?;
                    k.trim().eq_ignore_ascii_case("q").then(|| v.trim().parse::<f32>().unwrap_or(0.0))
                })
                .unwrap_or(1.0);
            if coding.eq_ignore_ascii_case("br") {
                br = Some(q);
            } else if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(q);
            } else if coding == "*" {
                any = Some(q);
            }
        }
        let br = br.or(any).unwrap_or(0.0);
        let gzip = gzip.or(any).unwrap_or(0.0);
        if br > 0.0 && br >= gzip {
            Self::Brotli
        } else if gzip > 0.0 {
            Self::Gzip
        } else {
            Self::Identity
        }
    }

    fn content_encoding(self) -> Option<HeaderValue> {
        match self {
            Self::Identity => None,
            Self::Gzip => Some(HeaderValue::from_static("gzip")),
            Self::Brotli => Some(HeaderValue::from_static("br")),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Gzip => "gzip",
            Self::Brotli => "br",
        }
    }
}

/// One answer's bytes and its compressed forms, each made on first demand.
/// Each form has its own strong ETag: the identity tag with `-gz` or `-br`
/// inside the quotes.
#[derive(Debug)]
pub struct Variants {
    identity: Bytes,
    etag: HeaderValue,
    gzip_etag: HeaderValue,
    br_etag: HeaderValue,
    gzip: OnceCell<Bytes>,
    br: OnceCell<Bytes>,
}

/// The identity ETag `"…"` with `suffix` inside the quotes.
fn suffixed(etag: &HeaderValue, suffix: &str) -> HeaderValue {
    let tag = etag.to_str().unwrap_or_default();
    let inner = tag.strip_suffix('"').unwrap_or(tag);
    HeaderValue::from_str(&format!("{inner}{suffix}\"")).expect("a tag with an ASCII suffix is a header value")
}

impl Variants {
    pub fn new(identity: Bytes, etag: HeaderValue) -> Arc<Self> {
        Arc::new(Self {
            gzip_etag: suffixed(&etag, "-gz"),
            br_etag: suffixed(&etag, "-br"),
            identity,
            etag,
            gzip: OnceCell::new(),
            br: OnceCell::new(),
        })
    }

    pub fn identity(&self) -> &Bytes {
        &self.identity
    }

    /// Whether the answer is large enough to be sent compressed (and so to
    /// vary by `Accept-Encoding`).
    pub fn compressible(&self) -> bool {
        self.identity.len() >= MIN_COMPRESSED_SIZE
    }

    /// The form to send to a client preferring `wanted`.
    pub fn choose(&self, wanted: Encoding) -> Encoding {
        if self.compressible() { wanted } else { Encoding::Identity }
    }

    pub fn etag(&self, encoding: Encoding) -> &HeaderValue {
        match encoding {
            Encoding::Identity => &self.etag,
            Encoding::Gzip => &self.gzip_etag,
            Encoding::Brotli => &self.br_etag,
        }
    }

    /// The bytes of `encoding`, compressed off the async workers the first
    /// time they are asked for; concurrent askers wait for that one
    /// compression. `None` only if compressing failed (then send identity).
    pub async fn bytes(&self, encoding: Encoding) -> Option<Bytes> {
        let cell = match encoding {
            Encoding::Identity => return Some(self.identity.clone()),
            Encoding::Gzip => &self.gzip,
            Encoding::Brotli => &self.br,
        };
        let made = cell
            .get_or_try_init(|| {
                let identity = self.identity.clone();
                async move {
                    metrics::counter!("http_answer_compressions_total", "encoding" => encoding.label()).increment(1);
                    tokio::task::spawn_blocking(move || compress(encoding, &identity)).await
                }
            })
            .await;
        match made {
            Ok(bytes) => Some(bytes.clone()),
            Err(e) => {
                tracing::error!(error = %e, encoding = encoding.label(), "compressing an answer failed");
                None
            }
        }
    }

    /// `res` (whose body is the identity bytes) as the `encoding` form,
    /// with `Vary` when the answer has several forms.
    pub async fn into_response<B: From<Bytes>>(&self, res: Response<B>, encoding: Encoding) -> Response<B> {
        let (mut parts, body) = res.into_parts();
        if self.compressible() {
            parts.headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        if let Some(coding) = encoding.content_encoding()
            && let Some(bytes) = self.bytes(encoding).await
        {
            parts.headers.insert(header::CONTENT_ENCODING, coding);
            parts.headers.insert(header::ETAG, self.etag(encoding).clone());
            parts.headers.remove(header::CONTENT_LENGTH);
            return Response::from_parts(parts, B::from(bytes));
        }
        Response::from_parts(parts, body)
    }
}

/// Compresses `data` into `encoding` (writing to memory cannot fail).
pub fn compress(encoding: Encoding, data: &[u8]) -> Bytes {
    let out = Vec::with_capacity(data.len() / 8);
    match encoding {
        Encoding::Identity => Bytes::copy_from_slice(data),
        Encoding::Gzip => {
            let mut w = flate2::write::GzEncoder::new(out, flate2::Compression::new(GZIP_LEVEL));
            w.write_all(data).expect("writing to memory");
            Bytes::from(w.finish().expect("writing to memory"))
        }
        Encoding::Brotli => {
            let mut w = brotli::CompressorWriter::new(out, 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW_LOG);
            w.write_all(data).expect("writing to memory");
            // `into_inner` finishes the stream.
            Bytes::from(w.into_inner())
        }
    }
}

/// For tower-http's `CompressionLayer`: leave alone answers whose encoding
/// was already negotiated here (they carry their [`Variants`]), compressed
/// or not.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotNegotiated;

impl Predicate for NotNegotiated {
    fn should_compress<B>(&self, response: &Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        response.extensions().get::<Arc<Variants>>().is_none()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn accepting(value: &str) -> Encoding {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        Encoding::preferred(&h)
    }

    #[test]
    fn accept_encoding_with_q_values() {
        assert_eq!(Encoding::preferred(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(accepting("gzip"), Encoding::Gzip);
        assert_eq!(accepting("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(accepting("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(accepting("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(accepting("gzip;q=0.5, br;q=0.5"), Encoding::Brotli);
        assert_eq!(accepting("*"), Encoding::Brotli);
        assert_eq!(accepting("*;q=0.1, br;q=0"), Encoding::Gzip);
        assert_eq!(accepting("identity"), Encoding::Identity);
        assert_eq!(accepting("gzip;q=0"), Encoding::Identity);
        assert_eq!(accepting("deflate"), Encoding::Identity);
        assert_eq!(accepting("GZIP; Q=1"), Encoding::Gzip);
    }

    #[test]
    fn tags_per_form() {
        let v = Variants::new(Bytes::from_static(b"{}"), HeaderValue::from_static("\"00ff-2\""));
        assert_eq!(v.etag(Encoding::Identity), "\"00ff-2\"");
        assert_eq!(v.etag(Encoding::Gzip), "\"00ff-2-gz\"");
        assert_eq!(v.etag(Encoding::Brotli), "\"00ff-2-br\"");
        assert_eq!(v.choose(Encoding::Gzip), Encoding::Identity, "too small to compress");
    }

    #[tokio::test]
    async fn each_form_is_made_once() {
        let v = Variants::new(Bytes::from(vec![b'a'; 4096]), HeaderValue::from_static("\"t\""));
        let (a, b) = tokio::join!(v.bytes(Encoding::Gzip), v.bytes(Encoding::Gzip));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.as_ptr(), b.as_ptr(), "the same kept bytes");
        assert_eq!(v.bytes(Encoding::Gzip).await.unwrap().as_ptr(), a.as_ptr());
        assert!(a.len() < 100);
    }

    #[test]
    fn compressed_forms_decode_to_the_identity_bytes() {
        let data = br#"{"result":["abc","abd","abe"]}"#.repeat(200);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&compress(Encoding::Gzip, &data)[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        out.clear();
        brotli::Decompressor::new(&compress(Encoding::Brotli, &data)[..], 4096).read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
    }
}
