use std::io::Read;
use std::time::Duration;

use base64::Engine;
use livetiming::archive::{Archive, ArchiveError, ArchiveSession};
use livetiming::openf1::input::{parse_utc, snapshot_messages};
use livetiming::openf1::telemetry::telemetry;
use serde_json::Value;
use testkit::replay::{Fault, ReplayServer, assert_loopback};

use crate::testdata;

/// The test's own decoding: base64, raw DEFLATE, JSON.
fn decode(payload: &Value) -> Value {
    let bytes = base64::engine::general_purpose::STANDARD.decode(payload.as_str().unwrap()).unwrap();
    let mut json = String::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice()).read_to_string(&mut json).unwrap();
    serde_json::from_str(&json).unwrap()
}

#[test]
fn car_data_and_location_come_from_the_z_topics() {
    let text = std::fs::read_to_string(testdata("live/imola-2024-race-subscribe-z.json")).unwrap();
    let snapshot: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
    let at = parse_utc(snapshot["Heartbeat"]["Utc"].as_str().unwrap()).unwrap();
    let (cars, places) = telemetry(&snapshot_messages(&snapshot, at), 1236, 9515).unwrap();

    let car = decode(&snapshot["CarData.z"]);
    let entries = car["Entries"].as_array().unwrap();
    let samples: usize = entries.iter().map(|e| e["Cars"].as_object().unwrap().len()).sum();
    assert_eq!(cars.len(), samples);
    let (first, utc) = (&entries[0], entries[0]["Utc"].as_str().unwrap());
    let (number, channels) = first["Cars"].as_object().unwrap().iter().next().unwrap();
    let ours = cars.iter().find(|c| c.driver_number.to_string() == *number).unwrap();
    assert_eq!(ours.date, parse_utc(utc).unwrap());
    assert_eq!(ours.rpm, channels["Channels"]["0"].as_i64());
    assert_eq!(ours.speed, channels["Channels"]["2"].as_i64());
    assert_eq!(ours.n_gear, channels["Channels"]["3"].as_i64());
    assert_eq!(ours.drs, channels["Channels"]["45"].as_i64());
    assert!(cars.iter().all(|c| c.session_key == 9515 && c.rpm.is_some()));

    let pos = decode(&snapshot["Position.z"]);
    let list = pos["Position"].as_array().unwrap();
    let samples: usize = list.iter().map(|p| p["Entries"].as_object().unwrap().len()).sum();
    assert_eq!(places.len(), samples);
    let (number, at) = list[0]["Entries"].as_object().unwrap().iter().next().unwrap();
    let ours = places.iter().find(|p| p.driver_number.to_string() == *number).unwrap();
    assert_eq!(
        (ours.x, ours.y, ours.z),
        (at["X"].as_i64().unwrap(), at["Y"].as_i64().unwrap(), at["Z"].as_i64().unwrap())
    );
}

#[test]
fn a_payload_that_does_not_decode_is_an_error_naming_the_topic() {
    let messages =
        snapshot_messages(&serde_json::json!({"CarData.z": "not base64!"}), parse_utc("2024-05-19T13:00:00Z").unwrap());
    let err = telemetry(&messages, 1, 2).unwrap_err();
    assert_eq!(err.path, "CarData.z");
}

/// The Imola 2024 race as archive streams, converted from the same live
/// capture (see `fetcher_service/testdata/livetiming/SOURCES.md`).
const IMOLA: &str = "2024/2024-05-19_Emilia_Romagna_Grand_Prix/2024-05-19_Race/";

/// The test's own reading of an archive `.z` stream: after each line's
/// 12-character stamp, a JSON string, decoded as above.
fn stream_payloads(topic: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(testdata(&format!("livetiming/static/{IMOLA}{topic}.jsonStream"))).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| l.len() > 12)
        .map(|l| decode(&serde_json::from_str(&l[12..]).unwrap()))
        .collect()
}

fn utc(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&chrono::Utc)
}

async fn archive() -> (ReplayServer, Archive) {
    let server = ReplayServer::start(testdata("livetiming")).await;
    assert_loopback(&server.url());
    let archive = Archive::new(&server.url(), Duration::from_secs(10)).unwrap();
    (server, archive)
}

