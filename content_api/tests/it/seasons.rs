use axum::http::StatusCode;
use insta::assert_json_snapshot;

use crate::support::TestApp;

#[tokio::test]
async fn seasons_newest_first_with_pagination() {
    let app = TestApp::shared();
    let first = app.result("/content/v1/seasons?per_page=2").await;
    assert_eq!(first["total"], 77, "1950 to 2026");
    assert_eq!(first["page"], 1);
    assert_eq!(first["per_page"], 2);
    let years: Vec<i64> = first["seasons"].as_array().unwrap().iter().map(|s| s["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [2026, 2025]);
    let second = app.result("/content/v1/seasons?per_page=2&page=2").await;
    assert_eq!(second["seasons"][0]["year"], 2024);
    let beyond = app.result("/content/v1/seasons?per_page=100&page=2").await;
    assert_eq!(beyond["seasons"].as_array().unwrap().len(), 0);
    assert_eq!(beyond["total"], 77);
}

#[tokio::test]
async fn seasons_filtered_by_status_and_year() {
    let app = TestApp::shared();
    let running = app.result("/content/v1/seasons?status=in_progress").await;
    assert_eq!(running["total"], 1);
    assert_eq!(running["seasons"][0]["year"], 2026);
    let done = app.result("/content/v1/seasons?status=completed").await;
    assert_eq!(done["total"], 76);
    let one = app.result("/content/v1/seasons?year=2021").await;
    assert_eq!(one["total"], 1);
    assert_eq!(one["seasons"][0]["champion_driver"]["id"], "max-verstappen");
}

#[tokio::test]
async fn a_completed_season() {
    let app = TestApp::shared();
    let reply = app.get("/content/v1/seasons/2023").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_json_snapshot!("season_2023", reply.json(), { ".metadata.date" => "[date]", ".metadata.cached" => "[cached]" });
}

#[tokio::test]
async fn a_season_in_progress_has_no_champion() {
    let app = TestApp::shared();
    let season = app.result("/content/v1/seasons/2026").await;
    assert_eq!(season["status"], "in_progress");
    assert_eq!(season["current_round"], 11);
    assert!(season["champion_driver"].is_null());
}
