//! The live path's session records: every frame through the same Deriver
//! as the archive sync, written coalesced.
//!
//! - A recorded live capture (2024 Imola qualifying: the Subscribe snapshot,
//!   then an hour of hub messages) played at its recorded pace on a paused
//!   clock, at the default interval.
//! - No session is recorded both live and in the archive in
//!   `../shared/upstream/` (the live captures are of other sessions), so the
//!   archive recording of the 2018 Baku race is fed as live frames through
//!   `wibm replay`'s hub, the live client and the fetcher, and compared
//!   with the archive sync of the same session.
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Shutdown;
use fetcher_service::live::TopicState;
use fetcher_service::live::board::SessionRef;
use fetcher_service::live::records::{Seen, Sink, records_loop};
use fetcher_service::live::replay::{Recording, Replay, ReplayConfig};
use fetcher_service::live::run::RECORDS_INTERVAL;
use livetiming::openf1::TopicMessage;
use livetiming::openf1::input::parse_utc;
use protobuf::v1::{SessionData, SessionType};
use serde_json::Value;
use tokio::time::Instant;

use crate::session_data::{baku_race_folder, root, stored, synced};
use crate::support::{TestApp, testdata};

const DEADLINE: Duration = Duration::from_secs(120);

#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<(Instant, SessionData)>>>);

impl Sink for Written {
    async fn write(&mut self, data: SessionData) -> Result<(), String> {
        self.0.lock().unwrap().push((Instant::now(), data));
        Ok(())
    }
}

fn capture(name: &str) -> Vec<u8> {
    let bytes = std::fs::read(testdata().join("live").join(name)).unwrap();
    if !name.ends_with(".gz") {
        return bytes;
    }
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut text).unwrap();
    text
}

/// The capture's hub messages (`{"H","M":"feed","A":[topic, payload, utc]}` lines).
fn feed() -> Vec<TopicMessage> {
    let text = String::from_utf8(capture("imola-2024-qualifying-feed.txt.gz")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let a = v["A"].as_array().unwrap();
            let date = parse_utc(a[2].as_str().unwrap()).unwrap();
            TopicMessage { date, topic: a[0].as_str().unwrap().to_string(), payload: a[1].clone() }
        })
        .collect()
}

fn laps_per_car(timing: &Value) -> BTreeMap<i32, i64> {
    let lines = timing["Lines"].as_object().unwrap();
    let laps = lines.iter().map(|(car, l)| (car.parse().unwrap(), l["NumberOfLaps"].as_i64().unwrap_or(0)));
    laps.filter(|(_, n)| *n > 0).collect()
}

