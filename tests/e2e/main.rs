//! End to end: the real `wibm` binary, started on free ports with a
//! temporary data directory and every upstream pointed at a local replay
//! server. It imports a bundled f1db season on first start, syncs a round it
//! does not have from recorded Jolpica answers through the gateway (as an
//! admin), shows it in the API and on the website, keeps it across a
//! restart, refuses anonymous and viewer writes, and stops cleanly on SIGTERM.

mod cli;
mod errors;
mod internal;
mod live;
mod mongodb;
mod ratelimit;
mod replicas;
mod resume;
mod shutdown;
mod stack;

use std::time::Duration;

use serde_json::Value;
use stack::{ADMIN_EMAIL, ADMIN_PASSWORD, Stack};
use testkit::replay::ReplayServer;

async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    // The first admin is created in the background at start-up: poll for it.
    testkit::wait::until("a successful login", Duration::from_secs(60), || async {
        let resp = http
            .post(format!("{base}/auth/v1/login"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .ok()?;
        if !resp.status().is_success() {
            return None;
        }
        let body: Value = resp.json().await.ok()?;
        body["access_token"].as_str().map(str::to_string)
    })
    .await
}

#[tokio::test]
async fn the_whole_stack_on_one_machine() {
    let replay = ReplayServer::start(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jolpica")).await;
    let data = tempfile::tempdir().unwrap();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();

    let mut stack = Stack::start(data.path(), &replay.url()).await;
    let base = stack.url.clone();

    // The bundled data was imported on first start.
    let seasons: Value = http.get(format!("{base}/content/v1/seasons")).send().await.unwrap().json().await.unwrap();
    let years: Vec<i64> =
        seasons["result"]["seasons"].as_array().unwrap().iter().map(|s| s["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [2023], "only the configured season was imported: {seasons}");
    let home = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(html.contains("2023"), "the home page shows the latest season");
    let ready: Value = http.get(format!("{base}/health/ready")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["status"], "ok", "{ready}");
    for service in ["website_front", "content_api", "fetcher_service", "scheduler_api", "auth_api"] {
        assert_eq!(ready["checks"][service]["status"], "ok", "{service}: {ready}");
    }

    // Writes need an admin: anonymous gets 401 through the gateway.
    let sync = format!("{base}/fetcher/v1/fetch/rounds?season=2022&round=2");
    assert_eq!(http.post(&sync).send().await.unwrap().status(), 401);
    let seasons_sync = format!("{base}/fetcher/v1/fetch/seasons?from=2022&to=2022");
    assert_eq!(http.post(&seasons_sync).send().await.unwrap().status(), 401);
    assert_eq!(http.post(format!("{base}/scheduler/v1/trigger/seasons")).send().await.unwrap().status(), 401);

    // Around the gateway: the services' own loopback ports refuse the same writes.
    internal::direct_calls_are_refused(&http, stack.pid(), stack.port()).await;
    internal::grpc_calls_are_refused(stack.pid(), stack.port()).await;

    // A viewer is refused the trigger (403); an admin gets through.
    let admin = login(&http, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let created = http
        .post(format!("{base}/auth/v1/users"))
        .bearer_auth(&admin)
        .json(
            &serde_json::json!({ "email": "fan@example.com", "password": "a long viewer password", "role": "viewer" }),
        )
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "creating a viewer: {}", created.text().await.unwrap());
    let viewer = login(&http, &base, "fan@example.com", "a long viewer password").await;
    let refused = http.post(format!("{base}/scheduler/v1/trigger/seasons")).bearer_auth(&viewer).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(http.post(&sync).bearer_auth(&viewer).send().await.unwrap().status(), 403);

    // Every malformed request, to every service, is answered in the one JSON error body.
    errors::every_service_answers_json(&http, &base, &admin).await;

    // The admin syncs a round the store does not have, from the replay server.
    let synced = http.post(&sync).bearer_auth(&admin).send().await.unwrap();
    let status = synced.status();
    let body: Value = synced.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert!(replay.count("/ergast/f1/2022/2/results.json") >= 1, "the fetcher asked the replay server");

    // The admin's manual trigger goes gateway -> scheduler_api -> fetcher,
    // each hop with the internal credential.
    let before = replay.count("/ergast/f1/2022/2/results.json");
    let triggered =
        http.post(format!("{base}/scheduler/v1/trigger/rounds?season=2022&round=2")).bearer_auth(&admin).send().await;
    let triggered = triggered.unwrap();
    let status = triggered.status();
    let run: Value = triggered.json().await.unwrap();
    assert_eq!(status, 200, "{run}");
    assert_eq!(replay.count("/ergast/f1/2022/2/results.json"), before + 1, "the trigger reached the fetcher");

    let round: Value =
        http.get(format!("{base}/content/v1/seasons/2022/rounds/2")).send().await.unwrap().json().await.unwrap();
    assert_eq!(round["result"]["name"], "Saudi Arabian Grand Prix", "{round}");
    let race = round["result"]["sessions"].as_array().unwrap().iter().find(|s| s["type"] == "race").unwrap();
    assert_eq!(race["results"][0]["driver_name"], "Max Verstappen");
    let page = http.get(format!("{base}/seasons/2022/rounds/2")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Saudi Arabian Grand Prix") && page.contains("Verstappen"));

    // `wibm sync` with an admin's API key goes through the same gateway.
    let key: Value = http
        .post(format!("{base}/auth/v1/api-keys"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({ "name": "e2e" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api_key = key["key"].as_str().expect("the key is shown once").to_string();
    let before = replay.count("/ergast/f1/2022/2/results.json");
    // Async: the replay server runs on this test's runtime.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_wibm"))
        .args(["sync", "results", "--season", "2022", "--round", "2", "--session", "race"])
        .env("WIBM_URL", &base)
        .env("WIBM_API_KEY", &api_key)
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "wibm sync: {}", String::from_utf8_lossy(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["success"], true, "{printed}");
    assert_eq!(replay.count("/ergast/f1/2022/2/results.json"), before + 1);

    // A restart keeps the data (and does not import again).
    stack.stop().await;
    let mut stack = Stack::start(data.path(), &replay.url()).await;
    let again = http.get(format!("{}/content/v1/seasons/2022/rounds/2", stack.url)).send().await.unwrap();
    assert_eq!(again.status(), 200);

    // SIGTERM stops everything and leaves no process behind.
    stack.stop().await;
}
