//! A live session written through one data_scheduler reaches the SSE
//! clients of both content_api replicas: the same events, in the same
//! order, with the same data and the same ids (an id names the board by
//! the version data_scheduler gave it, so a client can resume on any
//! replica).
use protobuf::v1::{LiveSessionState, SessionStatus};
use serde_json::Value;

use super::Deployment;
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
        let mut grpc = writer.grpc();
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
