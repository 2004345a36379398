//! Jolpica syncs end to end: a whole season lands on the same records as
//! the f1db import, and a corrected classification replaces the old one.
use protobuf::v1::{SeasonKey, SessionKey, SessionType, StandingsFilter, SyncKind, SyncRunFilter};
use serde_json::Value;

use crate::support::{TestApp, reconstructed_root, recorded_root};

#[tokio::test]
async fn a_season_from_jolpica_matches_the_f1db_import() {
    let app = TestApp::start(reconstructed_root(2024)).await;
    let (status, body) = app.post("/fetcher/v1/fetch/rounds?season=2024").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["success"].as_bool(), body["source"].as_str(), body["count"].as_i64()),
        (Some(true), Some("jolpica"), Some(24))
    );
    let (status, body) = app.post("/fetcher/v1/fetch/standings?season=2024").await;
    assert_eq!((status, body["count"].as_i64()), (200, Some(24)), "{body}");
    let (status, body) = app.post("/fetcher/v1/fetch/seasons?from=2024&to=2024").await;
    assert_eq!(status, 200, "{body}");

    let (_, f1db) = fetcher_service::sources::f1db::load(
        fetcher_service::sources::f1db::F1dbSource::Bundled,
        Some(2024),
        Some(2024),
    )
    .unwrap();
    let f1db = &f1db[0];
    let mut c = app.client.sport();
    let rounds = c.get_rounds(SeasonKey { season: 2024 }).await.unwrap().into_inner().rounds;
    assert_eq!(rounds.len(), 24);
    for (synced, imported) in rounds.iter().zip(&f1db.rounds) {
        assert_eq!((synced.circuit_id.as_str(), synced.format), (imported.circuit_id.as_str(), imported.format));
        for t in [SessionType::Qualifying, SessionType::Sprint, SessionType::Race] {
            let pick = |r: &protobuf::v1::Round| r.sessions.iter().find(|s| s.r#type == t as i32).cloned();
            let (a, b) = (pick(synced), pick(imported));
            assert_eq!(a.is_some(), b.is_some(), "round {} {t:?}", synced.round);
            let (Some(a), Some(b)) = (a, b) else { continue };
            assert_eq!(a.start_time, b.start_time, "round {} {t:?}", synced.round);
            // Ergast qualifying has no position text: an unclassified
            // qualifier is listed at the next position there, NC in f1db.
            let racing = t != SessionType::Qualifying;
            let key = |s: &protobuf::v1::Session| -> Vec<(String, String, i32, String, f64)> {
                s.results
                    .iter()
                    .map(|r| {
                        let (p, text) = if racing { (r.position, r.position_text.clone()) } else { (0, String::new()) };
                        (r.driver_id.clone(), r.constructor_id.clone(), p, text, r.points)
                    })
                    .collect()
            };
            assert_eq!(key(&a), key(&b), "round {} {t:?}", synced.round);
        }
    }
    let season = c.get_season(SeasonKey { season: 2024 }).await.unwrap().into_inner().season.unwrap();
    assert_eq!(
        (season.champion_driver_id.as_str(), season.champion_constructor_id.as_str()),
        ("max-verstappen", "mclaren")
    );
    let last = c
        .get_standings(StandingsFilter { season: 2024, after_round: Some(24) })
        .await
        .unwrap()
        .into_inner()
        .standings
        .unwrap();
    let expected = f1db.standings.iter().find(|s| s.round == 24).unwrap();
    let stats = |s: &protobuf::v1::Standings| -> Vec<(String, f64, i32, i32, i32, i32)> {
        s.drivers.iter().map(|d| (d.driver_id.clone(), d.points, d.wins, d.podiums, d.poles, d.races)).collect()
    };
    assert_eq!(stats(&last), stats(expected));
    // Planned runs are recorded as such.
    let (status, _) = app.post_planned("/fetcher/v1/fetch/standings?season=2024").await;
    assert_eq!(status, 200);
    let runs = app
        .client
        .history()
        .get_sync_runs(SyncRunFilter { kind: SyncKind::Standings as i32, ..Default::default() })
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert_eq!(runs.iter().map(|r| r.trigger.as_str()).collect::<Vec<_>>(), ["planned", "manual"]);
}

#[tokio::test]
async fn a_corrected_classification_replaces_the_old_one() {
    let app = TestApp::start(recorded_root()).await;
    let url = "/fetcher/v1/fetch/results?season=2024&round=12&session=race";
    let (status, body) = app.post(url).await;
    assert_eq!(status, 200, "{body}");

    // The stewards disqualify the winner; the rest move up, one line fewer.
    let file = app.root().join("jolpica/ergast/f1/2024/12/results.json");
    let mut answer: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let results = answer["MRData"]["RaceTable"]["Races"][0]["Results"].as_array_mut().unwrap();
    let winner = results.remove(0);
    for (i, r) in results.iter_mut().enumerate() {
        r["position"] = (i + 1).to_string().into();
        r["positionText"] = (i + 1).to_string().into();
    }
    answer["MRData"]["total"] = "19".into();
    std::fs::write(&file, serde_json::to_vec(&answer).unwrap()).unwrap();
    let (status, body) = app.post(url).await;
    assert_eq!(status, 200, "{body}");

    let key = SessionKey { season: 2024, round: 12, r#type: SessionType::Race as i32 };
    let race = app.client.sport().get_session(key).await.unwrap().into_inner().session.unwrap();
    assert_eq!(race.results.len(), 19);
    let positions: Vec<i32> = race.results.iter().map(|r| r.position).collect();
    assert_eq!(positions, (1..=19).collect::<Vec<_>>());
    assert_eq!(race.results[0].driver_id, "max-verstappen");
    let gone = winner["Driver"]["driverId"].as_str().unwrap();
    assert_eq!(gone, "hamilton");
    assert!(race.results.iter().all(|r| r.driver_id != "lewis-hamilton"), "leftover line of the old classification");
}

#[tokio::test]
async fn missing_car_numbers_come_from_the_stored_season_or_fail() {
    let app = TestApp::start(recorded_root()).await;
    app.import(2024, 2024).await;
    let url = "/fetcher/v1/fetch/results?season=2024&round=12&session=race";
    let file = app.root().join("jolpica/ergast/f1/2024/12/results.json");
    let original: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();

    let mut answer = original.clone();
    answer["MRData"]["RaceTable"]["Races"][0]["Results"][0].as_object_mut().unwrap().remove("number");
    std::fs::write(&file, serde_json::to_vec(&answer).unwrap()).unwrap();
    let (status, body) = app.post(url).await;
    assert_eq!(status, 200, "{body}");
    let key = SessionKey { season: 2024, round: 12, r#type: SessionType::Race as i32 };
    let race = app.client.sport().get_session(key).await.unwrap().into_inner().session.unwrap();
    assert_eq!((race.results[0].driver_id.as_str(), race.results[0].driver_number), ("lewis-hamilton", 44));

    // A driver the season has never seen, without a number: nothing is written.
    let mut answer = original;
    let line = &mut answer["MRData"]["RaceTable"]["Races"][0]["Results"][5];
    line.as_object_mut().unwrap().remove("number");
    line["Driver"] = serde_json::json!({"driverId": "newcomer", "givenName": "New", "familyName": "Comer", "dateOfBirth": "2008-01-01"});
    std::fs::write(&file, serde_json::to_vec(&answer).unwrap()).unwrap();
    let before = app.snapshot().await;
    let (status, body) = app.post(url).await;
    assert_eq!(status, 502, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("Results[5].number"), "{body}");
    assert_eq!(app.snapshot().await, before);
}
