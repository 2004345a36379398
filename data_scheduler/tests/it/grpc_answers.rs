//! Answers passed through as bytes (a cache hit decodes to the miss's
//! answer), their cache class, and the reads added for pages: the calendar
//! without results, careers, and leases.
use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;
use tonic::Code;

use crate::fixtures::*;

fn driver_standing(season: i32, id: &str, team: &str, position: i32, points: f64) -> DriverStanding {
    DriverStanding {
        position,
        position_text: position.to_string(),
        driver_id: id.into(),
        constructor_id: team.into(),
        points,
        wins: i32::from(position == 1),
        races: season - 2020,
        ..Default::default()
    }
}

fn standings(season: i32, round: i32, drivers: Vec<DriverStanding>) -> Standings {
    let constructors = vec![ConstructorStanding {
        position: 1,
        position_text: "1".into(),
        constructor_id: "red-bull".into(),
        points: drivers.iter().filter(|d| d.constructor_id == "red-bull").map(|d| d.points).sum(),
        ..Default::default()
    }];
    Standings { season, round, drivers, constructors, provenance: None }
}

async fn seeded() -> (TestDataScheduler, data_client::SportData) {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    let mut season_2023 = season_2024();
    season_2023.year = 2023;
    c.write_batch(WriteBatchRequest {
        seasons: vec![season_2023, season_2024()],
        rounds: vec![china_2024()],
        circuits: vec![shanghai()],
        drivers: vec![Driver { id: "max-verstappen".into(), full_name: "Max Verstappen".into(), ..Default::default() }],
        constructors: vec![Constructor { id: "red-bull".into(), name: "Red Bull".into(), ..Default::default() }],
        standings: vec![
            standings(2023, 22, vec![driver_standing(2023, "max-verstappen", "red-bull", 1, 575.0)]),
            standings(2024, 4, vec![driver_standing(2024, "max-verstappen", "red-bull", 1, 77.0)]),
            standings(
                2024,
                5,
                vec![
                    driver_standing(2024, "max-verstappen", "red-bull", 1, 110.0),
                    driver_standing(2024, "sergio-perez", "red-bull", 2, 85.0),
                ],
            ),
        ],
        ..Default::default()
    })
    .await
    .unwrap();
    (ds, c)
}

#[tokio::test]
async fn a_cache_hit_decodes_to_the_same_answer_as_the_miss() {
    let (_ds, mut c) = seeded().await;
    let key = SeasonKey { season: 2024 };
    let miss = c.get_rounds(key).await.unwrap().into_inner();
    let hit = c.get_rounds(key).await.unwrap().into_inner();
    let (miss_meta, hit_meta) = (miss.metadata.unwrap(), hit.metadata.unwrap());
    assert!(!miss_meta.cached);
    assert!(hit_meta.cached, "the second read is a hit");
    assert_eq!(hit_meta.date, miss_meta.date);
    assert_eq!(hit_meta.cache_class, CacheClass::CompletedSeason as i32);
    assert_eq!(miss_meta.cache_class, CacheClass::CompletedSeason as i32);
    assert_eq!(hit.rounds, miss.rounds);
    assert_eq!(hit.rounds[0].sessions[2].results[0].driver_name, "Max Verstappen");
}

#[tokio::test]
async fn answers_carry_their_cache_class() {
    let (_ds, mut c) = seeded().await;
    let class = |m: Option<Metadata>| CacheClass::try_from(m.unwrap().cache_class).unwrap();
    let circuit = c.get_circuit(IdKey { id: "shanghai".into() }).await.unwrap().into_inner();
    assert_eq!(class(circuit.metadata), CacheClass::Reference);
    let mut current = season_2024();
    current.status = SeasonStatus::InProgress as i32;
    c.write_batch(WriteBatchRequest { seasons: vec![current], ..Default::default() }).await.unwrap();
    let season = c.get_season(SeasonKey { season: 2024 }).await.unwrap().into_inner();
    assert_eq!(class(season.metadata), CacheClass::CurrentSeason);
}

