//! The lease contract (what the scheduler's leader election relies on), run
//! against the in-process backend and, when redis-server exists, Redis.
use std::sync::Arc;
use std::time::Duration;

use data_scheduler::lease::{Leases, LocalLeases, redis::RedisLeases};
use testkit::redis::RedisServer;

async fn only_the_holder_renews_and_releases(leases: Arc<dyn Leases>) {
    let ttl = Duration::from_secs(30);
    assert!(leases.acquire("leader", "a", ttl).await.unwrap());
    assert!(!leases.acquire("leader", "b", ttl).await.unwrap(), "held");
    assert!(!leases.renew("leader", "b", ttl).await.unwrap(), "b does not hold it");
    assert!(!leases.release("leader", "b").await.unwrap(), "b cannot free a's lease");
    assert!(leases.renew("leader", "a", ttl).await.unwrap());
    assert!(leases.release("leader", "a").await.unwrap());
    assert!(leases.acquire("leader", "b", ttl).await.unwrap(), "free again");
}

async fn an_expired_lease_goes_to_the_next_taker(leases: Arc<dyn Leases>) {
    let ttl = Duration::from_secs(30);
    assert!(leases.acquire("run:rounds", "a", Duration::from_millis(1)).await.unwrap());
    testkit::wait::until("the lease to expire", Duration::from_secs(5), || {
        let leases = leases.clone();
        async move { leases.acquire("run:rounds", "b", ttl).await.unwrap().then_some(()) }
    })
    .await;
    assert!(!leases.renew("run:rounds", "a", ttl).await.unwrap());
}

#[tokio::test]
async fn in_process_leases() {
    only_the_holder_renews_and_releases(Arc::new(LocalLeases::new())).await;
    an_expired_lease_goes_to_the_next_taker(Arc::new(LocalLeases::new())).await;
}

#[tokio::test]
async fn redis_leases() {
    let Some(mut redis) = RedisServer::start("redis_leases") else { return };
    let leases = || Arc::new(RedisLeases::new(&redis.url(), Duration::from_secs(2)).expect("redis leases"));
    only_the_holder_renews_and_releases(leases()).await;
    an_expired_lease_goes_to_the_next_taker(leases()).await;
    // Redis down: an error, never a lease.
    let down = leases();
    redis.kill();
    assert!(down.acquire("leader", "c", Duration::from_secs(30)).await.is_err());
}
