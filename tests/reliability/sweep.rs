//! The malformed-request sweep: every route of the OpenAPI document and the
//! other services' routes, with bad path segments, queries, methods and
//! bodies, through the public address. Every answer must be an answer (no
//! reset), never a 5xx; every API 4xx is the JSON error body; no answer
//! shows parser internals, Rust type names, OS errors or addresses.
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What each answer must not contain (lower-cased): parser and type
/// internals, OS errors, internal addresses.
const LEAKS: &[&str] = &[
    "expected struct",
    // serde's "invalid type: integer `42`, expected ..." (not "invalid type: ..." naming a `type` field).
    "invalid type: integer",
    "invalid type: string",
    "invalid type: null",
    "invalid type: sequence",
    "at line ",
    "failed to deserialize",
    "failed to buffer",
    "invalid url",
    "invalid utf-8",
    "recursion limit",
    "os error",
    "connection refused",
    "tcp connect",
    "127.0.0.1",
    "::",
    "panicked",
    "length limit exceeded",
    "serde",
];

/// Path segments that are not what a route expects.
fn bad_segments() -> Vec<String> {
    let mut v: Vec<String> =
        ["abc", "-1", "0", "99999999999999999999", "%FF", "%00", "2023.5", "%20", "..%2F..", "%C3%A9"]
            .map(String::from)
            .to_vec();
    v.push("9".repeat(300));
    v
}

/// Queries that are not what any route expects.
fn bad_queries() -> Vec<String> {
    let mut v: Vec<String> = [
        "page=0",
        "page=-1",
        "per_page=0",
        "per_page=abc",
        "per_page=99999999999999999999",
        "page=%FF",
        "year=%ZZ",
        "session=nope",
        "a=1&a=2&a=3",
        "%FF=%FE",
    ]
    .map(String::from)
    .to_vec();
    v.push(format!("q={}", "a".repeat(8_000)));
    v
}

/// Bodies a JSON route must refuse cleanly.
fn bad_bodies() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = [
        &b"[]"[..],
        b"{}",
        b"{",
        b"null",
        b"\"x\"",
        b"42",
        b"{\"email\":1,\"password\":[]}",
        b"{\"email\":\"a@b.c\",\"password\":\"x\",\"role\":\"emperor\"}",
        b"{\"name\":\"\",\"refresh_token\":7}",
        b"\xff\xfe\x00garbage",
    ]
    .map(<[u8]>::to_vec)
    .to_vec();
    v.push(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes());
    v
}

/// Counts of what the sweep sent and saw, and what failed.
#[derive(Default)]
pub struct Tally {
    pub requests: usize,
    pub statuses: BTreeMap<u16, usize>,
    pub failures: Vec<String>,
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} requests, statuses {:?}, {} failures", self.requests, self.statuses, self.failures.len())
    }
}

impl Tally {
    pub fn assert_clean(&self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} probes failed, e.g.:\n{}",
            self.failures.len(),
            self.requests,
            self.failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}

/// One probe of the sweep.
pub struct Probe<'a> {
    pub method: Method,
    pub url: String,
    pub body: Option<Vec<u8>>,
    pub json: bool,
    pub bearer: Option<&'a str>,
    /// An API route: its 4xx must be the JSON error body (the website answers HTML).
    pub api: bool,
}

impl<'a> Probe<'a> {
    pub fn new(method: Method, url: String) -> Self {
        let api = ["/content/v1", "/auth/v1", "/fetcher/v1", "/scheduler/v1"].iter().any(|p| url.contains(p));
        Self { method, url, body: None, json: false, bearer: None, api }
    }

    fn body(mut self, body: Vec<u8>, json: bool) -> Self {
        self.body = Some(body);
        self.json = json;
        self
    }

    fn bearer(mut self, token: &'a str) -> Self {
        self.bearer = Some(token);
        self
    }
}

