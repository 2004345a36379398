//! Two scheduler replicas sharing data_scheduler's leases: one leads, each
//! planned run happens once, and the other takes over when the leader stops.
use std::collections::BTreeMap;

use chrono::Duration;
use scheduler_api::Clock;
use scheduler_api::lock::Lock;
use scheduler_api::lock::lease::LeaseLock;
use testkit::data_scheduler::TestDataScheduler;

use crate::fake_fetcher::Call;
use crate::support::{DEADLINE, TestScheduler, World, t};

/// (kind, query, clock time) → how many times the fetcher saw it.
fn tally(calls: &[Call]) -> BTreeMap<(String, String, String), usize> {
    let mut out = BTreeMap::new();
    for c in calls {
        let detail = match &c.body {
            Some(body) => format!("{} {}", body["action"], body["session"]),
            None => format!("{:?}", c.query),
        };
        *out.entry((c.kind.clone(), detail, c.at.to_rfc3339())).or_default() += 1;
    }
    out
}

#[tokio::test]
async fn two_replicas_sharing_data_scheduler_leases_run_each_planned_run_once() {
    // Friday of the Chinese GP, first practice under way.
    let world = World::new("2024-04-19T04:00:00Z").await;
    world.fetcher.results_appear_on(protobuf::v1::SessionType::Practice1, 1);
    let cfg = world.config();
    let a = TestScheduler::local(&cfg, &world.clock).await;
    let b = TestScheduler::local(&cfg, &world.clock).await;

    let mut now = world.clock.now();
    while now <= t("2024-04-19T05:00:00Z") {
        world.clock.set(now);
        a.settled(now).await;
        b.settled(now).await;
        assert!(a.engine.is_leader() ^ b.engine.is_leader(), "exactly one leader at {now}");
        now += Duration::minutes(5);
    }
    let calls = world.fetcher.calls();
    let counts = tally(&calls);
    assert!(counts.values().all(|n| *n == 1), "a planned run happened twice: {counts:#?}");
    let kinds = |kind: &str| calls.iter().filter(|c| c.kind == kind).count();
    assert_eq!(kinds("seasons"), 1);
    assert_eq!(kinds("rounds"), 13, "every 5 min from 04:00 to 05:00");
    assert_eq!(kinds("results"), 1, "first practice's results at 04:35");
    assert_eq!(kinds("live"), 2, "first practice's start (it is under way) and stop");

    // The leader stops (freeing its lock); the other takes over and carries
    // on from the recorded history: no second seasons run.
    let (leader, standby) = if a.engine.is_leader() { (a, b) } else { (b, a) };
    let (_, status) = standby.get("/scheduler/v1/status").await;
    assert_eq!(status["status"], "standby");
    leader.stop().await;
    let next = t("2024-04-19T05:05:00Z");
    world.clock.set(next);
    testkit::wait::until("the standby replica to take the lead", DEADLINE, || async {
        standby.engine.is_leader().then_some(())
    })
    .await;
    standby.settled(next).await;
    let calls = world.fetcher.calls();
    let after: Vec<_> = calls.iter().filter(|c| c.at == next).map(|c| c.kind.as_str()).collect();
    // First practice's archive copy, synced at 04:35 by the old leader, is
    // not synced again.
    assert_eq!(after, ["rounds"]);
    assert_eq!(calls.iter().filter(|c| c.kind == "session-data").count(), 1);
    assert_eq!(calls.iter().filter(|c| c.kind == "seasons").count(), 1);
    standby.stop().await;
}

#[tokio::test]
async fn the_lease_lock_is_renewed_and_released_only_by_its_holder() {
    let ds = TestDataScheduler::start().await;
    let lock = LeaseLock::new(ds.client());
    let ttl = std::time::Duration::from_secs(30);
    assert!(lock.acquire("leader", "a", ttl).await.unwrap());
    assert!(!lock.acquire("leader", "b", ttl).await.unwrap(), "held");
    assert!(!lock.renew("leader", "b", ttl).await.unwrap(), "b does not hold it");
    assert!(!lock.release("leader", "b").await.unwrap(), "b cannot free a's lock");
    assert!(lock.hold("leader", "a", ttl).await.unwrap());
    assert!(lock.release("leader", "a").await.unwrap());
    assert!(lock.hold("leader", "b", ttl).await.unwrap(), "free again");

    // A lock that expires (its holder stopped renewing) goes to the next taker.
    assert!(lock.acquire("run:rounds", "a", std::time::Duration::from_millis(1)).await.unwrap());
    testkit::wait::until("the lock to expire", DEADLINE, || async {
        lock.acquire("run:rounds", "b", ttl).await.unwrap().then_some(())
    })
    .await;
    assert!(!lock.renew("run:rounds", "a", ttl).await.unwrap());

    // data_scheduler down: an error, never a lock.
    ds.stop().await;
    assert!(lock.hold("leader", "b", ttl).await.is_err());
    assert!(lock.ping().await.is_err());
}