#[tokio::test]
async fn the_calendar_has_every_session_and_no_results() {
    let (_ds, mut c) = seeded().await;
    let calendar = c.get_calendar(SeasonKey { season: 2024 }).await.unwrap().into_inner();
    let round = &calendar.rounds[0];
    assert_eq!(round.name, "Chinese Grand Prix");
    assert_eq!(round.circuit.as_ref().unwrap().name, "Shanghai International Circuit");
    assert_eq!(round.sessions.len(), 3);
    assert!(round.sessions.iter().all(|s| s.results.is_empty()));
    // The full rounds (cached separately) keep their results.
    let full = c.get_rounds(SeasonKey { season: 2024 }).await.unwrap().into_inner();
    assert_eq!(full.rounds[0].sessions[2].results.len(), 3);
    let missing = c.get_calendar(SeasonKey { season: 1999 }).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn a_driver_career_has_every_final_standing_and_the_latest_races() {
    let (_ds, mut c) = seeded().await;
    let career = c.get_driver_career(IdKey { id: "max-verstappen".into() }).await.unwrap().into_inner();
    assert_eq!(career.driver.unwrap().full_name, "Max Verstappen");
    let seasons: Vec<(i32, f64)> =
        career.seasons.iter().map(|s| (s.season, s.standing.as_ref().unwrap().points)).collect();
    assert_eq!(seasons, [(2024, 110.0), (2023, 575.0)], "final standings, newest first");
    let race = &career.latest_races[0];
    assert_eq!((race.round, race.name.as_str(), race.position_text.as_str()), (5, "Chinese Grand Prix", "1"));
    assert_eq!(race.sprint_position_text, "1");
    assert_eq!(race.points, 33.0, "race and sprint points");

    // A new standing invalidates the cached career.
    let again = c.get_driver_career(IdKey { id: "max-verstappen".into() }).await.unwrap().into_inner();
    assert!(again.metadata.unwrap().cached);
    let later = standings(2024, 6, vec![driver_standing(2024, "max-verstappen", "red-bull", 1, 136.0)]);
    c.write_batch(WriteBatchRequest { standings: vec![later], ..Default::default() }).await.unwrap();
    let fresh = c.get_driver_career(IdKey { id: "max-verstappen".into() }).await.unwrap().into_inner();
    assert_eq!(fresh.seasons[0].standing.as_ref().unwrap().points, 136.0);

    let unknown = c.get_driver_career(IdKey { id: "nobody".into() }).await.unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
}

#[tokio::test]
async fn a_constructor_career_has_its_drivers_each_season() {
    let (_ds, mut c) = seeded().await;
    let career = c.get_constructor_career(IdKey { id: "red-bull".into() }).await.unwrap().into_inner();
    assert_eq!(career.constructor.unwrap().name, "Red Bull");
    let seasons: Vec<(i32, usize)> = career.seasons.iter().map(|s| (s.season, s.drivers.len())).collect();
    assert_eq!(seasons, [(2024, 2), (2023, 1)]);
    assert_eq!(career.seasons[0].standing.as_ref().unwrap().points, 195.0);
}

#[tokio::test]
async fn a_lease_is_renewed_and_released_only_by_its_holder() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().leases();
    let req = |token: &str| LeaseRequest { name: "leader".into(), token: token.into(), ttl_ms: 30_000 };
    assert!(c.acquire_lease(req("a")).await.unwrap().into_inner().held);
    assert!(!c.acquire_lease(req("b")).await.unwrap().into_inner().held);
    assert!(!c.renew_lease(req("b")).await.unwrap().into_inner().held);
    assert!(!c.release_lease(req("b")).await.unwrap().into_inner().held);
    assert!(c.renew_lease(req("a")).await.unwrap().into_inner().held);
    assert!(c.release_lease(req("a")).await.unwrap().into_inner().held);
    assert!(c.acquire_lease(req("b")).await.unwrap().into_inner().held);
    let bad = c.acquire_lease(LeaseRequest { ttl_ms: 0, ..req("c") }).await.unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(bad.message().contains("ttl_ms"));
}

#[tokio::test]
async fn sync_runs_filter_by_source() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().history();
    for source in ["scheduler", "jolpica", "scheduler"] {
        let run = SyncRun {
            kind: SyncKind::Results as i32,
            source: source.into(),
            outcome: SyncOutcome::Success as i32,
            ..Default::default()
        };
        c.write_sync_run(run).await.unwrap();
    }
    let filter = SyncRunFilter { kind: SyncKind::Results as i32, source: "scheduler".into(), page: None };
    let runs = c.get_sync_runs(filter).await.unwrap().into_inner();
    assert_eq!(runs.total, 2);
    assert!(runs.runs.iter().all(|r| r.source == "scheduler"));
    let unset = c.write_sync_run(SyncRun::default()).await.unwrap_err();
    assert_eq!(unset.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn a_career_counts_race_entries_and_a_new_race_shows_at_once() {
    let (_ds, mut c) = seeded().await;
    let career = c.get_driver_career(IdKey { id: "max-verstappen".into() }).await.unwrap().into_inner();
    let entries = &career.seasons[0].entries;
    assert_eq!(entries.iter().map(|e| e.entries).collect::<Vec<_>>(), [1], "one race stored: {entries:?}");
    assert!(career.seasons[1].entries.is_empty(), "2023 has a standing but no stored race");

    // Another race, with another number: the kept career (and the kept index
    // of entries it is read from) gives way at once.
    let mut next = china_2024();
    next.round = 6;
    for s in &mut next.sessions {
        s.round = 6;
        for r in &mut s.results {
            if r.driver_id == "max-verstappen" {
                r.driver_number = 33;
                r.constructor_id = "red-bull".into();
            }
        }
    }
    c.write_batch(WriteBatchRequest { rounds: vec![next], ..Default::default() }).await.unwrap();
    let fresh = c.get_driver_career(IdKey { id: "max-verstappen".into() }).await.unwrap().into_inner();
    let entries = &fresh.seasons[0].entries;
    assert_eq!(entries.len(), 2, "a team per entry: {entries:?}");
    assert_eq!((entries[1].constructor_id.as_str(), entries[1].numbers.as_slice()), ("red-bull", &[33][..]));
    let team = c.get_constructor_career(IdKey { id: "red-bull".into() }).await.unwrap().into_inner();
    assert_eq!(team.seasons[0].entries.iter().find(|e| e.driver_id == "max-verstappen").unwrap().entries, 1);
}
