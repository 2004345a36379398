//! `/content/v1/.../sessions/{type}/{kind}`: a session's timing records in
//! our contract, stored from recorded sessions (Baku 2018's race, Monza
//! 2019's qualifying) over f1db's 2018 season, checked against the test's
//! own reading of the recordings; paging is stable and complete; the
//! session's answer says whether records are stored.
use axum::http::StatusCode;
use fetcher_service::sources::f1db::{self, F1dbSource};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;

use crate::support::sessions::{BAKU_2018, MONZA_2019_Q, per_car};
use crate::support::{TestApp, config};

const RACE: &str = "/content/v1/seasons/2018/rounds/4/sessions/race";

#[tokio::test]
async fn a_sessions_records_in_our_contract_paged() {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    f1db::import_into(&client, F1dbSource::Bundled, Some(2018), Some(2018), |_| {}).await.expect("f1db 2018");
    let app = TestApp::on(&ds.url(), config());

    let before = app.result(RACE).await;
    assert_eq!(before["session_data"]["available"], false, "{}", before["session_data"]);
    assert_eq!(app.result(&format!("{RACE}/laps")).await["total"], 0, "nothing stored yet: an empty page");

    BAKU_2018.store(&client).await;
    MONZA_2019_Q.store(&client).await;
    let session = app.result(RACE).await;
    assert_eq!(session["results"][0]["driver_id"], "lewis-hamilton", "the session's own answer is unchanged");
    let info = &session["session_data"];
    assert_eq!((info["available"].as_bool(), info["session_key"].as_i64()), (Some(true), Some(5090)), "{info}");
    let laps_total: usize = BAKU_2018.laps_per_car().values().sum();
    assert_eq!(info["counts"]["laps"].as_u64(), Some(laps_total as u64));

    // Every lap of car 44, over three pages of 20, in order; the same twice.
    let mut laps = Vec::new();
    for page in 1..=3 {
        let uri = format!("{RACE}/laps?driver=44&per_page=20&page={page}");
        let got = app.result(&uri).await;
        assert_eq!(got, app.result(&uri).await, "paging is stable");
        assert_eq!((got["total"].as_u64(), got["page"].as_u64()), (Some(51), Some(page)));
        laps.extend(got["items"].as_array().unwrap().iter().cloned());
    }
    let numbers: Vec<i64> = laps.iter().map(|l| l["lap"].as_i64().unwrap()).collect();
    assert_eq!(numbers, (1..=51).collect::<Vec<_>>());
    assert!(laps.iter().all(|l| l["driver"] == "lewis-hamilton" && l["driver_number"] == 44));
    assert!(laps[9]["time"].as_f64().is_some_and(|t| (100.0..120.0).contains(&t)), "{}", laps[9]);

    let all = |kind: &str| format!("{RACE}/{kind}?per_page=1000");
    let items = |v: Value| v["items"].as_array().unwrap().clone();
    let laps = items(app.result(&all("laps")).await);
    assert_eq!(per_car(&laps), BAKU_2018.laps_per_car());
    let stints = items(app.result(&all("stints")).await);
    assert_eq!(per_car(&stints), BAKU_2018.stints_per_car());
    let pits = items(app.result(&all("pit-stops")).await);
    assert_eq!(per_car(&pits), BAKU_2018.last_per_car("NumberOfPitStops"));
    let messages = app.result(&all("race-control")).await;
    assert_eq!(messages["total"].as_u64(), Some(BAKU_2018.race_control_messages().len() as u64));
    // Track and session status: every change of the recording, in its
    // order, dated as far apart as the recording's lines are.
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let track = items(app.result(&all("track-status")).await);
    let got: Vec<(String, String)> = track.iter().map(|t| (text(t, "status"), text(t, "message"))).collect();
    let want: Vec<(String, String)> =
        BAKU_2018.lines("TrackStatus").iter().map(|l| (text(l, "Status"), text(l, "Message"))).collect();
    assert_eq!(got, want);
    assert!(got.contains(&("4".into(), "SCDeployed".into())), "Baku 2018 had a safety car");
    let instant = |v: &Value| chrono::DateTime::parse_from_rfc3339(v["date"].as_str().unwrap()).unwrap();
    let offsets = BAKU_2018.offsets("TrackStatus");
    for (i, pair) in track.windows(2).enumerate() {
        let apart = (instant(&pair[1]) - instant(&pair[0])).num_milliseconds() as f64 / 1e3;
        assert!((apart - (offsets[i + 1] - offsets[i])).abs() < 0.002, "change {i}: {apart} s apart");
    }
    let statuses = items(app.result(&all("session-status")).await);
    let got: Vec<String> = statuses.iter().map(|s| text(s, "status")).collect();
    let want: Vec<String> = BAKU_2018.lines("SessionStatus").iter().map(|l| text(l, "Status")).collect();
    assert_eq!(got, want);
    assert!(!items(app.result(&all("positions")).await).is_empty());
    assert!(!items(app.result(&all("intervals")).await).is_empty());
    let weather = app.result("/content/v1/seasons/2019/rounds/14/sessions/qualifying/weather?per_page=1000").await;
    let air: Vec<f64> = items(weather).iter().map(|w| w["air_temperature"].as_f64().unwrap()).collect();
    assert_eq!(air, MONZA_2019_Q.air_temperatures());

    // Refusals.
    app.error(&format!("{RACE}/tyres"), StatusCode::NOT_FOUND, "not_found").await;
    let e = app.error(&format!("{RACE}/car-data"), StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(e["error"]["parameter"], "driver", "car data is read one car at a time");
    // No archive here (telemetry.rs has one): its failure is a 502.
    app.error(&format!("{RACE}/car-data?driver=44"), StatusCode::BAD_GATEWAY, "upstream_unavailable").await;
    let e = app.error(&format!("{RACE}/track-status?driver=44"), StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(e["error"]["parameter"], "driver", "the track's status belongs to no car");
    let e = app.error(&format!("{RACE}/laps?driver=x"), StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(e["error"]["parameter"], "driver");
    let e = app.error(&format!("{RACE}/laps?per_page=5000"), StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(e["error"]["parameter"], "per_page");
}
