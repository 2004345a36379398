//! The optional per-client limits of a public deployment, through the real
//! `wibm` binary's gateway with Jolpica's numbers (4 a second, 500 an
//! hour): a client past its burst gets `429` with `Retry-After` and the
//! `RateLimit-*` headers; a forged `X-Forwarded-For` does not make a new
//! client; a viewer's API key is its own client; an admin's key, the
//! website's own requests and `/health` are not limited; after the wait the
//! client is served again.
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::replay::ReplayServer;

use crate::login;
use crate::stack::{ADMIN_EMAIL, ADMIN_PASSWORD, Stack};

const URL: &str = "/ergast/f1/2023/22/results.json";

/// Requests `url` `n` times; the statuses.
async fn burst(
    http: &reqwest::Client,
    url: &str,
    n: usize,
    add: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> Vec<StatusCode> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(add(http.get(url)).send().await.unwrap().status());
    }
    out
}

async fn key_for(http: &reqwest::Client, base: &str, admin: &str, user: Option<&str>) -> String {
    let body = match user {
        Some(id) => json!({ "name": "limits", "user_id": id }),
        None => json!({ "name": "limits" }),
    };
    let res = http.post(format!("{base}/auth/v1/api-keys")).bearer_auth(admin).json(&body).send().await.unwrap();
    let created: Value = res.json().await.unwrap();
    created["key"].as_str().unwrap_or_else(|| panic!("a key: {created}")).to_string()
}

#[tokio::test]
async fn per_client_limits_for_a_public_deployment() {
    let replay = ReplayServer::start(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jolpica")).await;
    let data = tempfile::tempdir().unwrap();
    let env = [("WIBM_CONTENT_RATE_PER_SECOND", "4"), ("WIBM_CONTENT_RATE_PER_HOUR", "500")];
    let stack = Stack::start_with(data.path(), &replay.url(), &env).await;
    let base = stack.url.clone();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    // Credentials first (auth_api's own routes are not limited here).
    let admin = login(&http, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let admin_key = key_for(&http, &base, &admin, None).await;
    let viewer: Value = http
        .post(format!("{base}/auth/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "limited@example.com", "password": "a long viewer password", "role": "viewer" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let viewer_key = key_for(&http, &base, &admin, viewer["id"].as_str()).await;
    // The stack's start-up probe used this address's bucket: let it refill.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let url = format!("{base}{URL}");
    let first = http.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["ratelimit-limit"], "4");
    assert_eq!(first.headers()["ratelimit-remaining"], "3");
    assert_eq!(first.headers()["ratelimit-policy"], "4;w=1, 500;w=3600");
    let statuses = burst(&http, &url, 3, |r| r).await;
    assert_eq!(statuses, [200, 200, 200]);
    let refused = http.get(&url).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(retry, 1, "4/s: one more in 250 ms, rounded up to whole seconds");
    assert_eq!(refused.headers()["ratelimit-remaining"], "0");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited", "{body}");

    // Another path under the same client shares the bucket; a forged
    // X-Forwarded-For is not believed (only our own proxy's is).
    let forged =
        burst(&http, &format!("{base}/content/v1/seasons"), 2, |r| r.header("x-forwarded-for", "203.0.113.9")).await;
    assert_eq!(forged, [429, 429]);
    // Not limited: health, the website's pages (its own requests carry the
    // internal credential), an admin's key.
    assert_eq!(http.get(format!("{base}/health")).send().await.unwrap().status(), 200);
    assert_eq!(burst(&http, &format!("{base}/seasons/2023"), 6, |r| r).await, [200; 6]);
    let admin_runs = burst(&http, &url, 10, |r| r.header("x-api-key", &admin_key)).await;
    assert_eq!(admin_runs, [200; 10], "an admin's key is not limited");
    // A viewer's key is a client of its own, limited like any other.
    let viewer_runs = burst(&http, &url, 5, |r| r.header("x-api-key", &viewer_key)).await;
    assert_eq!(viewer_runs, [200, 200, 200, 200, 429]);
    let bearer_runs = burst(&http, &url, 1, |r| r.bearer_auth(&viewer_key)).await;
    assert_eq!(bearer_runs, [429], "the same key as a bearer token is the same client");

    // After the wait, served again.
    tokio::time::sleep(Duration::from_secs(retry)).await;
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
    drop(stack);
}
