use std::io::Read;

use base64::Engine;
use livetiming::openf1::input::{parse_utc, snapshot_messages};
use livetiming::openf1::telemetry::telemetry;
use serde_json::Value;

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
