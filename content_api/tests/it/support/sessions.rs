//! Recorded archive sessions as stored session data: the records derived
//! from `fetcher_service/testdata/livetiming/static/...` and written through
//! `WriteSessionData`, and the test's own reading of the same recording
//! (plain JSON, line by line) to check the answers against.
use std::collections::BTreeMap;
use std::path::PathBuf;

use data_client::Client;
use livetiming::openf1::SessionRecords;
use livetiming::wire::{Head, Link, Source, to_wire};
use protobuf::v1::SessionType;
use serde_json::Value;

/// A recorded session: its folder under the fetcher's testdata, and our
/// season, round and type.
pub struct Recorded {
    pub folder: &'static str,
    pub link: (i32, i32, SessionType),
}

/// Baku 2018, the race (meeting 982, session 5090).
pub const BAKU_2018: Recorded = Recorded {
    folder: "livetiming/static/2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race",
    link: (2018, 4, SessionType::Race),
};
/// Monza 2019, qualifying.
pub const MONZA_2019_Q: Recorded = Recorded {
    folder: "livetiming/static/2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying",
    link: (2019, 14, SessionType::Qualifying),
};

pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fetcher_service/testdata").join(rel)
}

impl Recorded {
    pub fn records(&self) -> SessionRecords {
        livetiming::openf1::derive_folder(&testdata(self.folder)).expect("a recorded session")
    }

    /// Writes `records` as this session's data; returns its session key.
    pub async fn write(&self, client: &Client, records: &SessionRecords) -> i64 {
        let s = records.session.as_ref().expect("SessionInfo");
        let (season, round, session_type) = self.link;
        let head = Head {
            meeting_key: s.meeting_key,
            session_key: s.session_key,
            link: Some(Link { season, round, session_type }),
            source: Source::Archive,
            complete: true,
        };
        client.sport().write_session_data(to_wire(records, head)).await.expect("stored");
        s.session_key
    }

    /// Derives and stores this session; returns its records.
    pub async fn store(&self, client: &Client) -> SessionRecords {
        let records = self.records();
        self.write(client, &records).await;
        records
    }

    /// The patches of one topic's stream file, as plain JSON.
    pub fn lines(&self, topic: &str) -> Vec<Value> {
        let path = testdata(self.folder).join(format!("{topic}.jsonStream"));
        let text = std::fs::read_to_string(path).expect("a stream file");
        // Each line: `HH:MM:SS.mmm` then the patch.
        text.trim_start_matches('\u{feff}')
            .lines()
            .filter(|l| l.len() > 12)
            .map(|l| serde_json::from_str(&l[12..]).unwrap())
            .collect()
    }

    /// Each line's time into the recording (its `HH:MM:SS.mmm`), in seconds.
    pub fn offsets(&self, topic: &str) -> Vec<f64> {
        let path = testdata(self.folder).join(format!("{topic}.jsonStream"));
        let text = std::fs::read_to_string(path).expect("a stream file");
        text.trim_start_matches('\u{feff}')
            .lines()
            .filter(|l| l.len() > 12)
            .map(|l| {
                let hms: Vec<f64> = l[..12].split(':').map(|x| x.parse().unwrap()).collect();
                hms[0] * 3600.0 + hms[1] * 60.0 + hms[2]
            })
            .collect()
    }

    /// TimingData's last `field` of each car (cars with 0 left out).
    pub fn last_per_car(&self, field: &str) -> BTreeMap<i64, usize> {
        let mut out = BTreeMap::new();
        for patch in self.lines("TimingData") {
            for (car, line) in patch["Lines"].as_object().into_iter().flatten() {
                if let Some(n) = line.get(field).and_then(Value::as_u64) {
                    out.insert(car.parse().unwrap(), n as usize);
                }
            }
        }
        out.retain(|_, n| *n > 0);
        out
    }

    /// Laps per car: TimingData's last `NumberOfLaps`.
    pub fn laps_per_car(&self) -> BTreeMap<i64, usize> {
        self.last_per_car("NumberOfLaps")
    }

    /// Stints per car: the length of TimingAppData's stint list.
    pub fn stints_per_car(&self) -> BTreeMap<i64, usize> {
        let mut out: BTreeMap<i64, usize> = BTreeMap::new();
        for patch in self.lines("TimingAppData") {
            for (car, line) in patch["Lines"].as_object().into_iter().flatten() {
                let len = match &line["Stints"] {
                    Value::Array(a) => a.len(),
                    Value::Object(o) => {
                        o.keys().filter_map(|k| k.parse::<usize>().ok()).map(|k| k + 1).max().unwrap_or(0)
                    }
                    _ => continue,
                };
                let n = out.entry(car.parse().unwrap()).or_default();
                *n = (*n).max(len);
            }
        }
        out.retain(|_, n| *n > 0);
        out
    }

    /// Every race control message of the recording.
    pub fn race_control_messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for patch in self.lines("RaceControlMessages") {
            let messages: Vec<Value> = match &patch["Messages"] {
                Value::Array(a) => a.clone(),
                Value::Object(o) => o.values().cloned().collect(),
                _ => continue,
            };
            out.extend(messages.iter().map(|m| m["Message"].as_str().unwrap_or_default().to_string()));
        }
        out
    }

    /// Every WeatherData sample's air temperature.
    pub fn air_temperatures(&self) -> Vec<f64> {
        self.lines("WeatherData").iter().map(|w| w["AirTemp"].as_str().unwrap().parse().unwrap()).collect()
    }
}

/// How many records of `rows` each car has.
pub fn per_car(rows: &[Value]) -> BTreeMap<i64, usize> {
    let mut out = BTreeMap::new();
    for r in rows {
        *out.entry(r["driver_number"].as_i64().expect("driver_number")).or_default() += 1;
    }
    out
}
