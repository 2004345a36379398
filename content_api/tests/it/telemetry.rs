//! car_data and location: read from the LiveTiming archive (a local replay
//! server holding the Imola 2024 race's `.z` streams, converted from the
//! live capture, see `fetcher_service/testdata/livetiming/SOURCES.md`) into
//! the disk cache, and served under `/openf1/v1` and `/content/v1`. Counts
//! and values are checked against the test's own decoding of the streams
//! (base64, raw DEFLATE, JSON), requests against the replay server's log.
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::http::StatusCode;
use base64::Engine;
use content_api::Config;
use content_api::config::Megabytes;
use data_client::Client;
use livetiming::openf1::SessionRecords;
use livetiming::wire::{Head, Link, Source, to_wire};
use protobuf::v1::SessionType;
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;
use testkit::replay::{Fault, ReplayServer, assert_loopback};

use crate::support::{TestApp, config};

const MEETING: i64 = 1235;
const IMOLA: i64 = 9515;
/// The same streams under another key and folder (for the cache's bound).
const TWIN: i64 = 9516;
/// A session recorded live, not complete yet.
const LIVE: i64 = 9517;
/// A stored session the archive does not list.
const UNLISTED: i64 = 9518;
const RACE_FOLDER: &str = "2024/2024-05-19_Emilia_Romagna_Grand_Prix/2024-05-19_Race/";
const TWIN_FOLDER: &str = "2024/2024-05-19_Emilia_Romagna_Grand_Prix/2024-05-19_Twin/";

fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fetcher_service/testdata").join(rel)
}

/// The test's own decoding of one of the race's `.z` streams: each line's
/// payload after its 12-character stamp, base64, raw DEFLATE, JSON.
fn decoded(topic: &str) -> Vec<Value> {
    let file = testdata(&format!("livetiming/static/{RACE_FOLDER}{topic}.jsonStream"));
    let text = std::fs::read_to_string(file).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| l.len() > 12)
        .map(|l| {
            let payload: String = serde_json::from_str(&l[12..]).unwrap();
            let bytes = base64::engine::general_purpose::STANDARD.decode(payload).unwrap();
            let mut json = String::new();
            flate2::read::DeflateDecoder::new(bytes.as_slice()).read_to_string(&mut json).unwrap();
            serde_json::from_str(&json).unwrap()
        })
        .collect()
}

/// Car `car`'s CarData entries: (Utc, channels).
fn car_samples(car: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for payload in decoded("CarData.z") {
        for entry in payload["Entries"].as_array().unwrap() {
            if let Some(c) = entry["Cars"].get(car) {
                out.push((entry["Utc"].as_str().unwrap().to_string(), c["Channels"].clone()));
            }
        }
    }
    out
}

/// Car `car`'s Position samples: (Timestamp, X, Y, Z).
fn place_samples(car: &str) -> Vec<(String, i64, i64, i64)> {
    let mut out = Vec::new();
    for payload in decoded("Position.z") {
        for sample in payload["Position"].as_array().unwrap() {
            if let Some(at) = sample["Entries"].get(car) {
                let axis = |a: &str| at[a].as_i64().unwrap();
                out.push((sample["Timestamp"].as_str().unwrap().to_string(), axis("X"), axis("Y"), axis("Z")));
            }
        }
    }
    out
}

/// Every sample of the race's CarData.
fn all_car_samples() -> usize {
    decoded("CarData.z")
        .iter()
        .flat_map(|p| p["Entries"].as_array().unwrap().clone())
        .map(|e| e["Cars"].as_object().unwrap().len())
        .sum()
}

/// A date as an instant to the microsecond (OpenF1's precision; the feed
/// writes tenths of a microsecond), for comparing records with the feed.
fn instant(text: &str) -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&chrono::Utc).trunc_subsecs(6)
}

/// The archive: the race's folder, its twin (the same files) and an
/// Index.json listing both (and the live session), served locally.
async fn archive() -> (ReplayServer, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let race = testdata(&format!("livetiming/static/{RACE_FOLDER}"));
    for folder in [RACE_FOLDER, TWIN_FOLDER] {
        let to = root.path().join("static").join(folder);
        std::fs::create_dir_all(&to).unwrap();
        for topic in ["CarData.z", "Position.z"] {
            let file = format!("{topic}.jsonStream");
            std::fs::copy(race.join(&file), to.join(&file)).unwrap();
        }
    }
    let session = |key: i64, name: &str, folder: &str| {
        serde_json::json!({"Key": key, "Type": "Race", "Name": name, "StartDate": "2024-05-19T15:00:00",
            "GmtOffset": "02:00:00", "Path": folder})
    };
    let index = serde_json::json!({"Year": 2024, "Meetings": [{"Key": MEETING, "Name": "Emilia Romagna Grand Prix",
        "Sessions": [session(IMOLA, "Race", RACE_FOLDER), session(TWIN, "Twin", TWIN_FOLDER),
            session(LIVE, "Live", RACE_FOLDER)]}]});
    std::fs::write(root.path().join("static/2024/Index.json"), index.to_string()).unwrap();
    let server = ReplayServer::start(root.path()).await;
    assert_loopback(&server.url());
    (server, root)
}

