//! The scraper on the RECONSTRUCTED pages of `testdata/formula1` (see its
//! README), through a `Fetch` that reads files.
use std::path::PathBuf;

use async_trait::async_trait;
use protobuf::domain::utc_instant;
use protobuf::v1::{RoundFormat, SessionStatus, SessionType};
use serde_json::{Value, json};

use super::*;
use crate::upstream::{Fetch, SourceName, UpstreamError};

/// Serves `testdata/formula1/{root}{path}` (pages get `.html` appended);
/// a missing file answers 404.
struct Pages {
    root: &'static str,
    suffix: &'static str,
}

const SITE: Pages = Pages { root: "", suffix: ".html" };
const CHANGED: Pages = Pages { root: "changed", suffix: ".html" };
const MEDIA: Pages = Pages { root: "media", suffix: "" };

#[async_trait]
impl Fetch for Pages {
    async fn get(&self, path: &str) -> Result<Vec<u8>, UpstreamError> {
        let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/formula1").join(self.root).join(format!(
            "{}{}",
            path.trim_start_matches('/'),
            self.suffix
        ));
        std::fs::read(file).map_err(|_| UpstreamError::Status {
            upstream: SourceName::Formula1,
            path: path.into(),
            status: 404,
        })
    }

    fn source(&self) -> SourceName {
        SourceName::Formula1
    }
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/formula1").join(path)).unwrap()
}

const GB_FP1: &str = "/en/results/2024/races/1240/great-britain/practice/1";

#[tokio::test]
async fn season_page_lists_the_rounds_without_testing() {
    let rounds = season_rounds(&SITE, 2024).await.unwrap();
    insta::assert_json_snapshot!("season_2024", rounds);
    assert_eq!(rounds.len(), 24);
    assert_eq!((rounds[4].round, rounds[4].slug.as_str(), rounds[4].title.as_str()), (5, "china", "China"));
    assert_eq!(rounds[11].path, "/en/racing/2024/great-britain");
    assert!(rounds.iter().all(|r| r.slug != "pre-season-testing"));
    assert_eq!(rounds.last().unwrap().slug, "united-arab-emirates");
}

#[tokio::test]
async fn weekend_page_gives_timetable_facts_and_map() {
    let gb = weekend(&SITE, 2024, "great-britain").await.unwrap();
    insta::assert_json_snapshot!("weekend_2024_great_britain", gb);
    assert_eq!(gb.name, "FORMULA 1 QATAR AIRWAYS BRITISH GRAND PRIX 2024");
    assert_eq!((gb.laps, gb.circuit_length_km, gb.race_distance_km), (52, 5.891, Some(306.198)));
    assert_eq!((gb.first_date.as_str(), gb.end_date.as_str()), ("2024-07-05", "2024-07-07"));
    let race = gb.sessions.last().unwrap();
    assert_eq!(race.session_type, SessionType::Race);
    assert_eq!(Some(race.start_time), utc_instant("2024-07-07", "14:00"), "15:00 BST");
    assert_eq!(gb.results_path.as_deref(), Some("/en/results/2024/races/1240/great-britain"));
    assert!(gb.circuit_image_url.ends_with("/track/2024tracksilverstonedetailed.png"));

    let round = gb.to_round(2024, 12, utc_instant("2024-07-06", "12:00").unwrap());
    assert_eq!((round.format, round.date.as_str(), round.laps), (RoundFormat::Conventional as i32, "2024-07-07", 52));
    let statuses: Vec<i32> = round.sessions.iter().map(|s| s.status).collect();
    let (done, todo) = (SessionStatus::Finished as i32, SessionStatus::Scheduled as i32);
    assert_eq!(statuses, [done, done, done, todo, todo], "FP3 ended 11:30 UTC, qualifying not started");
}

#[tokio::test]
async fn sprint_weekend_is_recognised() {
    let china = weekend(&SITE, 2024, "china").await.unwrap();
    let types: Vec<&str> = china.sessions.iter().map(|s| s.session_type.slug()).collect();
    assert_eq!(types, ["practice_1", "sprint_qualifying", "sprint", "qualifying", "race"]);
    let sq = &china.sessions[1];
    assert_eq!((sq.date.as_str(), Some(sq.start_time)), ("2024-04-19", utc_instant("2024-04-19", "07:30")));
    assert_eq!(china.to_round(2024, 5, 0).format, RoundFormat::Sprint as i32);
    assert_eq!(china.sessions[4].start_time, 1_713_682_800);
}

