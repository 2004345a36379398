//! `POST /fetcher/v1/fetch/weekend` over the RECONSTRUCTED formula1.com
//! pages of `testdata/formula1` (see its README): the circuit map lands in
//! the store, stored data is filled and never blanked, and a changed page
//! or a failed image download writes nothing.
use protobuf::domain::utc_instant;
use protobuf::v1::{
    Circuit, IdKey, Round, RoundFormat, RoundKey, SessionType, SyncKind, SyncOutcome, SyncRunFilter, WriteBatchRequest,
};
use testkit::replay::Fault;

use crate::support::{TestApp, recorded_root, testdata};

const CHINA: &str = "/fetcher/v1/fetch/weekend?season=2024&round=5";
const SHANGHAI_MAP: &str =
    "/formula1/media/image/upload/c_fit,h_704/q_auto/v1740000000/common/f1/2024/track/2024trackshanghaidetailed.png";

async fn round(app: &TestApp, n: i32) -> Round {
    let key = RoundKey { season: 2024, round: n };
    app.client.sport().get_round(key).await.unwrap().into_inner().round.unwrap()
}

async fn circuit(app: &TestApp, id: &str) -> Circuit {
    app.client.sport().get_circuit(IdKey { id: id.into() }).await.unwrap().into_inner().circuit.unwrap()
}

/// Whether an image is stored for circuit `id`.
async fn has_stored_image(app: &TestApp, id: &str) -> bool {
    match app.client.sport().get_circuit_image(IdKey { id: id.into() }).await {
        Ok(_) => true,
        Err(status) if status.code() == tonic::Code::NotFound => false,
        Err(status) => panic!("{status}"),
    }
}

async fn last_weekend_run(app: &TestApp) -> protobuf::v1::SyncRun {
    let runs = app
        .client
        .history()
        .get_sync_runs(SyncRunFilter { kind: SyncKind::Weekend as i32, ..Default::default() })
        .await
        .unwrap();
    runs.into_inner().runs.into_iter().next().expect("a weekend sync run")
}

