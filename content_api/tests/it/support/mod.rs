//! `TestApp`: the router in-process over a data_scheduler, with typed
//! request helpers.
pub mod fake;
pub mod fixture;
pub mod python;
pub mod sessions;

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use content_api::{AppState, Config};
use data_client::Client;
use serde_json::Value;
use tower::ServiceExt;

/// The configuration tests run with: no in-process answer reuse (so each
/// answer shows data_scheduler's own metadata), a generous deadline
/// (debug builds), and no LiveTiming archive (a closed loopback port: a
/// car_data read fails at once, never reaches the internet) nor telemetry
/// cache (`telemetry.rs` gives each test its own).
pub fn config() -> Config {
    let cfg = Config {
        content_response_cache_secs: 0,
        data_scheduler_timeout_ms: common::config::Millis::of(20_000),
        livetiming_url: "http://127.0.0.1:9".into(),
        telemetry_cache_mb: content_api::config::Megabytes::of(0.0),
        ..Config::default()
    };
    testkit::replay::assert_loopback(&cfg.livetiming_url);
    cfg
}

pub struct TestApp {
    pub router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// A client of the shared data_scheduler (created on the caller's runtime).
pub fn shared_client() -> Client {
    let addr = fixture::shared_data_scheduler();
    Client::connect_lazy(&format!("http://{addr}"), Duration::from_secs(20)).expect("client")
}

impl TestApp {
    /// The router over the shared data_scheduler with the imported seasons.
    pub fn shared() -> Self {
        let addr = fixture::shared_data_scheduler();
        Self::on(&format!("http://{addr}"), config())
    }

    /// The router over the data_scheduler at `url`.
    pub fn on(url: &str, cfg: Config) -> Self {
        let cfg = Config { data_scheduler_url: url.to_string(), ..cfg };
        Self { router: content_api::router(AppState::new(&cfg).expect("state")) }
    }

    /// The router over the data_scheduler at `url`, keeping rendered answers
    /// for `secs`, once it follows data_scheduler's change announcements
    /// (it keeps nothing until then).
    pub async fn keeping(url: &str, secs: u64) -> Self {
        let cfg = Config { data_scheduler_url: url.to_string(), content_response_cache_secs: secs, ..config() };
        let state = AppState::new(&cfg).expect("state");
        assert!(state.follow_changes(Duration::from_secs(20)).await, "content_api follows the change announcements");
        Self { router: content_api::router(state) }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.expect("router is infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
        Reply { status, headers, body }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).expect("request")).await
    }

    /// GET with extra headers.
    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    /// The `result` of a GET that must succeed.
    pub async fn result(&self, uri: &str) -> Value {
        let reply = self.get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
        reply.json()["result"].clone()
    }

    /// Asserts an error answer with `status` and `code`; returns its body.
    pub async fn error(&self, uri: &str, status: StatusCode, code: &str) -> Value {
        let reply = self.get(uri).await;
        assert_eq!(reply.status, status, "{uri}: {}", String::from_utf8_lossy(&reply.body));
        let body = reply.json();
        assert_eq!(body["error"]["code"], code, "{uri}: {body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{uri}: {body}");
        body
    }
}
