//! Mapping facts checked on the bundled data, without a store.
use protobuf::v1::{RoundFormat, SeasonStatus, SessionStatus, SessionType, WriteBatchRequest};

use super::{F1dbSource, load};

fn season(year: i32) -> WriteBatchRequest {
    let (_, mut seasons) = load(F1dbSource::Bundled, Some(year), Some(year)).unwrap();
    assert_eq!(seasons.len(), 1);
    seasons.pop().unwrap()
}

#[test]
fn season_2021_champion_and_final_standings() {
    let b = season(2021);
    let s = &b.seasons[0];
    assert_eq!(s.status, SeasonStatus::Completed as i32);
    assert_eq!((s.total_rounds, s.current_round), (22, 22));
    assert_eq!(s.champion_driver_id, "max-verstappen");
    assert_eq!(s.champion_constructor_id, "mercedes");
    let last = b.standings.iter().max_by_key(|s| s.round).unwrap();
    assert_eq!(last.round, 22);
    let ver = &last.drivers[0];
    assert_eq!((ver.driver_id.as_str(), ver.points), ("max-verstappen", 395.5));
    assert_eq!((ver.wins, ver.poles, ver.races), (10, 10, 22));
    assert_eq!(ver.team, "Red Bull");
    assert_eq!(b.standings.len(), 22);
}

#[test]
fn china_2024_is_a_sprint_weekend_with_utc_times() {
    let b = season(2024);
    assert_eq!(b.rounds.len(), 24);
    let china = b.rounds.iter().find(|r| r.round == 5).unwrap();
    assert_eq!(china.name, "Chinese Grand Prix");
    assert_eq!(china.circuit_id, "shanghai");
    assert_eq!(china.format, RoundFormat::Sprint as i32);
    let types: Vec<i32> = china.sessions.iter().map(|s| s.r#type).collect();
    for t in [
        SessionType::Practice1,
        SessionType::SprintQualifying,
        SessionType::Sprint,
        SessionType::Qualifying,
        SessionType::Race,
    ] {
        assert!(types.contains(&(t as i32)), "{t:?} missing");
    }
    let race = china.sessions.iter().find(|s| s.r#type == SessionType::Race as i32).unwrap();
    assert_eq!(race.start_time, Some(1_713_682_800)); // 2024-04-21T07:00:00Z
    assert_eq!(race.status, SessionStatus::Finished as i32);
    assert_eq!(race.results[0].driver_id, "max-verstappen");
    assert_eq!(race.results[0].time, "1:40:52.554");
    assert_eq!(race.results[1].time, "+13.773");
    let fastest: Vec<&str> = race.results.iter().filter(|r| r.fastest_lap).map(|r| r.driver_id.as_str()).collect();
    assert_eq!(fastest, ["fernando-alonso"]);
    let s = &b.seasons[0];
    assert_eq!((s.champion_driver_id.as_str(), s.champion_constructor_id.as_str()), ("max-verstappen", "mclaren"));
    let last = b.standings.iter().max_by_key(|s| s.round).unwrap();
    assert_eq!(last.drivers[0].points, 437.0);
}

#[test]
fn season_2026_is_in_progress_without_champion() {
    let b = season(2026);
    let s = &b.seasons[0];
    assert_eq!(s.status, SeasonStatus::InProgress as i32);
    assert_eq!(s.current_round, 11);
    assert!(s.champion_driver_id.is_empty());
    let r12 = b.rounds.iter().find(|r| r.round == 12).unwrap();
    assert!(r12.sessions.iter().any(|x| x.status == SessionStatus::Scheduled as i32));
}

#[test]
fn reference_data_and_aliases() {
    let (reference, _) = load(F1dbSource::Bundled, Some(2024), Some(2024)).unwrap();
    let ver = reference.drivers.iter().find(|d| d.id == "max-verstappen").unwrap();
    assert_eq!((ver.code.as_str(), ver.nationality.as_str(), ver.country_code.as_str()), ("VER", "Dutch", "NL"));
    let shanghai = reference.circuits.iter().find(|c| c.id == "shanghai").unwrap();
    assert_eq!((shanghai.length_km, shanghai.turns, shanghai.country.as_str()), (5.451, 16, "China"));
    assert!(shanghai.race_laps > 0);
    let rb = reference.constructors.iter().find(|c| c.id == "red-bull").unwrap();
    assert_eq!(rb.color, "#3671c6");
    let alias = |kind: &str, src: &str| {
        reference.aliases.iter().find(|a| a.kind == kind && a.source_id == src).map(|a| a.id.as_str())
    };
    assert_eq!(alias("driver", "max_verstappen"), Some("max-verstappen"));
    assert_eq!(alias("driver", "hamilton"), Some("lewis-hamilton"));
    assert_eq!(alias("constructor", "red_bull"), Some("red-bull"));
    assert_eq!(alias("circuit", "shanghai"), Some("shanghai"));
    assert_eq!(alias("circuit", "albert_park"), Some("melbourne"));
}

#[test]
fn every_bundled_season_maps() {
    let t = std::time::Instant::now();
    let (_, seasons) = load(F1dbSource::Bundled, None, None).unwrap();
    eprintln!("mapped {} seasons in {:?}", seasons.len(), t.elapsed());
    assert_eq!(seasons.len(), 77);
}

/// The pit stops of `year`'s races, as the import writes them.
fn timings(year: i32) -> Vec<protobuf::v1::RaceTiming> {
    let (tree, reference) = super::open(&F1dbSource::Bundled, &(year..=year)).unwrap();
    super::season::build(year, &tree.seasons[&year], &reference).unwrap().timings
}

#[test]
fn pit_stops_from_1994_with_their_durations() {
    assert!(timings(1993).is_empty(), "f1db has no pit stops before 1994");
    assert!(!timings(1994).is_empty());
    let bahrain = timings(2023).into_iter().find(|t| t.round == 1).unwrap();
    assert!(bahrain.laps.is_empty(), "f1db has no lap timings");
    let first = &bahrain.pit_stops[0];
    assert_eq!(
        (first.driver_id.as_str(), first.lap, first.stop, first.duration.as_str(), first.time.as_str()),
        ("pierre-gasly", 9, 1, "25.885", "")
    );
    let verstappen = bahrain.pit_stops.iter().filter(|p| p.driver_id == "max-verstappen").count();
    assert_eq!(verstappen, 2);
}