/// The race's records (SessionInfo alone: the session and its meeting)
/// under `key`, stored as our 2024 round 7 session `t`.
async fn store(client: &Client, key: i64, t: SessionType, source: Source, complete: bool) {
    let mut records: SessionRecords =
        livetiming::openf1::derive_folder(&testdata(&format!("livetiming/static/{RACE_FOLDER}"))).unwrap();
    records.session.as_mut().unwrap().session_key = key;
    let link = Some(Link { season: 2024, round: 7, session_type: t });
    let head = Head { meeting_key: MEETING, session_key: key, link, source, complete };
    client.sport().write_session_data(to_wire(&records, head)).await.expect("stored");
}

async fn stack() -> TestDataScheduler {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    store(&client, IMOLA, SessionType::Race, Source::Archive, true).await;
    store(&client, TWIN, SessionType::Sprint, Source::Archive, true).await;
    store(&client, LIVE, SessionType::Qualifying, Source::Live, false).await;
    store(&client, UNLISTED, SessionType::SprintQualifying, Source::Archive, true).await;
    ds
}

fn app(ds: &TestDataScheduler, archive: &ReplayServer, dir: &Path, mb: f64) -> TestApp {
    let cfg = Config {
        livetiming_url: archive.url(),
        telemetry_cache_dir: dir.to_path_buf(),
        telemetry_cache_mb: Megabytes::of(mb),
        ..config()
    };
    TestApp::on(&ds.url(), cfg)
}

async fn rows(app: &TestApp, uri: &str) -> Vec<Value> {
    let reply = app.get(uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
    reply.json().as_array().unwrap_or_else(|| panic!("{uri}: not an array")).clone()
}

fn stream(folder: &str, topic: &str) -> String {
    format!("/static/{folder}{topic}.jsonStream")
}

/// Bytes of the files under `dir`.
fn size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum()
}

