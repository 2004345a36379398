//! Write then read back through a real tonic client, and cache behaviour
//! seen from the outside (`metadata.cached`).
use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;
use tonic::Code;

use crate::fixtures::*;

async fn seeded() -> (TestDataScheduler, data_client::SportData) {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    c.write_batch(WriteBatchRequest {
        seasons: vec![season_2024()],
        rounds: vec![china_2024()],
        circuits: vec![shanghai()],
        ..Default::default()
    })
    .await
    .unwrap();
    (ds, c)
}

#[tokio::test]
async fn a_round_reads_back_with_its_circuit_and_sessions_in_weekend_order() {
    let (_ds, mut c) = seeded().await;
    let r = c.get_round(RoundKey { season: 2024, round: 5 }).await.unwrap().into_inner();
    let round = r.round.unwrap();
    assert_eq!(round.name, "Chinese Grand Prix");
    assert_eq!(round.circuit.unwrap().turns, 16);
    let types: Vec<i32> = round.sessions.iter().map(|s| s.r#type).collect();
    assert_eq!(types, [SessionType::Practice1 as i32, SessionType::Sprint as i32, SessionType::Race as i32]);
    assert_eq!(round.sessions[2].results[0].driver_name, "Max Verstappen");
    let meta = r.metadata.unwrap();
    assert!(meta.date > 1_700_000_000, "metadata.date is the write time");
    assert!(!meta.cached);

    let rounds = c.get_rounds(SeasonKey { season: 2024 }).await.unwrap().into_inner().rounds;
    assert_eq!(rounds.len(), 1);
    let season = c.get_season(SeasonKey { season: 2024 }).await.unwrap().into_inner().season.unwrap();
    assert_eq!(season.champion_driver_name, "Max Verstappen");
}

#[tokio::test]
async fn a_write_invalidates_then_the_next_read_is_cached() {
    let (_ds, mut c) = seeded().await;
    let key = RoundKey { season: 2024, round: 5 };
    let first = c.get_round(key).await.unwrap().into_inner();
    assert!(!first.metadata.unwrap().cached);
    let second = c.get_round(key).await.unwrap().into_inner();
    assert!(second.metadata.unwrap().cached, "second read comes from the cache");

    // A corrected classification (a penalty swaps P2 and P3) replaces the session.
    let mut corrected = race_results();
    corrected[1].position = 3;
    corrected[2].position = 2;
    corrected.sort_by_key(|r| r.position);
    c.write_batch(WriteBatchRequest {
        sessions: vec![session(SessionType::Race, 1_713_682_800, corrected)],
        ..Default::default()
    })
    .await
    .unwrap();

    let after = c.get_round(key).await.unwrap().into_inner();
    assert!(!after.metadata.unwrap().cached, "the write invalidated the cached round");
    let race = after.round.unwrap().sessions.pop().unwrap();
    let names: Vec<&str> = race.results.iter().map(|r| r.driver_name.as_str()).collect();
    assert_eq!(names, ["Max Verstappen", "Sergio Perez", "Lando Norris"], "no leftovers, no duplicates");
    assert!(c.get_round(key).await.unwrap().into_inner().metadata.unwrap().cached);

    // A write elsewhere does not invalidate this round.
    c.write_batch(WriteBatchRequest {
        drivers: vec![Driver { id: "lando-norris".into(), full_name: "Lando Norris".into(), ..Default::default() }],
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(c.get_round(key).await.unwrap().into_inner().metadata.unwrap().cached);

    // The circuit a round embeds is part of what the round depends on.
    let mut circuit = shanghai();
    circuit.turns = 17;
    c.write_batch(WriteBatchRequest { circuits: vec![circuit], ..Default::default() }).await.unwrap();
    let r = c.get_round(key).await.unwrap().into_inner();
    assert!(!r.metadata.unwrap().cached);
    assert_eq!(r.round.unwrap().circuit.unwrap().turns, 17);
}

#[tokio::test]
async fn standings_after_a_round_and_progression() {
    let (_ds, mut c) = seeded().await;
    let standings = |round: i32, points: f64| Standings {
        season: 2024,
        round,
        drivers: vec![DriverStanding {
            position: 1,
            driver_id: "max-verstappen".into(),
            driver_name: "Max Verstappen".into(),
            points,
            ..Default::default()
        }],
        ..Default::default()
    };
    c.write_batch(WriteBatchRequest { standings: vec![standings(1, 26.0), standings(2, 51.0)], ..Default::default() })
        .await
        .unwrap();
    let latest = c.get_standings(StandingsFilter { season: 2024, after_round: None }).await.unwrap().into_inner();
    assert_eq!(latest.standings.unwrap().drivers[0].points, 51.0);
    let after1 = c.get_standings(StandingsFilter { season: 2024, after_round: Some(1) }).await.unwrap().into_inner();
    assert_eq!(after1.standings.unwrap().drivers[0].points, 26.0);
    let progression = c.get_standings_progression(SeasonKey { season: 2024 }).await.unwrap().into_inner();
    let points: Vec<f64> = progression.rounds.iter().map(|s| s.drivers[0].points).collect();
    assert_eq!(points, [26.0, 51.0]);
}

#[tokio::test]
async fn seasons_filter_and_paginate_newest_first() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    let seasons = (2018..=2025)
        .map(|year| Season {
            year,
            status: if year == 2025 { SeasonStatus::InProgress } else { SeasonStatus::Completed } as i32,
            ..Default::default()
        })
        .collect();
    c.write_batch(WriteBatchRequest { seasons, ..Default::default() }).await.unwrap();
    let page =
        |page, per_page| SeasonFilter { page: Some(Page { page, per_page: Some(per_page) }), ..Default::default() };
    let r = c.get_seasons(page(2, 3)).await.unwrap().into_inner();
    assert_eq!(r.total, 8);
    assert_eq!(r.seasons.iter().map(|s| s.year).collect::<Vec<_>>(), [2022, 2021, 2020]);
    let r = c
        .get_seasons(SeasonFilter { status: SeasonStatus::InProgress as i32, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.seasons.iter().map(|s| s.year).collect::<Vec<_>>(), [2025]);
    let r = c.get_seasons(SeasonFilter { year: Some(2019), ..Default::default() }).await.unwrap().into_inner();
    assert_eq!(r.total, 1);
}

#[tokio::test]
async fn unknown_records_are_not_found() {
    let (ds, mut c) = seeded().await;
    let e = c.get_round(RoundKey { season: 2024, round: 6 }).await.unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    assert!(e.message().contains("round 6 of season 2024"), "{}", e.message());
    assert_eq!(c.get_season(SeasonKey { season: 1999 }).await.unwrap_err().code(), Code::NotFound);
    assert_eq!(c.get_rounds(SeasonKey { season: 1999 }).await.unwrap_err().code(), Code::NotFound);
    assert_eq!(c.get_driver(IdKey { id: "nobody".into() }).await.unwrap_err().code(), Code::NotFound);
    assert_eq!(ds.client().live().get_live_state(Empty {}).await.unwrap_err().code(), Code::NotFound);
}

#[tokio::test]
async fn circuit_images_are_stored_separately_and_flag_the_circuit() {
    let (_ds, mut c) = seeded().await;
    let png = vec![0x89, b'P', b'N', b'G', 1, 2, 3];
    c.write_batch(WriteBatchRequest {
        circuit_images: vec![CircuitImage {
            circuit_id: "shanghai".into(),
            content_type: "image/png".into(),
            data: png.clone(),
            source_url: "/content/dam/shanghai.png".into(),
        }],
        ..Default::default()
    })
    .await
    .unwrap();
    let img = c.get_circuit_image(IdKey { id: "shanghai".into() }).await.unwrap().into_inner().image.unwrap();
    assert_eq!(img.data, png);
    let circuit = c.get_circuit(IdKey { id: "shanghai".into() }).await.unwrap().into_inner().circuit.unwrap();
    assert!(circuit.has_image);
    // The round embeds the circuit without the image bytes.
    let round = c.get_round(RoundKey { season: 2024, round: 5 }).await.unwrap().into_inner().round.unwrap();
    assert!(round.circuit.unwrap().has_image);
}

#[tokio::test]
async fn sync_runs_list_newest_first_by_kind() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().history();
    let mut ids = Vec::new();
    for kind in [SyncKind::Seasons, SyncKind::Rounds, SyncKind::Seasons] {
        let run = SyncRun { kind: kind as i32, outcome: SyncOutcome::Success as i32, ..Default::default() };
        ids.push(c.write_sync_run(run).await.unwrap().into_inner().run.unwrap().id);
    }
    let runs = c
        .get_sync_runs(SyncRunFilter { kind: SyncKind::Seasons as i32, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(runs.total, 2);
    assert_eq!(runs.runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), [ids[2].clone(), ids[0].clone()]);
}

/// The services data_scheduler serves, one per concern.
const SERVICES: [&str; 5] = [
    "willitbemax.v1.SportData",
    "willitbemax.v1.Accounts",
    "willitbemax.v1.Leases",
    "willitbemax.v1.LiveState",
    "willitbemax.v1.SyncHistory",
];

#[tokio::test]
async fn reflection_lists_the_services_and_health_reports_serving() {
    use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient};
    use tonic_reflection::pb::v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };
    let ds = TestDataScheduler::start().await;
    let channel = tonic::transport::Endpoint::from_shared(ds.url()).unwrap().connect().await.unwrap();

    for service in SERVICES {
        let health = HealthClient::new(channel.clone())
            .check(HealthCheckRequest { service: service.into() })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(health.status, ServingStatus::Serving as i32, "{service}");
    }

    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let response = stream.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else { panic!("not a list") };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for service in SERVICES {
        assert!(names.contains(&service.to_string()), "{service} in {names:?}");
    }
    assert!(names.contains(&"grpc.health.v1.Health".to_string()), "{names:?}");
}

#[tokio::test]
async fn http_health_and_readiness_report_each_dependency() {
    let ds = TestDataScheduler::start().await;
    let body = reqwest::get(format!("{}/health/ready", ds.url())).await.unwrap();
    assert_eq!(body.status(), 200);
    let json: serde_json::Value = body.json().await.unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["checks"]["store (embedded)"]["status"], "ok");
    assert_eq!(json["checks"]["cache (memory)"]["status"], "ok");
    let metrics = reqwest::get(format!("{}/metrics", ds.url())).await.unwrap();
    assert_eq!(metrics.status(), 200);
}
