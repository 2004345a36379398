//! The single-process gateway: the one public address (`WIBM_LISTEN`) with
//! the same routing Traefik does in containers — path prefixes to each
//! service's loopback port, and a forwardAuth call to auth_api's
//! `/auth/v1/verify` before anything under `/fetcher/v1` and
//! `/scheduler/v1/trigger` (the same check, the same answers). Requests that
//! passed the check carry the internal credential, which those services
//! require, so their own loopback ports are no way around this check.
//!
//! The read paths of the same process (content_api, website_front) are
//! called in-process: their routers, with every layer they have on their
//! own port, take the request the gateway would have sent over loopback,
//! without a second HTTP hop for each request or each live event. Their
//! loopback ports stay for calls between services (the website's reads).
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use common::internal::InternalToken;
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;

/// Where each service listens (loopback ports chosen by the stack).
#[derive(Debug, Clone, Copy)]
pub struct Upstreams {
    pub website: SocketAddr,
    pub content: SocketAddr,
    pub fetcher: SocketAddr,
    pub scheduler: SocketAddr,
    pub auth: SocketAddr,
}

/// The services behind the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Website,
    Content,
    Fetcher,
    Scheduler,
    Auth,
}

impl Service {
    /// The service answering `path`, as Traefik's PathPrefix routers would.
    pub fn for_path(path: &str) -> Self {
        let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
        if under("/content/v1") || under("/ergast/f1") || under("/openf1/v1") {
            Self::Content
        } else if under("/fetcher/v1") {
            Self::Fetcher
        } else if under("/scheduler/v1") {
            Self::Scheduler
        } else if under("/auth/v1") {
            Self::Auth
        } else {
            Self::Website
        }
    }
}

impl Upstreams {
    /// Where `service` listens.
    pub fn addr(&self, service: Service) -> SocketAddr {
        match service {
            Service::Website => self.website,
            Service::Content => self.content,
            Service::Fetcher => self.fetcher,
            Service::Scheduler => self.scheduler,
            Service::Auth => self.auth,
        }
    }

    /// Where the service answering `path` listens.
    pub fn route(&self, path: &str) -> SocketAddr {
        self.addr(Service::for_path(path))
    }
}

/// Paths checked here by auth_api's verify before they are passed on: auth_api's
/// policy table decides, the same one its verify route applies.
pub fn needs_auth(path: &str) -> bool {
    auth_api::checked_at_edge(path)
}

/// Services of the gateway's own process it calls directly (their whole
/// router, layers included) instead of over their loopback port.
#[derive(Clone, Default)]
pub struct InProcess {
    pub content: Option<Router>,
    pub website: Option<Router>,
}

impl InProcess {
    fn router(&self, service: Service) -> Option<Router> {
        match service {
            Service::Content => self.content.clone(),
            Service::Website => self.website.clone(),
            Service::Fetcher | Service::Scheduler | Service::Auth => None,
        }
    }
}

#[derive(Clone)]
struct Gateway {
    upstreams: Upstreams,
    local: InProcess,
    client: Client<HttpConnector, Body>,
    internal: InternalToken,
}

/// The gateway to `upstreams`, calling the services in `local` in-process;
/// `internal` is the token the fetcher and scheduler_api expect on requests
/// that passed verify.
pub fn router(upstreams: Upstreams, local: InProcess, internal: InternalToken) -> Router {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_connect_timeout(Some(Duration::from_secs(5)));
    let client = Client::builder(TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(30)).build(connector);
    let gateway = Gateway { upstreams, local, client, internal };
    // The public address's own health reports every service behind it.
    let app = Router::new()
        .route("/health", axum::routing::get(common::health::liveness))
        .route("/health/ready", axum::routing::get(readiness))
        .route("/metrics", axum::routing::get(common::metrics::render))
        .fallback(proxy)
        .with_state(Arc::new(gateway));
    common::http::frame(app, "gateway", Duration::from_secs(300))
}

/// Asks each service's `/health/ready`; the stack is as ready as its least
/// ready service (a degraded cache keeps it serving).
async fn readiness(State(gw): State<Arc<Gateway>>) -> common::health::Readiness {
    use common::health::Readiness;
    let u = gw.upstreams;
    let services = [
        ("website_front", u.website),
        ("content_api", u.content),
        ("fetcher_service", u.fetcher),
        ("scheduler_api", u.scheduler),
        ("auth_api", u.auth),
    ];
    let checks = futures_util::future::join_all(services.map(|(name, addr)| {
        let client = gw.client.clone();
        async move { (name, service_readiness(&client, addr).await) }
    }))
    .await;
    checks.into_iter().fold(Readiness::new("willitbemax"), |r, (name, check)| r.with(name, check))
}

