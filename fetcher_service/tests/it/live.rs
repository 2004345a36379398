//! The live client against `wibm replay`'s server over a real WebSocket.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use common::Shutdown;
use fetcher_service::live::replay::{Recording, Replay, ReplayConfig};
use fetcher_service::live::{HubConfig, LiveFeed, SupervisorConfig, TopicState};

const DEADLINE: Duration = Duration::from_secs(30);

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

/// After the recording ends the replay stops pinging (a 1 h interval): the
/// client sees silence, reconnects, and its fresh snapshot replaces its state.
#[tokio::test]
async fn silence_reconnects_and_the_fresh_snapshot_replaces_the_state() {
    let recording = baku_2018_race();
    let expected = merged_directly(&recording);
    let shutdown = Shutdown::new();
    let replay_config = ReplayConfig { ping_interval: Duration::from_secs(3600), ..config(&recording, 1.0) };
    let replay = Replay::start(recording.clone(), replay_config);
    let mut silent_client = client(serve(&replay, &shutdown).await, Duration::from_millis(300));
    silent_client.hub.ping_interval = Duration::from_secs(3600);
    let feed = LiveFeed::spawn(silent_client);
    replay.finished().await;
    testkit::wait::until("two reconnects after silence", DEADLINE, || async {
        (feed.status().reconnects >= 2).then_some(())
    })
    .await;
    ends_at(&feed, &expected).await;
    let status = feed.status();
    assert!(status.last_error.as_deref().is_some_and(|e| e.contains("no frame")), "{status:?}");
    feed.stop().await;
    shutdown.trigger();
}
