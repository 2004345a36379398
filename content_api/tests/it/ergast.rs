//! `/ergast/f1` over the imported f1db seasons: the grammar (every filter
//! × endpoint Jolpica accepts answers 200, the others 400), paging, the
//! relative rounds, and the HTTP behaviour shared with `/content/v1`.
use axum::http::StatusCode;
use serde_json::Value;

use crate::support::TestApp;

async fn mrdata(app: &TestApp, uri: &str) -> Value {
    let reply = app.get(uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
    reply.json()["MRData"].clone()
}

#[tokio::test]
async fn smoke_print() {
    let app = TestApp::shared();
    for uri in [
        "/ergast/f1/2023/22/results.json?limit=2",
        "/ergast/f1/2023/driverStandings.json?limit=2",
        "/ergast/f1/2023/status.json?limit=3",
    ] {
        let m = mrdata(&app, uri).await;
        println!("{uri}\n{}", serde_json::to_string_pretty(&m).unwrap());
    }
}
