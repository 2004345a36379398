//! `?delay=N`: the live board held N seconds to match a delayed broadcast.
//! A recorded race (Baku 2018) is replayed fast through data_scheduler's
//! `WriteLiveState` (a new board every 150 ms) on a paused clock, to two
//! clients of `/content/v1/live/stream`, one with `delay=10`: whatever the
//! delayed client holds at any moment is what the other held ten seconds
//! before, and a client joining with the delay starts from the board of ten
//! seconds before, as `/content/v1/live?delay=10` answers it.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, BodyDataStream};
use axum::http::{Request, StatusCode};
use fetcher_service::live::TopicState;
use fetcher_service::live::board::{SessionRef, board};
use fetcher_service::live::replay::Recording;
use futures_util::StreamExt;
use protobuf::v1::{LiveSessionState, SessionStatus, SessionType};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;
use testkit::sse::{SseEvent, SseParser, apply};
use tokio::time::Instant;
use tower::ServiceExt;

use crate::support::sessions::{BAKU_2018, testdata};
use crate::support::{TestApp, config};

const DELAY: Duration = Duration::from_secs(10);
const STEP: Duration = Duration::from_millis(150);
const BOARDS: usize = 160;
const DEADLINE: Duration = Duration::from_secs(60);

/// Boards of the recorded race from its start, one per 20 s of it (the
/// feed's topics merged as the live client merges them), each stamped with
/// its own `updated_at` so every one differs from the one before.
fn race_boards() -> Vec<LiveSessionState> {
    let recording = Recording::load(&testdata(BAKU_2018.folder)).expect("the recorded race");
    let at = SessionRef { season: 2018, round: 4, session_type: SessionType::Race };
    let mut state = TopicState::default();
    let mut boards = Vec::new();
    let mut next = Duration::ZERO;
    for patch in recording.patches {
        if patch.at >= next
            && let Ok(b) = board(&state, at, 1_525_000_000 + boards.len() as i64)
            && b.status == SessionStatus::Live as i32
        {
            boards.push(b);
            next = patch.at + Duration::from_secs(20);
            if boards.len() == BOARDS {
                break;
            }
        }
        let _ = state.apply(&patch.topic, patch.patch);
    }
    assert_eq!(boards.len(), BOARDS, "the recording has a race's worth of boards");
    boards
}

async fn next(body: &mut BodyDataStream, parser: &mut SseParser) -> SseEvent {
    loop {
        if let Some(event) = parser.next_event() {
            return event;
        }
        let chunk = tokio::time::timeout(DEADLINE, body.next()).await.expect("an event in time");
        parser.push(&chunk.expect("the stream stays open").unwrap());
    }
}

/// What a client held and from when: (arrival, event kind, board after it, event id).
type Held = Arc<Mutex<Vec<(Instant, String, Value, String)>>>;

/// Follows `uri` until the board stamped `last` arrives, noting each board.
fn follow(app: &TestApp, uri: &str, last: i64) -> (Held, tokio::task::JoinHandle<()>) {
    follow_from(app, uri, None, last)
}

/// As [`follow`], resuming after the event `last_id`.
fn follow_from(app: &TestApp, uri: &str, last_id: Option<String>, last: i64) -> (Held, tokio::task::JoinHandle<()>) {
    let held: Held = Arc::default();
    let (app, uri, into) = (TestApp { router: app.router.clone() }, uri.to_string(), held.clone());
    let task = tokio::spawn(async move {
        let mut req = Request::get(uri);
        if let Some(id) = last_id {
            req = req.header("last-event-id", id);
        }
        let res = app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), 200);
        let (mut body, mut parser) = (res.into_body().into_data_stream(), SseParser::default());
        let mut board = Value::Null;
        loop {
            let event = next(&mut body, &mut parser).await;
            apply(&mut board, &event);
            let id = event.id.clone().unwrap_or_default();
            into.lock().unwrap().push((Instant::now(), event.kind.clone(), board.clone(), id));
            if board["updated_at"] == last {
                return;
            }
        }
    });
    (held, task)
}

/// The boards a client held at `t`, give or take one update.
fn around(held: &[(Instant, String, Value, String)], t: Instant) -> Vec<Value> {
    let at = held.iter().rposition(|(when, ..)| *when <= t);
    let (from, to) = match at {
        Some(i) => (i.saturating_sub(1), (i + 1).min(held.len() - 1)),
        None => (0, 0),
    };
    let mut boards: Vec<Value> = held[from..=to].iter().map(|(_, _, b, _)| b.clone()).collect();
    if at.is_none() {
        boards.push(Value::Null);
    }
    boards
}

fn stamp(board: &Value) -> String {
    board["updated_at"].to_string()
}

