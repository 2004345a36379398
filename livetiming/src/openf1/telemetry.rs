//! car_data and location, decoded on demand from CarData.z and Position.z
//! (base64 of raw DEFLATE'd JSON, [`crate::merge::inflate`]). Each message
//! is a batch of samples with their own UTC times:
//! - CarData: `{"Entries": [{"Utc", "Cars": {"44": {"Channels": {"0": rpm,
//!   "2": speed, "3": gear, "4": throttle, "5": brake, "45": drs}}}}]}`;
//! - Position: `{"Position": [{"Timestamp", "Entries": {"44": {"Status",
//!   "X", "Y", "Z"}}}]}`.
//!
//! The same payloads come from the live hub (with an F1 TV token) and from
//! the archive's `CarData.z.jsonStream` / `Position.z.jsonStream`
//! ([`crate::archive`]).
use serde_json::Value;

use super::TopicMessage;
use super::input::parse_utc;
use super::records::{CarData, Location};
use crate::InvalidData;
use crate::merge::inflate;
use crate::topics::{int, items, text};

/// The car_data and location samples of `messages` (other topics are
/// skipped), keyed by `meeting_key` and `session_key`. A payload that does
/// not decode is an error naming its topic and date.
pub fn telemetry(
    messages: &[TopicMessage],
    meeting_key: i64,
    session_key: i64,
) -> Result<(Vec<CarData>, Vec<Location>), InvalidData> {
    let (mut cars, mut places) = (Vec::new(), Vec::new());
    for m in messages {
        let bad = |e: String| InvalidData::new(&m.topic, m.date.to_rfc3339(), e);
        match m.topic.as_str() {
            "CarData.z" => cars.extend(car_data(&m.payload, meeting_key, session_key).map_err(bad)?),
            "Position.z" => places.extend(location(&m.payload, meeting_key, session_key).map_err(bad)?),
            _ => {}
        }
    }
    Ok((cars, places))
}

/// The samples of one CarData.z payload, in the payload's order (time,
/// then car). Entries without a time and cars whose key is not a number
/// are skipped; a payload that does not decode is an error.
pub fn car_data(payload: &Value, meeting_key: i64, session_key: i64) -> Result<Vec<CarData>, String> {
    let mut out = Vec::new();
    for entry in items(inflate(payload)?.get("Entries")) {
        let Some(date) = parse_utc(&text(entry, "Utc")) else { continue };
        let Some(list) = entry.get("Cars").and_then(Value::as_object) else { continue };
        for (key, car) in list {
            let Ok(driver_number) = key.parse() else { continue };
            let channels = car.get("Channels").cloned().unwrap_or(Value::Null);
            let channel = |c: &str| int(&channels, c).ok().flatten();
            out.push(CarData {
                meeting_key,
                session_key,
                driver_number,
                date,
                rpm: channel("0"),
                speed: channel("2"),
                n_gear: channel("3"),
                throttle: channel("4"),
                brake: channel("5"),
                drs: channel("45"),
            });
        }
    }
    Ok(out)
}

/// The samples of one Position.z payload, as [`car_data`] reads CarData.z.
pub fn location(payload: &Value, meeting_key: i64, session_key: i64) -> Result<Vec<Location>, String> {
    let mut out = Vec::new();
    for sample in items(inflate(payload)?.get("Position")) {
        let Some(date) = parse_utc(&text(sample, "Timestamp")) else { continue };
        let Some(list) = sample.get("Entries").and_then(Value::as_object) else { continue };
        for (key, at) in list {
            let Ok(driver_number) = key.parse() else { continue };
            let axis = |a: &str| int(at, a).ok().flatten().unwrap_or(0);
            out.push(Location {
                meeting_key,
                session_key,
                driver_number,
                date,
                x: axis("X"),
                y: axis("Y"),
                z: axis("Z"),
            });
        }
    }
    Ok(out)
}
