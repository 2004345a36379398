//! The reliability suite (issue 15): the probes a hostile tester ran
//! against the stack, kept so what they found cannot come back. Against the
//! real `wibm` binary on loopback: a malformed-request sweep over every route
//! of the OpenAPI document and the other services' routes (path, query,
//! method and body fuzz, oversized bodies, slow headers) and JWT forgeries.
//! In-process, from the crates' libraries: Redis and data_scheduler stopped
//! and restarted under a bounded load. Every loop is bounded; counts are
//! printed (`cargo test --test reliability -- --nocapture`).

mod forgery;
mod outage;
mod sweep;

// The e2e suite's way of running `wibm`; not every helper is used here.
#[allow(dead_code)]
#[path = "../e2e/stack.rs"]
mod stack;

use std::time::Duration;

use serde_json::Value;
use testkit::replay::ReplayServer;

use stack::{ADMIN_EMAIL, ADMIN_PASSWORD, Stack};

pub async fn login(http: &reqwest::Client, base: &str) -> String {
    // The first admin is created in the background at start-up: poll for it.
    testkit::wait::until("the admin's login", Duration::from_secs(60), || async {
        let resp = http
            .post(format!("{base}/auth/v1/login"))
            .json(&serde_json::json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD }))
            .send()
            .await
            .ok()?;
        let body: Value = resp.json().await.ok()?;
        body["access_token"].as_str().map(str::to_string)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn probes_against_the_real_binary() {
    let replay = ReplayServer::start(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jolpica")).await;
    let data = tempfile::tempdir().unwrap();
    let mut stack = Stack::start(data.path(), &replay.url()).await;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let admin = login(&http, &stack.url).await;

    // Slow headers run alongside the sweep (they take the header-read deadline).
    let slow = tokio::spawn(sweep::slow_headers(stack.url.clone()));
    let mut tally = sweep::Tally::default();
    sweep::content_routes(&http, &stack.url, &mut tally).await;
    sweep::other_routes(&http, &stack.url, &admin, &mut tally).await;
    let forged = forgery::forgeries(&http, &stack.url, &admin, data.path()).await;
    let slow = slow.await.unwrap();

    println!("reliability sweep: {tally}");
    println!("reliability forgeries: {forged} forged tokens refused");
    println!("reliability slow headers: {slow} half-sent requests closed by the server");
    tally.assert_clean();
    stack.stop().await;
}
