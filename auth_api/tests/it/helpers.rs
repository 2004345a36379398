//! `TestApp`: auth_api's router over a `TestDataScheduler`, with a manual
//! clock for the login limits, cheap argon2 parameters, and typed helpers.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use auth_api::domain::password::Argon2Cost;
use auth_api::domain::ratelimit::{LoginLimits, ManualClock};
use auth_api::{AppState, Role, Settings};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use data_client::Accounts;
use serde_json::{Value, json};
use testkit::data_scheduler::TestDataScheduler;
use tower::ServiceExt;

/// The signing key of every TestApp.
pub const SECRET: &str = "test-signing-key-0123456789abcdef0123456789";
pub const PASSWORD: &str = "correct horse battery staple";

/// Cheap argon2id for debug builds (production: 19 MiB, t=2; see Config).
pub fn test_settings() -> Settings {
    Settings {
        argon2: Argon2Cost { memory_kib: 256, iterations: 1, parallelism: 1 },
        login: LoginLimits {
            per_account: 5,
            per_address: 20,
            window: Duration::from_secs(60),
            ..LoginLimits::default()
        },
        ..Settings::default()
    }
}

pub struct TestApp {
    pub ds: TestDataScheduler,
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<ManualClock>,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
}

/// Access and refresh token of one login.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::with(|_| {}).await
    }

    pub async fn with(adjust: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = test_settings();
        adjust(&mut settings);
        let ds = TestDataScheduler::start().await;
        let clock = Arc::new(ManualClock::default());
        let state = AppState::new(settings, ds.client(), &SECRET.to_string().into(), clock.clone()).expect("state");
        Self { router: auth_api::router(state.clone()), state, ds, clock }
    }

    pub fn ds_client(&self) -> Accounts {
        self.ds.client().accounts()
    }

    /// Sends `req` from client address 127.0.0.1 unless it names another.
    pub async fn send(&self, mut req: Request<Body>) -> Answer {
        if req.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
            req.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        }
        let response = self.router.clone().oneshot(req).await.expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let raw = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body").to_vec();
        let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
        Answer { status, headers, body, raw }
    }

    pub async fn call(&self, method: Method, uri: &str, auth: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(token) = auth {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        let req = match body {
            Some(json) => req.header("content-type", "application/json").body(Body::from(json.to_string())),
            None => req.body(Body::empty()),
        };
        self.send(req.expect("request")).await
    }

    pub async fn post(&self, uri: &str, auth: Option<&str>, body: Value) -> Answer {
        self.call(Method::POST, uri, auth, Some(body)).await
    }

    pub async fn get(&self, uri: &str, auth: Option<&str>) -> Answer {
        self.call(Method::GET, uri, auth, None).await
    }

    /// Creates a user through the library (what the CLI does); returns its id.
    pub async fn user(&self, email: &str, role: Role) -> String {
        auth_api::create_user(&self.state, email, PASSWORD.to_string().into(), role).await.expect("create user").id
    }

    pub async fn login_answer(&self, email: &str, password: &str) -> Answer {
        self.post("/auth/v1/login", None, json!({ "email": email, "password": password })).await
    }

    pub async fn login(&self, email: &str) -> Tokens {
        let answer = self.login_answer(email, PASSWORD).await;
        assert_eq!(answer.status, StatusCode::OK, "login {email}: {}", answer.body);
        tokens(&answer)
    }

    /// A fresh admin, logged in.
    pub async fn admin(&self) -> (String, Tokens) {
        let id = self.user("admin@example.com", Role::Admin).await;
        (id, self.login("admin@example.com").await)
    }

    /// A fresh viewer, logged in.
    pub async fn viewer(&self) -> (String, Tokens) {
        let id = self.user("viewer@example.com", Role::Viewer).await;
        (id, self.login("viewer@example.com").await)
    }

    /// `GET /auth/v1/verify` as Traefik sends it.
    pub async fn verify(&self, credential: Credential<'_>, method: &str, uri: &str) -> Answer {
        let mut req =
            Request::get("/auth/v1/verify").header("x-forwarded-method", method).header("x-forwarded-uri", uri);
        req = match credential {
            Credential::None => req,
            Credential::Bearer(t) => req.header("authorization", format!("Bearer {t}")),
            Credential::ApiKey(k) => req.header("x-api-key", k),
        };
        self.send(req.body(Body::empty()).expect("request")).await
    }
}

pub enum Credential<'a> {
    None,
    Bearer(&'a str),
    ApiKey(&'a str),
}

pub fn tokens(answer: &Answer) -> Tokens {
    Tokens {
        access: answer.body["access_token"].as_str().expect("access_token").to_string(),
        refresh: answer.body["refresh_token"].as_str().expect("refresh_token").to_string(),
    }
}
