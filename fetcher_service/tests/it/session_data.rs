//! `POST /fetcher/v1/fetch/session-data`: a session's timing records from
//! the recorded archive, written with `WriteSessionData`, checked against
//! an independent reading of the recording (every patch merged directly):
//! laps per car = TimingData's final `NumberOfLaps`, stints per car =
//! TimingAppData's stint list, race control = the recorded messages.
//!
//! Baku 2018 (race) under a written one-meeting 2018 index (as in
//! `livetiming_sync.rs`); Monza 2019 (qualifying) under the recorded 2019
//! index.
use std::collections::BTreeMap;
use std::path::Path;

use fetcher_service::live::TopicState;
use fetcher_service::live::replay::Recording;
use protobuf::v1::{SessionData, SessionDataKey, SessionType, SyncKind, SyncOutcome, SyncRunFilter};
use serde_json::Value;

use crate::support::{TestApp, testdata};

const BAKU: &str = "2018-04-29_Azerbaijan_Grand_Prix";
const BAKU_RACE: &str = "/fetcher/v1/fetch/session-data?season=2018&round=4&session=race";

const INDEX_2018: &str = r#"{"Year":2018,"Meetings":[{"Name":"Azerbaijan Grand Prix","Location":"Baku",
"Country":{"Name":"Azerbaijan"},"Sessions":[{"Type":"Race","Name":"Race","StartDate":"2018-04-29T16:10:00",
"EndDate":"2018-04-29T18:10:00","GmtOffset":"04:00:00","Path":"2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race/"}]}]}"#;

/// The recorded archive with a written 2018 index (the 2019 one is recorded).
pub fn root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let stat = dir.path().join("livetiming/static");
    std::fs::create_dir_all(stat.join("2018")).unwrap();
    std::fs::write(stat.join("2018/Index.json"), INDEX_2018).unwrap();
    let recorded = testdata().join("livetiming/static");
    std::os::unix::fs::symlink(recorded.join("2018").join(BAKU), stat.join("2018").join(BAKU)).unwrap();
    std::os::unix::fs::symlink(recorded.join("2019"), stat.join("2019")).unwrap();
    dir
}

pub fn baku_race_folder() -> std::path::PathBuf {
    testdata().join("livetiming/static/2018").join(BAKU).join("2018-04-29_Race")
}

/// Every recorded patch merged directly: the state at the end.
fn merged(folder: &Path) -> TopicState {
    let recording = Recording::load(folder).unwrap();
    let mut state = TopicState::default();
    for p in &recording.patches {
        state.apply(&p.topic, p.patch.clone()).unwrap();
    }
    state
}

fn per_car(v: &Value, count: impl Fn(&Value) -> i64) -> BTreeMap<i32, i64> {
    let lines = v["Lines"].as_object().unwrap();
    lines.iter().map(|(car, line)| (car.parse().unwrap(), count(line))).filter(|(_, n)| *n > 0).collect()
}

fn counted(items: impl Iterator<Item = i32>) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for car in items {
        *out.entry(car).or_default() += 1;
    }
    out
}