async fn service_readiness(client: &Client<HttpConnector, Body>, addr: SocketAddr) -> common::health::Check {
    use common::health::Check;
    let Ok(uri) = Uri::try_from(format!("http://{addr}/health/ready")) else {
        return Check::unavailable("bad address");
    };
    let Ok(req) = Request::builder().uri(uri).body(Body::empty()) else {
        return Check::unavailable("bad request");
    };
    match tokio::time::timeout(Duration::from_secs(5), client.request(req)).await {
        Err(_) => Check::unavailable("no answer within 5 s"),
        Ok(Err(e)) => Check::unavailable(e.to_string()),
        Ok(Ok(resp)) => {
            let status = resp.status();
            let body =
                http_body_util::BodyExt::collect(resp.into_body()).await.map(|b| b.to_bytes()).unwrap_or_default();
            let report: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            match (status.is_success(), report["status"].as_str()) {
                (true, Some("ok")) => Check::ok(),
                (true, _) => Check::degraded(report["checks"].to_string()),
                (false, _) => Check::unavailable(report["checks"].to_string()),
            }
        }
    }
}

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1).
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    for h in HOP_BY_HOP {
        headers.remove(h);
    }
}

/// The largest request body the gateway passes on.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How much of an oversized body is read (and dropped) so the client gets
/// its 413 instead of a reset; past this the connection is closed.
const MAX_DRAIN_BYTES: usize = 64 * 1024 * 1024;

enum BodyError {
    TooLarge,
    Unreadable,
}

/// Reads a request body, keeping at most `keep` bytes. The rest is read to
/// its end (up to [`MAX_DRAIN_BYTES`]) and dropped, so any answer can be a
/// clean one rather than a reset of a connection with unread data. Returns
/// what was kept and the body's whole size.
async fn read_body(body: Body, keep: usize) -> Result<(axum::body::Bytes, usize), BodyError> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Unreadable)?;
        let Ok(data) = frame.into_data() else { continue };
        seen += data.len();
        if seen > MAX_DRAIN_BYTES {
            return Err(BodyError::TooLarge);
        }
        if seen <= keep {
            kept.extend_from_slice(&data);
        }
    }
    Ok((kept.into(), seen))
}

async fn proxy(State(gw): State<Arc<Gateway>>, req: Request) -> Response {
    // Bodies are checked here, before routing: a client's oversized or
    // broken body gets its own answer, never a 502 from a service that
    // stopped reading it. GET and HEAD bodies mean nothing: read and dropped.
    let (mut parts, body) = req.into_parts();
    let ignored = matches!(parts.method, axum::http::Method::GET | axum::http::Method::HEAD);
    let too_large = || {
        let message = format!("the request body is larger than {} KiB", MAX_BODY_BYTES / 1024);
        common::http::error_response(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
    };
    let body = match read_body(body, if ignored { 0 } else { MAX_BODY_BYTES }).await {
        Ok(_) if ignored => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::empty()
        }
        Ok((_, seen)) if seen > MAX_BODY_BYTES => return too_large(),
        Ok((bytes, _)) => Body::from(bytes),
        Err(BodyError::TooLarge) => return too_large(),
        Err(BodyError::Unreadable) => {
            return common::http::error_response(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "the request body was cut off",
            );
        }
    };
    let mut req = Request::from_parts(parts, body);
    // The internal credential only ever comes from the gateway.
    req.headers_mut().remove(common::internal::HEADER);
    let path = req.uri().path().to_string();
    if needs_auth(&path) {
        let check = verify_request(&gw, &req);
        match forward_auth(&gw, check).await {
            Ok(identity) => {
                for (name, value) in identity {
                    req.headers_mut().insert(name, value);
                }
                req.headers_mut().insert(common::internal::HEADER, gw.internal.header_value());
            }
            Err(denied) => return denied,
        }
    } else {
        // Identity headers only ever come from verify, never from the client.
        req.headers_mut().remove("x-user-id");
        req.headers_mut().remove("x-user-role");
    }
    let service = Service::for_path(&path);
    if service == Service::Auth {
        // Tells auth_api that X-Forwarded-For is ours (its login limits
        // count by client address); a caller on its own port cannot.
        req.headers_mut().insert(common::internal::HEADER, gw.internal.header_value());
    }
    let client_ip = req.extensions().get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    strip_hop_by_hop(req.headers_mut());
    if let Some(ip) = client_ip.and_then(|ip| HeaderValue::from_str(&ip).ok()) {
        req.headers_mut().insert("x-forwarded-for", ip);
    }
    req.headers_mut().insert("x-forwarded-proto", HeaderValue::from_static("http"));
    if let Some(router) = gw.local.router(service) {
        // The router answers every request (its errors are responses).
        let Ok(mut resp) = tower::ServiceExt::oneshot(router, req).await;
        strip_hop_by_hop(resp.headers_mut());
        return resp;
    }
    let target = gw.upstreams.addr(service);
    let path_and_query = req.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    *req.uri_mut() = match Uri::try_from(format!("http://{target}{path_and_query}")) {
        Ok(uri) => uri,
        Err(_) => return common::http::error_response(StatusCode::BAD_REQUEST, "bad_request", "invalid request path"),
    };
    match gw.client.request(req).await {
        Ok(resp) => {
            let (mut parts, body) = resp.into_parts();
            strip_hop_by_hop(&mut parts.headers);
            Response::from_parts(parts, Body::new(body))
        }
        Err(e) => {
            tracing::error!(%target, error = %e, "upstream service unreachable");
            common::http::error_response(StatusCode::BAD_GATEWAY, "service_unavailable", "the service is not answering")
        }
    }
}

