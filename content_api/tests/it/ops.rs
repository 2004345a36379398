use axum::http::StatusCode;
use testkit::data_scheduler::TestDataScheduler;

use crate::support::{TestApp, config};

#[tokio::test]
async fn health_and_readiness() {
    let ds = TestDataScheduler::start().await;
    let app = TestApp::on(&ds.url(), config());
    assert_eq!(app.get("/health").await.json()["status"], "ok");
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.json()["checks"]["data_scheduler"]["status"], "ok");

    let url = ds.url();
    let _dir = ds.stop().await;
    let app = TestApp::on(&url, config());
    assert_eq!(app.get("/health").await.status, StatusCode::OK, "liveness does not depend on data_scheduler");
    let down = app.get("/health/ready").await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(down.json()["checks"]["data_scheduler"]["status"], "unavailable");
    assert!(!down.header("retry-after").is_empty());
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let app = TestApp::shared();
    // The first render installs the recorder when no one else has.
    app.get("/metrics").await;
    app.get("/content/v1/seasons/2022").await;
    let text = String::from_utf8(app.get("/metrics").await.body.to_vec()).unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/content/v1/seasons/{year}\""), "{text}");
}
