//! Event streams have their own budget: with more streams open than there
//! are ordinary connections, `/health` and the API still answer; a stream
//! past the budget, or past the per-address cap, gets a 503 with
//! `Retry-After` at once instead of waiting. Served over real sockets (the
//! server's connection count is what is tested), each client address a
//! loopback address of its own.
use common::Shutdown;
use content_api::{AppState, Config};
use protobuf::v1::{LiveSessionState, SessionStatus, SessionType};
use testkit::clients::{answers, connect, get, stream, turned_away};
use testkit::data_scheduler::TestDataScheduler;

use crate::support::config;

const STREAM: &str = "/content/v1/live/stream";

#[tokio::test]
async fn streams_past_the_budget_are_refused_at_once_and_the_api_still_answers() {
    let ds = TestDataScheduler::start().await;
    let live = LiveSessionState {
        season: 2026,
        round: 3,
        session_type: SessionType::Race as i32,
        status: SessionStatus::Live as i32,
        current_lap: 12,
        ..Default::default()
    };
    ds.client().live().write_live_state(live).await.unwrap();
    // Sizes only: 8 ordinary connections, 12 streams; 8 streams per address (the default).
    let cfg = Config { data_scheduler_url: ds.url(), content_max_connections: 8, content_max_streams: 12, ..config() };
    assert_eq!(cfg.content_streams_per_client, 8, "the default cap");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = listener.local_addr().unwrap();
    let shutdown = Shutdown::new();
    tokio::spawn(content_api::serve(listener, AppState::new(&cfg).unwrap(), shutdown.clone()));

    // One address: 8 streams, and the 9th is refused although the budget has room.
    let mut open = Vec::new();
    for _ in 0..8 {
        open.push(stream(server, 2, STREAM).await);
    }
    turned_away(server, 2, STREAM, 503, "}}", &["\r\nretry-after: 5\r\n", "from your address"]).await;
    // More streams than ordinary connections: they do not take their places.
    for _ in 0..4 {
        open.push(stream(server, 3, STREAM).await);
    }
    // The budget is spent: the next stream, from anywhere, is refused at once.
    turned_away(server, 4, STREAM, 503, "}}", &["\r\nretry-after: 5\r\n", "too many live streams"]).await;

    // Meanwhile the service answers: its liveness check and an API read.
    answers(server, 5, "/health", "\r\n\r\n").await;
    answers(server, 5, "/content/v1/live", "\"current_lap\":12").await;

    // A closed stream frees its place for the next one.
    drop(open.pop());
    let deadline = tokio::time::Instant::now() + testkit::clients::DEADLINE;
    loop {
        let mut conn = connect(server, 6).await;
        if get(&mut conn, STREAM, "\r\n\r\n").await.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the freed place was never given out");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    shutdown.trigger();
}