#[tokio::test(start_paused = true)]
async fn a_recorded_qualifying_is_written_coalesced_and_complete_at_the_end() {
    let snapshot: Value = serde_json::from_slice(&capture("imola-2024-qualifying-subscribe.json")).unwrap();
    let (state, skipped) = TopicState::from_snapshot(snapshot);
    assert!(skipped.is_empty());
    let key = state.session_key().unwrap();
    let messages = feed();
    // The independent reading: the snapshot and every message merged.
    let mut merged = state.clone();
    for m in &messages {
        merged.apply(&m.topic, m.payload.clone()).unwrap();
    }
    let began = parse_utc(state.get("Heartbeat").unwrap()["Utc"].as_str().unwrap()).unwrap();

    let at = SessionRef { season: 2024, round: 7, session_type: SessionType::Qualifying };
    let (_placed_tx, placed) = tokio::sync::watch::channel(Some((key, at)));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let written = Written::default();
    let task = tokio::spawn(records_loop(rx, placed, written.clone(), RECORDS_INTERVAL));
    let t0 = Instant::now();
    tx.send(Seen::Snapshot { state, date: began }).unwrap();
    for m in messages.iter().cloned() {
        tokio::time::sleep_until(t0 + (m.date - began).to_std().unwrap_or_default()).await;
        tx.send(Seen::Feed(m)).unwrap();
    }
    let played = t0.elapsed();
    drop(tx);
    task.await.unwrap();

    let writes = written.0.lock().unwrap().clone();
    assert!(played > Duration::from_secs(3600), "the capture is over an hour: {played:?}");
    // Coalesced: never two writes within the interval but for the last
    // (the feed stopping flushes), about one per interval while messages flow.
    for pair in writes[..writes.len() - 1].windows(2) {
        assert!(pair[1].0 - pair[0].0 >= RECORDS_INTERVAL, "{:?}", pair[1].0 - pair[0].0);
    }
    let most = played.as_secs() / RECORDS_INTERVAL.as_secs() + 2;
    assert!(writes.len() as u64 <= most && writes.len() > 100, "{} writes over {played:?}", writes.len());

    let (_, last) = writes.last().unwrap();
    assert_eq!((last.source.as_str(), last.complete), ("live", true), "Finalised: the records are complete");
    assert_eq!((last.season, last.round, last.r#type), (2024, 7, SessionType::Qualifying as i32));
    let complete = writes.iter().position(|(_, d)| d.complete).unwrap();
    assert!(writes[complete..].iter().all(|(_, d)| d.complete), "complete stays complete");
    assert!(complete > writes.len() / 2, "incomplete while the session ran");

    let mut laps = BTreeMap::new();
    for lap in &last.laps {
        *laps.entry(lap.driver_number).or_insert(0) += 1;
    }
    assert_eq!(laps, laps_per_car(merged.get("TimingData").unwrap()), "laps per car = NumberOfLaps");
    let messages = merged.get("RaceControlMessages").unwrap()["Messages"].as_array().unwrap().len();
    assert_eq!(last.race_control.len(), messages, "every race control message, none twice");
    assert_eq!(last.drivers.len(), 20);
    // Each write is the whole session so far: a later one never has fewer laps.
    assert!(writes.windows(2).all(|p| p[0].1.laps.len() <= p[1].1.laps.len()));
}

/// `source` and `complete` say which path wrote; everything else must agree.
fn records_only(mut d: SessionData) -> SessionData {
    d.source.clear();
    d.complete = false;
    d
}

#[tokio::test]
async fn the_live_path_and_the_archive_sync_write_the_same_records() {
    let (_archive, synced) = synced(2018, 4, SessionType::Race).await;

    let recording = Recording::load(&baku_race_folder()).unwrap();
    let shutdown = Shutdown::new();
    let config = ReplayConfig {
        speed: recording.duration().as_secs_f64() / 2.0,
        ping_interval: Duration::from_millis(100),
        wait_for_client: true,
        buffer: recording.patches.len() + 16,
        ..ReplayConfig::default()
    };
    let replay = Replay::start(recording.clone(), config);
    let addr = replay.serve("127.0.0.1:0".parse().unwrap(), shutdown.clone()).await.unwrap();
    let live = TestApp::start_with(root(), |c| c.livetiming_url = format!("http://{addr}")).await;
    live.import(2018, 2018).await;
    let (status, body) = live.post("/fetcher/v1/live/start?season=2018&round=4&session=race").await;
    assert_eq!(status, 200, "{body}");
    replay.finished().await;
    let all = recording.patches.len() as u64;
    testkit::wait::until("every frame received", DEADLINE, || async {
        let (_, s) = live.get("/fetcher/v1/live/status").await;
        (s["messages"].as_u64() == Some(all)).then_some(())
    })
    .await;
    // Stopping writes what arrived since the last write.
    live.post("/fetcher/v1/live/stop").await;
    let written = stored(&live, 2018, 4, SessionType::Race).await;
    shutdown.trigger();

    assert_eq!(written.source, "live");
    assert!(!synced.laps.is_empty() && !synced.position.is_empty() && !synced.race_control.is_empty());
    let (written, synced) = (records_only(written), records_only(synced));
    for (what, a, b) in [
        ("laps", written.laps.len(), synced.laps.len()),
        ("stints", written.stints.len(), synced.stints.len()),
        ("position", written.position.len(), synced.position.len()),
        ("intervals", written.intervals.len(), synced.intervals.len()),
        ("overtakes", written.overtakes.len(), synced.overtakes.len()),
        ("pit", written.pit.len(), synced.pit.len()),
    ] {
        assert_eq!(a, b, "{what}: live {a}, archive {b}");
    }
    assert!(written == synced, "the live records differ from the archive's");
}
