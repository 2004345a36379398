//! Resuming `/content/v1/live/stream` with `Last-Event-ID` on another
//! content_api process (a restart, or another replica): the client ends up
//! holding the current board, from changes that apply to what it holds or
//! from a fresh snapshot, never from changes to a board it does not hold.
use std::time::Duration;

use axum::body::{Body, BodyDataStream};
use axum::http::Request;
use futures_util::StreamExt;
use protobuf::v1::{LiveDriver, LiveSessionState, SessionStatus, SessionType};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;
use testkit::sse::{SseEvent, SseParser, apply};
use tower::ServiceExt;

use crate::support::{TestApp, config};

const DEADLINE: Duration = Duration::from_secs(30);

/// One client's stream, read in-process.
struct Events {
    body: BodyDataStream,
    parser: SseParser,
}

impl Events {
    async fn open(app: &TestApp, last_id: Option<&str>) -> Self {
        let mut req = Request::get("/content/v1/live/stream");
        if let Some(id) = last_id {
            req = req.header("last-event-id", id);
        }
        let res = app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), 200);
        Self { body: res.into_body().into_data_stream(), parser: SseParser::default() }
    }

    async fn next(&mut self) -> SseEvent {
        loop {
            if let Some(event) = self.parser.next_event() {
                return event;
            }
            let chunk = tokio::time::timeout(DEADLINE, self.body.next()).await.expect("an event in time");
            self.parser.push(&chunk.expect("the stream stays open").unwrap());
        }
    }

    /// Applies events to `board` until it shows `lap`; returns the last
    /// event's id.
    async fn follow_to(&mut self, board: &mut Value, lap: i32) -> String {
        loop {
            let event = self.next().await;
            apply(board, &event);
            if board["current_lap"] == lap {
                return event.id.expect("every event has an id");
            }
        }
    }
}

/// Lap `lap` of a race led by `leader`.
fn board(lap: i32, leader: &str) -> LiveSessionState {
    LiveSessionState {
        season: 2021,
        round: 22,
        session_type: SessionType::Race as i32,
        session_name: "Race".into(),
        status: SessionStatus::Live as i32,
        current_lap: lap,
        total_laps: 58,
        leaderboard: vec![LiveDriver { position: 1, driver_code: leader.into(), ..Default::default() }],
        session_key: "2021/2021-12-12_Abu_Dhabi_Grand_Prix/2021-12-12_Race/".into(),
        updated_at: 1_639_321_200 + i64::from(lap),
        ..Default::default()
    }
}

async fn write(ds: &TestDataScheduler, state: LiveSessionState) {
    ds.client().live().write_live_state(state).await.unwrap();
}

/// The board `/content/v1/live` answers now.
async fn current(app: &TestApp) -> Value {
    app.result("/content/v1/live").await
}

/// A client follows laps 1-3 on `first`; `second` (a restarted process, or
/// another replica fed by `writer`) sees laps 4 and 5, in which the lead
/// changes. The client resumes on `second` with the last id `first` sent it,
/// and after lap 6 holds what `second` answers; resuming with an older id
/// `second` never held starts with a snapshot of the current board.
async fn resume_elsewhere(first: TestApp, writer: &TestDataScheduler, second_writer: &TestDataScheduler) {
    let mut stream = Events::open(&first, None).await;
    let mut held = Value::Null;
    assert_eq!(stream.next().await.kind, "snapshot", "nothing live yet");
    write(writer, board(1, "HAM")).await;
    stream.follow_to(&mut held, 1).await;
    write(writer, board(2, "HAM")).await;
    let lap2 = stream.follow_to(&mut held, 2).await;
    write(writer, board(3, "HAM")).await;
    let lap3 = stream.follow_to(&mut held, 3).await;
    drop((stream, first));

    let second = TestApp::on(&second_writer.url(), config());
    let mut watcher = Events::open(&second, None).await;
    let mut seen = Value::Null;
    watcher.follow_to(&mut seen, 3).await;
    write(writer, board(4, "VER")).await;
    write(writer, board(5, "VER")).await;
    watcher.follow_to(&mut seen, 5).await;

    let mut resumed = Events::open(&second, Some(&lap3)).await;
    write(writer, board(6, "VER")).await;
    resumed.follow_to(&mut held, 6).await;
    let now = current(&second).await;
    assert_eq!(held, now, "the resumed client holds the current board");
    assert_eq!(held["leaderboard"][0]["driver_code"], "VER");

    let mut behind = Events::open(&second, Some(&lap2)).await;
    let first_event = behind.next().await;
    assert_eq!(first_event.kind, "snapshot", "an id this process never held: {first_event:?}");
    assert_eq!(first_event.data["state"], now);
}

#[tokio::test]
async fn a_stream_resumed_after_a_restart_leaves_the_client_holding_the_current_board() {
    let ds = TestDataScheduler::start().await;
    resume_elsewhere(TestApp::on(&ds.url(), config()), &ds, &ds).await;
}

/// Two data_scheduler replicas over one store, fanned out through a real
/// redis-server, each with its own content_api: the client follows one and
/// resumes on the other.
#[tokio::test]
async fn a_stream_resumed_on_another_replica_leaves_the_client_holding_the_current_board() {
    let test = "a_stream_resumed_on_another_replica_leaves_the_client_holding_the_current_board";
    let Some(redis) = testkit::redis::RedisServer::start(test) else { return };
    let (replicas, _store) = TestDataScheduler::replicas(&redis.url(), 2).await;
    let (a, b) = (&replicas[0], &replicas[1]);
    resume_elsewhere(TestApp::on(&a.url(), config()), a, b).await;
}
