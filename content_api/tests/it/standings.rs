use axum::http::StatusCode;
use insta::assert_json_snapshot;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::fixture::TO;

fn top(mut v: Value, n: usize) -> Value {
    v["standings"].as_array_mut().unwrap().truncate(n);
    v
}

#[tokio::test]
async fn driver_standings_final_and_after_a_round() {
    let app = TestApp::shared();
    let last = app.result("/content/v1/seasons/2023/drivers").await;
    assert_eq!(last["round"], 22);
    assert_eq!(last["standings"][0]["driver_id"], "max-verstappen");
    assert_eq!(last["standings"][0]["points"], 575.0);
    assert_eq!(last["standings"][0]["wins"], 19);
    assert_json_snapshot!("drivers_2023_final_top5", top(last, 5), { ".provenance.updated_at" => "[updated_at]" });
    let after = app.result("/content/v1/seasons/2023/drivers?after_round=17").await;
    assert_eq!(after["round"], 17);
    assert_eq!(after["standings"][0]["points"], 433.0);
    assert_eq!(after["standings"][1]["driver_id"], "sergio-perez");
}

#[tokio::test]
async fn constructor_standings_after_a_round() {
    let app = TestApp::shared();
    let after = app.result("/content/v1/seasons/2021/constructors?after_round=21").await;
    assert_eq!(after["round"], 21);
    let s = after["standings"].as_array().unwrap();
    assert_eq!(s[0]["constructor_id"], "mercedes");
    assert_eq!(s[0]["points"], 587.5);
    assert_eq!(s[1]["constructor_id"], "red-bull");
    assert_eq!(s[1]["points"], 559.5);
    assert_json_snapshot!("constructors_2021_after_21_top3", top(after, 3), { ".provenance.updated_at" => "[updated_at]" });
}

#[tokio::test]
async fn standings_after_a_round_not_run_are_404() {
    let app = TestApp::shared();
    app.error("/content/v1/seasons/2026/drivers?after_round=20", StatusCode::NOT_FOUND, "not_found").await;
    app.error(&format!("/content/v1/seasons/{}/constructors", TO + 1), StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn progression_has_a_point_per_round_for_everyone() {
    let app = TestApp::shared();
    let p = app.result("/content/v1/seasons/2023/standings/progression").await;
    let rounds = p["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 22);
    assert_eq!(rounds[16]["name"], "Qatar Grand Prix");
    let ver = &p["drivers"][0];
    assert_eq!(ver["id"], "max-verstappen");
    let points: Vec<f64> = ver["points"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(points.len(), 22);
    assert!(points.windows(2).all(|w| w[0] <= w[1]), "points never go down: {points:?}");
    assert_eq!(points[16], 433.0);
    assert_eq!(points[21], 575.0);
    let red_bull = &p["constructors"][0];
    assert_eq!(red_bull["id"], "red-bull");
    assert_eq!(red_bull["positions"][21], 1);
    // Every series lines up with the rounds.
    for s in p["drivers"].as_array().unwrap().iter().chain(p["constructors"].as_array().unwrap()) {
        assert_eq!(s["points"].as_array().unwrap().len(), 22, "{}", s["id"]);
    }
}
