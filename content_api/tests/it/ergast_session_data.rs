//! The Ergast API's `laps` and `pitstops` from session data (2018 on),
//! where no Ergast-format source gave them: Baku 2018's race recorded in
//! the LiveTiming archive, over f1db's 2018 season (results; f1db has no
//! lap times). The laps are checked against Jolpica's own answer for the
//! same race (`testdata/jolpica/ergast/f1/2018/4/laps/1.json`), the pit
//! stops against f1db's (from the FIA's documents).
use std::collections::BTreeMap;

use axum::http::StatusCode;
use content_api::ergast::timing::from_session_data;
use fetcher_service::sources::f1db::{self, F1dbSource};
use protobuf::v1::{SessionKey, SessionType};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;

use crate::support::sessions::BAKU_2018;
use crate::support::{TestApp, config};

fn jolpica(rel: &str) -> Value {
    let path = crate::ergast_jolpica::recordings().join(rel);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn timings(answer: &Value) -> Vec<(String, String, String)> {
    let races = answer["MRData"]["RaceTable"]["Races"].as_array().unwrap();
    races
        .iter()
        .flat_map(|r| r["Laps"].as_array().unwrap())
        .flat_map(|l| l["Timings"].as_array().unwrap())
        .map(|t| {
            (
                t["driverId"].as_str().unwrap().into(),
                t["position"].as_str().unwrap().into(),
                t["time"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// `m:ss.mmm` as milliseconds.
fn millis(time: &str) -> i64 {
    let (m, s) = time.split_once(':').unwrap();
    m.parse::<i64>().unwrap() * 60_000 + (s.parse::<f64>().unwrap() * 1000.0).round() as i64
}

#[tokio::test]
async fn laps_and_pit_stops_come_from_session_data_where_ergast_sources_have_none() {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    f1db::import_into(&client, F1dbSource::Bundled, Some(2018), Some(2018), |_| {}).await.expect("f1db 2018");
    let app = TestApp::on(&ds.url(), config());

    // Before the session data is stored there are no laps.
    let none = app.get("/ergast/f1/2018/4/laps.json").await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json()["MRData"]["total"], "0");

    let records = BAKU_2018.store(&client).await;

    // Lap 1 as Jolpica answers it: the same drivers in the same places. The
    // feed gives no lap time for a race's first lap: ours is measured from
    // the feed's `Started` to the car's line crossing, both as the feed
    // dated them, so it runs 0.27-0.37 s long here (one car 1.1 s, its
    // crossing published late); laps 2 on are the feed's own lap times.
    let ours = app.get("/ergast/f1/2018/4/laps/1.json").await;
    assert_eq!(ours.status, StatusCode::OK, "{}", String::from_utf8_lossy(&ours.body));
    let (ours, theirs) = (timings(&ours.json()), timings(&jolpica("2018/4/laps/1.json")));
    assert_eq!(theirs.len(), 18);
    let places = |t: &[(String, String, String)]| t.iter().map(|(d, p, _)| (d.clone(), p.clone())).collect::<Vec<_>>();
    assert_eq!(places(&ours), places(&theirs), "lap 1's order");
    for ((driver, _, a), (_, _, b)) in ours.iter().zip(&theirs) {
        assert!((0..=1200).contains(&(millis(a) - millis(b))), "{driver}'s lap 1: ours {a}, Jolpica's {b}");
    }

    // Every lap each car completed (TimingData's final NumberOfLaps), and
    // every lap's places run 1..n.
    // Jolpica pages at 100 rows at most, as we do.
    let mut rows = Vec::new();
    let mut total = usize::MAX;
    while rows.len() < total {
        let page = app.get(&format!("/ergast/f1/2018/4/laps.json?limit=100&offset={}", rows.len())).await.json();
        total = page["MRData"]["total"].as_str().unwrap().parse().unwrap();
        let got = timings(&page);
        assert!(!got.is_empty(), "{page}");
        rows.extend(got);
    }
    for n in 1..=51 {
        let lap = app.get(&format!("/ergast/f1/2018/4/laps/{n}.json")).await.json();
        let places: Vec<usize> = timings(&lap).iter().map(|t| t.1.parse().unwrap()).collect();
        assert_eq!(places, (1..=places.len()).collect::<Vec<_>>(), "lap {n}");
    }
    let race =
        client.sport().get_session(SessionKey { season: 2018, round: 4, r#type: SessionType::Race as i32 }).await;
    let results = race.unwrap().into_inner().session.unwrap().results;
    // Car numbers by our driver id and by Ergast's (its own results answer).
    let ours_number: BTreeMap<String, i64> =
        results.iter().map(|r| (r.driver_id.clone(), i64::from(r.driver_number))).collect();
    let ergast_results = app.get("/ergast/f1/2018/4/results.json").await.json();
    let number: BTreeMap<String, i64> = ergast_results["MRData"]["RaceTable"]["Races"][0]["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["Driver"]["driverId"].as_str().unwrap().into(), r["number"].as_str().unwrap().parse().unwrap()))
        .collect();
    let mut per_car: BTreeMap<i64, usize> = BTreeMap::new();
    for (driver, _, _) in &rows {
        *per_car.entry(number[driver]).or_default() += 1;
    }
    let expected: BTreeMap<i64, usize> = BAKU_2018.laps_per_car().into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(per_car, expected, "laps per car = TimingData's final NumberOfLaps");

    // Pit stops: f1db's are stored, so the API answers those; the session
    // data gives the same 36 stops (lap and stop number). Pit-lane times before 2023 are measured between the feed's
    // pit entry and exit messages (no PitLaneTimeCollection then): most
    // within a tenth of the FIA's, the median within 0.05 s, none more than
    // 2.5 s off (a late message).
    let stored = app.get("/ergast/f1/2018/4/pitstops.json?limit=100").await.json();
    let stored = stored["MRData"]["RaceTable"]["Races"][0]["PitStops"].as_array().unwrap().clone();
    assert!(!stored.is_empty(), "f1db has Baku 2018's pit stops");
    let (_, derived) = from_session_data(&records, &results);
    assert_eq!(derived.len(), stored.len(), "{derived:?}");
    assert_eq!(stored.len(), 36);
    let mut off = Vec::new();
    for stop in &stored {
        let car = number[stop["driverId"].as_str().unwrap()];
        let lap: i32 = stop["lap"].as_str().unwrap().parse().unwrap();
        let ours = derived
            .iter()
            .find(|p| ours_number[&p.driver_id] == car && p.lap == lap)
            .unwrap_or_else(|| panic!("{stop}: not in {derived:?}"));
        assert_eq!(ours.stop.to_string(), stop["stop"].as_str().unwrap(), "{stop}");
        let secs = |t: &str| t.split(':').fold(0_i64, |a, p| a * 60 + p.parse::<i64>().unwrap());
        // f1db has no time of day; ours is local (Baku, UTC+4), after the 16:10 start.
        assert!(stop["time"].as_str().is_none_or(|t| (secs(&ours.time) - secs(t)).abs() <= 1), "{stop}");
        assert!((16 * 3600 + 600..18 * 3600).contains(&secs(&ours.time)), "{ours:?}");
        let d = |t: &str| t.parse::<f64>().unwrap();
        off.push((d(&ours.duration) - d(stop["duration"].as_str().unwrap())).abs());
        assert!(off.last().is_some_and(|o| *o < 2.5), "{ours:?} / {stop}");
    }
    off.sort_by(f64::total_cmp);
    assert!(off[off.len() / 2] < 0.05, "median pit-lane time difference {off:?}");
}