#[tokio::test]
async fn car_data_and_location_are_read_from_the_archive_once_and_kept() {
    let ds = stack().await;
    let (server, _root) = archive().await;
    let cache = tempfile::tempdir().unwrap();
    let app = app(&ds, &server, cache.path(), 64.0);

    let cars = rows(&app, &format!("/openf1/v1/car_data?session_key={IMOLA}&driver_number=1")).await;
    let expected = car_samples("1");
    assert_eq!(cars.len(), expected.len(), "{cars:?}");
    assert_eq!(cars.len(), 3);
    for (row, (utc, ch)) in cars.iter().zip(&expected) {
        assert_eq!(instant(row["date"].as_str().unwrap()), instant(utc), "{row}");
        assert!(row["date"].as_str().unwrap().ends_with("+00:00"), "OpenF1's date form: {row}");
        assert_eq!((row["meeting_key"].as_i64(), row["session_key"].as_i64()), (Some(MEETING), Some(IMOLA)));
        assert_eq!(row["driver_number"], 1);
        for (field, channel) in
            [("rpm", "0"), ("speed", "2"), ("n_gear", "3"), ("throttle", "4"), ("brake", "5"), ("drs", "45")]
        {
            assert_eq!(row[field], ch[channel], "{field}: {row}");
        }
    }
    let places = rows(&app, &format!("/openf1/v1/location?session_key={IMOLA}&driver_number=1")).await;
    let expected = place_samples("1");
    assert_eq!(places.len(), 4);
    let ours: Vec<_> = places
        .iter()
        .map(|p| {
            (
                instant(p["date"].as_str().unwrap()),
                p["x"].as_i64().unwrap(),
                p["y"].as_i64().unwrap(),
                p["z"].as_i64().unwrap(),
            )
        })
        .collect();
    let theirs: Vec<_> = expected.iter().map(|(t, x, y, z)| (instant(t), *x, *y, *z)).collect();
    assert_eq!(ours, theirs);
    let mut fields: Vec<&str> = places[0].as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["date", "driver_number", "meeting_key", "session_key", "x", "y", "z"]);

    // One download of the session, both streams; then the disk answers.
    let downloads = || {
        (
            server.count("/static/2024/Index.json"),
            server.count(&stream(RACE_FOLDER, "CarData.z")),
            server.count(&stream(RACE_FOLDER, "Position.z")),
        )
    };
    assert_eq!(downloads(), (1, 1, 1));
    assert!(cache.path().join(format!("v1/{IMOLA}/car_data-1.tsv")).is_file());
    let all = rows(&app, &format!("/openf1/v1/car_data?session_key={IMOLA}")).await;
    assert_eq!(all.len(), all_car_samples(), "every car");
    let dates: Vec<_> = all.iter().map(|r| instant(r["date"].as_str().unwrap())).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "in time order");
    let two = rows(&app, &format!("/openf1/v1/location?session_key={IMOLA}&driver_number=1&driver_number=44")).await;
    assert_eq!(two.len(), place_samples("1").len() + place_samples("44").len());
    assert_eq!(downloads(), (1, 1, 1), "later requests read the disk");

    // OpenF1's filters apply: a date range, a value, CSV.
    let second = &car_samples("1")[1].0;
    let later =
        rows(&app, &format!("/openf1/v1/car_data?session_key={IMOLA}&driver_number=1&date%3E%3D{second}")).await;
    assert_eq!(later.len(), 2, "from the second sample on");
    let rpm = car_samples("1")[0].1["0"].as_i64().unwrap();
    let one = rows(&app, &format!("/openf1/v1/car_data?session_key={IMOLA}&rpm={rpm}&driver_number=1")).await;
    assert_eq!(one.len(), 1);
    let csv = app.get(&format!("/openf1/v1/car_data?session_key={IMOLA}&driver_number=1&csv=true")).await;
    let text = String::from_utf8(csv.body.to_vec()).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("brake,date,driver_number,drs,meeting_key,n_gear,rpm,session_key,speed,throttle")
    );
    assert_eq!(text.lines().count(), 4);
    // Still one session key or meeting key per query.
    let reply = app.error("/openf1/v1/car_data?driver_number=1", StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(reply["error"]["parameter"], "session_key");

    // /content/v1: one car, our contract, paged.
    let base = "/content/v1/seasons/2024/rounds/7/sessions/race";
    let page = app.result(&format!("{base}/car-data?driver=1")).await;
    assert_eq!((page["total"].as_i64(), page["session_key"].as_i64()), (Some(3), Some(IMOLA)), "{page}");
    let first = &page["items"][0];
    let ch = &car_samples("1")[0].1;
    assert_eq!((&first["driver_number"], &first["gear"], &first["speed"]), (&Value::from(1), &ch["3"], &ch["2"]));
    let page = app.result(&format!("{base}/location?driver=1&per_page=3&page=2")).await;
    assert_eq!((page["total"].as_i64(), page["items"].as_array().map(Vec::len)), (Some(4), Some(1)), "{page}");
    assert_eq!(page["items"][0]["x"], expected[3].1);
    for kind in ["car-data", "location"] {
        let body = app.error(&format!("{base}/{kind}"), StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_eq!(body["error"]["parameter"], "driver", "{body}");
    }
    let none = app.result("/content/v1/seasons/2024/rounds/8/sessions/race/car-data?driver=1").await;
    assert_eq!((none["total"].as_i64(), &none["session_key"]), (Some(0), &Value::Null), "no session data stored");
    assert_eq!(downloads(), (1, 1, 1));
}

#[tokio::test]
async fn concurrent_first_requests_share_one_download() {
    let ds = stack().await;
    let (server, _root) = archive().await;
    let cache = tempfile::tempdir().unwrap();
    let app = app(&ds, &server, cache.path(), 64.0);
    // A slow stream, so that every request arrives while it downloads.
    server.inject(&stream(RACE_FOLDER, "CarData.z"), Fault::delay(Duration::from_millis(500)).times(1));
    let uri = |car: i32| format!("/openf1/v1/car_data?session_key={IMOLA}&driver_number={car}");
    let uris: Vec<String> = [1, 44, 16, 55, 1, 44, 16, 55].into_iter().map(uri).collect();
    let answers = futures_util::future::join_all(uris.iter().map(|u| rows(&app, u))).await;
    for (u, a) in uris.iter().zip(&answers) {
        let car = u.rsplit('=').next().unwrap();
        assert_eq!(a.len(), car_samples(car).len(), "{u}");
    }
    assert_eq!(server.count(&stream(RACE_FOLDER, "CarData.z")), 1, "{:?}", server.requests());
    assert_eq!(server.count("/static/2024/Index.json"), 1, "{:?}", server.requests());
}

#[tokio::test]
async fn a_bound_smaller_than_two_sessions_evicts_the_least_recently_read() {
    let ds = stack().await;
    let (server, _root) = archive().await;
    // One session's size on disk, from a cache with room to spare.
    let roomy = tempfile::tempdir().unwrap();
    rows(&app(&ds, &server, roomy.path(), 64.0), &format!("/openf1/v1/car_data?session_key={IMOLA}&driver_number=1"))
        .await;
    let one = size(&roomy.path().join(format!("v1/{IMOLA}")));
    assert!(one > 0);
    server.clear_requests();

    let cache = tempfile::tempdir().unwrap();
    let app = app(&ds, &server, cache.path(), one as f64 * 1.5 / (1024.0 * 1024.0));
    let car_data = |key: i64| format!("/openf1/v1/car_data?session_key={key}&driver_number=1");
    assert_eq!(rows(&app, &car_data(IMOLA)).await.len(), 3);
    assert!(cache.path().join(format!("v1/{IMOLA}")).is_dir());
    assert_eq!(rows(&app, &car_data(TWIN)).await.len(), 3);
    assert!(cache.path().join(format!("v1/{TWIN}")).is_dir());
    assert!(!cache.path().join(format!("v1/{IMOLA}")).exists(), "the older session made room");
    assert_eq!(size(&cache.path().join(format!("v1/{TWIN}"))), one, "the same data under another key");

    // The twin stays kept; the race is downloaded again.
    assert_eq!(rows(&app, &car_data(TWIN)).await.len(), 3);
    assert_eq!(server.count(&stream(TWIN_FOLDER, "CarData.z")), 1);
    assert_eq!(rows(&app, &car_data(IMOLA)).await.len(), 3);
    assert_eq!(server.count(&stream(RACE_FOLDER, "CarData.z")), 2);
    assert!(!cache.path().join(format!("v1/{TWIN}")).exists());
}

#[tokio::test]
async fn live_unlisted_failed_and_uncached_sessions() {
    let ds = stack().await;
    let (server, _root) = archive().await;
    let cache = tempfile::tempdir().unwrap();
    let app = app(&ds, &server, cache.path(), 64.0);

    // Live and not complete: nothing, and the archive is not asked.
    assert!(rows(&app, &format!("/openf1/v1/car_data?session_key={LIVE}")).await.is_empty());
    assert!(
        app.result("/content/v1/seasons/2024/rounds/7/sessions/qualifying/location?driver=1").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // Not in the archive's index: nothing, remembered for a while.
    assert!(rows(&app, &format!("/openf1/v1/car_data?session_key={UNLISTED}")).await.is_empty());
    assert!(rows(&app, &format!("/openf1/v1/location?session_key={UNLISTED}")).await.is_empty());
    assert_eq!(server.requests(), ["/static/2024/Index.json"]);

    // An archive failure is a 502, not kept: the next request reads it.
    server.inject(&stream(RACE_FOLDER, "Position.z"), Fault::status(500).times(1));
    let body = app
        .error(&format!("/openf1/v1/location?session_key={IMOLA}"), StatusCode::BAD_GATEWAY, "upstream_unavailable")
        .await;
    assert!(!body.to_string().contains("127.0.0.1"), "no internal address: {body}");
    assert!(std::fs::read_dir(cache.path().join("v1")).unwrap().next().is_none(), "no half session left");
    assert_eq!(rows(&app, &format!("/openf1/v1/location?session_key={IMOLA}&driver_number=1")).await.len(), 4);

    // With the cache off, each request reads the stream it needs.
    let off = tempfile::tempdir().unwrap();
    let uncached = self::app(&ds, &server, off.path(), 0.0);
    server.clear_requests();
    for _ in 0..2 {
        assert_eq!(rows(&uncached, &format!("/openf1/v1/car_data?session_key={IMOLA}&driver_number=1")).await.len(), 3);
    }
    assert_eq!(server.count(&stream(RACE_FOLDER, "CarData.z")), 2);
    assert_eq!(server.count(&stream(RACE_FOLDER, "Position.z")), 0, "only the stream asked for");
    assert!(std::fs::read_dir(off.path()).unwrap().next().is_none(), "nothing written");
}
