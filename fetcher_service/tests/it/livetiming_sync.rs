//! A LiveTiming archive sync is provisional: it never replaces an official
//! classification (kept byte-identical, counted `kept_official`), and where
//! none is stored it stores the order at the flag scored by the season's
//! rules, with provisional standings, until an official sync replaces them.
//!
//! The recorded session is the 2018 Azerbaijan GP race. The recorder did not
//! fetch 2018's Index.json, so the test writes a one-meeting index naming
//! the recorded folder (its dates copied from the folder's SessionInfo).
use std::collections::HashMap;

use prost::Message;
use protobuf::v1::{
    ResultSource, ResultStatus, RoundKey, Session, SessionKey, SessionType, Standings, StandingsFilter, SyncKind,
    SyncRunFilter, WriteBatchRequest,
};
use testkit::data_scheduler::TestDataScheduler;

use crate::support::{StoreSnapshot, TestApp, testdata};

const RACE: &str = "2018-04-29_Azerbaijan_Grand_Prix";
const URL: &str = "/fetcher/v1/fetch/livetiming?season=2018&round=4&session=race";

const INDEX_2018: &str = r#"{"Year":2018,"Meetings":[{"Name":"Azerbaijan Grand Prix","Location":"Baku",
"Country":{"Name":"Azerbaijan"},"Sessions":[{"Type":"Race","Name":"Race","StartDate":"2018-04-29T16:10:00",
"EndDate":"2018-04-29T18:10:00","GmtOffset":"04:00:00","Path":"2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race/"}]}]}"#;

/// The recorded race under a written 2018 index.
fn root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let season = dir.path().join("livetiming/static/2018");
    std::fs::create_dir_all(&season).unwrap();
    std::fs::write(season.join("Index.json"), INDEX_2018).unwrap();
    let recorded = testdata().join("livetiming/static/2018").join(RACE);
    std::os::unix::fs::symlink(recorded, season.join(RACE)).unwrap();
    dir
}

fn key() -> SessionKey {
    SessionKey { season: 2018, round: 4, r#type: SessionType::Race as i32 }
}

async fn race(app: &TestApp) -> Session {
    app.client.sport().get_session(key()).await.unwrap().into_inner().session.unwrap()
}

async fn standings_after_4(app: &TestApp) -> Standings {
    let filter = StandingsFilter { season: 2018, after_round: Some(4) };
    app.client.sport().get_standings(filter).await.unwrap().into_inner().standings.unwrap()
}

fn status(s: &Session) -> (i32, i32) {
    let p = s.provenance.unwrap_or_default();
    (p.source, p.status)
}

#[tokio::test]
async fn an_official_classification_is_kept_byte_identical() {
    let app = TestApp::start(root()).await;
    app.import(2018, 2018).await;
    let before = race(&app).await.encode_to_vec();
    let standings_before = standings_after_4(&app).await;

    let (code, body) = app.post(URL).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["counts"]["kept_official"], 2, "the race and the standings after it: {body}");

    assert_eq!(race(&app).await.encode_to_vec(), before, "the official classification is untouched");
    assert_eq!(standings_after_4(&app).await, standings_before);
    let runs = app
        .client
        .history()
        .get_sync_runs(SyncRunFilter { kind: SyncKind::Livetiming as i32, ..Default::default() })
        .await;
    assert_eq!(runs.unwrap().into_inner().runs[0].counts.get("kept_official"), Some(&2));

    // The race's lap timings (f1db has none) land next to f1db's pit stops.
    assert_eq!(body["counts"]["lap_timings"], 823, "every lap but the untimed lap 1: {body}");
    let timing = app.client.sport().get_race_timing(RoundKey { season: 2018, round: 4 }).await.unwrap();
    let timing = timing.into_inner().timing.unwrap();
    assert!(!timing.pit_stops.is_empty(), "f1db's pit stops are kept");
    let ham = timing.laps.iter().find(|l| l.lap == 10 && l.driver_id == "lewis-hamilton").unwrap();
    assert_eq!((ham.position, ham.time.as_str()), (2, "1:47.192"));
    // Stored laps are not replaced by a later archive sync.
    let (code, body) = app.post(URL).await;
    assert_eq!(code, 200, "{body}");
    assert!(body["counts"].get("lap_timings").is_none(), "{body}");
}