/// Sends `probe` and records whether its answer holds; returns the status.
pub async fn check(http: &reqwest::Client, probe: Probe<'_>, tally: &mut Tally) -> Option<u16> {
    tally.requests += 1;
    let what = format!("{} {}", probe.method, truncate(&probe.url));
    let mut req = http.request(probe.method.clone(), &probe.url);
    if let Some(body) = probe.body {
        req = req.body(body);
    }
    if probe.json {
        req = req.header("content-type", "application/json");
    }
    if let Some(token) = probe.bearer {
        req = req.bearer_auth(token);
    }
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => {
            tally.failures.push(format!("{what}: no answer ({e})"));
            return None;
        }
    };
    let status = resp.status().as_u16();
    *tally.statuses.entry(status).or_default() += 1;
    let body = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => {
            tally.failures.push(format!("{what}: answer cut off ({e})"));
            return Some(status);
        }
    };
    let text = String::from_utf8_lossy(&body).to_lowercase();
    if status >= 500 {
        tally.failures.push(format!("{what}: {status} {}", truncate(&text)));
    }
    if (400..500).contains(&status) && probe.api {
        let parsed: Option<Value> = serde_json::from_slice(&body).ok();
        let holds = parsed.as_ref().is_some_and(|v| {
            v["error"]["code"].as_str().is_some_and(|c| !c.is_empty())
                && v["error"]["message"].as_str().is_some_and(|m| !m.is_empty())
        });
        if !holds {
            tally.failures.push(format!("{what}: {status} is not the JSON error body: {}", truncate(&text)));
        }
    }
    // An API's message is checked whole; a page's HTML only for the words
    // (its CSS has `::` selectors).
    let leak = if probe.api {
        LEAKS.iter().find(|l| text.contains(*l))
    } else {
        LEAKS.iter().filter(|l| **l != "::").find(|l| text.contains(*l))
    };
    if status >= 400
        && let Some(leak) = leak
    {
        tally.failures.push(format!("{what}: {status} shows `{leak}`: {}", truncate(&text)));
    }
    Some(status)
}

fn truncate(s: &str) -> String {
    if s.len() <= 160 { s.to_string() } else { format!("{}…", &s[..s.floor_char_boundary(160)]) }
}

/// A valid value for a path parameter, so one bad segment at a time is tried.
fn valid(name: &str) -> &'static str {
    match name {
        "year" => "2023",
        "round" => "1",
        "type" => "race",
        _ => "max_verstappen",
    }
}