/// The request Traefik's forwardAuth would send to auth_api about `req`:
/// its credentials, the original method and URI, and the client address.
fn verify_request(gw: &Gateway, req: &Request) -> Option<Request> {
    let uri = Uri::try_from(format!("http://{}/auth/v1/verify", gw.upstreams.auth)).ok()?;
    let mut check = Request::builder().method("GET").uri(uri);
    for name in [header::AUTHORIZATION, HeaderName::from_static("x-api-key"), HeaderName::from_static("x-request-id")] {
        if let Some(v) = req.headers().get(&name) {
            check = check.header(name, v);
        }
    }
    let original = req.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    check = check.header("x-forwarded-method", req.method().as_str()).header("x-forwarded-uri", original);
    if let Some(ci) = req.extensions().get::<axum::extract::ConnectInfo<SocketAddr>>() {
        check = check.header("x-forwarded-for", ci.0.ip().to_string());
    }
    check.body(Body::empty()).ok()
}

/// Sends the verify request; on success returns the identity headers to
/// pass on, otherwise auth_api's refusal as it wrote it (401, 403, 429).
async fn forward_auth(gw: &Gateway, check: Option<Request>) -> Result<Vec<(HeaderName, HeaderValue)>, Response> {
    let check = check.ok_or_else(unavailable)?;
    let resp = gw.client.request(check).await.map_err(|e| {
        tracing::error!(error = %e, "auth_api unreachable");
        unavailable()
    })?;
    if resp.status().is_success() {
        let identity = ["x-user-id", "x-user-role"]
            .into_iter()
            .filter_map(|n| resp.headers().get(n).map(|v| (HeaderName::from_static(n), v.clone())))
            .collect();
        Ok(identity)
    } else {
        let (mut parts, body) = resp.into_parts();
        strip_hop_by_hop(&mut parts.headers);
        Err(Response::from_parts(parts, Body::new(body)))
    }
}

