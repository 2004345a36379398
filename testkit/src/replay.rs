//! A local HTTP server replaying recorded upstream responses, with fault
//! injection, so no test reaches the internet.
//!
//! ```ignore
//! let server = ReplayServer::start("testdata/jolpica").await;   // 127.0.0.1:<free port>
//! let base = format!("{}/ergast/f1", server.url());              // point the client here
//! testkit::replay::assert_loopback(&base);
//! server.inject("/ergast/f1/2024", Fault::status(429).retry_after(1).times(1));
//! // ... run the client ...
//! assert_eq!(server.count("/ergast/f1/2024.json"), 2);
//! ```
//!
//! - **Files.** `GET /a/b.json?limit=3` serves `ROOT/a/b.json@limit=3` (the
//!   recordings' naming: the query follows `@`); without a query,
//!   `ROOT/a/b.json`. A page at an extension-less URL may be stored as
//!   `ROOT/path.html`. Missing files answer 404. The content type follows
//!   the extension (`.json`, `.html`, `.png`, ...; `.jsonStream` is text).
//! - **Requests.** Every request is recorded, faulted or not, as its path
//!   and query ([`ReplayServer::requests`], [`ReplayServer::count`]).
//! - **Faults.** [`ReplayServer::inject`] attaches a [`Fault`] to a path
//!   prefix: a status (with an optional `Retry-After`), a delay before the
//!   answer, or a body cut in half (valid HTTP, broken content). A fault
//!   applies to the next `n` matching requests ([`Fault::times`]) or
//!   forever. Faults are checked in the order they were injected.
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::Shutdown;

#[derive(Debug, Clone, PartialEq, Eq)]
enum FaultKind {
    Status(u16),
    Delay(Duration),
    Truncate,
}

/// What to do instead of (or before) serving a recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    kind: FaultKind,
    retry_after: Option<u64>,
    /// Requests left to fault; None = forever.
    remaining: Option<usize>,
}

impl Fault {
    /// Answer `code` with an empty body.
    pub fn status(code: u16) -> Self {
        Self { kind: FaultKind::Status(code), retry_after: None, remaining: None }
    }

    /// Wait `delay`, then serve the recording (longer than the client's
    /// timeout, this is a timeout).
    pub fn delay(delay: Duration) -> Self {
        Self { kind: FaultKind::Delay(delay), retry_after: None, remaining: None }
    }

    /// Serve the first half of the recording, with a matching length.
    pub fn truncate() -> Self {
        Self { kind: FaultKind::Truncate, retry_after: None, remaining: None }
    }

    /// Add a `Retry-After: secs` header (to a status fault).
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// Apply to the next `n` matching requests only.
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }
}

#[derive(Default)]
struct Inner {
    requests: Vec<String>,
    faults: Vec<(String, Fault)>,
}

struct Shared {
    root: PathBuf,
    inner: Mutex<Inner>,
    shutdown: Shutdown,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The running server; stops when dropped.
pub struct ReplayServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl ReplayServer {
    /// Serves the files under `root` on 127.0.0.1 and a free port.
    pub async fn start(root: impl Into<PathBuf>) -> Self {
        let shared = Arc::new(Shared { root: root.into(), inner: Mutex::default(), shutdown: Shutdown::new() });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the replay server");
        let addr = listener.local_addr().expect("local addr");
        let app = Router::new().fallback(serve).with_state(shared.clone());
        let shutdown = shared.shutdown.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).with_graceful_shutdown(shutdown.signalled()).await;
        });
        Self { addr, shared }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far, as `path` or `path?query`, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.shared.lock().requests.clone()
    }

    /// How many requests so far started with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.shared.lock().requests.iter().filter(|r| r.starts_with(prefix)).count()
    }

    /// Faults requests whose path starts with `prefix` (see the module doc).
    pub fn inject(&self, prefix: &str, fault: Fault) {
        self.shared.lock().faults.push((prefix.to_string(), fault));
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        self.shared.shutdown.trigger();
    }
}

/// Panics unless `url`'s host is loopback (`127.0.0.1`, `localhost`, `[::1]`):
/// every test that builds an HTTP client calls this on its base URLs.
pub fn assert_loopback(url: &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    assert!(loopback, "test base URL `{url}` is not loopback: tests must never reach the internet");
}

/// The fault for `path`, consuming one use of it.
fn take_fault(shared: &Shared, path: &str) -> Option<Fault> {
    let mut inner = shared.lock();
    let (_, fault) =
        inner.faults.iter_mut().find(|(prefix, f)| path.starts_with(prefix.as_str()) && f.remaining != Some(0))?;
    if let Some(n) = &mut fault.remaining {
        *n -= 1;
    }
    Some(fault.clone())
}

