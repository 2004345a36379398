//! Every route over HTTP: successes, bad parameters (400 naming the
//! parameter), health, metrics, status, and data_scheduler down (503).
use protobuf::v1::{SessionKey, SessionType, SyncKind, SyncOutcome, SyncRunFilter};

use crate::support::{TestApp, recorded_root};

#[tokio::test]
async fn bad_parameters_answer_400_naming_the_parameter() {
    let app = TestApp::start(recorded_root()).await;
    let cases = [
        ("/fetcher/v1/fetch/rounds?season=abc", "season"),
        ("/fetcher/v1/fetch/rounds", "season"),
        ("/fetcher/v1/fetch/rounds?season=1900", "season"),
        ("/fetcher/v1/fetch/results?season=2024&round=0", "round"),
        ("/fetcher/v1/fetch/results?season=2024&round=5&session=warmup", "session"),
        ("/fetcher/v1/fetch/results?season=2024&round=5&sesion=race", "sesion"),
        ("/fetcher/v1/fetch/livetiming?season=2024&round=5", "session"),
        ("/fetcher/v1/fetch/standings?season=20x4", "season"),
        ("/fetcher/v1/fetch/seasons?from=2024&to=2020", "to"),
        ("/fetcher/v1/import/f1db?path=/definitely/not/here", "path"),
        ("/fetcher/v1/import/f1db?from=abc", "from"),
    ];
    for (url, field) in cases {
        let (status, body) = app.post(url).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{url}");
        let message = body["error"]["message"].as_str().unwrap();
        let route = url.split('?').next().unwrap();
        assert!(message.contains(&format!("invalid {field}")) && message.contains(route), "{url}: {message}");
    }
    assert!(app.replay.requests().is_empty(), "no upstream request for a bad parameter");
    // A round the calendar does not have is a bad parameter too, found upstream.
    let (status, body) = app.post("/fetcher/v1/fetch/results?season=2024&round=25").await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("no round 25"), "{body}");
}

#[tokio::test]
async fn health_metrics_and_status() {
    let app = TestApp::start(recorded_root()).await;
    assert_eq!(app.get("/health").await.0, 200);
    let (status, ready) = app.get("/health/ready").await;
    assert_eq!((status, ready["checks"]["data_scheduler"]["status"].as_str()), (200, Some("ok")), "{ready}");
    assert_eq!(app.get("/metrics").await.0, 200);
    let (status, _) = app.post("/fetcher/v1/fetch/results?season=2024&round=12&session=race").await;
    assert_eq!(status, 200);
    let (status, body) = app.get("/fetcher/v1/status").await;
    assert_eq!(status, 200);
    assert!(body["sources"]["jolpica"]["last_success"].is_i64(), "{body}");
    assert!(body["sources"]["jolpica"]["base_url"].as_str().unwrap().starts_with("http://127.0.0.1:"));
    assert!(body["sources"]["f1db"]["last_success"].is_null());
    assert!(body["kinds"]["results"]["success"].as_bool().unwrap());
    assert_eq!(body["data_scheduler"]["status"], "ok");
}

#[tokio::test]
async fn data_scheduler_down_answers_503() {
    let mut app = TestApp::start(recorded_root()).await;
    app.stop_data_scheduler().await;
    let (status, body) = app.post("/fetcher/v1/fetch/results?season=2024&round=12&session=race").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "data_scheduler_unavailable");
    assert!(body["error"]["message"].as_str().unwrap().contains("/fetcher/v1/fetch/results"), "{body}");
    assert!(app.replay.requests().is_empty(), "nothing is fetched when data_scheduler is down");
    assert_eq!(app.get("/health/ready").await.0, 503);
    let (status, body) = app.get("/fetcher/v1/status").await;
    assert_eq!((status, body["data_scheduler"]["status"].as_str()), (200, Some("unavailable")), "{body}");
}

#[tokio::test]
async fn import_route_bundled_and_by_path() {
    let app = TestApp::start(recorded_root()).await;
    let (status, body) = app.post("/fetcher/v1/import/f1db?from=2024&to=2024").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["source"].as_str(), body["count"].as_i64()), (Some("f1db"), Some(1)));
    assert!(body["records"].as_i64().unwrap() > 1000);
    assert!(body["timestamp"].is_i64() && body["run_id"].is_string());
    let runs = app
        .client
        .history()
        .get_sync_runs(SyncRunFilter { kind: SyncKind::F1db as i32, ..Default::default() })
        .await
        .unwrap();
    let run = &runs.into_inner().runs[0];
    assert_eq!(
        (run.outcome, run.trigger.as_str(), run.params.as_str()),
        (SyncOutcome::Success as i32, "manual", "bundled from=2024 to=2024")
    );
    assert!(run.finished_at >= run.started_at && run.records_written > 0);
}

#[tokio::test]
async fn livetiming_route_identifies_drivers_from_the_stored_season() {
    let app = TestApp::start(recorded_root()).await;
    let url = "/fetcher/v1/fetch/livetiming?season=2023&round=4&session=sprint_qualifying";
    let (status, body) = app.post(url).await;
    assert_eq!(status, 400, "the round is not stored yet: {body}");
    app.import(2023, 2023).await;
    let (status, body) = app.post(url).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["source"].as_str(), body["count"].as_i64()), (Some("livetiming"), Some(1)));
    let key = SessionKey { season: 2023, round: 4, r#type: SessionType::SprintQualifying as i32 };
    let s = app.client.sport().get_session(key).await.unwrap().into_inner().session.unwrap();
    assert_eq!(s.results.len(), 20);
    assert!(s.results.iter().all(|r| !r.driver_id.is_empty() && !r.constructor_id.is_empty()));
    assert_eq!(s.results[0].driver_id, "charles-leclerc");
}

#[tokio::test]
async fn practice_results_come_from_formula1_and_a_changed_page_writes_nothing() {
    let app = TestApp::start(recorded_root()).await;
    app.import(2024, 2024).await;
    let url = "/fetcher/v1/fetch/results?season=2024&round=12&session=practice_1";
    let (status, body) = app.post(url).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["source"], "formula1");
    let key = SessionKey { season: 2024, round: 12, r#type: SessionType::Practice1 as i32 };
    let s = app.client.sport().get_session(key).await.unwrap().into_inner().session.unwrap();
    assert_eq!(s.results.len(), 20);
    assert!(s.results.iter().all(|r| !r.driver_id.is_empty()));

    // The site's markup changes: the results page loses its table.
    let page = app.root().join("formula1/en/results/2024/races/1240/great-britain/practice/1.html");
    let changed = app.root().join("formula1/changed/en/results/2024/races/1240/great-britain/practice/1.html");
    std::fs::copy(changed, page).unwrap();
    let before = app.snapshot().await;
    let (status, body) = app.post(url).await;
    assert_eq!(status, 502, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("practice/1"), "{body}");
    assert_eq!(app.snapshot().await, before);
}
