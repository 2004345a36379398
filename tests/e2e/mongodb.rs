//! `wibm serve` on MongoDB (`WIBM_MONGODB_URI`; SecantusDB in CI): the first
//! start imports the bundled season into it, an admin's sync writes through
//! it, and a start with an empty data directory answers the same from it.
use std::time::Duration;

use serde_json::Value;
use testkit::replay::ReplayServer;

use crate::stack::{ADMIN_EMAIL, ADMIN_PASSWORD, Stack};

async fn get(http: &reqwest::Client, url: String) -> Value {
    let resp = http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{url}");
    resp.json().await.unwrap()
}

fn years(seasons: &Value) -> Vec<i64> {
    seasons["result"]["seasons"].as_array().unwrap().iter().map(|s| s["year"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_stack_serves_from_mongodb() {
    let Some(uri) = testkit::mongodb::uri("the_stack_serves_from_mongodb") else { return };
    let db = testkit::mongodb::database_name();
    let mongodb = [("WIBM_MONGODB_URI", uri.as_str()), ("WIBM_MONGODB_DB", db.as_str())];
    let replay = ReplayServer::start(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jolpica")).await;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();

    let data = tempfile::tempdir().unwrap();
    let mut stack = Stack::start_with(data.path(), &replay.url(), &mongodb).await;
    let base = stack.url.clone();
    assert_eq!(years(&get(&http, format!("{base}/content/v1/seasons")).await), [2023], "imported on first start");
    let ready = get(&http, format!("{base}/health/ready")).await;
    assert_eq!(ready["status"], "ok", "{ready}");

    // The first admin (created at start-up, stored in MongoDB) syncs a round.
    let admin = crate::login(&http, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let sync = format!("{base}/fetcher/v1/fetch/rounds?season=2022&round=2");
    let synced = http.post(&sync).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(synced.status(), 200, "{}", synced.text().await.unwrap());
    let round = get(&http, format!("{base}/content/v1/seasons/2022/rounds/2")).await;
    assert_eq!(round["result"]["name"], "Saudi Arabian Grand Prix", "{round}");
    stack.stop().await;
    assert!(!data.path().join(data_scheduler::store::embedded::FILE_NAME).exists(), "no embedded store was written");

    // Another data directory, the same database: everything is still there.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut stack = Stack::start_with(elsewhere.path(), &replay.url(), &mongodb).await;
    let base = stack.url.clone();
    let again = get(&http, format!("{base}/content/v1/seasons/2022/rounds/2")).await;
    assert_eq!(again["result"], round["result"], "the same round, from MongoDB");
    crate::login(&http, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    stack.stop().await;
}