async fn serve(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let shown = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    shared.lock().requests.push(shown);
    let fault = take_fault(&shared, &path);
    match fault.as_ref().map(|f| &f.kind) {
        Some(FaultKind::Status(code)) => {
            let mut response = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response();
            if let Some(secs) = fault.as_ref().and_then(|f| f.retry_after) {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            return response;
        }
        Some(FaultKind::Delay(d)) => {
            tokio::select! {
                () = tokio::time::sleep(*d) => {}
                () = shared.shutdown.wait() => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
            }
        }
        _ => {}
    }
    let Some(file) = file_for(&shared.root, &path, query.as_deref()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (file, read) = match tokio::fs::read(&file).await {
        Ok(body) => (file, Ok(body)),
        // Pages at extension-less URLs are stored as `PATH.html`.
        Err(_) if query.is_none() => {
            let html = PathBuf::from(format!("{}.html", file.display()));
            let read = tokio::fs::read(&html).await;
            (html, read)
        }
        Err(e) => (file, Err(e)),
    };
    let Ok(mut body) = read else {
        return (StatusCode::NOT_FOUND, format!("no recording at {}", file.display())).into_response();
    };
    if matches!(fault.map(|f| f.kind), Some(FaultKind::Truncate)) {
        body.truncate(body.len() / 2);
    }
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&file)));
    response
}

/// `ROOT/path` or `ROOT/path@query`; None for paths leaving the root.
fn file_for(root: &Path, path: &str, query: Option<&str>) -> Option<PathBuf> {
    let decoded = percent_decode(path.trim_start_matches('/'));
    let relative = Path::new(&decoded);
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = root.join(relative).into_os_string();
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        file.push("@");
        file.push(percent_decode(q));
    }
    Some(PathBuf::from(file))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(file: &Path) -> &'static str {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let name = name.split('@').next().unwrap_or_default();
    match name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).as_deref() {
        Some("json") => "application/json",
        Some("jsonstream" | "txt") => "text/plain; charset=utf-8",
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_urls_pass() {
        for url in ["http://127.0.0.1:8080/x", "http://localhost", "http://[::1]:9/", "http://u:p@127.0.0.1:1"] {
            assert_loopback(url);
        }
    }

    #[test]
    #[should_panic(expected = "not loopback")]
    fn internet_urls_fail() {
        assert_loopback("https://api.jolpi.ca/ergast/f1");
    }

    #[test]
    fn files_follow_the_recording_names() {
        let root = Path::new("/r");
        assert_eq!(file_for(root, "/a/b.json", Some("limit=3")).unwrap(), Path::new("/r/a/b.json@limit=3"));
        assert_eq!(file_for(root, "/a/b%20c.json", None).unwrap(), Path::new("/r/a/b c.json"));
        assert!(file_for(root, "/a/../../etc/passwd", None).is_none());
        assert_eq!(content_type(Path::new("x/seasons.json@limit=3")), "application/json");
    }

    #[tokio::test]
    async fn serves_records_and_faults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("f1")).unwrap();
        std::fs::write(dir.path().join("f1/x.json"), br#"{"a":1}"#).unwrap();
        std::fs::write(dir.path().join("f1/x.json@limit=3"), br#"{"a":3}"#).unwrap();
        std::fs::write(dir.path().join("f1/page.html"), b"<p>hi</p>").unwrap();
        let server = ReplayServer::start(dir.path()).await;
        assert_loopback(&server.url());
        server.inject("/f1/x", Fault::status(429).retry_after(2).times(1));
        let get = |p: &str| {
            let url = format!("{}{p}", server.url());
            async move {
                let r = reqwest::get(url).await.unwrap();
                let retry = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
                (r.status().as_u16(), retry, r.text().await.unwrap())
            }
        };
        assert_eq!(get("/f1/x.json").await, (429, Some("2".into()), String::new()));
        assert_eq!(get("/f1/x.json").await, (200, None, r#"{"a":1}"#.into()));
        assert_eq!(get("/f1/x.json?limit=3").await.2, r#"{"a":3}"#);
        assert_eq!(get("/f1/missing.json").await.0, 404);
        assert_eq!(get("/f1/page").await.2, "<p>hi</p>");
        server.inject("/f1/", Fault::truncate().times(1));
        assert_eq!(get("/f1/x.json").await.2, r#"{"a"#);
        assert_eq!(server.count("/f1/x.json"), 4);
        assert_eq!(server.requests()[2], "/f1/x.json?limit=3");
        assert_eq!(server.count("/f1/"), 6);
    }
}
