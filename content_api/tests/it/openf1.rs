//! `/openf1/v1`: recorded archive sessions (Baku 2018's race, Monza 2019's
//! qualifying) stored through `WriteSessionData`, read back per endpoint and
//! checked against the test's own reading of the recordings; OpenF1's
//! filter grammar over HTTP; caching across a re-write.
use std::collections::BTreeSet;

use axum::http::StatusCode;
use content_api::Config;
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;

use crate::support::sessions::{BAKU_2018, MONZA_2019_Q, per_car};
use crate::support::{TestApp, config};

const BAKU: i64 = 5090;

/// A data_scheduler holding both recorded sessions; Monza's session key.
async fn stack() -> (TestDataScheduler, i64) {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    BAKU_2018.store(&client).await;
    let monza = MONZA_2019_Q.store(&client).await;
    (ds, monza.session.unwrap().session_key)
}

async fn rows(app: &TestApp, uri: &str) -> Vec<Value> {
    let reply = app.get(uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
    assert_eq!(reply.header("content-type"), "application/json", "{uri}");
    reply.json().as_array().unwrap_or_else(|| panic!("{uri}: not an array")).clone()
}

async fn bad(app: &TestApp, uri: &str, parameter: &str) {
    let body = app.error(uri, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(body["error"]["parameter"], parameter, "{uri}: {body}");
}

#[tokio::test]
async fn every_endpoint_answers_what_the_recording_says() {
    let (ds, monza) = stack().await;
    let app = TestApp::on(&ds.url(), config());

    let laps = rows(&app, &format!("/openf1/v1/laps?session_key={BAKU}")).await;
    assert_eq!(per_car(&laps), BAKU_2018.laps_per_car(), "laps per car = TimingData's final NumberOfLaps");
    let lap = laps.iter().find(|l| l["driver_number"] == 44 && l["lap_number"] == 10).unwrap();
    assert_eq!((lap["meeting_key"].as_i64(), lap["session_key"].as_i64()), (Some(982), Some(BAKU)));
    assert!(lap["lap_duration"].as_f64().is_some_and(|d| (100.0..120.0).contains(&d)), "{lap}");
    assert!(lap["date_start"].as_str().is_some_and(|d| d.starts_with("2018-04-29T") && d.ends_with("+00:00")));

    let stints = rows(&app, &format!("/openf1/v1/stints?session_key={BAKU}")).await;
    assert_eq!(per_car(&stints), BAKU_2018.stints_per_car(), "stints = TimingAppData's stint lists");

    let pit = rows(&app, &format!("/openf1/v1/pit?session_key={BAKU}")).await;
    assert_eq!(per_car(&pit), BAKU_2018.last_per_car("NumberOfPitStops"), "pit stops = final NumberOfPitStops");

    let messages = rows(&app, &format!("/openf1/v1/race_control?session_key={BAKU}")).await;
    let said: Vec<&str> = messages.iter().map(|m| m["message"].as_str().unwrap()).collect();
    let recorded = BAKU_2018.race_control_messages();
    // The feed pads a message now and then; the records are trimmed.
    assert_eq!(said, recorded.iter().map(|m| m.trim()).collect::<Vec<_>>(), "every message, in order");

    let weather = rows(&app, &format!("/openf1/v1/weather?session_key={monza}")).await;
    let air: Vec<f64> = weather.iter().map(|w| w["air_temperature"].as_f64().unwrap()).collect();
    assert_eq!(air, MONZA_2019_Q.air_temperatures(), "every WeatherData sample");
    assert!(rows(&app, &format!("/openf1/v1/weather?session_key={BAKU}")).await.is_empty(), "Baku has none");

    let result = rows(&app, &format!("/openf1/v1/session_result?session_key={BAKU}&position=1")).await;
    assert_eq!(result.len(), 1);
    assert_eq!(result[0]["driver_number"], 44);
    let grid = rows(&app, &format!("/openf1/v1/starting_grid?session_key={BAKU}&position=1")).await;
    assert_eq!(grid[0]["driver_number"], 5);
    let drivers = rows(&app, &format!("/openf1/v1/drivers?session_key={BAKU}&name_acronym=HAM")).await;
    assert_eq!(drivers[0]["driver_number"], 44);
    for endpoint in ["intervals", "position", "overtakes"] {
        assert!(!rows(&app, &format!("/openf1/v1/{endpoint}?session_key={BAKU}")).await.is_empty(), "{endpoint}");
    }

    // sessions and meetings: from the index, oldest first; no key needed.
    let sessions = rows(&app, "/openf1/v1/sessions").await;
    let keys: Vec<i64> = sessions.iter().map(|s| s["session_key"].as_i64().unwrap()).collect();
    assert_eq!(keys, [BAKU, monza]);
    assert_eq!(sessions[0]["session_name"], "Race");
    let meetings = rows(&app, "/openf1/v1/meetings?year=2018").await;
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0]["meeting_key"], 982);
    // Small kinds read every stored session without a key.
    let all_messages = rows(&app, "/openf1/v1/race_control").await;
    assert_eq!(all_messages.len(), said.len() + MONZA_2019_Q.race_control_messages().len());
}

