use std::collections::{BTreeMap, HashMap};

use livetiming::live::protocol;
use livetiming::openf1::input::hub_messages;
use livetiming::openf1::{Gap, SessionRecords, TopicMessage, derive, derive_folder, folder_messages};
use serde_json::Value;

use crate::{raw_lines, testdata};

pub const BAKU_2018: &str = "livetiming/static/2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race";
pub const MONZA_2019_Q: &str = "livetiming/static/2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying";

fn messages(folder: &str) -> Vec<TopicMessage> {
    folder_messages(&testdata(folder)).unwrap()
}

pub fn records(folder: &str) -> SessionRecords {
    derive_folder(&testdata(folder)).unwrap()
}

/// The last value of `Lines.{car}.{field}` over the patches.
fn last_per_car(lines: &[Value], field: &str) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for patch in lines {
        for (car, line) in patch["Lines"].as_object().into_iter().flatten() {
            if let Some(n) = line.get(field).and_then(Value::as_i64) {
                out.insert(car.parse().unwrap(), n);
            }
        }
    }
    out
}

fn count_by_car<T>(records: &[T], car: impl Fn(&T) -> i32) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for r in records {
        *out.entry(car(r)).or_default() += 1;
    }
    out
}

#[test]
fn a_race_has_the_recordings_laps_stints_pits_and_messages() {
    let r = records(BAKU_2018);
    let session = r.session.as_ref().unwrap();
    assert_eq!((session.meeting_key, session.session_key), (982, 5090));
    assert_eq!(session.date_start.unwrap().to_rfc3339(), "2018-04-29T12:10:00+00:00");
    assert!(r.laps.iter().all(|l| l.meeting_key == 982 && l.session_key == 5090));

    let timing = raw_lines(BAKU_2018, "TimingData");
    // Laps per car = TimingData's NumberOfLaps at the end.
    let laps = last_per_car(&timing, "NumberOfLaps");
    let ours = count_by_car(&r.laps, |l| l.driver_number);
    let laps: BTreeMap<i32, i64> = laps.into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(ours, laps);
    assert_eq!(laps[&44], 51, "the winner ran the full distance");

    // A lap's time is the LastLapTime published with its NumberOfLaps.
    let lap_10 = timing
        .iter()
        .find_map(|p| {
            let line = &p["Lines"]["44"];
            (line["NumberOfLaps"] == 10).then(|| line["LastLapTime"]["Value"].as_str())?
        })
        .unwrap();
    let lap = r.laps.iter().find(|l| l.driver_number == 44 && l.lap_number == 10).unwrap();
    let (m, s) = lap_10.split_once(':').unwrap();
    let expected = m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap();
    assert!((lap.lap_duration.unwrap() - expected).abs() < 1e-9, "{lap:?} vs {lap_10}");
    assert!(r.laps.iter().filter(|l| l.lap_duration.is_some()).count() > r.laps.len() * 9 / 10);

    // Stints per car = the entries of TimingAppData's stint list.
    let mut stints: BTreeMap<i32, i64> = BTreeMap::new();
    for patch in raw_lines(BAKU_2018, "TimingAppData") {
        for (car, line) in patch["Lines"].as_object().into_iter().flatten() {
            let keys: Vec<i64> = match &line["Stints"] {
                Value::Array(a) => (0..a.len() as i64).collect(),
                Value::Object(o) => o.keys().map(|k| k.parse().unwrap()).collect(),
                _ => continue,
            };
            let n = stints.entry(car.parse().unwrap()).or_default();
            *n = (*n).max(keys.iter().max().map_or(0, |k| k + 1));
        }
    }
    stints.retain(|_, n| *n > 0);
    assert_eq!(count_by_car(&r.stints, |s| s.driver_number), stints);
    for (car, _) in laps.iter().filter(|(_, n)| **n > 0) {
        let mine: Vec<_> = r.stints.iter().filter(|s| s.driver_number == *car).collect();
        assert_eq!(mine.first().map(|s| s.lap_start), Some(1), "car {car}");
        assert!(mine.windows(2).all(|w| w[1].lap_start == w[0].lap_end + 1), "car {car}: {mine:?}");
    }

    // Pit stops per car = TimingData's NumberOfPitStops at the end.
    let stops: BTreeMap<i32, i64> =
        last_per_car(&timing, "NumberOfPitStops").into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(count_by_car(&r.pit, |p| p.driver_number), stops);
    assert!(r.pit.iter().all(|p| p.pit_duration.is_some_and(|d| (10.0..120.0).contains(&d))), "{:?}", r.pit);

    // Race control: every message of the recording, in order.
    let messages: Vec<Value> = raw_lines(BAKU_2018, "RaceControlMessages")
        .iter()
        .flat_map(|p| match &p["Messages"] {
            Value::Array(a) => a.clone(),
            Value::Object(o) => o.values().cloned().collect(),
            _ => vec![],
        })
        .collect();
    assert_eq!(r.race_control.len(), messages.len());
    let sc = r.race_control.iter().find(|m| m.category.as_deref() == Some("SafetyCar")).unwrap();
    assert_eq!(sc.message.as_deref(), Some("SAFETY CAR DEPLOYED"));
    assert_eq!(sc.date.unwrap().to_rfc3339(), "2018-04-29T12:14:31+00:00");

    // Track and session status: one record per line.
    assert_eq!(r.track_status.len(), raw_lines(BAKU_2018, "TrackStatus").len());
    assert_eq!(r.session_status.len(), raw_lines(BAKU_2018, "SessionStatus").len());

    // The grid and the final order.
    let grid: HashMap<i32, i32> = r.starting_grid.iter().map(|g| (g.driver_number, g.position)).collect();
    assert_eq!(grid[&5], 1);
    let lines = last_per_car(&timing, "Line");
    for result in &r.session_result {
        assert_eq!(result.position as i64, lines[&result.driver_number]);
        let last = r.position.iter().rev().find(|p| p.driver_number == result.driver_number).unwrap();
        assert_eq!(last.position, result.position);
    }
    assert_eq!(r.session_result[0].driver_number, 44);
    // dnf = TimingData's Retired or Stopped at the end (2018 sets only Stopped).
    let mut retired: BTreeMap<(i32, &str), bool> = BTreeMap::new();
    for patch in &timing {
        for (car, line) in patch["Lines"].as_object().into_iter().flatten() {
            for field in ["Retired", "Stopped"] {
                if let Some(flag) = line.get(field).and_then(Value::as_bool) {
                    retired.insert((car.parse().unwrap(), field), flag);
                }
            }
        }
    }
    let dnf: Vec<i32> = r.session_result.iter().filter(|x| x.dnf).map(|x| x.driver_number).collect();
    let expected: Vec<i32> = retired.iter().filter(|(_, r)| **r).map(|((n, _), _)| *n).collect();
    assert_eq!(expected.len(), 7);
    assert_eq!(dnf.iter().copied().collect::<std::collections::BTreeSet<_>>(), expected.into_iter().collect());

    // Intervals: the leader's gap is 0; a lapped car's gap stays text.
    assert!(r.intervals.iter().any(|i| i.gap_to_leader == Some(Gap::Seconds(0.0))));
    assert!(!r.intervals.is_empty());

    // Overtakes: each swap is a real pass by the rule (none at a pit stop).
    assert!(!r.overtakes.is_empty());
    for o in &r.overtakes {
        assert_ne!(o.overtaking_driver_number, o.overtaken_driver_number);
        assert!(!r.pit.iter().any(|p| p.driver_number == o.overtaken_driver_number
            && p.date.is_some_and(|d| (d - o.date).num_seconds().abs() < 60)));
    }
}

