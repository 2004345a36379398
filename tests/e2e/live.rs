//! `/content/v1/live/stream` through the real gateway with a real HTTP
//! client: snapshot first, updates in order, resume with Last-Event-ID,
//! `stale` after silence, `end` at the end, and the final board kept.
use std::net::SocketAddr;
use std::time::Duration;

use common::Shutdown;
use protobuf::v1::{LiveDriver, LiveSessionState, SessionStatus, SessionType};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;
use testkit::sse::{SseEvent, SseParser};
use willitbemax::gateway::{self, Upstreams};

const DEADLINE: Duration = Duration::from_secs(30);

/// Reads a `text/event-stream` body as it arrives.
pub(crate) struct EventReader {
    response: reqwest::Response,
    parser: SseParser,
}

impl EventReader {
    pub(crate) async fn open(http: &reqwest::Client, url: &str, last_id: Option<&str>) -> Self {
        let mut req = http.get(url);
        if let Some(id) = last_id {
            req = req.header("last-event-id", id);
        }
        let response = req.send().await.unwrap();
        assert_eq!(response.status(), 200);
        let kind = response.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        Self { response, parser: SseParser::default() }
    }

    /// The next event (comments are counted and skipped).
    pub(crate) async fn next(&mut self) -> SseEvent {
        loop {
            if let Some(event) = self.parser.next_event() {
                return event;
            }
            let chunk = tokio::time::timeout(DEADLINE, self.response.chunk()).await.expect("an event in time");
            self.parser.push(&chunk.unwrap().expect("the stream stays open"));
        }
    }
}

/// An event's id as a number: a board's ids grow with its version.
fn number(event: &SseEvent) -> u64 {
    event.id.as_deref().and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("a board's id: {event:?}"))
}

pub(crate) fn board(lap: i32, status: SessionStatus) -> LiveSessionState {
    LiveSessionState {
        season: 2018,
        round: 4,
        session_type: SessionType::Race as i32,
        session_name: "Race".into(),
        status: status as i32,
        current_lap: lap,
        total_laps: 51,
        leaderboard: vec![LiveDriver {
            position: 1,
            driver_number: 44,
            driver_code: "HAM".into(),
            ..Default::default()
        }],
        session_key: "2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race/".into(),
        updated_at: 1_525_000_000 + i64::from(lap),
        ..Default::default()
    }
}

/// The gateway as `wibm serve` builds it: content_api called in-process
/// (its loopback port unused here).
async fn serve_gateway(content: axum::Router, shutdown: &Shutdown) -> String {
    let unused: SocketAddr = "127.0.0.1:9".parse().unwrap();
    let upstreams = Upstreams {
        website: unused,
        content: "127.0.0.1:10".parse().unwrap(),
        fetcher: unused,
        scheduler: unused,
        auth: unused,
    };
    let local = gateway::InProcess { content: Some(content), website: None };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(common::http::serve(
        listener,
        gateway::router(upstreams, local, common::internal::InternalToken::generate()),
        shutdown.clone(),
    ));
    format!("http://{addr}")
}

#[tokio::test]
async fn the_live_stream_through_the_gateway() {
    let ds = TestDataScheduler::start().await;
    let shutdown = Shutdown::new();
    let config = content_api::config::Config {
        data_scheduler_url: ds.url(),
        live_heartbeat_secs: common::config::Secs::of(1),
        live_silence_secs: common::config::Secs::of(2),
        ..Default::default()
    };
    let state = content_api::state::AppState::new(&config).unwrap();
    let base = serve_gateway(content_api::router(state), &shutdown).await;
    let url = format!("{base}/content/v1/live/stream");
    let http = reqwest::Client::new();
    let write = |s: LiveSessionState| {
        let mut client = ds.client().live();
        async move { client.write_live_state(s).await.unwrap() }
    };

    // Before any session: connected, told nothing is live.
    let mut early = EventReader::open(&http, &url, None).await;
    let first = early.next().await;
    assert_eq!((first.kind.as_str(), &first.data["live"]), ("snapshot", &Value::Bool(false)), "{first:?}");

    // The session begins: a snapshot of it, then updates in order.
    write(board(1, SessionStatus::Live)).await;
    let begun = early.next().await;
    assert_eq!(begun.kind, "snapshot");
    assert_eq!(begun.data["state"]["current_lap"], 1);
    assert_eq!(begun.data["state"]["leaderboard"][0]["driver_code"], "HAM");
    write(board(2, SessionStatus::Live)).await;
    let lap2 = early.next().await;
    write(board(3, SessionStatus::Live)).await;
    let lap3 = early.next().await;
    assert_eq!((lap2.kind.as_str(), &lap2.data["current_lap"]), ("update", &Value::from(2)), "{lap2:?}");
    assert_eq!(lap3.data["current_lap"], 3);
    assert!(lap3.data.get("leaderboard").is_none(), "an update carries what changed: {lap3:?}");
    assert!(number(&begun) < number(&lap2) && number(&lap2) < number(&lap3));

    // Resuming after lap 2 gets lap 3, not a snapshot; an unknown id gets a snapshot.
    let mut resumed = EventReader::open(&http, &url, lap2.id.as_deref()).await;
    let again = resumed.next().await;
    assert_eq!((again.kind.as_str(), again.id), ("update", lap3.id));
    let mut lost = EventReader::open(&http, &url, Some("1000000")).await;
    let fresh = lost.next().await;
    assert_eq!((fresh.kind.as_str(), &fresh.data["state"]["current_lap"]), ("snapshot", &Value::from(3)));

    // Silence during a live session: `stale`, with heartbeat comments meanwhile.
    let stale = early.next().await;
    assert_eq!(stale.kind, "stale", "{stale:?}");
    assert!(early.parser.comments >= 1, "a heartbeat comment arrived while silent");

    // The flag: an update to finished, then `end`; the final board stays.
    write(board(51, SessionStatus::Finished)).await;
    let finished = early.next().await;
    assert_eq!((finished.kind.as_str(), &finished.data["status"]), ("update", &Value::from("finished")));
    let end = early.next().await;
    assert_eq!((end.kind.as_str(), &end.data["state"]["current_lap"]), ("end", &Value::from(51)), "{end:?}");
    let kept: Value = http.get(format!("{base}/content/v1/live")).send().await.unwrap().json().await.unwrap();
    assert_eq!(kept["result"]["status"], "finished", "{kept}");
    let mut late = EventReader::open(&http, &url, None).await;
    let after = late.next().await;
    assert_eq!((after.kind.as_str(), &after.data["state"]["status"]), ("snapshot", &Value::from("finished")));
    shutdown.trigger();
}