/// The store as an f1db import of 2018 leaves it, without the round 4
/// race's results and without standings from round 4 on.
pub(crate) async fn seed_without_round_4(app: &TestApp) -> (Session, Standings) {
    let source = TestDataScheduler::start().await;
    fetcher_service::sources::f1db::import_into(
        &source.client(),
        fetcher_service::sources::f1db::F1dbSource::Bundled,
        Some(2018),
        Some(2018),
        |_| {},
    )
    .await
    .unwrap();
    let all = StoreSnapshot::read(&source.client()).await;
    let official = all.rounds[3].sessions.iter().find(|s| s.r#type == SessionType::Race as i32).unwrap().clone();
    let official_standings = all.standings.iter().find(|s| s.round == 4).unwrap().clone();
    let mut rounds = all.rounds;
    for s in rounds[3].sessions.iter_mut().filter(|s| s.r#type == SessionType::Race as i32) {
        s.results.clear();
        s.provenance = None;
    }
    let batch = WriteBatchRequest {
        seasons: all.seasons,
        rounds,
        standings: all.standings.into_iter().filter(|s| s.round < 4).collect(),
        drivers: all.drivers,
        constructors: all.constructors,
        circuits: all.circuits,
        aliases: all.aliases,
        ..Default::default()
    };
    app.client.sport().write_batch(batch).await.unwrap();
    (official, official_standings)
}

pub(crate) fn points_by_driver(s: &Session) -> HashMap<String, f64> {
    s.results.iter().map(|r| (r.driver_id.clone(), r.points)).collect()
}

#[tokio::test]
async fn a_provisional_classification_is_scored_then_replaced_by_the_official_one() {
    let app = TestApp::start(root()).await;
    let (official, official_standings) = seed_without_round_4(&app).await;

    let (code, body) = app.post(URL).await;
    assert_eq!(code, 200, "{body}");
    assert!(body["counts"].get("kept_official").is_none(), "{body}");
    let provisional = race(&app).await;
    assert_eq!(status(&provisional), (ResultSource::LivetimingArchive as i32, ResultStatus::Provisional as i32));
    let positions: Vec<i32> = provisional.results.iter().map(|r| r.position).collect();
    assert_eq!(positions, (1..=20).collect::<Vec<_>>(), "every row has its place");
    assert_eq!(provisional.results[0].driver_id, "lewis-hamilton");
    // Scored by the 2018 rules; the order at the flag was not changed by the
    // stewards that day, so every driver has the points f1db publishes.
    assert_eq!(points_by_driver(&provisional), points_by_driver(&official));
    assert_eq!(provisional.results.iter().map(|r| r.points).sum::<f64>(), 101.0);

    // The standings after round 4: round 3's plus the provisional points.
    let after = standings_after_4(&app).await;
    assert!(after.provenance.as_ref().unwrap().is_provisional());
    let points =
        |s: &Standings| -> HashMap<String, f64> { s.drivers.iter().map(|d| (d.driver_id.clone(), d.points)).collect() };
    assert_eq!(points(&after), points(&official_standings));
    assert_eq!(after.drivers[0].driver_id, official_standings.drivers[0].driver_id);

    // A later f1db sync (official) replaces the classification and the
    // standings. (Jolpica's reconstructed 2018 calendar lacks practice
    // dates, so the official sync here is f1db's; both are official.)
    app.import(2018, 2018).await;
    let replaced = race(&app).await;
    assert_eq!(status(&replaced), (ResultSource::F1db as i32, ResultStatus::Official as i32));
    assert_eq!(replaced.results, official.results);
    let after = standings_after_4(&app).await;
    assert_eq!(after.provenance.as_ref().unwrap().source, ResultSource::F1db as i32);
    assert!(!after.provenance.as_ref().unwrap().is_provisional());
}
