//! What the Jolpica parsers make of recorded answers (insta snapshots), and
//! what they refuse.
use fetcher_service::sources::jolpica::ids::Resolver;
use fetcher_service::sources::jolpica::map;
use fetcher_service::sources::jolpica::parse;
use protobuf::v1::SessionType;
use serde_json::Value;

use crate::support::{ergast, testdata};

fn pages(rel: &str) -> Vec<(String, Value)> {
    let bytes = std::fs::read(testdata().join("jolpica/ergast/f1").join(rel)).unwrap();
    vec![(format!("/{rel}"), serde_json::from_slice(&bytes).unwrap())]
}

#[test]
fn schedule_2024_has_every_session_time() {
    let rounds = parse::schedule(&pages("2024.json")).unwrap();
    assert_eq!(rounds.len(), 24);
    let china = &rounds[4];
    let kinds: Vec<&str> = china.sessions.iter().map(|s| s.session.slug()).collect();
    assert_eq!(kinds, ["practice_1", "sprint_qualifying", "sprint", "qualifying", "race"]);
    insta::assert_json_snapshot!("schedule_2024", rounds);
}

#[test]
fn schedule_2023_reads_the_sprint_shootout_as_sprint_qualifying() {
    let rounds = parse::schedule(&pages("2023.json")).unwrap();
    let baku = rounds.iter().find(|r| r.round == 4).unwrap();
    assert!(baku.session(SessionType::SprintQualifying).is_some());
    insta::assert_json_snapshot!("schedule_2023_round_4", baku);
}

#[test]
fn race_results_2024_britain() {
    let lines = parse::results(&pages("2024/12/results.json"), "Results", 2024, 12).unwrap();
    assert_eq!(lines.len(), 20);
    assert_eq!((lines[0].driver.id.as_str(), lines[0].points), ("hamilton", 25.0));
    insta::assert_json_snapshot!("results_2024_12", lines);
}

#[test]
fn race_results_map_to_stable_ids() {
    let lines = parse::results(&pages("2024/12/results.json"), "Results", 2024, 12).unwrap();
    let mut resolver = Resolver::empty(2024);
    let results =
        map::results("/2024/12/results.json", "Results", SessionType::Race, &lines, &mut resolver, &Default::default())
            .unwrap();
    let top: Vec<(&str, &str, &str)> =
        results.iter().take(3).map(|r| (r.driver_id.as_str(), r.constructor_id.as_str(), r.time.as_str())).collect();
    assert_eq!(
        top,
        [
            ("lewis-hamilton", "mercedes", "1:22:27.059"),
            ("max-verstappen", "red-bull", "+1.465"),
            ("lando-norris", "mclaren", "+7.547")
        ]
    );
    assert_eq!(results.iter().filter(|r| r.fastest_lap).count(), 1);
}

#[test]
fn qualifying_2024_austria() {
    let lines = parse::results(&pages("2024/10/qualifying.json"), "QualifyingResults", 2024, 10).unwrap();
    assert!(lines[0].q3.is_some());
    insta::assert_json_snapshot!("qualifying_2024_10", lines);
}

#[test]
fn sprint_2023_baku_and_2025_miami() {
    let baku = parse::results(&pages("2023/4/sprint.json"), "SprintResults", 2023, 4).unwrap();
    insta::assert_json_snapshot!("sprint_2023_4", baku);
    let miami = parse::results(&pages("2025/6/sprint.json"), "SprintResults", 2025, 6).unwrap();
    assert!(!miami.is_empty());
}

#[test]
fn standings_reconstructed_from_f1db() {
    let dir = tempfile::tempdir().unwrap();
    ergast::write_season(dir.path(), 2021);
    let read = |rel: &str| {
        let bytes = std::fs::read(dir.path().join("ergast/f1").join(rel)).unwrap();
        vec![(format!("/{rel}"), serde_json::from_slice::<Value>(&bytes).unwrap())]
    };
    let drivers = parse::driver_standings(&read("2021/22/driverStandings.json")).unwrap().unwrap();
    assert_eq!(
        (drivers.round, drivers.lines[0].driver.id.as_str(), drivers.lines[0].points),
        (22, "max_verstappen", 395.5)
    );
    insta::assert_json_snapshot!("driver_standings_2021_22", drivers);
    let constructors = parse::constructor_standings(&read("2021/22/constructorStandings.json")).unwrap().unwrap();
    insta::assert_json_snapshot!("constructor_standings_2021_22", constructors);
}

