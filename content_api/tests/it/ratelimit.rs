//! The optional per-client limits in content_api itself (the whole path,
//! with auth_api's key checks, is in the root e2e tests): off by default;
//! requests carrying the internal credential and no client address (the
//! website's, rendering for its viewers) are not counted; our proxy's, with
//! a client's address, count by that address; a wrong credential counts as
//! none.
use axum::http::StatusCode;

use crate::support::fixture::shared_data_scheduler;
use crate::support::{TestApp, config};

const TOKEN: &str = "internal-token-for-the-rate-limit-test-0123456789";

fn limited(per_second: u32) -> TestApp {
    let cfg = content_api::Config {
        content_rate_per_second: per_second,
        internal_token: Some(TOKEN.to_string().into()),
        // As deployed behind Traefik or the gateway.
        content_trust_forwarded_for: true,
        ..config()
    };
    TestApp::on(&format!("http://{}", shared_data_scheduler()), cfg)
}

async fn statuses(app: &TestApp, n: usize, headers: &[(&str, &str)]) -> Vec<StatusCode> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(app.get_with("/content/v1/seasons", headers).await.status);
    }
    out
}

#[tokio::test]
async fn off_unless_the_operator_sets_a_limit() {
    let app = TestApp::shared();
    assert_eq!(statuses(&app, 6, &[]).await, [StatusCode::OK; 6]);
    assert!(app.get("/content/v1/seasons").await.headers.get("ratelimit-limit").is_none());
}

#[tokio::test]
async fn our_own_services_are_not_counted() {
    let app = limited(2);
    let ours = [(common::internal::HEADER, TOKEN)];
    assert_eq!(statuses(&app, 5, &ours).await, [StatusCode::OK; 5], "the website's requests");
    let wrong = [(common::internal::HEADER, "not-the-token")];
    let got = statuses(&app, 3, &wrong).await;
    assert_eq!(
        got,
        [StatusCode::OK, StatusCode::OK, StatusCode::TOO_MANY_REQUESTS],
        "a wrong credential counts as none"
    );
    let reply = app.get("/content/v1/seasons").await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.header("retry-after"), "1");
    assert_eq!(reply.json()["error"]["code"], "rate_limited");
    assert_eq!(app.get("/health").await.status, StatusCode::OK, "only the API paths are limited");
}

/// Behind Traefik every client's request carries the credential too, with
/// the client's address: those count, each address on its own.
#[tokio::test]
async fn our_proxys_requests_count_by_the_clients_address() {
    let app = limited(2);
    let a = [(common::internal::HEADER, TOKEN), ("x-forwarded-for", "198.51.100.7")];
    let b = [(common::internal::HEADER, TOKEN), ("x-forwarded-for", "198.51.100.8")];
    let ok = StatusCode::OK;
    assert_eq!(statuses(&app, 3, &a).await, [ok, ok, StatusCode::TOO_MANY_REQUESTS]);
    assert_eq!(statuses(&app, 2, &b).await, [ok, ok], "another client");
}