#[test]
fn every_weather_sample_is_a_record() {
    let r = records(MONZA_2019_Q);
    let raw = raw_lines(MONZA_2019_Q, "WeatherData");
    assert_eq!(r.weather.len(), raw.len());
    let first = &r.weather[0];
    assert_eq!(first.air_temperature, raw[0]["AirTemp"].as_str().unwrap().parse().ok());
    assert_eq!(first.wind_direction, Some(238));
    // Qualifying results carry the three parts.
    assert!(
        matches!(&r.session_result[0].duration, livetiming::openf1::ResultTime::Parts(p) if p.len() == 3 && p[2].is_some())
    );
    assert!(r.intervals.is_empty() && r.overtakes.is_empty() && r.pit.is_empty());
}

/// The same recording sent as live hub frames (`feed` invocations with
/// their UTC time) gives the same records as read from the archive.
#[test]
fn archive_lines_and_live_frames_give_the_same_records() {
    for folder in [BAKU_2018, MONZA_2019_Q] {
        let archived = messages(folder);
        let frames: Vec<String> =
            archived.iter().map(|m| protocol::feed(&m.topic, &m.payload, &m.date.to_rfc3339())).collect();
        // Several messages per frame, as the hub may send them.
        let joined: Vec<String> = frames.chunks(3).map(|c| c.concat()).collect();
        let live = hub_messages(joined.iter().map(String::as_str)).unwrap();
        assert_eq!(live, archived);
        let (from_archive, from_live) = (derive(archived).unwrap(), derive(live).unwrap());
        assert!(!from_live.laps.is_empty());
        assert_eq!(from_live, from_archive);
    }
}

#[test]
fn records_serialise_with_openf1_field_names_and_dates() {
    let r = records(BAKU_2018);
    let lap = serde_json::to_value(&r.laps[5]).unwrap();
    for field in [
        "meeting_key",
        "session_key",
        "driver_number",
        "lap_number",
        "date_start",
        "lap_duration",
        "duration_sector_1",
        "duration_sector_2",
        "duration_sector_3",
        "segments_sector_1",
        "i1_speed",
        "i2_speed",
        "st_speed",
        "is_pit_out_lap",
    ] {
        assert!(lap.get(field).is_some(), "{field} in {lap}");
    }
    let date = lap["date_start"].as_str().unwrap();
    assert!(date.ends_with("+00:00") && date.len() == "2018-04-29T12:14:31.000000+00:00".len(), "{date}");
    let back: livetiming::openf1::Lap = serde_json::from_value(lap).unwrap();
    assert_eq!(back, r.laps[5]);
}
