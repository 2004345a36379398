//! Secrets never reach the logs.
use std::io::Write;
use std::sync::{Arc, Mutex};

use auth_api::Role;
use axum::http::StatusCode;
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;

use crate::helpers::{PASSWORD, TestApp};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn passwords_and_tokens_are_absent_from_the_logs() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(buffer.clone())
        .with_ansi(false)
        .finish();
    // Under `cargo test` other tests run on other threads, with no
    // subscriber. With a single registered dispatcher, tracing-core lets the
    // thread that first hits a callsite decide its cached interest alone, so
    // a callsite first hit elsewhere would be silenced here too. A second
    // live dispatcher makes it combine every registered dispatcher instead.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    // The test runtime is single-threaded: everything it runs (the router,
    // data_scheduler, and the hashing threads, which carry the dispatcher)
    // logs here.
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::start().await;
    // A callsite registered while the subscriber was being installed may
    // still hold a stale interest: recompute.
    tracing::callsite::rebuild_interest_cache();

    app.user("max@example.com", Role::Viewer).await;
    let wrong = "wrong-password-that-must-not-leak";
    assert_eq!(app.login_answer("max@example.com", wrong).await.status, StatusCode::UNAUTHORIZED);
    // A password typed into the email field must not leak either.
    assert_eq!(app.login_answer("typed-password-in-email", wrong).await.status, StatusCode::UNAUTHORIZED);
    let tokens = app.login("max@example.com").await;
    let refreshed = app.post("/auth/v1/refresh", None, json!({"refresh_token": tokens.refresh})).await;
    assert_eq!(refreshed.status, StatusCode::OK);

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("/auth/v1/login") && logs.contains("login failed"), "the capture works:\n{logs}");
    for secret in [PASSWORD, wrong, "typed-password-in-email", &tokens.access, &tokens.refresh] {
        assert!(!logs.contains(secret), "{secret:?} found in the logs");
    }
    let signature = tokens.access.rsplit('.').next().unwrap();
    assert!(!logs.contains(signature));
}
