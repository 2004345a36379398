use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::config::{Millis, Secs};
use content_api::Config;
use testkit::data_scheduler::TestDataScheduler;

use crate::support::{TestApp, config, fake};

#[tokio::test]
async fn each_bad_parameter_is_named() {
    let app = TestApp::shared();
    let cases = [
        ("/content/v1/seasons/abc", "year", "`abc` is not a whole number"),
        ("/content/v1/seasons?year=abc", "year", "`abc` is not a whole number"),
        ("/content/v1/seasons/1800/rounds", "year", "1800 is outside"),
        ("/content/v1/seasons/2023/rounds/0", "round", "0 is outside 1..=255"),
        ("/content/v1/seasons/2023/rounds/256", "round", "256 is outside 1..=255"),
        ("/content/v1/seasons/2023/rounds/first", "round", "`first` is not a whole number"),
        ("/content/v1/seasons?per_page=5000", "per_page", "5000 is outside 1..=1000"),
        ("/content/v1/seasons?page=0", "page", "must be at least 1"),
        ("/content/v1/seasons?status=finished", "status", "unknown value `finished`"),
        ("/content/v1/seasons/2023/rounds/1/sessions/warmup", "type", "unknown session type `warmup`"),
        ("/content/v1/seasons/2023/drivers?after_round=0", "after_round", "0 is outside"),
        ("/content/v1/seasons/2023/constructors?after_round=x", "after_round", "`x` is not a whole number"),
        ("/content/v1/constructors/Red%20Bull", "id", "is not a valid id"),
    ];
    for (uri, parameter, message) in cases {
        let body = app.error(uri, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_eq!(body["error"]["parameter"], parameter, "{uri}: {body}");
        let text = body["error"]["message"].as_str().unwrap();
        assert!(text.starts_with(&format!("invalid {parameter}: ")), "{uri}: {text}");
        assert!(text.contains(message), "{uri}: {text}");
        assert!(body["error"].get("request_id").is_none(), "client errors carry no request id");
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json() {
    let app = TestApp::shared();
    let body = app.error("/content/v1/teams", StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body["error"]["message"], "no route for GET /content/v1/teams");
    let post =
        app.send(axum::http::Request::post("/content/v1/seasons").body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.json()["error"]["code"], "method_not_allowed");
}

fn quick() -> Config {
    Config { data_scheduler_timeout_ms: Millis::of(300), content_retry_after_secs: Secs::of(7), ..config() }
}

#[tokio::test]
async fn a_stopped_data_scheduler_is_a_503_with_retry_after() {
    let ds = TestDataScheduler::start().await;
    let url = ds.url();
    let _dir = ds.stop().await;
    let app = TestApp::on(&url, quick());
    for uri in ["/content/v1/seasons", "/content/v1/seasons/2024/rounds", "/content/v1/seasons/2024/championship"] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert_eq!(reply.header("retry-after"), "7");
        assert_eq!(reply.json()["error"]["code"], "unavailable");
        assert_eq!(reply.header("cache-control"), "no-store");
    }
}

#[tokio::test]
async fn a_silent_data_scheduler_never_hangs_a_request() {
    let app = TestApp::on(&fake::silent().await, quick());
    let started = Instant::now();
    let reply = app.get("/content/v1/seasons/2024").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.header("retry-after"), "7");
    assert!(started.elapsed() < Duration::from_secs(5), "answered after {:?}", started.elapsed());
}

#[tokio::test]
async fn a_rate_limited_data_scheduler_passes_its_delay_on() {
    let url =
        fake::answering(|| protobuf::DomainError::RateLimited { retry_after: Duration::from_secs(42) }.into()).await;
    let reply = TestApp::on(&url, quick()).get("/content/v1/seasons").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.header("retry-after"), "42");
}

#[tokio::test]
async fn internal_errors_are_opaque_and_carry_the_request_id() {
    let url = fake::answering(|| tonic::Status::internal("disk on fire at /var/lib/wibm/data.redb")).await;
    let reply = TestApp::on(&url, quick()).get("/content/v1/seasons/2024").await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    let text = String::from_utf8_lossy(&reply.body).to_string();
    assert!(!text.contains("disk") && !text.contains("redb"), "{text}");
    let body = reply.json();
    assert_eq!(body["error"]["code"], "internal");
    assert_eq!(body["error"]["message"], "internal error");
    let id = body["error"]["request_id"].as_str().expect("a request id");
    assert!(!id.is_empty());
    assert_eq!(reply.header("x-request-id"), id);
}
