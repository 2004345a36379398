//! Upstream faults: each sync ends as the fetch rules say, and a failed
//! one leaves the store exactly as it was (a full read before and after).
use std::time::{Duration, Instant};

use protobuf::v1::{SessionKey, SessionType, SyncKind, SyncOutcome, SyncRunFilter};
use testkit::replay::Fault;

use crate::support::{TestApp, recorded_root};

const RESULTS: &str = "/fetcher/v1/fetch/results?season=2024&round=12&session=race";
const UPSTREAM: &str = "/jolpica/ergast/f1/2024/12/results.json";

async fn app_with_2024() -> TestApp {
    let app = TestApp::start(recorded_root()).await;
    app.import(2024, 2024).await;
    app
}

/// The stored race of 2024 round 12: its winner and number of lines.
async fn race(app: &TestApp) -> (String, usize) {
    let key = SessionKey { season: 2024, round: 12, r#type: SessionType::Race as i32 };
    let s = app.client.sport().get_session(key).await.unwrap().into_inner().session.unwrap();
    (s.results[0].driver_id.clone(), s.results.len())
}

/// Asserts the sync failed with `status` and `code`, wrote nothing, and
/// was recorded as failed.
async fn assert_failed_cleanly(app: &TestApp, status: u16, code: &str) {
    let before = app.snapshot().await;
    let (got, body) = app.post(RESULTS).await;
    assert_eq!(got, status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("jolpica") && message.contains("/2024/12/results.json"), "{message}");
    assert_eq!(app.snapshot().await, before, "a failed sync changed the store");
    let runs = app
        .client
        .history()
        .get_sync_runs(SyncRunFilter { kind: SyncKind::Results as i32, ..Default::default() })
        .await
        .unwrap();
    let run = &runs.into_inner().runs[0];
    assert_eq!(run.outcome, SyncOutcome::Failed as i32);
    assert!(run.error.contains("/2024/12/results.json"), "{}", run.error);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_the_sync_succeeds() {
    let app = app_with_2024().await;
    app.replay.inject(UPSTREAM, Fault::status(429).retry_after(1).times(1));
    let started = Instant::now();
    let (status, body) = app.post(RESULTS).await;
    assert_eq!(status, 200, "{body}");
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After ignored: {:?}", started.elapsed());
    assert_eq!(app.replay.count(UPSTREAM), 2);
    assert_eq!(race(&app).await, ("lewis-hamilton".to_string(), 20));
}

#[tokio::test]
async fn two_500s_are_retried_then_the_sync_succeeds() {
    let app = app_with_2024().await;
    app.replay.inject(UPSTREAM, Fault::status(500).times(2));
    let (status, body) = app.post(RESULTS).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["count"], 1);
    assert_eq!(app.replay.count(UPSTREAM), 3);
    assert_eq!(race(&app).await.1, 20);
}

#[tokio::test]
async fn a_500_forever_fails_after_three_attempts_and_writes_nothing() {
    let app = app_with_2024().await;
    app.replay.inject(UPSTREAM, Fault::status(500));
    assert_failed_cleanly(&app, 502, "upstream_failed").await;
    assert_eq!(app.replay.count(UPSTREAM), 3);
}

#[tokio::test]
async fn a_timeout_fails_and_writes_nothing() {
    let app = app_with_2024().await;
    app.replay.inject(UPSTREAM, Fault::delay(Duration::from_secs(30)));
    assert_failed_cleanly(&app, 502, "upstream_timeout").await;
    assert_eq!(app.replay.count(UPSTREAM), 3);
}

#[tokio::test]
async fn truncated_json_fails_and_writes_nothing() {
    let app = app_with_2024().await;
    app.replay.inject(UPSTREAM, Fault::truncate());
    assert_failed_cleanly(&app, 502, "upstream_invalid").await;
}

#[tokio::test]
async fn a_failure_late_in_a_season_sync_writes_nothing_at_all() {
    // The calendar and the first rounds answer; one late round fails.
    let app = TestApp::start(crate::support::reconstructed_root(2024)).await;
    app.import(2024, 2024).await;
    app.replay.inject("/jolpica/ergast/f1/2024/20/", Fault::status(503));
    let before = app.snapshot().await;
    let (status, body) = app.post("/fetcher/v1/fetch/rounds?season=2024").await;
    assert_eq!(status, 502, "{body}");
    assert!(app.replay.count("/jolpica/ergast/f1/2024/19/") > 0, "earlier rounds were fetched");
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_livetiming_session_whose_stream_is_missing_writes_nothing() {
    let app = TestApp::start(recorded_root()).await;
    app.import(2023, 2023).await;
    let stream =
        "/livetiming/static/2023/2023-04-30_Azerbaijan_Grand_Prix/2023-04-29_Sprint_Shootout/TimingData.jsonStream";
    app.replay.inject(stream, Fault::status(404));
    let before = app.snapshot().await;
    let (status, body) = app.post("/fetcher/v1/fetch/livetiming?season=2023&round=4&session=sprint_qualifying").await;
    assert_eq!(status, 502, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("TimingData.jsonStream"), "{body}");
    assert_eq!(app.snapshot().await, before);
}
