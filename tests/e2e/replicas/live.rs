//! A live session written through one data_scheduler reaches the SSE
//! clients of both content_api replicas: the same events, in the same
//! order, with the same data and the same ids (an id names the board by
//! the version data_scheduler gave it, so a client can resume on any
//! replica).
use protobuf::v1::{LiveSessionState, SessionStatus};
use serde_json::Value;

use std::collections::BTreeMap;
use std::time::Duration;

use super::deployment::Service;
use super::{Deployment, admin_call};
use testkit::sse::SseEvent;

use crate::live::{EventReader, board};

/// `(kind, data)` with the per-replica send time taken out.
fn comparable(e: &SseEvent) -> (String, Value) {
    let mut data = e.data.clone();
    if let Some(obj) = data.as_object_mut() {
        obj.remove("sent_at_ms");
    }
    (e.kind.clone(), data)
}

pub async fn fans_out_to_both(http: &reqwest::Client, d: &Deployment, writer: &data_client::Client) {
    let mut readers = Vec::new();
    for c in &d.content {
        let mut reader = EventReader::open(http, &format!("{}/content/v1/live/stream", c.url()), None).await;
        let first = reader.next().await;
        assert_eq!((first.kind.as_str(), &first.data["live"]), ("snapshot", &Value::Bool(false)), "{first:?}");
        readers.push(reader);
    }
    let write = |s: LiveSessionState| {
        let mut grpc = writer.live();
        async move { grpc.write_live_state(s).await.expect("a live state written") }
    };
    // Each write is awaited by both clients before the next: content_api
    // sends the latest board, so writes faster than the watch would merge.
    let mut seen: Vec<Vec<SseEvent>> = vec![Vec::new(); readers.len()];
    let steps = [
        (board(1, SessionStatus::Live), 1),
        (board(2, SessionStatus::Live), 1),
        (board(3, SessionStatus::Live), 1),
        (board(51, SessionStatus::Finished), 2),
    ];
    for (state, events) in steps {
        write(state).await;
        for (reader, seen) in readers.iter_mut().zip(&mut seen) {
            for _ in 0..events {
                seen.push(reader.next().await);
            }
        }
    }
    let kinds: Vec<&str> = seen[0].iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["snapshot", "update", "update", "update", "end"], "{:?}", seen[0]);
    assert_eq!(seen[0][0].data["state"]["current_lap"], 1);
    assert_eq!(seen[0][4].data["state"]["current_lap"], 51);
    let first: Vec<_> = seen[0].iter().map(comparable).collect();
    for (c, events) in d.content.iter().zip(&seen).skip(1) {
        let these: Vec<_> = events.iter().map(comparable).collect();
        assert_eq!(these, first, "{} streamed what {} streamed", c.name, d.content[0].name);
    }
    let ids: Vec<Vec<Option<String>>> = seen.iter().map(|s| s.iter().map(|e| e.id.clone()).collect()).collect();
    eprintln!("replicas: a live session fanned out to both content_api; event ids per replica {ids:?}");
    for (c, these) in d.content.iter().zip(&ids).skip(1) {
        assert_eq!(these, &ids[0], "{} numbered its events as {} did", c.name, d.content[0].name);
    }
    assert!(ids[0][1..].iter().all(Option::is_some), "every event after the snapshot has an id: {ids:?}");
}

/// The 2018 Azerbaijan GP as LiveTiming's archive recorded it.
const BAKU_2018: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fetcher_service/testdata/livetiming/static/2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race"
);

/// `wibm replay` plays the recorded race (about 20 s at 500x) on the port
/// the fetcher was given as its hub; an admin starts the fetcher's live
/// feed. Each content_api follows data_scheduler's watch on its own, so the
/// two may merge boards differently under a fast feed; what they must agree
/// on is every board both sent (same id, same data) and the last one: the
/// flag, under the same id, with the recorded winner.
pub async fn a_replayed_race_fans_out_to_both(http: &reqwest::Client, d: &Deployment, admin: &str) {
    let mut readers = Vec::new();
    for c in &d.content {
        let mut reader = EventReader::open(http, &format!("{}/content/v1/live/stream", c.url()), None).await;
        let first = reader.next().await;
        assert_eq!(first.kind, "snapshot", "{first:?}");
        readers.push(reader);
    }
    let live_port = d.live_port.to_string();
    let args = ["replay", "--session", BAKU_2018, "--speed", "500", "--port", live_port.as_str()];
    let mut hub = Service::start_with_args("wibm replay", "wibm", &args, d.live_port, &[]);
    testkit::wait::until("wibm replay to listen", Duration::from_secs(30), || {
        hub.assert_running();
        let addr = format!("127.0.0.1:{}", d.live_port);
        async move { tokio::net::TcpStream::connect(addr).await.ok().map(|_| ()) }
    })
    .await;
    let started = admin_call(http, d, admin, "/fetcher/v1/live/start?season=2018&round=4&session=race").await;
    assert_eq!(started["started"], true, "{started}");

    // Each reader until the flag (`end`) of this session.
    let mut seen: Vec<Vec<SseEvent>> = Vec::new();
    for reader in &mut readers {
        let mut events = Vec::new();
        let until = tokio::time::Instant::now() + Duration::from_secs(180);
        loop {
            assert!(tokio::time::Instant::now() < until, "no `end` within 180 s: {} events", events.len());
            let event = reader.next().await;
            let end = event.kind == "end";
            events.push(event);
            if end {
                break;
            }
        }
        seen.push(events);
    }
    admin_call(http, d, admin, "/fetcher/v1/live/stop").await;
    hub.kill();

    let by_id = |events: &[SseEvent]| -> BTreeMap<String, (String, Value)> {
        events.iter().filter_map(|e| Some((e.id.clone()?, comparable(e)))).collect()
    };
    let first = by_id(&seen[0]);
    for (c, events) in d.content.iter().zip(&seen).skip(1) {
        let these = by_id(events);
        let common: Vec<&String> = these.keys().filter(|id| first.contains_key(*id)).collect();
        assert!(common.len() >= 5, "{} and {} share {} event ids", c.name, d.content[0].name, common.len());
        for id in common {
            assert_eq!(these[id], first[id], "event {id} is the same on {} and {}", c.name, d.content[0].name);
        }
        let (last, last_first) = (events.last().unwrap(), seen[0].last().unwrap());
        assert_eq!(last.id, last_first.id, "the flag under one id on both");
    }
    let updates = seen[0].iter().filter(|e| e.kind == "update").count();
    eprintln!(
        "replicas: a replayed race streamed by both content_api: {updates} updates, the flag as event {:?}",
        seen[0].last().and_then(|e| e.id.clone())
    );
}
