//! The cache contract, run against every reachable backend.
use std::sync::Arc;
use std::time::Duration;

use data_scheduler::cache::{Cache, Entry, TagVersion};

fn entry(body: &str, tags: &[(&str, u64)]) -> Arc<Entry> {
    Arc::new(Entry {
        body: body.as_bytes().to_vec().into(),
        written_at: 42,
        tags: tags.iter().map(|(t, v)| TagVersion { tag: t.to_string(), version: *v }).collect(),
        cache_class: protobuf::v1::CacheClass::CompletedSeason as i32,
    })
}

async fn entries_round_trip(cache: Arc<dyn Cache>) {
    assert!(cache.get("rounds:2024").await.unwrap().is_none());
    let e = entry("payload", &[("rounds:2024", 3), ("circuit:monza", 0)]);
    cache.put("rounds:2024", e.clone(), Duration::from_secs(60)).await.unwrap();
    assert_eq!(cache.get("rounds:2024").await.unwrap(), Some(e));
}

async fn tag_versions_start_at_zero_and_bump_by_one(cache: Arc<dyn Cache>) {
    let tags = vec!["season:2024".to_string(), "round:2024:5".to_string()];
    assert_eq!(cache.versions(&tags).await.unwrap(), [0, 0]);
    cache.bump(&tags[1..]).await.unwrap();
    cache.bump(&tags[1..]).await.unwrap();
    cache.bump(&tags[..1]).await.unwrap();
    assert_eq!(cache.versions(&tags).await.unwrap(), [1, 2]);
    assert_eq!(cache.versions(&[]).await.unwrap(), Vec::<u64>::new());
}

async fn entries_expire_after_their_ttl(cache: Arc<dyn Cache>) {
    cache.put("short", entry("x", &[]), Duration::from_secs(1)).await.unwrap();
    cache.put("long", entry("y", &[]), Duration::from_secs(600)).await.unwrap();
    testkit::wait::until("the short entry to expire", Duration::from_secs(5), || {
        let cache = cache.clone();
        async move { cache.get("short").await.unwrap().is_none().then_some(()) }
    })
    .await;
    assert!(cache.get("long").await.unwrap().is_some());
}

async fn ping_answers(cache: Arc<dyn Cache>) {
    cache.ping().await.unwrap();
}

crate::cache_tests!(
    entries_round_trip,
    tag_versions_start_at_zero_and_bump_by_one,
    entries_expire_after_their_ttl,
    ping_answers
);