#[tokio::test]
async fn the_archive_gives_every_sample_of_the_session() {
    let (server, archive) = archive().await;
    let got = archive.session_telemetry(2024, 9515).await.unwrap().expect("listed in Index.json");
    let expected_session = ArchiveSession { year: 2024, meeting_key: 1235, session_key: 9515, path: IMOLA.to_string() };
    assert_eq!(got.session, expected_session);

    // car_data: every car of every entry, its channels as the feed numbers them.
    let mut expected = Vec::new();
    for payload in stream_payloads("CarData.z") {
        for entry in payload["Entries"].as_array().unwrap() {
            for (car, c) in entry["Cars"].as_object().unwrap() {
                let ch = |n: &str| c["Channels"][n].as_i64();
                let row = (car.parse::<i32>().unwrap(), utc(entry["Utc"].as_str().unwrap()), ch("0"), ch("2"));
                expected.push((row, (ch("3"), ch("4"), ch("5"), ch("45"))));
            }
        }
    }
    let mut ours: Vec<_> = got
        .car_data
        .iter()
        .map(|c| ((c.driver_number, c.date, c.rpm, c.speed), (c.n_gear, c.throttle, c.brake, c.drs)))
        .collect();
    expected.sort();
    ours.sort();
    assert_eq!(ours.len(), 60, "3 entries of 20 cars");
    assert_eq!(ours, expected);
    assert!(got.car_data.iter().all(|c| (c.meeting_key, c.session_key) == (1235, 9515)));

    // location: every car of every sample, X/Y/Z.
    let mut expected = Vec::new();
    for payload in stream_payloads("Position.z") {
        for sample in payload["Position"].as_array().unwrap() {
            for (car, at) in sample["Entries"].as_object().unwrap() {
                let axis = |a: &str| at[a].as_i64().unwrap();
                expected.push((
                    car.parse::<i32>().unwrap(),
                    utc(sample["Timestamp"].as_str().unwrap()),
                    axis("X"),
                    axis("Y"),
                    axis("Z"),
                ));
            }
        }
    }
    let mut ours: Vec<_> = got.location.iter().map(|l| (l.driver_number, l.date, l.x, l.y, l.z)).collect();
    expected.sort();
    ours.sort();
    assert_eq!(ours.len(), 80, "4 samples of 20 cars");
    assert_eq!(ours, expected);

    // The same samples as the live path decodes from the capture.
    let text = std::fs::read_to_string(testdata("live/imola-2024-race-subscribe-z.json")).unwrap();
    let snapshot: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
    let at = parse_utc(snapshot["Heartbeat"]["Utc"].as_str().unwrap()).unwrap();
    let (cars, places) = telemetry(&snapshot_messages(&snapshot, at), 1235, 9515).unwrap();
    assert_eq!((cars, places), (got.car_data, got.location));

    assert_eq!(
        server.requests(),
        [
            "/static/2024/Index.json".to_string(),
            format!("/static/{IMOLA}CarData.z.jsonStream"),
            format!("/static/{IMOLA}Position.z.jsonStream"),
        ]
    );
}

#[tokio::test]
async fn a_missing_stream_or_session_is_empty_and_a_failure_names_the_url() {
    let (server, archive) = archive().await;
    server.inject(&format!("/static/{IMOLA}CarData.z.jsonStream"), Fault::status(404).times(1));
    let got = archive.session_telemetry(2024, 9515).await.unwrap().unwrap();
    assert!(got.car_data.is_empty(), "a 404 stream is no samples, not an error");
    assert_eq!(got.location.len(), 80);

    assert_eq!(archive.session_telemetry(2024, 1).await.unwrap(), None, "a session Index.json does not list");
    assert_eq!(archive.session_telemetry(2017, 9515).await.unwrap(), None, "a year without Index.json");

    let position = format!("/static/{IMOLA}Position.z.jsonStream");
    server.inject(&position, Fault::status(503).times(1));
    let err = archive.session_telemetry(2024, 9515).await.unwrap_err();
    assert_eq!(err, ArchiveError::Status { url: format!("{}{position}", server.url()), status: 503 });

    server.inject(&position, Fault::truncate().times(1));
    let err = archive.session_telemetry(2024, 9515).await.unwrap_err();
    let ArchiveError::Invalid(invalid) = &err else { panic!("{err}") };
    assert_eq!((invalid.path.clone(), invalid.field.as_str()), (format!("{}{position}", server.url()), "line 1"));

    server.inject("/static/2024/Index.json", Fault::status(500).times(1));
    let err = archive.session_telemetry(2024, 9515).await.unwrap_err();
    assert!(err.to_string().contains("/static/2024/Index.json") && err.to_string().contains("500"), "{err}");
}

#[test]
fn a_session_folder_with_z_streams_reads_as_messages() {
    // `.z` lines hold strings, not patches: the folder reader keeps them
    // encoded and the derivation skips them.
    let folder = testdata(&format!("livetiming/static/{IMOLA}"));
    let messages = livetiming::openf1::folder_messages(&folder).unwrap();
    let topics: Vec<&str> = messages.iter().map(|m| m.topic.as_str()).collect();
    assert_eq!(topics, ["SessionInfo", "Position.z", "CarData.z"], "in time order");
    let (cars, places) = telemetry(&messages, 1235, 9515).unwrap();
    assert_eq!((cars.len(), places.len()), (60, 80));
    let records = livetiming::openf1::derive_folder(&folder).unwrap();
    let session = records.session.unwrap();
    assert_eq!((session.meeting_key, session.session_key, session.year), (1235, 9515, 2024));
}