#[tokio::test]
async fn practice_results_from_the_table() {
    let path = practice_results_path("/en/results/2024/races/1240/great-britain", 1);
    assert_eq!(path, GB_FP1);
    let s = practice_results(&SITE, &path, 2024, 12, SessionType::Practice1).await.unwrap();
    let rows: Vec<Value> = s
        .results
        .iter()
        .map(|r| json!([r.position_text, r.driver_number, r.driver_code, r.driver_name, r.team, r.time, r.gap, r.laps]))
        .collect();
    insta::assert_json_snapshot!("practice_1_2024_great_britain", rows);
    assert_eq!(s.results.len(), 20);
    let top = &s.results[0];
    assert_eq!((top.position, top.driver_code.as_str(), top.driver_name.as_str()), (1, "NOR", "Lando Norris"));
    assert_eq!((top.time.as_str(), top.laps), ("1:27.420", 26));
    assert_eq!((s.results[1].gap.as_str(), s.results[1].team.as_str()), ("+0.134s", "Aston Martin Aramco Mercedes"));
    assert_eq!((s.r#type, s.status), (SessionType::Practice1 as i32, SessionStatus::Finished as i32));
    let err = practice_results(&SITE, &path, 2024, 12, SessionType::Race).await.unwrap_err();
    assert!(err.to_string().contains("not a practice session"), "{err}");
}

#[tokio::test]
async fn circuit_image_is_downloaded_with_its_type() {
    let gb = weekend(&SITE, 2024, "great-britain").await.unwrap();
    let location = image_location(&gb.circuit_image_url).unwrap();
    assert_eq!(location.origin.as_deref(), Some("https://media.formula1.com"));
    let image = circuit_image(&MEDIA, "silverstone", &gb.circuit_image_url).await.unwrap();
    assert_eq!((image.circuit_id.as_str(), image.content_type.as_str()), ("silverstone", "image/png"));
    assert!(image.data.starts_with(b"\x89PNG") && image.data.len() > 50);
    assert_eq!(image.source_url, gb.circuit_image_url);
    // A page served where the image should be is not an image.
    let err = circuit_image(&SITE, "silverstone", "/en/racing/2024").await.unwrap_err();
    assert!(matches!(&err, Formula1Error::Invalid { path, .. } if path == "/en/racing/2024"), "{err}");
}

#[tokio::test]
async fn a_weekend_page_without_json_ld_is_an_error() {
    let err = weekend(&CHANGED, 2024, "great-britain").await.unwrap_err();
    assert!(
        matches!(&err, Formula1Error::MissingElement { path, element } if path == "/en/racing/2024/great-britain" && element.contains("ld+json")),
        "{err}"
    );
    assert!(err.to_string().contains("/en/racing/2024/great-britain"), "{err}");
    let upstream: UpstreamError = err.into();
    assert!(matches!(upstream, UpstreamError::Invalid { upstream: SourceName::Formula1, .. }));
}

#[tokio::test]
async fn a_results_page_without_its_table_is_an_error() {
    let err = practice_results(&CHANGED, GB_FP1, 2024, 12, SessionType::Practice1).await.unwrap_err();
    assert_eq!(err, Formula1Error::MissingElement { path: GB_FP1.into(), element: "table.f1-table".into() });
}

#[test]
fn changed_markup_inside_a_page_is_an_error() {
    let page = fixture("en/results/2024/races/1240/great-britain/practice/1.html");
    let no_laps = page.replacen(">Laps<", ">Distance<", 1);
    let err = parse_results_page(&no_laps, GB_FP1).unwrap_err();
    assert!(matches!(&err, Formula1Error::MissingElement { element, .. } if element.contains("Laps")), "{err}");
    let twice = page.replacen(">2</p>", ">1</p>", 1);
    let err = parse_results_page(&twice, GB_FP1).unwrap_err();
    assert!(err.to_string().contains("position 1 is listed twice"), "{err}");
    let no_code = page.replace("<span class=\"md:hidden\">NOR</span>", "");
    assert!(parse_results_page(&no_code, GB_FP1).is_err());

    let weekend = fixture("en/racing/2024/great-britain.html");
    let no_laps = weekend.replace("Number of Laps", "Laps in total");
    let err = parse_weekend_page(&no_laps, "/en/racing/2024/great-britain", 2024).unwrap_err();
    assert!(err.to_string().contains("Number of Laps"), "{err}");
    let odd_session = weekend.replace("\"name\": \"Practice 3\"", "\"name\": \"Shakedown\"");
    let err = parse_weekend_page(&odd_session, "/en/racing/2024/great-britain", 2024).unwrap_err();
    assert!(err.to_string().contains("Shakedown"), "{err}");
    let no_offset = weekend.replace("2024-07-07T15:00:00+01:00", "2024-07-07T15:00:00");
    assert!(parse_weekend_page(&no_offset, "/en/racing/2024/great-britain", 2024).is_err());
    let no_map = weekend.replace("/track/", "/hero/");
    let err = parse_weekend_page(&no_map, "/en/racing/2024/great-britain", 2024).unwrap_err();
    assert!(matches!(err, Formula1Error::MissingElement { .. }), "{err}");

    let err =
        parse_season_page("<html><body><a href=\"/en/racing/2024/china\">China</a></body></html>", 2024).unwrap_err();
    assert!(matches!(&err, Formula1Error::MissingElement { path, .. } if path == "/en/racing/2024"), "{err}");
}

#[test]
fn sub_event_names_map_to_session_types() {
    use super::weekend::session_type;
    assert_eq!(session_type("Practice 2"), Some(SessionType::Practice2));
    assert_eq!(session_type("Sprint Shootout"), Some(SessionType::SprintQualifying));
    assert_eq!(session_type("Chinese Grand Prix - Sprint Qualifying"), Some(SessionType::SprintQualifying));
    assert_eq!(session_type("Sprint"), Some(SessionType::Sprint));
    assert_eq!(session_type("FORMULA 1 BRITISH GRAND PRIX 2024 - Qualifying"), Some(SessionType::Qualifying));
    assert_eq!(session_type("Race"), Some(SessionType::Race));
    assert_eq!(session_type("Practice"), None);
    assert_eq!(session_type("Drivers' Parade"), None);
}
