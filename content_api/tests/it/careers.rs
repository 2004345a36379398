//! Careers from race entries (issue 27): what the standings leave out is
//! there — a season without points, constructors before 1958, a driver's
//! every team of a season — with numbers as raced and dates of death.
use serde_json::Value;

use crate::support::TestApp;

fn season(career: &Value, year: i64) -> &Value {
    career["seasons"].as_array().unwrap().iter().find(|s| s["season"] == year).unwrap_or_else(|| panic!("{year}"))
}

fn teams(season: &Value) -> Vec<&str> {
    season["entries"].as_array().unwrap().iter().map(|e| e["constructor_id"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn senna_1994_is_in_his_career_without_points() {
    let app = TestApp::shared();
    let career = app.result("/content/v1/drivers/ayrton-senna/seasons").await;
    let years: Vec<i64> = career["seasons"].as_array().unwrap().iter().map(|s| s["season"].as_i64().unwrap()).collect();
    assert_eq!(years, (1984..=1994).rev().collect::<Vec<_>>(), "1984 (his first) to 1994");
    let last = season(&career, 1994);
    assert!(last["standing"].is_null(), "the 1994 standings do not list him: {last}");
    assert_eq!(teams(last), ["williams"]);
    let e = &last["entries"][0];
    assert_eq!((e["entries"].as_i64(), e["starts"].as_i64(), e["points"].as_f64()), (Some(3), Some(3), Some(0.0)));
    assert_eq!(e["numbers"], serde_json::json!([2]));
    assert_eq!(season(&career, 1988)["standing"]["position"], 1, "the seasons with a standing keep it");
}

#[tokio::test]
async fn senna_has_a_date_of_death_and_the_living_none() {
    let app = TestApp::shared();
    let senna = app.result("/content/v1/drivers/ayrton-senna").await;
    assert_eq!(senna["date_of_death"], "1994-05-01");
    assert_eq!(senna["date_of_birth"], "1960-03-21");
    let max = app.result("/content/v1/drivers/max-verstappen").await;
    assert!(max["date_of_death"].is_null());
}

#[tokio::test]
async fn ferrari_races_from_1950_before_there_was_a_constructors_title() {
    let app = TestApp::shared();
    let career = app.result("/content/v1/constructors/ferrari/seasons").await;
    let years: Vec<i64> = career["seasons"].as_array().unwrap().iter().map(|s| s["season"].as_i64().unwrap()).collect();
    assert_eq!(years.last(), Some(&1950), "Ferrari's first season");
    for year in 1950..=1957 {
        let s = season(&career, year);
        assert!(s["standing"].is_null(), "no constructors' championship in {year}");
        assert!(!s["entries"].as_array().unwrap().is_empty(), "Ferrari's drivers of {year}");
    }
    let wins = |year| {
        season(&career, year)["entries"].as_array().unwrap().iter().map(|e| e["wins"].as_i64().unwrap()).sum::<i64>()
    };
    assert_eq!(wins(1952), 7, "Ascari and Taruffi won 7 of 8 championship races");
    let drivers: Vec<&str> =
        season(&career, 1952)["entries"].as_array().unwrap().iter().map(|e| e["driver_id"].as_str().unwrap()).collect();
    assert!(drivers.contains(&"alberto-ascari"), "{drivers:?}");
    assert_eq!(season(&career, 1958)["standing"]["position"], 2, "the standings from 1958 on");
}

#[tokio::test]
async fn ickx_1973_is_listed_under_every_team_he_raced_for() {
    let app = TestApp::shared();
    let career = app.result("/content/v1/drivers/jacky-ickx/seasons").await;
    let s1973 = season(&career, 1973);
    assert_eq!(teams(s1973), ["ferrari", "mclaren", "iso-marlboro"], "in the order he raced for them");
    assert!(s1973["entries"].as_array().unwrap().iter().all(|e| e["starts"].as_i64() > Some(0)));
    for team in ["mclaren", "iso-marlboro"] {
        let history = app.result(&format!("/content/v1/constructors/{team}/seasons")).await;
        let drivers: Vec<&str> = season(&history, 1973)["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["driver_id"].as_str().unwrap())
            .collect();
        assert!(drivers.contains(&"jacky-ickx"), "{team} 1973: {drivers:?}");
    }
}

#[tokio::test]
async fn damon_hill_raced_number_0_in_1994() {
    let app = TestApp::shared();
    let career = app.result("/content/v1/drivers/damon-hill/seasons").await;
    assert_eq!(season(&career, 1994)["entries"][0]["numbers"], serde_json::json!([0]));
    assert_eq!(season(&career, 1995)["entries"][0]["numbers"], serde_json::json!([5]));
    let race = app.result("/content/v1/seasons/1994/rounds/1/sessions/race").await;
    let hill = race["results"].as_array().unwrap().iter().find(|r| r["driver_id"] == "damon-hill").expect("Hill");
    assert_eq!(hill["driver_number"], 0);
}
