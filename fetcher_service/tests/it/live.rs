//! The live client against `wibm replay`'s server over a real WebSocket.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use championship::rules::{PointsRules, Scoring};
use common::Shutdown;
use fetcher_service::live::replay::{Recording, Replay, ReplayConfig};
use fetcher_service::live::{HubConfig, LiveFeed, SupervisorConfig, TopicState};
use prost::Message;
use protobuf::v1::{ResultSource, ResultStatus, Session, SessionKey, SessionType, StandingsFilter};

// Generous: the whole test binary shares two busy cores; a bound on failure, not a timing goal.
const DEADLINE: Duration = Duration::from_secs(120);

fn baku_2018_race() -> Recording {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/livetiming/static/2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race");
    Recording::load(&dir).expect("the recorded race loads")
}

/// The state a client must end with: every recorded patch merged directly.
fn merged_directly(recording: &Recording) -> TopicState {
    let mut state = TopicState::default();
    for p in &recording.patches {
        state.apply(&p.topic, p.patch.clone()).expect("recorded patches merge");
    }
    state
}

/// Plays the recording in about `seconds`.
fn config(recording: &Recording, seconds: f64) -> ReplayConfig {
    ReplayConfig {
        speed: recording.duration().as_secs_f64() / seconds,
        ping_interval: Duration::from_millis(100),
        wait_for_client: true,
        // The test client is never too slow to keep up: it is never cut.
        buffer: recording.patches.len() + 16,
        ..ReplayConfig::default()
    }
}

async fn serve(replay: &Replay, shutdown: &Shutdown) -> String {
    let addr = replay.serve("127.0.0.1:0".parse().unwrap(), shutdown.clone()).await.unwrap();
    format!("http://{addr}")
}

fn client(base_url: String, silence: Duration) -> SupervisorConfig {
    SupervisorConfig {
        hub: HubConfig {
            base_url,
            token: None,
            connect_timeout: Duration::from_secs(5),
            ping_interval: Duration::from_millis(100),
        },
        silence,
        backoff_min: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        publish_interval: Duration::from_millis(20),
    }
}

/// Waits until the feed's published state equals `expected`, topic by topic.
async fn ends_at(feed: &LiveFeed, expected: &TopicState) {
    let rx = feed.watch();
    testkit::wait::until("the client's state to equal the recording's", DEADLINE, || {
        let state: Arc<TopicState> = rx.borrow().clone();
        async move { (state.as_ref() == expected).then_some(()) }
    })
    .await;
}

#[tokio::test]
async fn snapshot_and_feed_merge_to_the_state_of_the_recording() {
    let recording = baku_2018_race();
    let expected = merged_directly(&recording);
    let shutdown = Shutdown::new();
    let replay = Replay::start(recording.clone(), config(&recording, 1.5));
    let feed = LiveFeed::spawn(client(serve(&replay, &shutdown).await, Duration::from_secs(10)));
    replay.finished().await;
    ends_at(&feed, &expected).await;
    let status = feed.status();
    // Pings arrive before the Subscribe completion: tolerated, no reconnect.
    assert!(status.connected && status.reconnects == 0, "{status:?}");
    assert_eq!(status.messages as usize, recording.patches.len(), "every patch came as feed");
    assert_eq!(status.session.as_deref(), Some("2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race/"));
    feed.stop().await;
    assert!(!feed.status().running);
    shutdown.trigger();
}

#[tokio::test]
async fn a_dropped_connection_reconnects_and_ends_at_the_same_state() {
    let recording = baku_2018_race();
    let expected = merged_directly(&recording);
    let half = recording.patches.len() / 2;
    let shutdown = Shutdown::new();
    let replay = Replay::start(recording.clone(), config(&recording, 2.0));
    let feed = LiveFeed::spawn(client(serve(&replay, &shutdown).await, Duration::from_secs(10)));
    testkit::wait::until("half the recording", DEADLINE, || async { (replay.position() >= half).then_some(()) }).await;
    replay.cut_connections();
    testkit::wait::until("a reconnect", DEADLINE, || async { (feed.status().reconnects >= 1).then_some(()) }).await;
    replay.finished().await;
    ends_at(&feed, &expected).await;
    assert!(feed.status().connected);
    feed.stop().await;
    shutdown.trigger();
}

