//! With a real redis-server: kill it, reads still answer from the store and
//! readiness says the cache is degraded; restart it, caching resumes.
use std::sync::Arc;
use std::time::Duration;

use data_scheduler::cache::redis::RedisCache;
use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;
use testkit::redis::RedisServer;

use crate::fixtures::*;

#[tokio::test]
async fn reads_survive_a_redis_outage_and_caching_resumes() {
    let Some(mut redis) = RedisServer::start("reads_survive_a_redis_outage_and_caching_resumes") else { return };
    let cache = Arc::new(RedisCache::new(&redis.url(), Duration::from_millis(300)).unwrap());
    let ds = TestDataScheduler::start_with_cache(cache).await;
    let mut c = ds.client().sport();
    c.write_batch(WriteBatchRequest { seasons: vec![season_2024()], rounds: vec![china_2024()], ..Default::default() })
        .await
        .unwrap();
    let key = RoundKey { season: 2024, round: 5 };
    let cached = |r: RoundResponse| r.metadata.unwrap().cached;
    assert!(!cached(c.get_round(key).await.unwrap().into_inner()));
    assert!(cached(c.get_round(key).await.unwrap().into_inner()), "served by Redis");

    redis.kill();
    let during = c.get_round(key).await.expect("reads answer from the store during the outage").into_inner();
    assert!(!cached(during.clone()));
    assert_eq!(during.round.unwrap().name, "Chinese Grand Prix");
    // A write during the outage lands; its invalidation is applied once Redis is back.
    let mut renamed = china_2024();
    renamed.name = "Chinese GP".into();
    c.write_batch(WriteBatchRequest { rounds: vec![renamed], ..Default::default() }).await.unwrap();
    let ready: serde_json::Value =
        reqwest::get(format!("{}/health/ready", ds.url())).await.unwrap().json().await.unwrap();
    assert_eq!(ready["status"], "degraded");
    assert_eq!(ready["checks"]["cache (redis)"]["status"], "degraded");

    redis.restart();
    testkit::wait::until("caching to resume", Duration::from_secs(20), || {
        let mut c = c.clone();
        async move {
            let r = c.get_round(key).await.ok()?.into_inner();
            assert_eq!(r.round.as_ref().unwrap().name, "Chinese GP", "never the stale name");
            cached(r).then_some(())
        }
    })
    .await;
    let ready: serde_json::Value =
        reqwest::get(format!("{}/health/ready", ds.url())).await.unwrap().json().await.unwrap();
    assert_eq!(ready["status"], "ok");
}
