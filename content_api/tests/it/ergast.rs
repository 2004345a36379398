//! `/ergast/f1` over the imported f1db seasons: the grammar (every filter
//! × endpoint Jolpica accepts answers 200, the others 400), paging across
//! races, the relative rounds, errors, and the HTTP behaviour shared with
//! `/content/v1` (ETag, 304, compression, Cache-Control, CORS).
use axum::http::StatusCode;
use serde_json::Value;

use crate::support::TestApp;

async fn mrdata(app: &TestApp, uri: &str) -> Value {
    let reply = app.get(uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
    reply.json()["MRData"].clone()
}

const ENDPOINTS: [&str; 13] = [
    "seasons",
    "circuits",
    "races",
    "constructors",
    "drivers",
    "results",
    "sprint",
    "qualifying",
    "pitstops",
    "laps",
    "driverStandings",
    "constructorStandings",
    "status",
];

/// Jolpica's table (its views' query paths): which filters each endpoint
/// refuses with a 400.
fn refused(endpoint: &str, filter: &str) -> bool {
    match endpoint {
        "laps" | "pitstops" => false,
        "driverStandings" => filter != "drivers",
        "constructorStandings" => filter != "constructors",
        _ => filter == "laps",
    }
}

#[tokio::test]
async fn every_filter_and_endpoint_combination_answers_as_jolpica() {
    let app = TestApp::shared();
    let filters = [
        ("circuits", "monza"),
        ("constructors", "ferrari"),
        ("drivers", "leclerc"),
        ("grid", "1"),
        ("results", "1"),
        ("fastest", "1"),
        ("status", "1"),
        ("laps", "1"),
    ];
    for endpoint in ENDPOINTS {
        for (filter, value) in filters {
            let uri = format!("/ergast/f1/2023/14/{filter}/{value}/{endpoint}.json");
            let reply = app.get(&uri).await;
            let expected = if refused(endpoint, filter) { StatusCode::BAD_REQUEST } else { StatusCode::OK };
            assert_eq!(reply.status, expected, "{uri}: {}", String::from_utf8_lossy(&reply.body));
            if expected == StatusCode::BAD_REQUEST {
                assert_eq!(reply.json()["error"]["parameter"], filter, "{uri}");
            }
        }
    }
}

#[tokio::test]
async fn filters_select_rows() {
    let app = TestApp::shared();
    // Monza 2023: Leclerc (Ferrari) started 3rd and finished 4th.
    let m = mrdata(&app, "/ergast/f1/2023/14/drivers/leclerc/results.json").await;
    assert_eq!(m["total"], "1");
    let row = &m["RaceTable"]["Races"][0]["Results"][0];
    assert_eq!((row["position"].as_str(), row["grid"].as_str()), (Some("4"), Some("3")));
    assert_eq!(m["RaceTable"]["driverId"], "leclerc");
    // The same row reached through other filters, in any order.
    let m = mrdata(&app, "/ergast/f1/2023/results/4/circuits/monza/constructors/ferrari/results.json").await;
    assert_eq!(m["RaceTable"]["Races"][0]["Results"][0]["Driver"]["driverId"], "leclerc");
    // The 2023 winners: one row per race.
    let m = mrdata(&app, "/ergast/f1/2023/results/1.json?limit=100").await;
    assert_eq!(m["total"], "22");
    let m = mrdata(&app, "/ergast/f1/2023/drivers/max_verstappen/results/1/races.json").await;
    assert_eq!(m["total"], "19");
    // Across every stored season (a debug build reads 39 whole seasons:
    // given the time a release build is not).
    let cfg =
        content_api::Config { content_request_timeout_secs: common::config::Secs::of(120), ..crate::support::config() };
    let across = TestApp::on(&format!("http://{}", crate::support::fixture::shared_data_scheduler()), cfg);
    let m = mrdata(&across, "/ergast/f1/results/1/drivers/hamilton/seasons.json?limit=100").await;
    assert!(m["total"].as_str().unwrap().parse::<i32>().unwrap() >= 15, "{m}");
    // The last of a repeated filter wins.
    let m = mrdata(&app, "/ergast/f1/2023/14/drivers/leclerc/drivers/sainz/results.json").await;
    assert_eq!(m["RaceTable"]["Races"][0]["Results"][0]["Driver"]["driverId"], "sainz");
}

#[tokio::test]
async fn paging_cuts_rows_across_races() {
    let app = TestApp::shared();
    let m = mrdata(&app, "/ergast/f1/2023/results.json?limit=30&offset=10").await;
    assert_eq!((m["limit"].as_str(), m["offset"].as_str()), (Some("30"), Some("10")));
    let races = m["RaceTable"]["Races"].as_array().unwrap();
    assert_eq!(races.len(), 2);
    assert_eq!(races[0]["round"], "1");
    assert_eq!(races[0]["Results"].as_array().unwrap().len(), 10, "the page starts mid-race");
    assert_eq!(races[0]["Results"][0]["position"], "11");
    assert_eq!(races[1]["Results"].as_array().unwrap().len(), 20);
    let total: usize = m["total"].as_str().unwrap().parse().unwrap();
    assert!(total > 400, "every 2023 result row counts: {total}");
    // Limit default, maximum, and junk ignored (as Jolpica).
    assert_eq!(mrdata(&app, "/ergast/f1/2023/results.json").await["limit"], "30");
    assert_eq!(mrdata(&app, "/ergast/f1/2023/results.json?limit=1000").await["limit"], "100");
    assert_eq!(mrdata(&app, "/ergast/f1/2023/results.json?limit=abc").await["limit"], "30");
    // Beyond the end: an empty page, the same total.
    let m = mrdata(&app, "/ergast/f1/2023/results.json?offset=5000").await;
    assert_eq!(
        (m["total"].as_str(), m["RaceTable"]["Races"].as_array().map(Vec::len)),
        (Some(&*total.to_string()), Some(0))
    );
}

#[tokio::test]
async fn current_last_and_next() {
    let app = TestApp::shared();
    let m = mrdata(&app, "/ergast/f1/2025/last/results.json").await;
    assert_eq!(m["RaceTable"]["round"], "24", "a completed season's last round is its final one");
    let m = mrdata(&app, "/ergast/f1/2025/next.json").await;
    assert_eq!((m["RaceTable"]["season"].as_str(), m["RaceTable"]["round"].as_str()), (Some("2026"), Some("1")));
    let year =
        1970 + (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 31_556_952);
    let m = mrdata(&app, "/ergast/f1/current.json").await;
    assert_eq!(m["RaceTable"]["season"], year.to_string());
    // In a season under way, `next` is the round after `last`.
    let last = mrdata(&app, "/ergast/f1/2026/last.json").await["RaceTable"]["round"].clone();
    let next = mrdata(&app, "/ergast/f1/2026/next.json").await["RaceTable"]["round"].clone();
    let (l, n): (i32, i32) = (last.as_str().unwrap().parse().unwrap(), next.as_str().unwrap().parse().unwrap());
    assert!(n == l + 1 || (l == 1 && n == 1), "last {l}, next {n}");
}

#[tokio::test]
async fn errors_as_jolpica() {
    let app = TestApp::shared();
    for uri in ["/ergast/f1/laps.json", "/ergast/f1/2023/pitstops.json", "/ergast/f1/driverStandings.json"] {
        let body = app.error(uri, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert!(
            body["error"]["message"].as_str().unwrap().contains("Missing one of the required parameters"),
            "{body}"
        );
    }
    app.error("/ergast/f1/2023/seasons/1.json", StatusCode::BAD_REQUEST, "invalid_parameter").await;
    for uri in ["/ergast/f1/2023/grid/first/results.json", "/ergast/f1/2023/1/laps/one.json", "/ergast/f1/20x3.json"] {
        app.error(uri, StatusCode::NOT_FOUND, "not_found").await;
    }
    // Unknown ids and rounds: 200 with nothing in it.
    for uri in
        ["/ergast/f1/2023/drivers/nobody/results.json", "/ergast/f1/2023/99/results.json", "/ergast/f1/1900.json"]
    {
        let m = mrdata(&app, uri).await;
        assert_eq!(m["total"], "0", "{uri}");
        assert_eq!(m["RaceTable"]["Races"].as_array().map(Vec::len), Some(0), "{uri}");
    }
}

#[tokio::test]
async fn shapes_and_ids() {
    let app = TestApp::shared();
    let m = mrdata(&app, "/ergast/f1/2023/22/results.json").await;
    assert_eq!(m["series"], "f1");
    let race = &m["RaceTable"]["Races"][0];
    assert_eq!(
        (race["Circuit"]["circuitId"].as_str(), race["raceName"].as_str()),
        (Some("yas_marina"), Some("Abu Dhabi Grand Prix"))
    );
    let winner = &race["Results"][0];
    assert_eq!(winner["Driver"]["driverId"], "max_verstappen");
    assert_eq!(winner["Constructor"]["constructorId"], "red_bull");
    assert_eq!(winner["Time"]["time"], "1:27:02.624");
    assert!(race["Results"][1]["Time"]["time"].as_str().unwrap().starts_with('+'));
    assert_eq!(race["Results"][1]["Driver"]["driverId"], "leclerc");
    // Every scalar is a string.
    fn strings_only(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.values().all(strings_only),
            Value::Array(a) => a.iter().all(strings_only),
            Value::String(_) => true,
            _ => false,
        }
    }
    assert!(strings_only(&m), "{m}");
    let m = mrdata(&app, "/ergast/f1/2023/driverStandings/1.json").await;
    let list = &m["StandingsTable"]["StandingsLists"][0];
    assert_eq!((list["round"].as_str(), list["DriverStandings"][0]["points"].as_str()), (Some("22"), Some("575")));
    let m = mrdata(&app, "/ergast/f1/2021/constructorStandings.json").await;
    assert_eq!(
        m["StandingsTable"]["StandingsLists"][0]["ConstructorStandings"][0]["Constructor"]["constructorId"],
        "mercedes"
    );
    let m = mrdata(&app, "/ergast/f1/2023/status.json").await;
    assert_eq!(m["StatusTable"]["Status"][0]["status"], "Finished");
    assert_eq!(m["StatusTable"]["Status"][0]["statusId"], "1");
    let m = mrdata(&app, "/ergast/f1/2023/4/qualifying.json").await;
    assert_eq!(m["RaceTable"]["Races"][0]["QualifyingResults"][0]["Driver"]["driverId"], "leclerc");
    let m = mrdata(&app, "/ergast/f1/2023/4/sprint.json").await;
    assert_eq!(m["RaceTable"]["Races"][0]["SprintResults"][0]["Driver"]["driverId"], "perez");
    // The weekend's sessions appear when their days are stored (the
    // f1db import stores the race day only; see ergast_jolpica for more).
    let m = mrdata(&app, "/ergast/f1/2023/4.json").await;
    assert_eq!(m["RaceTable"]["Races"][0]["date"], "2023-04-30");
    let m = mrdata(&app, "/ergast/f1/drivers/hamilton.json").await;
    assert_eq!(m["DriverTable"]["Drivers"][0]["familyName"], "Hamilton");
    let m = mrdata(&app, "/ergast/f1/circuits/albert_park.json").await;
    assert_eq!(m["CircuitTable"]["Circuits"][0]["Location"]["country"], "Australia");
}

#[tokio::test]
async fn etag_compression_cache_control_and_cors() {
    let app = TestApp::shared();
    let uri = "/ergast/f1/2023/results.json?limit=100";
    let first = app.get_with(uri, &[("accept-encoding", "gzip"), ("origin", "https://example.org")]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("content-encoding"), "gzip");
    assert_eq!(first.header("cache-control"), "public, max-age=86400");
    // Open to any origin, whatever the configured list (empty in tests).
    assert!(["*", "https://example.org"].contains(&first.header("access-control-allow-origin")), "{:?}", first.headers);
    let other = app.get_with("/content/v1/seasons/2023", &[("origin", "https://example.org")]).await;
    assert_eq!(other.header("access-control-allow-origin"), "", "the list still holds for /content/v1");
    let etag = first.header("etag").to_string();
    let again = app.get_with(uri, &[("accept-encoding", "gzip"), ("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let plain = app.get(uri).await;
    assert_eq!(plain.header("content-encoding"), "");
    assert!(plain.json()["MRData"]["RaceTable"]["Races"].is_array());
}

/// The bundled f1db import brings pit stops (from 1994) without laps.
#[tokio::test]
async fn f1db_pit_stops_answer_after_the_bundled_import() {
    let app = TestApp::shared();
    let m = mrdata(&app, "/ergast/f1/2023/1/pitstops.json?limit=100").await;
    let race = &m["RaceTable"]["Races"][0];
    let stops = race["PitStops"].as_array().unwrap();
    assert_eq!(m["total"].as_str(), Some(&*stops.len().to_string()));
    let gasly = stops.iter().find(|p| p["driverId"] == "gasly" && p["stop"] == "1").unwrap();
    assert_eq!((gasly["lap"].as_str(), gasly["duration"].as_str()), (Some("9"), Some("25.885")));
    assert!(gasly.get("time").is_none(), "f1db has no time of day: omitted, not empty");
    let m = mrdata(&app, "/ergast/f1/1994/2/pitstops.json").await;
    assert_ne!(m["total"], "0", "f1db's pit stops start at 1994's round 2");
    let m = mrdata(&app, "/ergast/f1/1993/1/pitstops.json").await;
    assert_eq!(m["total"], "0");
    let m = mrdata(&app, "/ergast/f1/2023/1/laps.json").await;
    assert_eq!(m["total"], "0", "f1db has no lap timings");
}

/// Old drivers, teams and circuits answer with Ergast's ids (the f1db
/// import writes the full id maps as aliases), and filter by them.
#[tokio::test]
async fn old_records_answer_with_ergast_ids() {
    let app = TestApp::shared();
    let m = mrdata(&app, "/ergast/f1/1994/2/results.json").await;
    let race = &m["RaceTable"]["Races"][0];
    assert_eq!(race["Circuit"]["circuitId"], "okayama", "f1db's aida");
    let drivers: Vec<&str> =
        race["Results"].as_array().unwrap().iter().map(|r| r["Driver"]["driverId"].as_str().unwrap()).collect();
    assert_eq!(drivers[0], "michael_schumacher");
    assert!(drivers.contains(&"senna"), "{drivers:?}");
    let m = mrdata(&app, "/ergast/f1/drivers/senna.json").await;
    assert_eq!(m["DriverTable"]["Drivers"][0]["familyName"], "Senna");
    let m = mrdata(&app, "/ergast/f1/1988/drivers/prost/results/1/results.json").await;
    assert_eq!(m["total"], "7", "Prost won seven races in 1988");
    let m = mrdata(&app, "/ergast/f1/1988/circuits/jacarepagua/results.json?limit=1").await;
    assert_eq!(m["RaceTable"]["Races"][0]["Results"][0]["Driver"]["driverId"], "prost");
}