#[tokio::test]
async fn unknown_topics_and_malformed_frames_are_skipped() {
    let recording = baku_2018_race();
    let expected = merged_directly(&recording);
    let quarter = recording.patches.len() / 4;
    let shutdown = Shutdown::new();
    let replay = Replay::start(recording.clone(), config(&recording, 1.5));
    let feed = LiveFeed::spawn(client(serve(&replay, &shutdown).await, Duration::from_secs(10)));
    testkit::wait::until("a quarter of the recording", DEADLINE, || async {
        (replay.position() >= quarter).then_some(())
    })
    .await;
    replay.send_raw("{\"type\":1,\"target\":\"feed\",\"arguments\":[\"NotATopic\",{\"x\":1},\"now\"]}\u{1e}");
    replay.send_raw("{\"type\":1,\"target\u{1e}garbage\u{1e}{\"type\":1,\"target\":\"feed\",\"arguments\":[\"LapCount\",{\"CurrentLap\":{\"_deleted\":7}},\"now\"]}\u{1e}");
    replay.finished().await;
    ends_at(&feed, &expected).await;
    assert_eq!(feed.status().reconnects, 0, "a bad message is skipped, not a reason to reconnect");
    feed.stop().await;
    shutdown.trigger();
}

/// Car numbers by TimingData line at the end of the recording.
fn final_order(state: &TopicState) -> Vec<i32> {
    let lines = state.get("TimingData").unwrap()["Lines"].as_object().unwrap();
    let mut cars: Vec<(i64, i32)> =
        lines.iter().map(|(car, l)| (l["Line"].as_i64().unwrap(), car.parse().unwrap())).collect();
    cars.sort();
    cars.into_iter().map(|(_, car)| car).collect()
}

/// The whole fetcher path: `POST /fetcher/v1/live/start` with no session
/// named (SessionInfo and the stored 2018 calendar place it), the replayed
/// race merged, mapped and written to data_scheduler, whose final board has
/// the order at the end of the recording (Hamilton, Räikkönen, Pérez).
#[tokio::test]
async fn a_replayed_race_ends_in_data_scheduler_with_the_recorded_final_order() {
    let recording = baku_2018_race();
    let expected = final_order(&merged_directly(&recording));
    assert_eq!(expected[..3], [44, 7, 11]);
    let shutdown = Shutdown::new();
    let replay = Replay::start(recording.clone(), config(&recording, 1.5));
    let url = serve(&replay, &shutdown).await;
    let app = crate::support::TestApp::start_with(crate::support::recorded_root(), |c| {
        c.livetiming_url = url;
        c.live_write_interval_ms = common::config::Millis::of(50);
    })
    .await;
    app.import(2018, 2018).await;

    let (status, body) = app.post("/fetcher/v1/live/start?season=2018").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("round"), "{body}");
    let (status, body) = app.post("/fetcher/v1/live/start").await;
    assert_eq!((status, &body["started"]), (200, &serde_json::json!(true)), "{body}");
    let (_, again) = app.post("/fetcher/v1/live/start").await;
    assert_eq!(again["started"], false, "start is idempotent");

    replay.finished().await;
    let mut client = app.client.clone();
    let board = testkit::wait::until("the final board in data_scheduler", DEADLINE, || {
        let client = client.clone();
        let expected = expected.clone();
        async move {
            let state = client.live().get_live_state(protobuf::v1::Empty {}).await.ok()?.into_inner().state?;
            let order: Vec<i32> = state.leaderboard.iter().map(|d| d.driver_number).collect();
            (state.status == protobuf::v1::SessionStatus::Finished as i32 && order == expected).then_some(state)
        }
    })
    .await;
    assert_eq!((board.season, board.round, board.session_type), (2018, 4, protobuf::v1::SessionType::Race as i32));
    assert_eq!(board.leaderboard[0].driver_code, "HAM");
    assert_eq!((board.current_lap, board.total_laps), (51, 51));
    assert!(!board.race_control.is_empty());

    let official = race_at_baku(&app).await;
    let (_, status) = app.get("/fetcher/v1/live/status").await;
    assert_eq!(status["connected"], true, "{status}");
    assert_eq!(status["messages"].as_u64(), Some(recording.patches.len() as u64), "{status}");
    let (_, ready) = app.get("/health/ready").await;
    assert_eq!(ready["checks"]["live_feed"]["status"], "ok", "{ready}");
    let (_, stopped) = app.post("/fetcher/v1/live/stop").await;
    assert_eq!(stopped["stopped"], true, "{stopped}");
    assert_eq!(stopped["status"]["running"], false, "{stopped}");
    client = app.client.clone();
    let kept = client.live().get_live_state(protobuf::v1::Empty {}).await.unwrap().into_inner().state.unwrap();
    assert_eq!(kept.leaderboard.len(), board.leaderboard.len(), "the final board stays stored");
    // The flag came (the writer has stopped, so it tried): f1db's official
    // classification, imported above, stays as it was.
    let after = race_at_baku(&app).await;
    assert_eq!(after.provenance.unwrap().source, ResultSource::F1db as i32);
    assert_eq!(after.encode_to_vec(), official.encode_to_vec(), "the official classification stays");
    shutdown.trigger();
}

