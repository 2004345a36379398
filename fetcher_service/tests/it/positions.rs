//! A position for every row: real races with retirements, non-starters and
//! a disqualification keep their published order 1..N, their position text
//! and whether they are classified, from every source that publishes them.
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use fetcher_service::sources::jolpica::ids::Resolver;
use fetcher_service::sources::jolpica::{map, parse};
use protobuf::v1::{SessionKey, SessionResult, SessionType};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;

use crate::support::testdata;

/// (position, position_text, classified, driver id) of every row.
fn rows(results: &[SessionResult]) -> Vec<(i32, &str, bool, &str)> {
    results.iter().map(|r| (r.position, r.position_text.as_str(), r.classified, r.driver_id.as_str())).collect()
}

fn assert_one_to_n(results: &[SessionResult]) {
    let positions: Vec<i32> = results.iter().map(|r| r.position).collect();
    assert_eq!(positions, (1..=results.len() as i32).collect::<Vec<_>>());
    for r in results {
        assert_eq!(r.classified, r.position_text == r.position.to_string(), "{r:?}");
    }
}

fn jolpica(rel: &str, season: i32, round: i32) -> Vec<SessionResult> {
    let bytes = std::fs::read(testdata().join("jolpica/ergast/f1").join(rel)).unwrap();
    let pages = vec![(format!("/{rel}"), serde_json::from_slice::<Value>(&bytes).unwrap())];
    let lines = parse::results(&pages, "Results", season, round).unwrap();
    let mut resolver = Resolver::empty(season);
    map::results(rel, "Results", SessionType::Race, &lines, &mut resolver, &Default::default()).unwrap()
}

/// 2024 São Paulo GP (f1db): Colapinto and Sainz retired, Albon and Stroll
/// did not start, Hülkenberg was disqualified (a push start).
#[tokio::test]
async fn f1db_sao_paulo_2024_has_retirements_non_starters_and_a_disqualification() {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    import_into(&client, F1dbSource::Bundled, Some(2024), Some(2024), |_| {}).await.unwrap();
    let key = SessionKey { season: 2024, round: 21, r#type: SessionType::Race as i32 };
    let race = client.grpc().get_session(key).await.unwrap().into_inner().session.unwrap();
    assert_eq!(race.results.len(), 20);
    assert_one_to_n(&race.results);
    assert_eq!(
        rows(&race.results[..3]),
        [(1, "1", true, "max-verstappen"), (2, "2", true, "esteban-ocon"), (3, "3", true, "pierre-gasly"),]
    );
    assert_eq!(
        rows(&race.results[14..]),
        [
            (15, "15", true, "guanyu-zhou"),
            (16, "R", false, "carlos-sainz-jr"),
            (17, "R", false, "franco-colapinto"),
            (18, "DNS", false, "alexander-albon"),
            (19, "DNS", false, "lance-stroll"),
            (20, "DQ", false, "nico-hulkenberg"),
        ]
    );
    // f1db's reasons: Albon's car was damaged in qualifying, Stroll slid off
    // on the way to the grid; neither started the race.
    let statuses: Vec<&str> = race.results[17..19].iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["Car damaged in qualifying", "Accident"]);
    let provenance = race.provenance.unwrap();
    assert!(!provenance.is_provisional() && provenance.updated_at > 0);
}

/// 2024 British GP (Jolpica): Russell retired, Gasly did not start
/// (Ergast writes `W` with the status "Did not start").
#[test]
fn jolpica_britain_2024_tells_a_non_starter_from_a_retirement() {
    let results = jolpica("2024/12/results.json", 2024, 12);
    assert_one_to_n(&results);
    assert_eq!(
        rows(&results[17..]),
        [(18, "18", true, "guanyu-zhou"), (19, "R", false, "george-russell"), (20, "DNS", false, "pierre-gasly"),]
    );
    assert_eq!((results[18].status.as_str(), results[19].status.as_str()), ("Retired", "Did not start"));
}

/// 2025 Bahrain GP (Jolpica): Sainz retired, Hülkenberg was disqualified.
#[test]
fn jolpica_bahrain_2025_keeps_the_disqualified_car_in_the_order() {
    let results = jolpica("2025/4/results.json", 2025, 4);
    assert_one_to_n(&results);
    assert_eq!(
        rows(&results[17..]),
        [
            (18, "18", true, "gabriel-bortoleto"),
            (19, "R", false, "carlos-sainz-jr"),
            (20, "DQ", false, "nico-hulkenberg"),
        ]
    );
}
