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
    let race = client.sport().get_session(key).await.unwrap().into_inner().session.unwrap();
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

/// The 2023 Azerbaijan sprint as the live feed sent it, merged patch by
/// patch (`patches` of them, in recorded order, SessionStatus included).
fn baku_2023_sprint_live(patches: usize) -> fetcher_service::live::TopicState {
    use fetcher_service::live::replay::Recording;
    let dir = testdata().join("livetiming/static/2023/2023-04-30_Azerbaijan_Grand_Prix/2023-04-29_Sprint");
    let recording = Recording::load(&dir).unwrap();
    let mut state = fetcher_service::live::TopicState::default();
    for p in recording.patches.iter().take(patches) {
        state.apply(&p.topic, p.patch.clone()).unwrap();
    }
    state
}

fn provisional_sprint(state: &fetcher_service::live::TopicState) -> Vec<SessionResult> {
    use fetcher_service::live::board::{SessionRef, classification};
    let at = SessionRef { season: 2023, round: 4, session_type: SessionType::Sprint };
    classification(state, at).unwrap().results
}

/// Every car lit its mini-sectors on the reconnaissance laps, half an hour
/// before the start (recorded, 2023 Baku sprint): that is not taking the
/// start. A car that has not moved since the lights went out is DNS in the
/// provisional classification (as Leclerc's, who crashed on his way to the
/// grid of the 2025 Miami sprint, should have been; it was `R`). At the
/// flag, the order is f1db's: 18 classified and Tsunoda out on lap 3.
/// (Sargeant, f1db's DNS, withdrew before the session: the feed never
/// listed his car.)
#[test]
fn a_car_that_has_not_moved_since_the_start_is_dns_in_the_provisional_classification() {
    use fetcher_service::live::replay::Recording;
    let dir = testdata().join("livetiming/static/2023/2023-04-30_Azerbaijan_Grand_Prix/2023-04-29_Sprint");
    let recording = Recording::load(&dir).unwrap();
    let started = recording
        .patches
        .iter()
        .position(|p| p.topic == "SessionStatus" && p.patch["Status"] == "Started")
        .expect("the recording has the start");
    // Just after the lights: every car has driven to the grid, none has moved since.
    let at_the_start = provisional_sprint(&baku_2023_sprint_live(started + 1));
    assert_eq!(at_the_start.len(), 19);
    for r in &at_the_start {
        assert_eq!((r.position_text.as_str(), r.status.as_str()), ("DNS", "Did not start"), "car {}", r.driver_number);
    }

    let at_the_flag = provisional_sprint(&baku_2023_sprint_live(usize::MAX));
    let order: Vec<(i32, &str)> = at_the_flag.iter().map(|r| (r.driver_number, r.position_text.as_str())).collect();
    let f1db = [11, 16, 1, 63, 55, 14, 44, 18, 23, 81, 20, 24, 10, 21, 27, 77, 4, 31];
    let mut expected: Vec<(i32, String)> = f1db.iter().enumerate().map(|(i, n)| (*n, (i + 1).to_string())).collect();
    expected.push((22, "R".into()));
    let expected: Vec<(i32, &str)> = expected.iter().map(|(n, p)| (*n, p.as_str())).collect();
    assert_eq!(order, expected);
    assert_eq!(at_the_flag[18].status, "Retired");
}