async fn race_at_baku(app: &crate::support::TestApp) -> Session {
    let key = SessionKey { season: 2018, round: 4, r#type: SessionType::Race as i32 };
    app.client.sport().get_session(key).await.unwrap().into_inner().session.unwrap()
}

/// At the flag the live feed writes the order at the end of the recording as
/// the race's provisional classification (source `livetiming_live`), scored
/// by the 2018 rules, with the provisional standings after the round.
#[tokio::test]
async fn at_the_flag_the_live_order_becomes_the_provisional_classification() {
    let recording = baku_2018_race();
    let expected = final_order(&merged_directly(&recording));
    let shutdown = Shutdown::new();
    let replay = Replay::start(recording.clone(), config(&recording, 1.5));
    let url = serve(&replay, &shutdown).await;
    let app = crate::support::TestApp::start_with(crate::support::recorded_root(), |c| {
        c.livetiming_url = url;
        c.live_write_interval_ms = common::config::Millis::of(50);
    })
    .await;
    let (official, _) = crate::livetiming_sync::seed_without_round_4(&app).await;
    assert!(race_at_baku(&app).await.results.is_empty(), "no classification before the race");

    let (status, body) = app.post("/fetcher/v1/live/start").await;
    assert_eq!(status, 200, "{body}");
    replay.finished().await;
    let race = testkit::wait::until("the provisional classification at the flag", DEADLINE, || async {
        let race = race_at_baku(&app).await;
        let order: Vec<i32> = race.results.iter().map(|r| r.driver_number).collect();
        (order == expected).then_some(race)
    })
    .await;
    let provenance = race.provenance.unwrap();
    assert_eq!(
        (provenance.source, provenance.status),
        (ResultSource::LivetimingLive as i32, ResultStatus::Provisional as i32)
    );
    assert_eq!(race.results[0].driver_id, "lewis-hamilton", "drivers identified from the stored season");
    let rules = PointsRules::for_season(2018).unwrap();
    for r in &race.results {
        let place = if r.classified { r.position as u32 } else { 0 };
        assert_eq!(
            r.points,
            rules.points(Scoring::Race, place, r.fastest_lap, false),
            "{} P{}",
            r.driver_id,
            r.position
        );
    }
    // The order at the flag stood that day: the points f1db publishes.
    let points = crate::livetiming_sync::points_by_driver;
    assert_eq!(points(&race), points(&official));
    let filter = StandingsFilter { season: 2018, after_round: Some(4) };
    let after = app.client.sport().get_standings(filter).await.unwrap().into_inner().standings.unwrap();
    assert!(after.provenance.unwrap().is_provisional(), "provisional standings after the round");
    app.post("/fetcher/v1/live/stop").await;
    shutdown.trigger();
}

/// During a live session an upstream outage turns `/health/ready`'s
/// live_feed check `degraded` (stale) once nothing has arrived for the
/// silence period, and `ok` again when the feed is back. At the defaults
/// (30 s of silence, backoff from 1 s): it takes about a minute and a half.
#[tokio::test]
async fn readiness_reports_a_silent_live_feed_stale() {
    let recording = baku_2018_race();
    let shutdown = Shutdown::new();
    // A long session (three minutes) so it is still live through the outage.
    let replay = Replay::start(recording.clone(), config(&recording, 180.0));
    let url = serve(&replay, &shutdown).await;
    let app = crate::support::TestApp::start_with(crate::support::recorded_root(), |c| {
        c.livetiming_url = url;
    })
    .await;
    app.post("/fetcher/v1/live/start?season=2018&round=4&session=race").await;
    // The race starts 7:42 into the recording (about 12 s here).
    testkit::wait::until("the session to be live", DEADLINE, || {
        let client = app.client.clone();
        async move {
            let state = client.live().get_live_state(protobuf::v1::Empty {}).await.ok()?.into_inner().state?;
            (state.status == protobuf::v1::SessionStatus::Live as i32).then_some(())
        }
    })
    .await;
    assert_eq!(live_check(&app).await["status"], "ok");
    replay.outage(true);
    // (Why it is degraded is logged, never sent.)
    testkit::wait::until("a stale live feed", DEADLINE, || async {
        (live_check(&app).await["status"] == "degraded").then_some(())
    })
    .await;
    let (code, ready) = app.get("/health/ready").await;
    assert_eq!((code, &ready["status"]), (200, &serde_json::json!("degraded")), "{ready}");
    replay.outage(false);
    testkit::wait::until("the feed back", DEADLINE, || async {
        (live_check(&app).await["status"] == "ok").then_some(())
    })
    .await;
    let (_, status) = app.get("/fetcher/v1/live/status").await;
    assert!(status["reconnects"].as_u64() >= Some(1), "{status}");
    app.post("/fetcher/v1/live/stop").await;
    shutdown.trigger();
}

async fn live_check(app: &crate::support::TestApp) -> serde_json::Value {
    app.get("/health/ready").await.1["checks"]["live_feed"].clone()
}

/// A first start whose hub is already live while the history is still being
/// imported (or a season whose calendar is not stored when a session
/// starts): the board is written at once with what SessionInfo says (round
/// 0), the fetcher asks Jolpica for the season's calendar, and once the
/// calendar is stored the board carries its round. (Before, the failed
/// placement was kept for the whole session: no board was ever written.)
#[tokio::test]
async fn a_live_session_whose_calendar_is_not_stored_yet_is_placed_once_it_is() {
    let recording = baku_2018_race();
    let shutdown = Shutdown::new();
    let replay = Replay::start(recording.clone(), config(&recording, 30.0));
    let url = serve(&replay, &shutdown).await;
    let app = crate::support::TestApp::start_with(crate::support::recorded_root(), |c| c.livetiming_url = url).await;
    let (status, body) = app.post("/fetcher/v1/live/start").await;
    assert_eq!(status, 200, "{body}");

    let board = |round: i32| {
        let client = app.client.clone();
        async move {
            let state = client.live().get_live_state(protobuf::v1::Empty {}).await.ok()?.into_inner().state?;
            (state.round == round && !state.leaderboard.is_empty()).then_some(state)
        }
    };
    let unplaced = testkit::wait::until("a board before the calendar is stored", DEADLINE, || board(0)).await;
    assert_eq!(
        (unplaced.season, unplaced.session_type, unplaced.meeting_name.as_str(), unplaced.session_name.as_str()),
        (2018, SessionType::Race as i32, "Azerbaijan Grand Prix", "Race")
    );
    // It asked for the calendar (none of 2018 is recorded here: the sync is
    // recorded, failed).
    let asked = testkit::wait::until("a calendar fetch for 2018", DEADLINE, || async {
        let runs = app.client.sync_runs(protobuf::v1::SyncKind::Rounds, "jolpica", 10).await.ok()?;
        runs.into_iter().find(|r| r.params == "season=2018")
    })
    .await;
    assert_eq!(asked.trigger, "planned");

    // The first-start import writes the calendar meanwhile.
    app.import(2018, 2018).await;
    let placed = testkit::wait::until("the board placed at round 4", DEADLINE, || board(4)).await;
    assert_eq!((placed.season, placed.meeting_name.as_str()), (2018, "Azerbaijan Grand Prix"));
    app.post("/fetcher/v1/live/stop").await;
    shutdown.trigger();
}

/// Without an F1 TV token the feed still runs, and its status says which
/// topics it goes without and why (car data and positions among them);
/// with one, nothing is missing. An empty token (as `.env.example` has it)
/// is no token.
#[tokio::test]
async fn the_status_names_the_topics_a_feed_without_an_f1tv_token_misses() {
    let topics = |status: &serde_json::Value| -> Vec<String> {
        status["missing_topics"].as_array().unwrap().iter().map(|t| t["topic"].as_str().unwrap().to_owned()).collect()
    };
    for token in [None, Some(" ")] {
        let app = crate::support::TestApp::start_with(crate::support::recorded_root(), |c| {
            c.f1tv_token = token.map(secrecy::SecretString::from);
        })
        .await;
        let (code, status) = app.get("/fetcher/v1/live/status").await;
        assert_eq!((code, &status["f1tv_token"]), (200, &serde_json::json!(false)), "{status}");
        assert_eq!(topics(&status), ["ChampionshipPrediction", "CarData.z", "Position.z"], "{status}");
        let car_data = &status["missing_topics"][1]["reason"];
        assert!(car_data.as_str().is_some_and(|r| r.contains("WIBM_F1TV_TOKEN") && r.contains("car_data")), "{status}");
    }
    let app = crate::support::TestApp::start_with(crate::support::recorded_root(), |c| {
        c.f1tv_token = Some(secrecy::SecretString::from("a-subscriber-token"));
    })
    .await;
    let (_, status) = app.get("/fetcher/v1/live/status").await;
    assert_eq!(status["f1tv_token"], true, "{status}");
    assert!(topics(&status).is_empty(), "{status}");
    assert!(!status.to_string().contains("a-subscriber-token"), "the token itself is never shown");
}