/// Every route of `/content/v1/openapi.json` (and its website twin) with
/// bad segments, bad queries, other methods and bodies.
pub async fn content_routes(http: &reqwest::Client, base: &str, tally: &mut Tally) {
    let doc: Value = http.get(format!("{base}/content/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().expect("the OpenAPI document lists paths");
    assert!(paths.len() >= 10, "the document lists every route: {}", paths.len());
    for (template, item) in paths {
        // The live stream (Server-Sent Events) never ends by design: its
        // own tests (tests/e2e/live.rs) read it event by event.
        if template.ends_with("/live/stream") {
            continue;
        }
        let segments: Vec<&str> = template.split('/').collect();
        let fill = |bad: Option<(usize, &str)>| {
            segments
                .iter()
                .enumerate()
                .map(|(i, s)| match (s.strip_prefix('{').and_then(|s| s.strip_suffix('}')), bad) {
                    (Some(_), Some((at, value))) if at == i => value.to_string(),
                    (Some(name), _) => valid(name).to_string(),
                    (None, _) => s.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/")
        };
        let params: Vec<usize> =
            segments.iter().enumerate().filter(|(_, s)| s.starts_with('{')).map(|(i, _)| i).collect();
        let good = fill(None);
        check(http, Probe::new(Method::GET, format!("{base}{good}")), tally).await;
        for at in &params {
            for value in bad_segments() {
                check(http, Probe::new(Method::GET, format!("{base}{}", fill(Some((*at, &value))))), tally).await;
            }
        }
        for query in bad_queries() {
            check(http, Probe::new(Method::GET, format!("{base}{good}?{query}")), tally).await;
        }
        let methods =
            item.as_object().map(|m| m.keys().map(|k| k.to_uppercase()).collect::<Vec<_>>()).unwrap_or_default();
        for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            if !methods.contains(&method.to_string()) {
                check(http, Probe::new(method, format!("{base}{good}")).body(b"{}".to_vec(), true), tally).await;
            }
        }
        // Routes that take a body (the what-if): every bad body, and one too large.
        if methods.iter().any(|m| m == "POST") {
            for body in bad_bodies() {
                check(http, Probe::new(Method::POST, format!("{base}{good}")).body(body, true), tally).await;
            }
            let big = Probe::new(Method::POST, format!("{base}{good}")).body(vec![b'['; 2 << 20], true);
            let status = check(http, big, tally).await;
            if status != Some(413) {
                tally.failures.push(format!("POST {good} with 2 MiB: {status:?}, not 413"));
            }
        }
        // A GET with a body larger than any limit: ignored or refused, never a 5xx or a reset.
        check(http, Probe::new(Method::GET, format!("{base}{good}")).body(vec![b'x'; 2 << 20], false), tally).await;
        // The website's page for the same resource, where there is one.
        let page = good.trim_start_matches("/content/v1");
        check(http, Probe::new(Method::GET, format!("{base}{page}")), tally).await;
    }
}

/// auth_api, scheduler_api and the fetcher: bad bodies, oversized bodies,
/// bad queries, anonymous writes and an admin's malformed ones.
pub async fn other_routes(http: &reqwest::Client, base: &str, admin: &str, tally: &mut Tally) {
    let public_writes = ["/auth/v1/login", "/auth/v1/register", "/auth/v1/refresh", "/auth/v1/logout"];
    let admin_writes = ["/auth/v1/users", "/auth/v1/api-keys"];
    for path in public_writes.iter().chain(&admin_writes) {
        let token = admin_writes.contains(path).then_some(admin);
        for body in bad_bodies() {
            for json in [true, false] {
                let mut probe = Probe::new(Method::POST, format!("{base}{path}")).body(body.clone(), json);
                if let Some(t) = token {
                    probe = probe.bearer(t);
                }
                check(http, probe, tally).await;
            }
        }
        let status =
            check(http, Probe::new(Method::POST, format!("{base}{path}")).body(vec![b'{'; 2 << 20], true), tally).await;
        if status != Some(413) {
            tally.failures.push(format!("POST {path} with 2 MiB: {status:?}, not 413"));
        }
        check(http, Probe::new(Method::PUT, format!("{base}{path}")), tally).await;
    }
    for path in ["/auth/v1/users/not-an-id", "/auth/v1/users/00000000-0000-0000-0000-000000000000"] {
        for method in [Method::GET, Method::PATCH] {
            for body in bad_bodies().into_iter().take(4) {
                check(http, Probe::new(method.clone(), format!("{base}{path}")).body(body, true).bearer(admin), tally)
                    .await;
            }
        }
    }
    for query in bad_queries() {
        for path in ["/auth/v1/users", "/auth/v1/api-keys", "/scheduler/v1/history", "/scheduler/v1/status"] {
            check(http, Probe::new(Method::GET, format!("{base}{path}?{query}")).bearer(admin), tally).await;
        }
    }
    check(http, Probe::new(Method::GET, format!("{base}/auth/v1/me")).bearer("not.a.token"), tally).await;
    // Pages start at 1 and hold at least one entry.
    for query in ["page=0", "per_page=0"] {
        let path = format!("/auth/v1/users?{query}");
        let status = check(http, Probe::new(Method::GET, format!("{base}{path}")).bearer(admin), tally).await;
        if status != Some(400) {
            tally.failures.push(format!("GET {path}: {status:?}, not 400"));
        }
    }

    // Writes around verify: anonymous is refused; an admin's bad parameters are a 400.
    let writes = [
        "/fetcher/v1/fetch/rounds?season=abc",
        "/fetcher/v1/fetch/rounds?season=2023&round=0",
        "/fetcher/v1/fetch/results?season=1800&round=1",
        "/fetcher/v1/fetch/seasons?from=2024&to=2020",
        "/fetcher/v1/fetch/livetiming?season=2023&round=1&session=nope",
        "/fetcher/v1/fetch/weekend?season=%FF&round=1",
        "/fetcher/v1/fetch/standings?season=2023&unknown=1",
        "/scheduler/v1/trigger/nope",
        "/scheduler/v1/trigger/rounds?season=abc",
        "/scheduler/v1/trigger/results?season=2023&round=-1",
        "/scheduler/v1/trigger/standings?bogus=1",
    ];
    for path in writes {
        let anonymous = check(http, Probe::new(Method::POST, format!("{base}{path}")), tally).await;
        if anonymous != Some(401) {
            tally.failures.push(format!("anonymous POST {path}: {anonymous:?}, not 401"));
        }
        let refused = check(http, Probe::new(Method::POST, format!("{base}{path}")).bearer(admin), tally).await;
        if !matches!(refused, Some(400 | 404)) {
            tally.failures.push(format!("admin POST {path}: {refused:?}, not 400/404"));
        }
    }
}

/// Connections that send half their headers and stop: the server must
/// close each within its header-read deadline (10 s) plus a margin.
pub async fn slow_headers(base: String) -> usize {
    let addr = base.trim_start_matches("http://").to_string();
    let mut open = Vec::new();
    for partial in ["GET / HTTP/1.1\r\nhost: x\r\n", "POST /auth/v1/login HTTP/1.1\r\nhost: x\r\ncontent-len", "G"] {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        stream.write_all(partial.as_bytes()).await.unwrap();
        open.push(stream);
    }
    let started = Instant::now();
    let mut closed = 0;
    for mut stream in open {
        let mut buf = Vec::new();
        // read_to_end ends when the server closes (after an optional 408).
        let done = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut buf)).await;
        assert!(done.is_ok(), "a half-sent request was still open after {:?}", started.elapsed());
        let head = String::from_utf8_lossy(&buf);
        assert!(buf.is_empty() || head.starts_with("HTTP/1.1 4"), "a half-sent request got {head}");
        closed += 1;
    }
    closed
}