#[tokio::test]
async fn the_filter_grammar_over_http() {
    let (ds, monza) = stack().await;
    let app = TestApp::on(&ds.url(), config());
    let laps = |q: &str| format!("/openf1/v1/laps?session_key={BAKU}&{q}");
    let lap_numbers = |rows: &[Value]| rows.iter().map(|l| l["lap_number"].as_i64().unwrap()).collect::<Vec<_>>();

    // Ranges, the operators percent-encoded whole or in part, or in the
    // name (as requests encodes `{"lap_number>=": 10}`). Raw `<` and `>`
    // never reach a handler: the HTTP layer refuses them in a URL (the
    // grammar reads them, see the unit tests).
    let expected: Vec<i64> = (10..=20).collect();
    for q in [
        "driver_number=44&lap_number%3E%3D10&lap_number%3C%3D20",
        "driver_number=44&lap_number%3E=10&lap_number%3C=20",
        "driver_number=44&lap_number%3E%3D=10&lap_number%3C%3D=20",
        "driver_number=44&lap_number%3E9&lap_number%3C21",
    ] {
        assert_eq!(lap_numbers(&rows(&app, &laps(q)).await), expected, "{q}");
    }
    // Repeated `=` is OR.
    let two = rows(&app, &laps("driver_number=44&driver_number=5")).await;
    assert_eq!(per_car(&two).keys().copied().collect::<Vec<_>>(), [5, 44]);
    // Unpaired bounds are alternatives: laps 1-2 or 50-51 of car 44.
    assert_eq!(
        lap_numbers(&rows(&app, &laps("driver_number=44&lap_number%3C3&lap_number%3E49")).await),
        [1, 2, 50, 51]
    );

    // Dates: an instant range, and a day alone is the whole day.
    let sc =
        format!("/openf1/v1/race_control?session_key={BAKU}&date%3E=2018-04-29T12:14:31&date%3C2018-04-29T12:14:32");
    let sc = rows(&app, &sc).await;
    assert!(sc.iter().any(|m| m["message"] == "SAFETY CAR DEPLOYED"), "{sc:?}");
    let day = rows(&app, &format!("/openf1/v1/race_control?session_key={BAKU}&date=2018-04-29")).await;
    assert_eq!(day.len(), BAKU_2018.race_control_messages().len());
    assert!(rows(&app, &format!("/openf1/v1/race_control?session_key={BAKU}&date=2018-04-30")).await.is_empty());

    // latest: the newest stored session (Monza 2019), and its meeting.
    let latest = rows(&app, "/openf1/v1/sessions?session_key=latest").await;
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0]["session_key"], monza);
    let meeting = latest[0]["meeting_key"].clone();
    let weather = rows(&app, "/openf1/v1/weather?meeting_key=latest").await;
    assert!(!weather.is_empty() && weather.iter().all(|w| w["meeting_key"] == meeting));
    assert_eq!(rows(&app, "/openf1/v1/laps?session_key=latest&driver_number=16&lap_number=1").await.len(), 1);

    // CSV: a header of the fields, a line per record.
    let reply = app.get(&format!("/openf1/v1/stints?session_key={BAKU}&csv=true")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(reply.header("content-disposition"), "attachment; filename=stints.csv");
    let text = String::from_utf8(reply.body.to_vec()).unwrap();
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        lines[0],
        "compound,driver_number,lap_end,lap_start,meeting_key,session_key,stint_number,tyre_age_at_start"
    );
    assert_eq!(lines.len() - 1, BAKU_2018.stints_per_car().values().sum::<usize>());

    // Refusals name the parameter; a session with no data is `[]`.
    bad(&app, &laps("lap_nmber=3"), "lap_nmber").await;
    bad(&app, "/openf1/v1/laps?session_key=abc", "session_key").await;
    bad(&app, &laps("lap_number"), "lap_number").await;
    bad(&app, &laps("csv=yes"), "csv").await;
    bad(&app, "/openf1/v1/laps?driver_number=44", "session_key").await;
    bad(&app, "/openf1/v1/position?session_key%3E=5000", "session_key").await;
    app.error("/openf1/v1/car_telemetry", StatusCode::NOT_FOUND, "not_found").await;
    bad(&app, "/openf1/v1/car_data?driver_number=44", "session_key").await;
    assert!(rows(&app, "/openf1/v1/laps?session_key=1").await.is_empty());
    assert!(rows(&app, "/openf1/v1/drivers?session_key=5090&team_name=Nobody").await.is_empty());
}