pub async fn stored(app: &TestApp, season: i32, round: i32, t: SessionType) -> SessionData {
    let key = SessionDataKey { season, round, r#type: t as i32, ..Default::default() };
    let answer = app.client.sport().get_session_data(key).await.unwrap().into_inner();
    answer.data.unwrap()
}

pub async fn session_data_runs(app: &TestApp) -> Vec<protobuf::v1::SyncRun> {
    let filter = SyncRunFilter { kind: SyncKind::SessionData as i32, ..Default::default() };
    app.client.history().get_sync_runs(filter).await.unwrap().into_inner().runs
}

/// The recording's own numbers, read without the derivation.
fn check_against_recording(data: &SessionData, folder: &Path) {
    let state = merged(folder);
    let timing = state.get("TimingData").unwrap();
    let laps = per_car(timing, |l| l["NumberOfLaps"].as_i64().unwrap_or(0));
    assert_eq!(counted(data.laps.iter().map(|l| l.driver_number)), laps, "laps per car = NumberOfLaps");
    let stints = per_car(state.get("TimingAppData").unwrap(), |l| {
        l["Stints"].as_array().map(|s| s.len() as i64).or(l["Stints"].as_object().map(|s| s.len() as i64)).unwrap_or(0)
    });
    assert_eq!(counted(data.stints.iter().map(|s| s.driver_number)), stints, "stints per car");
    let messages = &state.get("RaceControlMessages").unwrap()["Messages"];
    let recorded = messages.as_array().map(Vec::len).or(messages.as_object().map(|m| m.len())).unwrap();
    assert_eq!(data.race_control.len(), recorded, "every race control message");
    let drivers = state.get("DriverList").unwrap().as_object().unwrap();
    assert_eq!(data.drivers.len(), drivers.keys().filter(|k| k.parse::<i32>().is_ok()).count());
}

#[tokio::test]
async fn a_race_is_written_whole_and_a_resync_replaces_it() {
    let app = TestApp::start(root()).await;
    app.import(2018, 2018).await;
    let (status, body) = app.post(BAKU_RACE).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["count"], 1, "{body}");
    assert_eq!(body["source"], "livetiming");

    let data = stored(&app, 2018, 4, SessionType::Race).await;
    assert_eq!((data.source.as_str(), data.complete), ("archive", true));
    assert_eq!((data.season, data.round, data.r#type), (2018, 4, SessionType::Race as i32));
    assert!(data.meeting_key > 0 && data.session_key > 0);
    check_against_recording(&data, &baku_race_folder());
    // 51 laps for the winner, Hamilton.
    assert_eq!(data.laps.iter().filter(|l| l.driver_number == 44).count(), 51);
    assert_eq!(body["counts"]["laps"].as_u64(), Some(data.laps.len() as u64), "{body}");
    assert!(body["counts"].get("replaced").is_none(), "{body}");

    // Again: the same records, the stored copy replaced whole and counted.
    let (status, again) = app.post(BAKU_RACE).await;
    assert_eq!(status, 200, "{again}");
    let total: i64 = body["records"].as_i64().unwrap();
    assert_eq!(again["counts"]["replaced"].as_i64(), Some(total), "{again}");
    assert_eq!(stored(&app, 2018, 4, SessionType::Race).await, data);

    let runs = session_data_runs(&app).await;
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().all(|r| r.outcome == SyncOutcome::Success as i32 && r.params.contains("session=race")));
}

/// A test app with `season`'s calendar that synced one session; its records.
pub async fn synced(season: i32, round: i32, t: SessionType) -> (TestApp, SessionData) {
    let app = TestApp::start(root()).await;
    app.import(season, season).await;
    let url = format!("/fetcher/v1/fetch/session-data?season={season}&round={round}&session={}", t.slug());
    let (status, body) = app.post(&url).await;
    assert_eq!(status, 200, "{body}");
    let data = stored(&app, season, round, t).await;
    (app, data)
}

#[tokio::test]
async fn a_qualifying_is_checked_against_its_recording() {
    let (_app, data) = synced(2019, 14, SessionType::Qualifying).await;
    let folder = testdata().join("livetiming/static/2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying");
    check_against_recording(&data, &folder);
    assert!(!data.weather.is_empty(), "the recording has WeatherData");
    assert!(data.starting_grid.is_empty() && data.overtakes.is_empty(), "a qualifying has neither");
}

/// A season: the sessions the archive has are synced, each recorded as its
/// own run; those it lacks are skipped and counted.
#[tokio::test]
async fn a_season_syncs_what_the_archive_has_and_counts_the_rest() {
    let app = TestApp::start(root()).await;
    app.import(2018, 2018).await;
    let calendar = app.client.calendar(2018).await.unwrap();
    let sessions: usize = calendar.iter().map(|r| r.sessions.len()).sum();
    assert!(sessions > 21, "the stored calendar lists every session");

    let (status, body) = app.post("/fetcher/v1/fetch/session-data?season=2018").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["count"], 1, "{body}");
    assert_eq!(body["counts"]["not_in_archive"].as_u64(), Some(sessions as u64 - 1), "{body}");
    assert!(body["counts"].get("failed").is_none(), "{body}");
    check_against_recording(&stored(&app, 2018, 4, SessionType::Race).await, &baku_race_folder());

    let mut params: Vec<String> = session_data_runs(&app).await.into_iter().map(|r| r.params).collect();
    params.sort();
    assert_eq!(params, ["season=2018", "season=2018 round=4 session=race"]);

    // One round: its sessions, the one the archive has synced again.
    let (status, body) = app.post("/fetcher/v1/fetch/session-data?season=2018&round=4").await;
    assert_eq!(status, 200, "{body}");
    let round_4 = calendar.iter().find(|r| r.round == 4).unwrap().sessions.len() as u64;
    assert_eq!((body["count"].as_u64(), body["counts"]["not_in_archive"].as_u64()), (Some(1), Some(round_4 - 1)));
    assert!(body["counts"]["replaced"].as_i64() > Some(0), "{body}");
}

#[tokio::test]
async fn bad_queries_name_the_field_and_the_archive_starts_in_2018() {
    let app = TestApp::start(root()).await;
    for (query, field) in [
        ("round=4&session=race", "season"),
        ("season=abc", "season"),
        ("season=2018&session=race", "round"),
        ("season=2018&round=0&session=race", "round"),
        ("season=2018&round=4&session=warmup", "session"),
        ("season=2018&rnd=4", "rnd"),
        ("season=2017&round=4&session=race", "season"),
        ("season=2010", "season"),
    ] {
        let (status, body) = app.post(&format!("/fetcher/v1/fetch/session-data?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(field), "{query}: {body}");
    }
    let (_, body) = app.post("/fetcher/v1/fetch/session-data?season=2017&round=4&session=race").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("starts in 2018"), "{body}");
}
