//! The query language end to end, table-driven: what a query string reads
//! as, and which records it selects, checked against an independent
//! reading of each query (a predicate per row).
use chrono::{DateTime, SecondsFormat};
use serde_json::{Value as Json, json};

use super::*;
use crate::error::ApiError;

const D: i64 = 1_694_822_400_000_000; // 2023-09-16T00:00:00Z
const H: i64 = 3_600_000_000;
const MIN: i64 = 60_000_000;
const S: i64 = 1_000_000;

fn cond(field: &'static str, op: Op, value: Value) -> Condition {
    Condition { field, op, value }
}

fn n(v: f64) -> Value {
    Value::Number(v)
}

#[test]
fn every_operator_raw_and_percent_encoded() {
    use Op::*;
    let cases: &[(&str, Op)] = &[
        ("lap_number=10", Eq),
        ("lap_number%3D10", Eq),
        ("lap_number>10", Gt),
        ("lap_number%3E10", Gt),
        ("lap_number>=10", Ge),
        ("lap_number%3E%3D10", Ge),
        ("lap_number%3E=10", Ge),
        ("lap_number<10", Lt),
        ("lap_number%3C10", Lt),
        ("lap_number<=10", Le),
        ("lap_number%3C%3D10", Le),
        ("lap_number%3c%3d10", Le),
        ("Lap_Number>=10", Ge),
        // the operator encoded in the name, as openf1-python-client sends it
        ("lap_number%3E%3D=10", Ge),
        ("lap_number%3C%3D=10", Le),
    ];
    for (raw, op) in cases {
        let q = Query::parse(Endpoint::Laps, raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(q.conditions(), [cond("lap_number", *op, n(10.0))], "{raw}");
        assert!(!q.csv);
    }
}

#[test]
fn values_are_typed_by_their_field() {
    let cases: &[(Endpoint, &str, Condition)] = &[
        (Endpoint::Laps, "lap_duration>=91.5", cond("lap_duration", Op::Ge, n(91.5))),
        (Endpoint::Laps, "lap_number<10.5", cond("lap_number", Op::Lt, n(10.5))),
        (Endpoint::Laps, "is_pit_out_lap=True", cond("is_pit_out_lap", Op::Eq, Value::Bool(true))),
        (Endpoint::Laps, "is_pit_out_lap=false", cond("is_pit_out_lap", Op::Eq, Value::Bool(false))),
        (
            Endpoint::Drivers,
            "team_name=Red+Bull+Racing",
            cond("team_name", Op::Eq, Value::Text("Red Bull Racing".into())),
        ),
        (Endpoint::Drivers, "team_name=Red%20Bull", cond("team_name", Op::Eq, Value::Text("Red Bull".into()))),
        // text stays text, even when it looks like a number or a date
        (Endpoint::Drivers, "team_colour=3671C6", cond("team_colour", Op::Eq, Value::Text("3671C6".into()))),
        (Endpoint::Sessions, "country_code=MON", cond("country_code", Op::Eq, Value::Text("MON".into()))),
        (Endpoint::Sessions, "gmt_offset=08:00:00", cond("gmt_offset", Op::Eq, Value::Text("08:00:00".into()))),
        // a value holding an operator sign: the leftmost operator splits
        (Endpoint::RaceControl, "message=A+>=+B", cond("message", Op::Eq, Value::Text("A >= B".into()))),
        (Endpoint::Intervals, "gap_to_leader<5", cond("gap_to_leader", Op::Lt, n(5.0))),
        (Endpoint::Intervals, "interval=%2B1%20LAP", cond("interval", Op::Eq, Value::Text("+1 LAP".into()))),
        (Endpoint::Laps, "segments_sector_1=2051", cond("segments_sector_1", Op::Eq, n(2051.0))),
        (
            Endpoint::Laps,
            "date_start>2023-09-16T13:03:35",
            cond("date_start", Op::Gt, Value::Instant(D + 13 * H + 3 * MIN + 35 * S)),
        ),
        (
            Endpoint::Laps,
            "date_start%3E2023-09-16T13:03:35",
            cond("date_start", Op::Gt, Value::Instant(D + 13 * H + 3 * MIN + 35 * S)),
        ),
        // `+02:00` sent raw arrives as ` 02:00`; both are the same instant
        (
            Endpoint::Laps,
            "date_start<=2023-09-16T15:00:00+02:00",
            cond("date_start", Op::Le, Value::Instant(D + 13 * H)),
        ),
        (
            Endpoint::Laps,
            "date_start<=2023-09-16T15:00:00%2B02:00",
            cond("date_start", Op::Le, Value::Instant(D + 13 * H)),
        ),
        (Endpoint::Laps, "session_key=latest", cond("session_key", Op::Eq, Value::Latest)),
        (Endpoint::Sessions, "meeting_key=latest", cond("meeting_key", Op::Eq, Value::Latest)),
    ];
    for (endpoint, raw, want) in cases {
        let q = Query::parse(*endpoint, raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(q.conditions(), std::slice::from_ref(want), "{raw}");
    }
}

#[test]
fn a_day_alone_is_widened_to_the_whole_utc_day() {
    use Op::*;
    let next = D + 24 * H;
    let cases: &[(&str, &[(Op, i64)])] = &[
        ("date_start=2023-09-16", &[(Ge, D), (Lt, next)]),
        ("date_start>2023-09-16", &[(Ge, next)]),
        ("date_start>=2023-09-16", &[(Ge, D)]),
        ("date_start<2023-09-16", &[(Lt, D)]),
        ("date_start<=2023-09-16", &[(Lt, next)]),
        // with a time, even midnight, it is an instant
        ("date_start=2023-09-16T00:00", &[(Eq, D)]),
    ];
    for (raw, want) in cases {
        let q = Query::parse(Endpoint::Laps, raw).unwrap();
        let want: Vec<_> = want.iter().map(|(op, t)| cond("date_start", *op, Value::Instant(*t))).collect();
        assert_eq!(q.conditions(), want, "{raw}");
    }
}

#[test]
fn csv_is_a_flag_not_a_field() {
    let cases: &[(&str, bool)] = &[
        ("csv=true", true),
        ("csv=TRUE", true),
        ("csv=false", false),
        ("", false),
        ("session_key=9161&csv=true", true),
        ("csv=true&csv=false", true),
    ];
    for (raw, csv) in cases {
        let q = Query::parse(Endpoint::Laps, raw).unwrap();
        assert_eq!(q.csv, *csv, "{raw}");
        assert!(q.conditions().iter().all(|c| c.field != "csv"), "{raw}");
    }
}

#[test]
fn refusals_name_the_parameter_and_the_value() {
    let bad = |field: &str, value: &str, expected| QueryError::BadValue {
        field: field.into(),
        value: value.into(),
        expected: Kind::expected(expected),
    };
    let cases: &[(Endpoint, &str, QueryError)] = &[
        (Endpoint::Laps, "lap_nmber=1", QueryError::UnknownField { endpoint: "laps", field: "lap_nmber".into() }),
        (
            Endpoint::Laps,
            "session_key=9161&team_name=McLaren",
            QueryError::UnknownField { endpoint: "laps", field: "team_name".into() },
        ),
        (Endpoint::Laps, "lap_number=abc", bad("lap_number", "abc", Kind::Integer)),
        (Endpoint::Laps, "lap_number=>10", bad("lap_number", ">10", Kind::Integer)),
        (Endpoint::Laps, "lap_number=NaN", bad("lap_number", "NaN", Kind::Integer)),
        (Endpoint::Laps, "lap_duration<=inf", bad("lap_duration", "inf", Kind::Number)),
        (Endpoint::Laps, "lap_number=latest", bad("lap_number", "latest", Kind::Integer)),
        (Endpoint::Laps, "session_key=Latest", bad("session_key", "Latest", Kind::Integer)),
        (Endpoint::Laps, "is_pit_out_lap=1", bad("is_pit_out_lap", "1", Kind::Boolean)),
        (Endpoint::Laps, "date_start>Sep+16,+2023", bad("date_start", "Sep 16, 2023", Kind::Date)),
        (Endpoint::Laps, "date_start=2023-02-30", bad("date_start", "2023-02-30", Kind::Date)),
        (Endpoint::Laps, "csv=yes", bad("csv", "yes", Kind::Boolean)),
        (Endpoint::Laps, "csv>true", bad("csv", "true", Kind::Boolean)),
        (Endpoint::Laps, "lap_number", QueryError::NoOperator { parameter: "lap_number".into() }),
        (Endpoint::Laps, "lap_number=", QueryError::NoOperator { parameter: "lap_number".into() }),
        (Endpoint::Laps, "lap_number%3E%3D", QueryError::NoOperator { parameter: "lap_number>=".into() }),
    ];
    for (endpoint, raw, want) in cases {
        let got = Query::parse(*endpoint, raw).expect_err(raw);
        assert_eq!(&got, want, "{raw}");
        // and the route's 400 names it
        match ApiError::from(got) {
            ApiError::BadParameter { parameter, message } => {
                assert_eq!(parameter, want.parameter(), "{raw}");
                if let QueryError::BadValue { value, .. } = want {
                    assert!(message.contains(value.as_str()), "{raw}: {message}");
                }
            }
            other => panic!("{raw}: {other:?}"),
        }
    }
}

/// Laps of drivers 1 and 44, laps 1 to 25 in lap order, one every five
/// minutes from 23:00Z on 2023-09-16 (so lap 12 starts at midnight of the
/// 17th; driver 44 one second later), 90 s + lap/4 long (lap 1 untimed),
/// lap 15 a pit-out lap, and one purple mini-sector for driver 1 on lap 5.
fn laps() -> Vec<serde_json::Map<String, Json>> {
    let mut laps = Vec::new();
    for lap in 1..=25_i64 {
        for (driver, late) in [(1, 0), (44, S)] {
            let start = D + 23 * H + lap * 5 * MIN + late;
            let date = DateTime::from_timestamp_micros(start).unwrap().to_rfc3339_opts(SecondsFormat::Micros, false);
            let duration = if lap == 1 { Json::Null } else { json!(90.0 + lap as f64 / 4.0) };
            let segment = if driver == 1 && lap == 5 { 2051 } else { 2049 };
            let record = json!({
                "date_start": date, "driver_number": driver, "lap_number": lap, "lap_duration": duration,
                "is_pit_out_lap": lap == 15, "meeting_key": 1219, "session_key": 9161,
                "segments_sector_1": [2048, segment, null],
            });
            let Json::Object(record) = record else { unreachable!() };
            laps.push(record);
        }
    }
    laps
}

fn id(record: &serde_json::Map<String, Json>) -> (i64, i64) {
    (record["driver_number"].as_i64().unwrap(), record["lap_number"].as_i64().unwrap())
}

#[test]
fn laps_selected_as_openf1_selects_them() {
    type Want = fn(i64, i64) -> bool;
    let cases: &[(&str, Want)] = &[
        ("", |_, _| true),
        ("session_key=9161", |_, _| true),
        ("session_key=9165", |_, _| false),
        ("driver_number=1", |d, _| d == 1),
        // repeated `=` is OR
        ("driver_number=1&driver_number=44", |_, _| true),
        ("lap_number=3&lap_number=7", |_, l| l == 3 || l == 7),
        // fields are ANDed
        ("driver_number=44&lap_number=3", |d, l| d == 44 && l == 3),
        // a range, raw and encoded, with another field
        ("lap_number>=10&lap_number<=20", |_, l| (10..=20).contains(&l)),
        ("driver_number=1&lap_number%3E%3D10&lap_number%3C%3D20", |d, l| d == 1 && (10..=20).contains(&l)),
        ("lap_number>10&lap_number<20", |_, l| l > 10 && l < 20),
        // two ranges, and an `=` beside a range: alternatives
        ("lap_number>=2&lap_number<=3&lap_number>=20&lap_number<=21", |_, l| matches!(l, 2 | 3 | 20 | 21)),
        ("lap_number=5&lap_number>=20&lap_number<=21", |_, l| matches!(l, 5 | 20 | 21)),
        // bounds that cannot pair stay alternatives (OpenF1's rule)
        ("lap_number>20&lap_number<3", |_, l| !(3..=20).contains(&l)),
        ("lap_number>=10&lap_number>=20", |_, l| l >= 10),
        // numbers numerically; a null never matches
        ("lap_duration>93", |_, l| l > 12),
        ("lap_duration<91", |_, l| l == 2 || l == 3),
        ("lap_duration=93.25", |_, l| l == 13),
        ("lap_number<2.5", |_, l| l <= 2),
        ("is_pit_out_lap=true", |_, l| l == 15),
        ("is_pit_out_lap=FALSE", |_, l| l != 15),
        // a list matches when one element does
        ("segments_sector_1=2051", |d, l| d == 1 && l == 5),
        ("segments_sector_1=2048", |_, _| true),
        // dates as instants, in any zone; naive is UTC
        ("date_start<2023-09-16T23:10:00", |_, l| l == 1),
        ("date_start<2023-09-16T23:10:00Z", |_, l| l == 1),
        ("date_start>=2023-09-17T01:00:00%2B01:00", |_, l| l >= 12),
        ("date_start>=2023-09-17T01:00:00+01:00", |_, l| l >= 12),
        ("date_start=2023-09-17T00:00:01.000000%2B00:00", |d, l| d == 44 && l == 12),
        ("date_start>2023-09-17T00:00:00&date_start<2023-09-17T00:05:00", |d, l| d == 44 && l == 12),
        // a day alone is the whole UTC day
        ("date_start=2023-09-16", |_, l| l < 12),
        ("date_start=2023-09-17", |_, l| l >= 12),
        ("date_start=2023-09-15", |_, _| false),
        ("date_start=2023-09-16&date_start=2023-09-17", |_, _| true),
        ("date_start>2023-09-16", |_, l| l >= 12),
        ("date_start>=2023-09-17", |_, l| l >= 12),
        ("date_start<2023-09-17", |_, l| l < 12),
        ("date_start<=2023-09-16", |_, l| l < 12),
        ("date_start<=2023-09-17", |_, _| true),
    ];
    let laps = laps();
    for (raw, want) in cases {
        let q = Query::parse(Endpoint::Laps, raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
        let filter = Filter::new(&q);
        let got: Vec<_> = filter.apply(&laps).map(id).collect();
        let expected: Vec<_> = laps.iter().map(id).filter(|(d, l)| want(*d, *l)).collect();
        assert!(
            !expected.is_empty() || raw.contains("9165") || raw.contains("09-15"),
            "{raw}: a case that selects nothing"
        );
        // also pins the order: filtering never reorders
        assert_eq!(got, expected, "{raw}");
    }
}

#[test]
fn latest_matches_nothing_until_the_caller_resolves_it() {
    let laps = laps();
    let mut q = Query::parse(Endpoint::Laps, "session_key=latest&driver_number=1").unwrap();
    assert!(q.wants_latest("session_key"));
    assert!(!q.wants_latest("meeting_key"));
    assert_eq!(Filter::new(&q).apply(&laps).count(), 0);
    q.resolve_latest("session_key", 9161);
    assert!(!q.wants_latest("session_key"));
    assert_eq!(q.keys("session_key"), Some(vec![9161]));
    assert_eq!(Filter::new(&q).apply(&laps).count(), 25);
    let mut q = Query::parse(Endpoint::Laps, "meeting_key=latest").unwrap();
    q.resolve_latest("meeting_key", 1);
    assert_eq!(Filter::new(&q).apply(&laps).count(), 0);
}

#[test]
fn keys_are_offered_only_for_plain_equalities() {
    let keys = |raw| Query::parse(Endpoint::Laps, raw).unwrap().keys("session_key");
    assert_eq!(keys("session_key=9161&session_key=9165&lap_number>3"), Some(vec![9161, 9165]));
    assert_eq!(keys("lap_number>3"), None);
    assert_eq!(keys("session_key>=9161"), None);
    assert_eq!(keys("session_key=9161&session_key<9000"), None);
    assert_eq!(keys("session_key=latest"), None);
}

#[test]
fn text_exactly_gaps_by_type_and_missing_fields_never() {
    let drivers = [
        json!({"driver_number": 1, "name_acronym": "VER", "team_name": "Red Bull Racing"}),
        json!({"driver_number": 4, "name_acronym": "NOR", "team_name": "McLaren"}),
        json!({"driver_number": 81, "name_acronym": "PIA"}),
    ];
    let intervals = [
        json!({"driver_number": 1, "gap_to_leader": null, "interval": null}),
        json!({"driver_number": 4, "gap_to_leader": 41.019, "interval": 0.003}),
        json!({"driver_number": 81, "gap_to_leader": "+1 LAP", "interval": "+1 LAP"}),
    ];
    let cases: &[(Endpoint, &[Json], &str, &[i64])] = &[
        (Endpoint::Drivers, &drivers, "team_name=Red+Bull+Racing", &[1]),
        (Endpoint::Drivers, &drivers, "team_name=Red%20Bull%20Racing", &[1]),
        (Endpoint::Drivers, &drivers, "team_name=red+bull+racing", &[]),
        (Endpoint::Drivers, &drivers, "name_acronym>O", &[1, 81]),
        (Endpoint::Drivers, &drivers, "name_acronym>=NOR&name_acronym<=PIA", &[4, 81]),
        // a record without the field matches no condition on it
        (Endpoint::Drivers, &drivers, "team_name<Z", &[1, 4]),
        (Endpoint::Intervals, &intervals, "gap_to_leader<50", &[4]),
        (Endpoint::Intervals, &intervals, "gap_to_leader>=0", &[4]),
        (Endpoint::Intervals, &intervals, "gap_to_leader=%2B1%20LAP", &[81]),
        // a raw `+` is a space, as in every form decoder (OpenF1's too)
        (Endpoint::Intervals, &intervals, "gap_to_leader=+1+LAP", &[]),
        (Endpoint::Intervals, &intervals, "interval=0.003", &[4]),
    ];
    for (endpoint, records, raw, want) in cases {
        let filter = Filter::new(&Query::parse(*endpoint, raw).unwrap_or_else(|e| panic!("{raw}: {e}")));
        let got: Vec<_> = filter.apply(records).map(|r| r["driver_number"].as_i64().unwrap()).collect();
        assert_eq!(got, *want, "{raw}");
    }
}

#[test]
fn filtered_rows_write_as_csv_in_their_order() {
    let laps = laps();
    let q = Query::parse(Endpoint::Laps, "driver_number=44&lap_number>=11&lap_number<=12&csv=true").unwrap();
    assert!(q.csv);
    let csv = write_csv(Endpoint::Laps, Filter::new(&q).apply(&laps));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "date_start,driver_number,duration_sector_1,duration_sector_2,duration_sector_3,i1_speed,i2_speed,is_pit_out_lap,lap_duration,lap_number,meeting_key,segments_sector_1,segments_sector_2,segments_sector_3,session_key,st_speed"
    );
    assert_eq!(lines[1], "2023-09-16 23:55:01.000000+00:00,44,,,,,,False,92.75,11,1219,\"[2048, 2049, None]\",,,9161,");
    assert_eq!(lines[2], "2023-09-17 00:00:01.000000+00:00,44,,,,,,False,93.0,12,1219,\"[2048, 2049, None]\",,,9161,");
    assert_eq!(lines[3..], [""]);
}