#[tokio::test(start_paused = true)]
async fn a_delayed_client_holds_the_board_of_ten_seconds_before() {
    let mut boards = race_boards();
    let last = boards.last().unwrap().updated_at;
    let ds = TestDataScheduler::start().await;
    // The first board is written before content_api watches: it has been
    // the board for as long as content_api knows, so a delayed client
    // starts from it at once.
    let first = boards.remove(0);
    ds.client().live().write_live_state(first.clone()).await.unwrap();
    let app = TestApp::on(&ds.url(), config());
    let (now_held, now_task) = follow(&app, "/content/v1/live/stream", last);
    let has_first =
        |held: &Held| held.lock().unwrap().last().is_some_and(|(_, _, b, _)| b["updated_at"] == first.updated_at);
    while !has_first(&now_held) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (late_held, late_task) = follow(&app, "/content/v1/live/stream?delay=10", last);
    while !has_first(&late_held) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(late_held.lock().unwrap().len(), 1, "the delayed client starts from the first board");

    let started = Instant::now();
    let mut joined = None;
    let mut asked = None;
    for (i, b) in boards.into_iter().enumerate() {
        ds.client().live().write_live_state(b).await.unwrap();
        tokio::time::sleep(STEP).await;
        if i == BOARDS * 3 / 4 {
            // Well past the delay: a client joining now, and a plain read.
            let at = Instant::now();
            joined = Some((at, follow(&app, "/content/v1/live/stream?delay=10", last)));
            asked = Some((at, app.result("/content/v1/live?delay=10").await));
        }
    }
    assert!(started.elapsed() > DELAY * 2, "the race outlasts the delay: {:?}", started.elapsed());
    tokio::time::timeout(DEADLINE, now_task).await.expect("the undelayed client saw the race").unwrap();
    tokio::time::timeout(DEADLINE, late_task).await.expect("the delayed client saw the race").unwrap();

    let now_held = now_held.lock().unwrap().clone();
    let late_held = late_held.lock().unwrap().clone();
    assert!(now_held.len() > BOARDS / 2, "the undelayed client followed the race: {} events", now_held.len());
    // The undelayed client began with an empty board, then the first one.
    assert_eq!(late_held.len() + 1, now_held.len(), "the delayed client gets every event, later");
    assert_eq!(late_held.last().unwrap().2, now_held.last().unwrap().2, "and ends holding the same board");
    for (t, kind, board, _) in &late_held[1..] {
        let then = around(&now_held, *t - DELAY);
        assert!(
            then.contains(board),
            "at {:?} the delayed client ({kind}) holds board {}, the other held {:?} ten seconds before",
            *t - started,
            stamp(board),
            then.iter().map(stamp).collect::<Vec<_>>()
        );
    }
    let first_due = late_held[1].0 - now_held[2].0;
    assert!(first_due + STEP > DELAY && first_due < DELAY + STEP, "the first change came {first_due:?} later");

    // Joining late: a snapshot of ten seconds before, then the same events.
    let (at, (held, task)) = joined.unwrap();
    tokio::time::timeout(DEADLINE, task).await.expect("the late joiner saw the race").unwrap();
    let held = held.lock().unwrap().clone();
    let (_, kind, snapshot, _) = &held[0];
    assert_eq!(kind, "snapshot");
    assert!(snapshot["leaderboard"].as_array().is_some_and(|l| !l.is_empty()), "a race board: {snapshot}");
    let then = around(&now_held, at - DELAY);
    assert!(then.contains(snapshot), "joined with board {}, ten seconds before was {:?}", stamp(snapshot), {
        then.iter().map(stamp).collect::<Vec<_>>()
    });
    assert_eq!(held.last().unwrap().2, now_held.last().unwrap().2);
    let (at, answer) = asked.unwrap();
    assert!(around(&now_held, at - DELAY).contains(&answer), "/content/v1/live?delay=10 is {}", stamp(&answer));
    assert_ne!(answer, app.result("/content/v1/live").await, "and not the board now");

    // Resuming with the delay: after an event held (and due by then), what
    // followed it; after an id it does not hold, a snapshot of ten seconds before.
    let k = now_held.len() / 2;
    let (resumed, task) = follow_from(&app, "/content/v1/live/stream?delay=10", Some(now_held[k].3.clone()), last);
    tokio::time::timeout(DEADLINE, task).await.expect("the resumed client saw the race").unwrap();
    let resumed = resumed.lock().unwrap().clone();
    let ids = |held: &[(Instant, String, Value, String)]| held.iter().map(|h| h.3.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&resumed), ids(&now_held[k + 1..]), "the events after the one it held, and no snapshot");
    let (fresh, task) = follow_from(&app, "/content/v1/live/stream?delay=10", Some("42".into()), last);
    tokio::time::timeout(DEADLINE, task).await.expect("the fresh client").unwrap();
    let fresh = fresh.lock().unwrap().clone();
    assert_eq!(fresh[0].1, "snapshot");
    assert_eq!(fresh.last().unwrap().2, now_held.last().unwrap().2);
}

#[tokio::test]
async fn a_delay_outside_0_to_300_whole_seconds_is_refused_naming_it() {
    let ds = TestDataScheduler::start().await;
    let app = TestApp::on(&ds.url(), config());
    for path in ["/content/v1/live/stream", "/content/v1/live", "/content/v1/seasons/2026/championship"] {
        for bad in ["301", "-1", "abc", "2.5", ""] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let uri = format!("{path}{sep}delay={bad}");
            let body = app.error(&uri, StatusCode::BAD_REQUEST, "invalid_parameter").await;
            assert_eq!(body["error"]["parameter"], "delay", "{uri}: {body}");
        }
    }
    // The bounds themselves are fine.
    for good in ["0", "300"] {
        let res = app
            .router
            .clone()
            .oneshot(Request::get(format!("/content/v1/live/stream?delay={good}")).body(Body::empty()).unwrap());
        assert_eq!(res.await.unwrap().status(), 200, "delay={good}");
    }
}
