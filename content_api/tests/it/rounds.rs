use axum::http::StatusCode;
use insta::assert_json_snapshot;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::fixture::TO;

/// Keeps the first `n` results of every session so a snapshot stays readable.
fn trim_results(mut round: Value, n: usize) -> Value {
    for s in round["sessions"].as_array_mut().unwrap() {
        s["results"].as_array_mut().unwrap().truncate(n);
    }
    round
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn rounds_of_a_season_in_order_with_sessions() {
    let app = TestApp::shared();
    let list = app.result("/content/v1/seasons/2024/rounds").await;
    let rounds = list["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 24);
    let ids: Vec<i64> = rounds.iter().map(|r| r["round_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, (1..=24).collect::<Vec<_>>());
    assert_eq!(rounds[21]["name"], "Las Vegas Grand Prix");
    let china = &rounds[4];
    assert_eq!(china["format"], "sprint");
    let types: Vec<&str> = china["sessions"].as_array().unwrap().iter().map(|s| s["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["practice_1", "sprint_qualifying", "sprint", "qualifying", "race"]);
}

#[tokio::test]
async fn a_round_keeps_the_seed_field_names() {
    let app = TestApp::shared();
    let round = app.result("/content/v1/seasons/2023/rounds/17").await;
    let round_keys = keys(&round);
    for k in ["round_id", "name", "season", "circuit", "first_date", "end_date", "sessions"] {
        assert!(round_keys.contains(&k.to_string()), "round lacks {k}");
    }
    let session = &round["sessions"][0];
    for k in ["type", "date", "status", "total_laps", "current_laps", "results"] {
        assert!(keys(session).contains(&k.to_string()), "session lacks {k}");
    }
    let result = &round["sessions"].as_array().unwrap().last().unwrap()["results"][0];
    for k in [
        "position",
        "position_text",
        "driver_number",
        "driver_name",
        "driver_code",
        "team",
        "time",
        "laps",
        "status",
        "points",
        "grid",
        "q1",
        "q2",
        "q3",
    ] {
        assert!(keys(result).contains(&k.to_string()), "result lacks {k}");
    }
    // The circuit image is a URL (or null), never inline data.
    assert!(round["circuit"].get("image").is_none());
    // When a classification was stored is the test's import time.
    assert_json_snapshot!("round_2023_17", trim_results(round, 3), { ".sessions[].provenance.updated_at" => "[updated_at]" });
}

#[tokio::test]
async fn a_session_by_type_and_the_2023_name_of_sprint_qualifying() {
    let app = TestApp::shared();
    let reply = app.get("/content/v1/seasons/2023/rounds/17/sessions/sprint").await;
    assert_json_snapshot!("sprint_2023_17", reply.json(), {
        ".metadata.date" => "[date]",
        ".metadata.cached" => "[cached]",
        ".result.provenance.updated_at" => "[updated_at]",
    });
    let shootout = app.result("/content/v1/seasons/2023/rounds/17/sessions/sprint_shootout").await;
    assert_eq!(shootout["type"], "sprint_qualifying");
    assert_eq!(shootout["results"][0]["driver_id"], "oscar-piastri");
}

#[tokio::test]
async fn unknown_rounds_and_sessions_are_404() {
    let app = TestApp::shared();
    app.error("/content/v1/seasons/2023/rounds/23", StatusCode::NOT_FOUND, "not_found").await;
    // A well-formed round number past any calendar is absent, not malformed.
    app.error("/content/v1/seasons/2024/rounds/99", StatusCode::NOT_FOUND, "not_found").await;
    app.error("/content/v1/seasons/2024/rounds/99/sessions/race", StatusCode::NOT_FOUND, "not_found").await;
    app.error("/content/v1/seasons/2023/rounds/1/sessions/sprint", StatusCode::NOT_FOUND, "not_found").await;
    app.error(&format!("/content/v1/seasons/{}/rounds", TO + 1), StatusCode::NOT_FOUND, "not_found").await;
    let body = app.error(&format!("/content/v1/seasons/{}", TO + 1), StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body["error"]["message"], format!("season {} not found", TO + 1));
}
