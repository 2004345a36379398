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
    let mut c = ds.client();
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
    ds.client().write_live_state(state(33)).await.unwrap();
    let dir = ds.stop().await;
    let store = std::sync::Arc::new(data_scheduler::store::embedded::EmbeddedStore::open(dir.path()).unwrap());
    let again = TestDataScheduler::start_with(
        store,
        std::sync::Arc::new(data_scheduler::cache::memory::MemoryCache::new(10)),
        dir,
    )
    .await;
    let current = again.client().get_live_state(Empty {}).await.unwrap().into_inner();
    assert_eq!(current.state.unwrap().current_lap, 33);
}

async fn next(stream: &mut tonic::Streaming<LiveSessionState>) -> LiveSessionState {
    tokio::time::timeout(Duration::from_secs(10), stream.message()).await.expect("a message in time").unwrap().unwrap()
}
