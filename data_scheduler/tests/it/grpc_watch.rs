//! The live Watch stream: the current state first, then every change; the
//! state kept across a restart and shared by replicas. On every store backend.
use std::sync::Arc;
use std::time::Duration;

use data_scheduler::cache::memory::MemoryCache;
use data_scheduler::store::{Store, embedded::EmbeddedStore};
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

/// A data_scheduler on `store` with the in-process cache.
async fn start(store: Arc<dyn Store>) -> TestDataScheduler {
    TestDataScheduler::start_with(store, Arc::new(MemoryCache::new(10)), tempfile::tempdir().unwrap()).await
}

async fn watch_sends_a_snapshot_then_updates(store: Arc<dyn Store>) {
    let ds = start(store).await;
    let mut c = ds.client().live();
    c.write_live_state(state(10)).await.unwrap();

    let mut stream = c.watch_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(next(&mut stream).await.current_lap, 10, "snapshot first");
    c.write_live_state(state(11)).await.unwrap();
    assert_eq!(next(&mut stream).await.current_lap, 11, "then the update");

    let current = c.get_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(current.state.unwrap().current_lap, 11);
    assert!(!current.metadata.unwrap().cached, "live state is never cached");
}

crate::store_tests!(watch_sends_a_snapshot_then_updates);

/// `open` opens the same store each time (the embedded file, the MongoDB
/// database): what one data_scheduler wrote, the next one started answers.
async fn live_state_survives_a_restart<F: Future<Output = Arc<dyn Store>>>(open: impl Fn() -> F) {
    let ds = start(open().await).await;
    ds.client().live().write_live_state(state(33)).await.unwrap();
    ds.stop().await;
    let again = start(open().await).await;
    let current = again.client().live().get_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(current.state.unwrap().current_lap, 33);
}

#[tokio::test]
async fn live_state_survives_a_restart_on_embedded() {
    let dir = tempfile::tempdir().unwrap();
    live_state_survives_a_restart(|| async { Arc::new(EmbeddedStore::open(dir.path()).unwrap()) as Arc<dyn Store> })
        .await;
}

#[tokio::test]
async fn live_state_survives_a_restart_on_mongodb() {
    let test = "live_state_survives_a_restart_on_mongodb";
    let db = testkit::mongodb::database_name();
    if crate::backends::mongo_db(test, &db).await.is_none() {
        return;
    }
    live_state_survives_a_restart(|| async { crate::backends::mongo_db(test, &db).await.unwrap().store }).await;
}

async fn next(stream: &mut tonic::Streaming<LiveSessionState>) -> LiveSessionState {
    tokio::time::timeout(Duration::from_secs(10), stream.message()).await.expect("a message in time").unwrap().unwrap()
}

/// Two replicas whose stores `open` gives (each its own handle on the same
/// data) and `redis`, each fanning live writes and change announcements out
/// through it (as `server::fan_out_live` does), once both listen on
/// `channel`.
pub async fn two_replicas<F: Future<Output = Arc<dyn Store>>>(
    redis: &testkit::redis::RedisServer,
    open: impl Fn() -> F,
    channel: &str,
) -> Vec<TestDataScheduler> {
    use data_scheduler::cache::live_bus::RedisLiveBus;

    let mut replicas = Vec::new();
    for _ in 0..2 {
        let ds = start(open().await).await;
        let bus = Arc::new(RedisLiveBus::new(&redis.url(), Duration::from_secs(2)).unwrap());
        ds.repo.attach_live_bus(bus.clone(), ds.shutdown.clone());
        ds.repo.changes().attach(bus, ds.shutdown.clone());
        replicas.push(ds);
    }
    // A write before both listen is only in the store (a listener catches
    // up when it subscribes, not via a message).
    testkit::wait::until("both replicas subscribed", Duration::from_secs(10), || async {
        let mut conn = redis::Client::open(redis.url()).ok()?.get_multiplexed_async_connection().await.ok()?;
        let counts: Vec<(String, i64)> =
            redis::cmd("PUBSUB").arg("NUMSUB").arg(channel).query_async(&mut conn).await.ok()?;
        (counts.first().map(|c| c.1) >= Some(2)).then_some(())
    })
    .await;
    replicas
}

/// Two replicas sharing a store and a real redis-server: a live write taken
/// by one reaches a watcher of the other (Redis pub/sub), and the other's
/// GetLiveState answers the new state (read from the shared store).
async fn a_live_write_on_one_replica_reaches_a_watcher_on_another<F: Future<Output = Arc<dyn Store>>>(
    test: &str,
    open: impl Fn() -> F,
) {
    let Some(redis) = testkit::redis::RedisServer::start(test) else {
        return;
    };
    let replicas = two_replicas(&redis, open, "wibm:live").await;
    let (a, b) = (&replicas[0], &replicas[1]);
    let mut watcher = b.client().live().watch_live_state(Empty {}).await.unwrap().into_inner();
    a.client().live().write_live_state(state(41)).await.unwrap();
    assert_eq!(next(&mut watcher).await.current_lap, 41, "b's watcher sees a's write");
    a.client().live().write_live_state(state(42)).await.unwrap();
    assert_eq!(next(&mut watcher).await.current_lap, 42);
    let current = b.client().live().get_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(current.state.unwrap().current_lap, 42, "b answers the state a wrote");
}

/// The embedded store allows one process: both replicas share its handle.
#[tokio::test]
async fn a_live_write_on_one_replica_reaches_a_watcher_on_another_on_embedded() {
    let shared = crate::backends::embedded();
    a_live_write_on_one_replica_reaches_a_watcher_on_another(
        "a_live_write_on_one_replica_reaches_a_watcher_on_another_on_embedded",
        || async { shared.store.clone() },
    )
    .await;
}

/// Each replica connects to the MongoDB database on its own, as in production.
#[tokio::test]
async fn a_live_write_on_one_replica_reaches_a_watcher_on_another_on_mongodb() {
    let test = "a_live_write_on_one_replica_reaches_a_watcher_on_another_on_mongodb";
    let db = testkit::mongodb::database_name();
    if crate::backends::mongo_db(test, &db).await.is_none() {
        return;
    }
    a_live_write_on_one_replica_reaches_a_watcher_on_another(test, || async {
        crate::backends::mongo_db(test, &db).await.unwrap().store
    })
    .await;
}