#[tokio::test]
async fn a_sprint_weekend_stores_the_circuit_map_and_fills_without_blanking() {
    let app = TestApp::start(recorded_root()).await;
    app.import(2024, 2024).await;
    // Leave gaps for formula1.com to fill: no laps on the round, no start
    // time for the sprint qualifying.
    let imported = round(&app, 5).await;
    let mut sq = imported.sessions.iter().find(|s| s.r#type == SessionType::SprintQualifying as i32).unwrap().clone();
    sq.start_time = None;
    let gaps = Round { laps: 0, sessions: vec![], circuit: None, ..imported.clone() };
    app.client
        .sport()
        .write_batch(WriteBatchRequest { rounds: vec![gaps], sessions: vec![sq], ..Default::default() })
        .await
        .unwrap();
    let before = round(&app, 5).await;
    assert_eq!(before.laps, 0);
    assert!(!circuit(&app, "shanghai").await.has_image);

    let (status, body) = app.post(CHINA).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["success"].as_bool(), body["source"].as_str(), body["count"].as_i64()),
        (Some(true), Some("formula1"), Some(1))
    );
    assert_eq!(body["counts"]["circuit_images"], 1, "{body}");

    // The map, downloaded from the media origin and stored for the round's circuit.
    let image = app.client.sport().get_circuit_image(IdKey { id: "shanghai".into() }).await.unwrap();
    let image = image.into_inner().image.unwrap();
    let fixture = std::fs::read(testdata().join(SHANGHAI_MAP.trim_start_matches('/'))).unwrap();
    assert_eq!((image.content_type.as_str(), &image.data), ("image/png", &fixture));
    assert!(
        image.source_url.starts_with("https://media.formula1.com/")
            && image.source_url.ends_with("2024trackshanghaidetailed.png")
    );
    assert_eq!(app.replay.count(SHANGHAI_MAP), 1);
    let shanghai = circuit(&app, "shanghai").await;
    assert!(shanghai.has_image);
    assert_eq!((shanghai.race_laps, shanghai.length_km), (56, 5.451));
    assert_eq!(shanghai.full_name, "Shanghai International Circuit", "stored facts are kept");

    // Stored names, ids and results are kept; the gaps are filled.
    let after = round(&app, 5).await;
    assert_eq!(
        (&after.name, &after.official_name, &after.grand_prix_id),
        (&before.name, &before.official_name, &before.grand_prix_id)
    );
    assert_eq!((after.circuit_id.as_str(), after.format), ("shanghai", RoundFormat::Sprint as i32));
    assert_eq!(after.laps, 56);
    assert_eq!(after.sessions.len(), before.sessions.len());
    for (a, b) in after.sessions.iter().zip(&before.sessions) {
        assert_eq!((a.r#type, &a.results, a.status), (b.r#type, &b.results, b.status), "session {}", a.r#type);
        assert!(a.start_time.is_some(), "session {} has a start", a.r#type);
        if b.start_time.is_some() {
            assert_eq!(a.start_time, b.start_time, "a stored start is kept");
        }
    }
    let sq = after.sessions.iter().find(|s| s.r#type == SessionType::SprintQualifying as i32).unwrap();
    assert_eq!(sq.start_time, utc_instant("2024-04-19", "07:30"), "15:30 in Shanghai, from formula1.com");
    assert!(after.sessions.iter().find(|s| s.r#type == SessionType::Race as i32).unwrap().results.len() >= 20);

    // Recorded, reported, and idempotent.
    let run = last_weekend_run(&app).await;
    assert_eq!(
        (run.outcome, run.source.as_str(), run.params.as_str()),
        (SyncOutcome::Success as i32, "formula1", "season=2024 round=5")
    );
    let (_, status) = app.get("/fetcher/v1/status").await;
    assert_eq!(
        (status["kinds"]["weekend"]["success"].as_bool(), status["kinds"]["weekend"]["source"].as_str()),
        (Some(true), Some("formula1")),
        "{status}"
    );
    let once = app.snapshot().await;
    assert_eq!(app.post(CHINA).await.0, 200);
    assert_eq!(app.snapshot().await, once, "a second run changes nothing");
}

#[tokio::test]
async fn a_round_not_stored_yet_is_built_from_the_page_on_a_stored_circuit() {
    let app = TestApp::start(recorded_root()).await;
    // No circuit named like the page's location: nothing to hang the round on.
    let before = app.snapshot().await;
    let (status, body) = app.post(CHINA).await;
    assert_eq!(status, 400, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("invalid round") && message.contains("Shanghai International Circuit"), "{message}");
    assert_eq!(app.snapshot().await, before);
    assert!(!has_stored_image(&app, "shanghai").await);

    let shanghai = Circuit {
        id: "shanghai".into(),
        name: "Shanghai".into(),
        full_name: "Shanghai International Circuit".into(),
        ..Default::default()
    };
    app.client.sport().write_batch(WriteBatchRequest { circuits: vec![shanghai], ..Default::default() }).await.unwrap();
    let (status, body) = app.post(CHINA).await;
    assert_eq!(status, 200, "{body}");
    let r = round(&app, 5).await;
    assert_eq!((r.circuit_id.as_str(), r.format, r.laps), ("shanghai", RoundFormat::Sprint as i32, 56));
    assert_eq!(
        (r.first_date.as_str(), r.end_date.as_str(), r.date.as_str()),
        ("2024-04-19", "2024-04-21", "2024-04-21")
    );
    let types: Vec<i32> = r.sessions.iter().map(|s| s.r#type).collect();
    let expected = [
        SessionType::Practice1,
        SessionType::SprintQualifying,
        SessionType::Sprint,
        SessionType::Qualifying,
        SessionType::Race,
    ];
    assert_eq!(types, expected.map(|t| t as i32));
    assert!(r.sessions.iter().all(|s| s.start_time.is_some()));
    let c = circuit(&app, "shanghai").await;
    assert!(c.has_image && c.race_laps == 56, "{c:?}");
}

#[tokio::test]
async fn a_weekend_page_without_json_ld_answers_502_and_writes_nothing() {
    let app = TestApp::start(recorded_root()).await;
    app.import(2024, 2024).await;
    let page = app.root().join("formula1/en/racing/2024/great-britain.html");
    std::fs::copy(app.root().join("formula1/changed/en/racing/2024/great-britain.html"), page).unwrap();
    let before = app.snapshot().await;
    let (status, body) = app.post("/fetcher/v1/fetch/weekend?season=2024&round=12").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "upstream_invalid");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("/en/racing/2024/great-britain") && message.contains("ld+json"), "{message}");
    assert_eq!(app.snapshot().await, before);
    assert!(!has_stored_image(&app, "silverstone").await);
    assert_eq!(app.replay.count("/formula1/media/"), 0, "no image is fetched for a page that failed");
    let run = last_weekend_run(&app).await;
    assert_eq!(run.outcome, SyncOutcome::Failed as i32);
    assert!(run.error.contains("/en/racing/2024/great-britain"), "{}", run.error);
}

#[tokio::test]
async fn a_failing_image_download_is_retried_then_writes_nothing() {
    let app = TestApp::start(recorded_root()).await;
    app.import(2024, 2024).await;
    app.replay.inject("/formula1/media/", Fault::status(503));
    let before = app.snapshot().await;
    let (status, body) = app.post(CHINA).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "upstream_failed");
    assert!(body["error"]["message"].as_str().unwrap().contains("2024trackshanghaidetailed.png"), "{body}");
    assert_eq!(app.replay.count(SHANGHAI_MAP), 3, "the media client retries like the others");
    assert_eq!(app.snapshot().await, before, "the round and circuit are not written without the image");
    assert!(!has_stored_image(&app, "shanghai").await);
}

#[tokio::test]
async fn bad_parameters_answer_400_without_fetching() {
    let app = TestApp::start(recorded_root()).await;
    let cases = [
        ("/fetcher/v1/fetch/weekend?season=2024&round=0", "round"),
        ("/fetcher/v1/fetch/weekend?season=2024", "round"),
        ("/fetcher/v1/fetch/weekend?season=abc&round=5", "season"),
        ("/fetcher/v1/fetch/weekend?season=2024&round=5&session=race", "session"),
    ];
    for (url, field) in cases {
        let (status, body) = app.post(url).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{url}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("invalid {field}")) && message.contains("/fetcher/v1/fetch/weekend"),
            "{url}: {message}"
        );
    }
    assert!(app.replay.requests().is_empty(), "no upstream request for a bad parameter");
    // A round the season page does not list is a bad parameter, found upstream.
    let (status, body) = app.post("/fetcher/v1/fetch/weekend?season=2024&round=25").await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("not round 25"), "{body}");
}