#[tokio::test]
async fn answers_carry_etags_and_a_read_after_a_rewrite_is_new() {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    let mut records = BAKU_2018.store(&client).await;
    let app = TestApp::keeping(&ds.url(), 60).await;
    let uri = format!("/openf1/v1/laps?session_key={BAKU}&driver_number=44");
    let first = app.get(&uri).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.header("etag").to_string();
    assert!(first.header("cache-control").starts_with("public, max-age="), "{:?}", first.headers);
    let again = app.get_with(&uri, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let gzip = app.get_with(&uri, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding"), "gzip");
    // CORS as /content/v1: the configured origins only.
    let listed = TestApp::on(&ds.url(), Config { cors_origins: "https://example.org".into(), ..config() });
    let cors = listed.get_with(&uri, &[("origin", "https://example.org")]).await;
    assert_eq!(cors.header("access-control-allow-origin"), "https://example.org");
    let other = listed.get_with(&uri, &[("origin", "https://elsewhere.example")]).await;
    assert_eq!(other.header("access-control-allow-origin"), "");

    // Re-synced with car 44's last ten laps gone: the next read says so.
    let before = first.json().as_array().unwrap().len();
    records.laps.retain(|l| l.driver_number != 44 || l.lap_number as usize <= before - 10);
    BAKU_2018.write(&client, &records).await;
    let after = app.get(&uri).await;
    assert_eq!(after.json().as_array().unwrap().len(), before - 10);
    assert_ne!(after.header("etag"), etag);
    let laps: BTreeSet<i64> =
        after.json().as_array().unwrap().iter().map(|l| l["lap_number"].as_i64().unwrap()).collect();
    assert_eq!(laps.last().copied(), Some((before - 10) as i64));
}

/// championship_drivers/_teams of Baku 2018's race over f1db's 2018
/// standings: Hamilton came to Baku on 45 points, second to Vettel's 54,
/// won it (25) and left leading on 70; Vettel, fourth (12), left on 66.
#[tokio::test]
async fn championship_endpoints_read_the_standings_around_the_race() {
    use fetcher_service::sources::f1db::{self, F1dbSource};
    use protobuf::v1::StandingsFilter;

    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    f1db::import_into(&client, F1dbSource::Bundled, Some(2018), Some(2018), |_| {}).await.expect("f1db 2018");
    BAKU_2018.store(&client).await;
    MONZA_2019_Q.store(&client).await;
    let app = TestApp::on(&ds.url(), config());

    let drivers = rows(&app, &format!("/openf1/v1/championship_drivers?session_key={BAKU}")).await;
    let car = |n: i64| drivers.iter().find(|d| d["driver_number"] == n).unwrap_or_else(|| panic!("car {n}"));
    let (hamilton, vettel) = (car(44), car(5));
    assert_eq!((hamilton["points_start"].as_f64(), hamilton["points_current"].as_f64()), (Some(45.0), Some(70.0)));
    assert_eq!((hamilton["position_start"].as_i64(), hamilton["position_current"].as_i64()), (Some(2), Some(1)));
    assert_eq!((vettel["points_start"].as_f64(), vettel["points_current"].as_f64()), (Some(54.0), Some(66.0)));
    assert_eq!((vettel["position_start"].as_i64(), vettel["position_current"].as_i64()), (Some(1), Some(2)));
    assert!(drivers.iter().all(|d| d["meeting_key"] == 982 && d["session_key"] == BAKU), "{drivers:?}");

    // Teams: the feed's names; points as the stored standings after rounds 3 and 4.
    let teams = rows(&app, "/openf1/v1/championship_teams?session_key=latest&meeting_key=982").await;
    assert!(teams.is_empty(), "latest is Monza 2019's qualifying, not in meeting 982");
    let teams = rows(&app, &format!("/openf1/v1/championship_teams?session_key={BAKU}")).await;
    let standings = |round| {
        let client = client.clone();
        async move {
            let filter = StandingsFilter { season: 2018, after_round: Some(round) };
            client.sport().get_standings(filter).await.unwrap().into_inner().standings.unwrap().constructors
        }
    };
    let (before, after) = (standings(3).await, standings(4).await);
    assert_eq!(teams.len(), after.len());
    let mercedes = teams.iter().find(|t| t["team_name"] == "Mercedes").expect("the feed's team name");
    let points =
        |list: &[protobuf::v1::ConstructorStanding]| list.iter().find(|c| c.name == "Mercedes").unwrap().points;
    assert_eq!(mercedes["points_start"].as_f64(), Some(points(&before)));
    assert_eq!(mercedes["points_current"].as_f64(), Some(points(&after)));
    assert!(teams.iter().any(|t| t["team_name"] == "Red Bull Racing"), "{teams:?}");

    // Filters apply as anywhere; only races have records (Monza's is a qualifying).
    let leader = rows(&app, &format!("/openf1/v1/championship_drivers?session_key={BAKU}&position_current=1")).await;
    assert_eq!(leader.len(), 1);
    assert_eq!(leader[0]["driver_number"], 44);
    assert!(rows(&app, "/openf1/v1/championship_drivers?session_key=latest").await.is_empty());
}
