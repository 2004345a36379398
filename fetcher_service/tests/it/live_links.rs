//! How the live client treats a link that goes quiet, at the settings a user
//! runs (`Config::default()`'s silence, backoff and ping interval), on
//! tokio's paused clock: the hub is `wibm replay` over a real WebSocket in
//! the same runtime, so virtual time moves only when both sides are idle.
use std::path::PathBuf;
use std::time::Duration;

use common::Shutdown;
use fetcher_service::config::Config;
use fetcher_service::live::replay::{Recording, Replay, ReplayConfig};
use fetcher_service::live::{LiveFeed, SupervisorConfig};
use tokio::time::Instant;

/// The first minutes of the 2018 Baku race recording: enough for a snapshot.
fn opening_of_a_race() -> Recording {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/livetiming/static/2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race");
    let mut recording = Recording::load(&dir).expect("the recorded race loads");
    recording.patches.truncate(300);
    recording
}

/// A hub that has played its whole recording (so a client's snapshot is
/// everything and no feed follows), pinging every `ping` (`None`: never).
async fn quiet_hub(ping: Option<Duration>, shutdown: &Shutdown) -> String {
    let config =
        ReplayConfig { ping_interval: ping.unwrap_or(Duration::from_secs(365 * 86_400)), ..ReplayConfig::default() };
    let replay = Replay::start(opening_of_a_race(), config);
    replay.finished().await;
    let addr = replay.serve("127.0.0.1:0".parse().unwrap(), shutdown.clone()).await.unwrap();
    format!("http://{addr}")
}

/// The supervisor exactly as the fetcher configures it by default.
fn defaults(base_url: String) -> SupervisorConfig {
    Config { livetiming_url: base_url, ..Config::default() }.live_settings().supervisor
}

/// Waits in virtual time (the clock is paused) until `check` holds.
async fn until(what: &str, limit: Duration, check: impl Fn() -> bool) {
    let end = Instant::now() + limit;
    while !check() {
        assert!(Instant::now() < end, "{what}: not within {limit:?} of virtual time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The hub sends its snapshot and then nothing, not even a ping, without
/// closing the socket: the fetcher drops the link once `silence` has passed
/// since the last frame, and is connected again within the first backoff.
/// (On the old loop the silence timeout was made anew every turn and the
/// one-second gauge tick restarted it: it never fired.)
#[tokio::test(start_paused = true)]
async fn a_half_open_link_is_dropped_after_the_default_silence() {
    let shutdown = Shutdown::new();
    let config = defaults(quiet_hub(None, &shutdown).await);
    let (silence, backoff) = (config.silence, config.backoff_min);
    assert_eq!(silence, Duration::from_secs(30), "the documented default");
    let feed = LiveFeed::spawn(config);
    until("the snapshot", Duration::from_secs(10), || !feed.watch().borrow().is_empty()).await;
    let snapshot_at = Instant::now();

    until("a reconnect after silence", Duration::from_secs(300), || feed.status().reconnects >= 1).await;
    let dropped_after = snapshot_at.elapsed();
    assert!(dropped_after >= silence, "not before the silence ran out ({dropped_after:?})");
    assert!(dropped_after <= silence + backoff + Duration::from_secs(1), "dropped after {dropped_after:?}");
    let status = feed.status();
    assert!(status.last_error.as_deref().is_some_and(|e| e.contains("no frame")), "{status:?}");
    until("connected again", backoff + Duration::from_secs(5), || feed.status().connected).await;
    feed.stop().await;
    shutdown.trigger();
}

/// A hub that keeps pinging (as the real one does, every 15 s) but sends no
/// data is alive: no reconnect in ten minutes of a quiet session.
#[tokio::test(start_paused = true)]
async fn a_hub_that_only_pings_is_alive() {
    let shutdown = Shutdown::new();
    let config = defaults(quiet_hub(Some(Duration::from_secs(15)), &shutdown).await);
    let feed = LiveFeed::spawn(config);
    until("the snapshot", Duration::from_secs(10), || !feed.watch().borrow().is_empty()).await;
    let quiet = Instant::now();
    while quiet.elapsed() < Duration::from_secs(600) {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let status = feed.status();
        assert!(status.connected && status.reconnects == 0, "after {:?}: {status:?}", quiet.elapsed());
        assert!(status.last_frame_age_ms.is_some_and(|ms| ms <= 15_000), "pings keep the link fresh: {status:?}");
    }
    feed.stop().await;
    shutdown.trigger();
}