fn unavailable() -> Response {
    let mut r = common::http::error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        "auth_unavailable",
        "cannot check credentials right now; try again",
    );
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up() -> Upstreams {
        let a = |p| SocketAddr::from(([127, 0, 0, 1], p));
        Upstreams { website: a(1), content: a(2), fetcher: a(3), scheduler: a(4), auth: a(5) }
    }

    #[test]
    fn routes_by_prefix_like_traefik() {
        let u = up();
        assert_eq!(u.route("/content/v1/seasons").port(), 2);
        assert_eq!(u.route("/ergast/f1/2023/1/results.json").port(), 2);
        assert_eq!(u.route("/openf1/v1/laps").port(), 2);
        assert_eq!(u.route("/fetcher/v1/fetch/seasons").port(), 3);
        assert_eq!(u.route("/scheduler/v1/status").port(), 4);
        assert_eq!(u.route("/auth/v1/login").port(), 5);
        assert_eq!(u.route("/seasons/2024").port(), 1);
        assert_eq!(u.route("/content/v10").port(), 1, "a prefix matches whole segments");
    }

    /// A service that answers with the size of the body it received.
    async fn echo_service() -> SocketAddr {
        let app = Router::new().fallback(|body: axum::body::Bytes| async move { body.len().to_string() });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    }

    #[tokio::test]
    async fn bodies_are_limited_with_a_413_and_dropped_on_get() {
        let service = echo_service().await;
        let upstreams =
            Upstreams { website: service, content: service, fetcher: service, scheduler: service, auth: service };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(common::http::serve(
            listener,
            router(upstreams, InProcess::default(), InternalToken::generate()),
            common::Shutdown::new(),
        ));
        let http = reqwest::Client::new();
        let big = vec![b'x'; 10 * 1024 * 1024];

        for path in ["/content/v1/seasons/2024", "/seasons/2024", "/"] {
            let got = http.get(format!("{base}{path}")).body(big.clone()).send().await.unwrap();
            assert_eq!(got.status(), 200, "{path}");
            assert_eq!(got.text().await.unwrap(), "0", "a GET body is not passed on");
        }
        let refused = http.post(format!("{base}/auth/v1/login")).body(big.clone()).send().await.unwrap();
        assert_eq!(refused.status(), 413);
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
        // A body without a length (chunked) is limited the same way.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut raw = tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await.unwrap();
        raw.write_all(b"POST /auth/v1/login HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n").await.unwrap();
        let chunk = [b'y'; 64 * 1024];
        for _ in 0..40 {
            raw.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.unwrap();
            raw.write_all(&chunk).await.unwrap();
            raw.write_all(b"\r\n").await.unwrap();
        }
        raw.write_all(b"0\r\n\r\n").await.unwrap();
        let mut head = [0u8; 12];
        raw.read_exact(&mut head).await.unwrap();
        assert_eq!(&head, b"HTTP/1.1 413");
        let small = http.post(format!("{base}/auth/v1/login")).body(vec![b'z'; 2048]).send().await.unwrap();
        assert_eq!(small.text().await.unwrap(), "2048", "a small body is passed on whole");
    }

    /// The internal credential reaches a service only from the gateway, and
    /// only on requests that passed verify; a client's own copy is dropped.
    #[tokio::test]
    async fn the_internal_credential_comes_only_from_the_gateway() {
        // Answers verify with 200 and everything else with the header it got.
        let app = Router::new().fallback(|headers: HeaderMap| async move {
            let got = headers.get(common::internal::HEADER).map(|v| v.to_str().unwrap().to_string());
            got.unwrap_or_else(|| "none".into())
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let service = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let upstreams =
            Upstreams { website: service, content: service, fetcher: service, scheduler: service, auth: service };
        let token = InternalToken::generate();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(common::http::serve(
            listener,
            router(upstreams, InProcess::default(), token.clone()),
            common::Shutdown::new(),
        ));
        let http = reqwest::Client::new();
        let send = |path: &str| http.post(format!("{base}{path}")).header(common::internal::HEADER, "forged").send();

        let public = send("/content/v1/seasons").await.unwrap().text().await.unwrap();
        assert_eq!(public, "none", "a client's copy is removed");
        let verified = send("/fetcher/v1/fetch/seasons").await.unwrap().text().await.unwrap();
        assert!(token.matches(verified.as_bytes()), "the gateway's token replaces the client's after verify");
        let auth = send("/auth/v1/login").await.unwrap().text().await.unwrap();
        assert!(token.matches(auth.as_bytes()), "auth_api learns that X-Forwarded-For is the gateway's");
    }

    /// content_api and the website are called in-process (their loopback
    /// ports here answer nothing), with the headers a proxied request gets;
    /// the other services are still reached over their ports.
    #[tokio::test]
    async fn read_paths_are_called_in_process() {
        let local = |name: &'static str| {
            Router::new().fallback(move |headers: HeaderMap, uri: Uri| async move {
                let header = |n: &str| headers.get(n).map_or("-", |v| v.to_str().unwrap()).to_string();
                let seen = [header("x-forwarded-for"), header(common::internal::HEADER), header("x-user-role")];
                format!("{name} {uri} {}", seen.join(" "))
            })
        };
        let socket = echo_service().await;
        let closed = |p| SocketAddr::from(([127, 0, 0, 1], p));
        let upstreams =
            Upstreams { website: closed(9), content: closed(10), fetcher: socket, scheduler: socket, auth: socket };
        let in_process = InProcess { content: Some(local("content")), website: Some(local("website")) };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = router(upstreams, in_process, InternalToken::generate());
        tokio::spawn(common::http::serve(listener, app, common::Shutdown::new()));
        let http = reqwest::Client::new();
        let get = |path: &str| {
            http.get(format!("{base}{path}"))
                .header(common::internal::HEADER, "forged")
                .header("x-user-role", "admin")
                .send()
        };

        let content = get("/ergast/f1/2023/results.json?limit=100").await.unwrap();
        assert_eq!(content.status(), 200);
        assert_eq!(content.text().await.unwrap(), "content /ergast/f1/2023/results.json?limit=100 127.0.0.1 - -");
        let page = get("/seasons/2024").await.unwrap().text().await.unwrap();
        assert_eq!(page, "website /seasons/2024 127.0.0.1 - -", "forged credentials never reach the service");
        let health = get("/health").await.unwrap();
        assert_eq!(health.status(), 200, "the gateway's own routes stay its own");
        let status = get("/scheduler/v1/status").await.unwrap().text().await.unwrap();
        assert_eq!(status, "0", "scheduler_api is reached over its port");
    }

    #[test]
    fn only_mutating_prefixes_need_auth() {
        assert!(needs_auth("/fetcher/v1/fetch/seasons"));
        assert!(needs_auth("/scheduler/v1/trigger/results"));
        assert!(!needs_auth("/scheduler/v1/status"));
        assert!(!needs_auth("/content/v1/seasons"));
    }
}
