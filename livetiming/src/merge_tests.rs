use std::io::Read;

use serde_json::{Value, json};

use super::*;
use crate::live::TopicState;

fn merged(patches: &[Value]) -> Value {
    let mut state = Value::Null;
    for p in patches {
        merge(&mut state, p.clone()).unwrap();
    }
    state
}

#[test]
fn objects_merge_deeply_and_scalars_replace() {
    let state = merged(&[
        json!({"Lines": {"1": {"Line": 2, "BestLapTime": {"Value": "1:30.000", "Lap": 3}}}}),
        json!({"Lines": {"1": {"BestLapTime": {"Value": "1:29.500"}}, "44": {"Line": 1}}}),
    ]);
    assert_eq!(
        state,
        json!({"Lines": {"1": {"Line": 2, "BestLapTime": {"Value": "1:29.500", "Lap": 3}}, "44": {"Line": 1}}})
    );
}

#[test]
fn index_keyed_objects_patch_and_extend_arrays() {
    let state = merged(&[
        json!({"Messages": [{"Message": "GREEN"}]}),
        json!({"Messages": {"1": {"Message": "YELLOW"}}}),
        json!({"Messages": {"0": {"Flag": "GREEN"}, "3": {"Message": "RED"}}}),
    ]);
    assert_eq!(
        state,
        json!({"Messages": [{"Message": "GREEN", "Flag": "GREEN"}, {"Message": "YELLOW"}, null, {"Message": "RED"}]})
    );
}

#[test]
fn deleted_keys_are_removed_and_keyframe_flags_dropped() {
    let state = merged(&[
        json!({"BestLapTimes": [{"Value": "1:19.553", "Lap": 9}, {}], "Team": "X", "_kf": true}),
        json!({"BestLapTimes": {"0": {"Value": "", "_deleted": ["Lap"]}, "_deleted": [1]}, "_deleted": ["Team"]}),
    ]);
    assert_eq!(state, json!({"BestLapTimes": [{"Value": ""}]}));
}

#[test]
fn a_named_key_on_an_array_is_an_error() {
    let mut state = json!({"Stints": []});
    assert!(merge(&mut state, json!({"Stints": {"first": {}}})).is_err());
}

fn recorded(name: &str) -> Vec<u8> {
    // The recordings stay with fetcher_service, whose live tests read them too.
    let path = format!("{}/../fetcher_service/testdata/live/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if !name.ends_with(".gz") {
        return bytes;
    }
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut text).unwrap();
    text
}

fn contains_key(v: &Value, key: &str) -> bool {
    match v {
        Value::Object(o) => o.contains_key(key) || o.values().any(|v| contains_key(v, key)),
        Value::Array(a) => a.iter().any(|v| contains_key(v, key)),
        _ => false,
    }
}

/// The 2024 Imola qualifying as a client saw it: the Subscribe snapshot then
/// an hour of feed messages. Merged, the board is the published result
/// (VER pole, PIA, NOR; PER out in Q2 in 11th).
#[test]
fn recorded_snapshot_and_feed_merge_to_the_final_qualifying_order() {
    let snapshot: Value = serde_json::from_slice(&recorded("imola-2024-qualifying-subscribe.json")).unwrap();
    let (mut state, skipped) = TopicState::from_snapshot(snapshot);
    assert!(skipped.is_empty(), "{skipped:?}");
    let feed = String::from_utf8(recorded("imola-2024-qualifying-feed.txt.gz")).unwrap();
    let mut applied = 0;
    for line in feed.lines().filter(|l| !l.trim().is_empty()) {
        let message: Value = serde_json::from_str(line).unwrap();
        let args = message["A"].as_array().unwrap();
        state.apply(args[0].as_str().unwrap(), args[1].clone()).unwrap();
        applied += 1;
    }
    assert_eq!(applied, 9991);
    let timing = state.get("TimingData").unwrap();
    let on_line = |n: i64| {
        let lines = timing["Lines"].as_object().unwrap();
        lines.iter().find(|(_, l)| l["Line"] == n).map(|(car, _)| car.clone()).unwrap()
    };
    assert_eq!([on_line(1), on_line(2), on_line(3)], ["1", "81", "4"]);
    assert_eq!(on_line(11), "11");
    assert_eq!(timing["Lines"]["11"]["KnockedOut"], true);
    assert_eq!(timing["SessionPart"], 3);
    for topic in state.names() {
        assert!(!contains_key(state.get(topic).unwrap(), "_kf"), "{topic} keeps a _kf flag");
    }
}

#[test]
fn z_topics_are_inflated_into_their_plain_name() {
    let snapshot: Value = serde_json::from_slice(&recorded("imola-2024-race-subscribe-z.json")).unwrap();
    let (state, skipped) = TopicState::from_snapshot(snapshot);
    assert!(skipped.is_empty(), "{skipped:?}");
    let cars = state.get("CarData").unwrap();
    let first = &cars["Entries"][0];
    assert!(first["Utc"].as_str().unwrap().starts_with("2024-05-19T"), "{first}");
    assert!(first["Cars"]["1"]["Channels"].is_object(), "{first}");
    let position = state.get("Position").unwrap();
    assert!(position["Position"][0]["Entries"]["1"]["X"].is_number(), "{position}");
    assert!(state.get("CarData.z").is_none());
}

#[test]
fn unknown_topics_and_bad_z_payloads_are_errors_that_change_nothing() {
    let mut state = TopicState::default();
    state.apply("LapCount", json!({"CurrentLap": 1, "TotalLaps": 63})).unwrap();
    let before = state.clone();
    assert!(matches!(state.apply("Bogus", json!({})), Err(crate::live::LiveError::UnknownTopic(_))));
    assert!(state.apply("CarData.z", json!("not base64!")).is_err());
    assert!(state.apply("LapCount", json!({"CurrentLap": {"0": 1}, "x": {"_deleted": 3}})).is_err());
    assert_eq!(state, before);
}
