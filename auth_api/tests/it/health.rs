//! `/health`, `/health/ready` (data_scheduler reachable), `/metrics`.
use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn readiness_follows_data_scheduler() {
    let app = TestApp::start().await;
    assert_eq!(app.get("/health", None).await.status, StatusCode::OK);
    let ready = app.get("/health/ready", None).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.body["checks"]["data_scheduler"]["status"], "ok");

    let TestApp { ds, router, state, clock } = app;
    let _dir = ds.stop().await;
    let app = TestApp { ds: testkit::data_scheduler::TestDataScheduler::start().await, router, state, clock };
    // The state still points at the stopped data_scheduler.
    let down = app.get("/health/ready", None).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE, "{}", down.body);
    assert_eq!(down.body["checks"]["data_scheduler"]["status"], "unavailable");
    // Logins fail closed with 503 and an opaque message.
    let login = app.login_answer("max@example.com", "whatever password").await;
    assert_eq!(login.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(login.body["error"]["request_id"].is_string());
}

#[tokio::test]
async fn metrics_are_served() {
    let app = TestApp::start().await;
    let answer = app.get("/metrics", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.header("content-type").is_some_and(|v| v.starts_with("text/plain")));
}
