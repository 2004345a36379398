use axum::http::StatusCode;
use protobuf::v1::{LiveDriver, LiveSessionState, SessionStatus, SessionType};
use testkit::data_scheduler::TestDataScheduler;

use crate::support::{TestApp, config};

#[tokio::test]
async fn live_is_404_with_a_clear_message_when_nothing_runs() {
    let ds = TestDataScheduler::start().await;
    let app = TestApp::on(&ds.url(), config());
    let body = app.error("/content/v1/live", StatusCode::NOT_FOUND, "no_live_session").await;
    assert_eq!(body["error"]["message"], "no session is live right now");

    let state = LiveSessionState {
        season: 2026,
        round: 12,
        session_type: SessionType::Race as i32,
        session_name: "Race".into(),
        status: SessionStatus::Live as i32,
        current_lap: 31,
        total_laps: 57,
        leaderboard: vec![LiveDriver { position: 1, driver_code: "NOR".into(), ..Default::default() }],
        ..Default::default()
    };
    ds.client().live().write_live_state(state.clone()).await.unwrap();
    let live = app.get("/content/v1/live").await;
    assert_eq!(live.status, StatusCode::OK);
    assert_eq!(live.header("cache-control"), "no-store");
    assert!(!live.header("etag").is_empty());
    let result = live.json()["result"].clone();
    assert_eq!(result["type"], "race");
    assert_eq!(result["status"], "live");
    assert_eq!(result["current_lap"], 31);
    assert_eq!(result["leaderboard"][0]["driver_code"], "NOR");

    // After the flag the final board stays visible until the next session.
    let over = LiveSessionState { status: SessionStatus::Finished as i32, ..state };
    ds.client().live().write_live_state(over).await.unwrap();
    let kept = app.get("/content/v1/live").await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.json()["result"]["status"], "finished");
    assert_eq!(kept.json()["result"]["leaderboard"][0]["driver_code"], "NOR");
}