#[test]
fn a_position_listed_twice_is_refused() {
    let mut p = pages("2024/12/results.json");
    p[0].1["MRData"]["RaceTable"]["Races"][0]["Results"][1]["position"] = "1".into();
    p[0].1["MRData"]["RaceTable"]["Races"][0]["Results"][1]["positionText"] = "1".into();
    let err = parse::results(&p, "Results", 2024, 12).unwrap_err();
    assert_eq!(
        err.to_string(),
        "jolpica: /2024/12/results.json: invalid answer: MRData.RaceTable.Races[0].Results[1].position: position 1 is listed twice"
    );
}

#[test]
fn a_missing_field_or_another_round_is_refused() {
    let mut p = pages("2024/12/results.json");
    p[0].1["MRData"]["RaceTable"]["Races"][0]["Results"][3]["Driver"].as_object_mut().unwrap().remove("driverId");
    let err = parse::results(&p, "Results", 2024, 12).unwrap_err();
    assert!(err.to_string().contains("Races[0].Results[3].Driver.driverId: missing"), "{err}");
    let err = parse::results(&pages("2024/12/results.json"), "Results", 2024, 11).unwrap_err();
    assert!(err.to_string().contains("not round 11 of 2024"), "{err}");
}

/// Serves answers from memory, counting requests.
struct Memory(std::collections::HashMap<String, Vec<u8>>, std::sync::Mutex<Vec<String>>);

#[async_trait::async_trait]
impl fetcher_service::upstream::Fetch for Memory {
    async fn get(&self, path: &str) -> Result<Vec<u8>, fetcher_service::upstream::UpstreamError> {
        self.1.lock().unwrap().push(path.to_string());
        self.0.get(path).cloned().ok_or(fetcher_service::upstream::UpstreamError::Status {
            upstream: fetcher_service::upstream::SourceName::Jolpica,
            path: path.into(),
            status: 404,
        })
    }

    fn source(&self) -> fetcher_service::upstream::SourceName {
        fetcher_service::upstream::SourceName::Jolpica
    }
}

#[tokio::test]
async fn pagination_is_followed_to_total() {
    let full = pages("2024/12/results.json").remove(0).1;
    let page = |from: usize, to: usize, limit: &str, offset: &str| {
        let mut p = full.clone();
        let results = p["MRData"]["RaceTable"]["Races"][0]["Results"].as_array().unwrap()[from..to].to_vec();
        p["MRData"]["RaceTable"]["Races"][0]["Results"] = results.into();
        (p["MRData"]["limit"], p["MRData"]["offset"]) = (limit.into(), offset.into());
        serde_json::to_vec(&p).unwrap()
    };
    let memory = Memory(
        [
            ("/2024/12/results.json".to_string(), page(0, 7, "7", "0")),
            ("/2024/12/results.json?limit=100&offset=7".to_string(), page(7, 20, "100", "7")),
        ]
        .into(),
        Default::default(),
    );
    let api = fetcher_service::sources::jolpica::api::Api::new(&memory);
    let lines = api.race_results(2024, 12).await.unwrap();
    assert_eq!(lines.len(), 20);
    // Every row has its place across both pages, non-starter included.
    assert_eq!(lines.iter().map(|l| l.position).collect::<Vec<_>>(), (1..=20).collect::<Vec<_>>());
    assert_eq!(memory.1.lock().unwrap().len(), 2);

    // A page that answers another offset than asked is refused.
    let wrong = Memory(
        [
            ("/2024/12/results.json".to_string(), page(0, 7, "7", "0")),
            ("/2024/12/results.json?limit=100&offset=7".to_string(), page(7, 20, "100", "9")),
        ]
        .into(),
        Default::default(),
    );
    let err = fetcher_service::sources::jolpica::api::Api::new(&wrong).race_results(2024, 12).await.unwrap_err();
    assert!(err.to_string().contains("MRData.offset: 9, asked for 7"), "{err}");
}
