//! The freshness loop: a session with only a provisional classification is
//! fetched again (with the results backoff) until the official one is
//! stored, and `/scheduler/v1/status` lists it meanwhile.
use protobuf::v1::{Provenance, ResultSource, SessionKey, SessionResult, SessionType, WriteBatchRequest};
use scheduler_api::Clock;

use crate::support::{TestScheduler, World, t};

async fn store_provisional_race(world: &World) {
    let mut client = world.ds.client().sport();
    let key = SessionKey { season: 2024, round: 5, r#type: SessionType::Race as i32 };
    let mut race = client.get_session(key).await.unwrap().into_inner().session.unwrap();
    race.results = (1..=3)
        .map(|p| SessionResult {
            position: p,
            position_text: p.to_string(),
            classified: true,
            driver_name: format!("Driver {p}"),
            ..SessionResult::default()
        })
        .collect();
    race.provenance = Some(Provenance::from_source(ResultSource::LivetimingArchive));
    client.write_batch(WriteBatchRequest { sessions: vec![race], ..Default::default() }).await.unwrap();
}

fn listed(status: &serde_json::Value, list: &str) -> Vec<String> {
    let items = status["results"][list].as_array().unwrap_or_else(|| panic!("{list}: {status}"));
    items.iter().map(|s| format!("{} {}", s["round"], s["type"].as_str().unwrap())).collect()
}

#[tokio::test]
async fn a_provisional_race_is_fetched_again_until_official() {
    // Two and a half hours after the race's start: its results window is open.
    let world = World::new("2024-04-21T09:30:00Z").await;
    store_provisional_race(&world).await;
    world.fetcher.results_appear_on(SessionType::Race, 3);
    let scheduler = TestScheduler::local(&world.config(), &world.clock).await;

    scheduler.settled(world.clock.now()).await;
    let (_, status) = scheduler.get("/scheduler/v1/status").await;
    assert_eq!(listed(&status, "awaiting_official"), ["5 race"]);
    assert!(listed(&status, "overdue").contains(&"5 practice_1".to_string()), "{status}");

    // Each wake retries with the results backoff until Jolpica has them.
    let races = || world.fetcher.calls_of("results").into_iter().filter(|c| c.param("session") == "race").count();
    while races() < 3 {
        let next = scheduler.engine.next_wake().expect("a retry is planned");
        assert!(next < t("2024-04-22T09:00:00Z"), "retried before the overdue limit");
        world.clock.set(next);
        scheduler.settled(next).await;
    }
    let (_, status) = scheduler.get("/scheduler/v1/status").await;
    assert!(listed(&status, "awaiting_official").is_empty(), "{status}");

    // Official now: no further results fetch of the race.
    let next = scheduler.engine.next_wake().unwrap();
    world.clock.set(next);
    scheduler.settled(next).await;
    assert_eq!(races(), 3);
    scheduler.stop().await;
}
