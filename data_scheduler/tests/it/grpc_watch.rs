//! The live Watch stream: the current state first, then every change.
use std::time::Duration;

use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;

fn state(lap: i32) -> LiveSessionState {
    LiveSessionState {
        season: 2024,
        round: 5,
        session_type: SessionType::Race as i32,
        current_lap: lap,
        total_laps: 56,
        leaderboard: vec![LiveDriver {
            position: 1,
            driver_number: 1,
            driver_code: "VER".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[tokio::test]
async fn watch_sends_a_snapshot_then_updates() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.grpc();
    c.write_live_state(state(10)).await.unwrap();

    let mut stream = c.watch_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(next(&mut stream).await.current_lap, 10, "snapshot first");
    c.write_live_state(state(11)).await.unwrap();
    assert_eq!(next(&mut stream).await.current_lap, 11, "then the update");

    let current = c.get_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(current.state.unwrap().current_lap, 11);
    assert!(!current.metadata.unwrap().cached, "live state is never cached");
}

#[tokio::test]
async fn live_state_survives_a_restart() {
    let ds = TestDataScheduler::start().await;
    ds.grpc().write_live_state(state(33)).await.unwrap();
    let dir = ds.stop().await;
    let store = std::sync::Arc::new(data_scheduler::store::embedded::EmbeddedStore::open(dir.path()).unwrap());
    let again = TestDataScheduler::start_with(
        store,
        std::sync::Arc::new(data_scheduler::cache::memory::MemoryCache::new(10)),
        dir,
    )
    .await;
    let current = again.grpc().get_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(current.state.unwrap().current_lap, 33);
}

async fn next(stream: &mut tonic::Streaming<LiveSessionState>) -> LiveSessionState {
    tokio::time::timeout(Duration::from_secs(10), stream.message()).await.expect("a message in time").unwrap().unwrap()
}

/// Two replicas sharing a store and a real redis-server: a live write taken
/// by one reaches a watcher of the other (Redis pub/sub), and the other's
/// GetLiveState answers the new state (read from the shared store).
#[tokio::test]
async fn a_live_write_on_one_replica_reaches_a_watcher_on_another() {
    let Some(redis) = testkit::redis::RedisServer::start("a_live_write_on_one_replica_reaches_a_watcher_on_another")
    else {
        return;
    };
    let (replicas, _store) = TestDataScheduler::replicas(&redis.url(), 2).await;
    let (a, b) = (&replicas[0], &replicas[1]);
    let mut watcher = b.grpc().watch_live_state(Empty {}).await.unwrap().into_inner();
    // Wait until b's listener is subscribed: a write before that is only in
    // the store (b catches up from it when it subscribes, not via a message).
    testkit::wait::until("b subscribed to the live channel", Duration::from_secs(10), || async {
        let mut conn = redis::Client::open(redis.url()).ok()?.get_multiplexed_async_connection().await.ok()?;
        let counts: Vec<(String, i64)> =
            redis::cmd("PUBSUB").arg("NUMSUB").arg("wibm:live").query_async(&mut conn).await.ok()?;
        (counts.first().map(|c| c.1) >= Some(2)).then_some(())
    })
    .await;
    a.grpc().write_live_state(state(41)).await.unwrap();
    assert_eq!(next(&mut watcher).await.current_lap, 41, "b's watcher sees a's write");
    a.grpc().write_live_state(state(42)).await.unwrap();
    assert_eq!(next(&mut watcher).await.current_lap, 42);
    let current = b.grpc().get_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(current.state.unwrap().current_lap, 42, "b answers the state a wrote");
}
