//! Archive sessions recorded from livetiming.formula1.com (see
//! `testdata/livetiming/SOURCES.md`) through a `Fetch` that reads files.
use std::collections::HashSet;
use std::path::PathBuf;

use async_trait::async_trait;
use protobuf::v1::{Round, Session, SessionType};
use serde_json::{Value, json};

use super::*;
use crate::upstream::{Fetch, SourceName, UpstreamError};

/// Serves `testdata/livetiming{path}`; a missing file (or one listed in
/// `hidden`) answers 404.
struct Recorded {
    hidden: HashSet<String>,
}

impl Recorded {
    fn new() -> Self {
        Self { hidden: HashSet::new() }
    }

    fn without(path: &str) -> Self {
        Self { hidden: HashSet::from([path.to_string()]) }
    }
}

#[async_trait]
impl Fetch for Recorded {
    async fn get(&self, path: &str) -> Result<Vec<u8>, UpstreamError> {
        let file =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/livetiming").join(path.trim_start_matches('/'));
        if self.hidden.contains(path) {
            return Err(UpstreamError::Status { upstream: SourceName::Livetiming, path: path.into(), status: 404 });
        }
        std::fs::read(file).map_err(|_| UpstreamError::Status {
            upstream: SourceName::Livetiming,
            path: path.into(),
            status: 404,
        })
    }

    fn source(&self) -> SourceName {
        SourceName::Livetiming
    }
}

fn round(season: i32, round: i32, name: &str, date: &str) -> Round {
    Round { season, round, name: name.into(), date: date.into(), ..Round::default() }
}

const BAKU_2018_RACE: &str = "2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race/";

/// What a reader of the classification sees, one row per car.
fn classification(session: &Session) -> Value {
    let rows: Vec<Value> = session
        .results
        .iter()
        .map(|r| {
            json!({
                "pos": r.position_text, "no": r.driver_number, "code": r.driver_code, "name": r.driver_name,
                "team": r.team, "time": r.time, "gap": r.gap, "interval": r.interval, "laps": r.laps,
                "status": r.status, "grid": r.grid, "q": [r.q1, r.q2, r.q3],
                "fastest_lap": r.fastest_lap, "best": r.fastest_lap_time,
            })
        })
        .collect();
    json!({
        "type": SessionType::try_from(session.r#type).map(SessionType::slug).unwrap_or("?"),
        "date": session.date, "start_time": session.start_time, "status": session.status,
        "total_laps": session.total_laps, "current_laps": session.current_laps, "results": rows,
    })
}

fn result<'a>(session: &'a Session, code: &str) -> &'a protobuf::v1::SessionResult {
    session.results.iter().find(|r| r.driver_code == code).unwrap_or_else(|| panic!("{code} not classified"))
}

#[tokio::test]
async fn race_2018_azerbaijan_final_classification() {
    let s = session_at_path(&Recorded::new(), BAKU_2018_RACE, 2018, 4, SessionType::Race).await.unwrap();
    insta::assert_json_snapshot!("race_2018_azerbaijan", classification(&s.session));
    let r = &s.session.results;
    assert_eq!(r.len(), 20);
    // Hamilton won after Bottas's late puncture; Raikkonen and Perez completed the podium.
    assert_eq!([r[0].driver_code.as_str(), &r[1].driver_code, &r[2].driver_code], ["HAM", "RAI", "PER"]);
    assert_eq!((r[0].laps, r[0].grid, r[0].status.as_str()), (51, 2, "Finished"));
    assert_eq!((r[1].gap.as_str(), r[1].driver_number), ("+2.460", 7));
    let bottas = result(&s.session, "BOT");
    assert_eq!((bottas.position, bottas.laps, bottas.status.as_str()), (14, 48, "Retired"));
    assert!(bottas.fastest_lap, "Bottas set the race's fastest lap, 1:45.149");
    assert_eq!(r.iter().filter(|r| r.fastest_lap).count(), 1);
    let grosjean = result(&s.session, "GRO");
    // Out of the race: every row keeps its place at the flag, 1..20.
    assert_eq!((grosjean.position, grosjean.position_text.as_str(), grosjean.classified), (15, "R", false));
    let places: Vec<i32> = r.iter().map(|r| r.position).collect();
    assert_eq!(places, (1..=20).collect::<Vec<_>>());
    // Ocon and Sirotkin went out at the first corners: retired, not DNS (the
    // 2018 feed has no mini-sectors, so it never claims a non-starter).
    assert_eq!(result(&s.session, "OCO").position_text, "R");
    assert_eq!(result(&s.session, "SIR").position_text, "R");
    assert!(s.session.provenance.as_ref().is_some_and(|p| p.is_provisional()));
    assert_eq!((s.session.total_laps, s.session.current_laps), (51, 51));

    // Lap timings: none for lap 1 (the feed times no lap from the standing
    // start); lap 10 led by Vettel; Hamilton timed on every other lap.
    assert!(s.laps.iter().all(|l| l.lap > 1));
    let lap10: Vec<(i32, i32, &str)> =
        s.laps.iter().filter(|l| l.lap == 10).take(3).map(|l| (l.car, l.position, l.time.as_str())).collect();
    assert_eq!(lap10, [(5, 1, "1:47.506"), (44, 2, "1:47.192"), (77, 3, "1:47.846")]);
    assert_eq!(s.laps.iter().filter(|l| l.car == 44).count(), 50);

    // Hamilton's three sets cover his 51 laps.
    let ham: Vec<_> = s.stints.iter().filter(|t| t.driver_number == 44).collect();
    assert_eq!(ham.iter().map(|t| t.compound.as_str()).collect::<Vec<_>>(), ["SUPERSOFT", "SOFT", "ULTRASOFT"]);
    assert_eq!(ham.iter().map(|t| t.laps).sum::<i32>(), 51);

    assert_eq!(s.live.leaderboard.len(), 20);
    assert_eq!(s.live.leaderboard[0].tyre, "ULTRASOFT");
    assert_eq!(s.live.track_status, "all_clear");
    let last = s.race_control.last().unwrap();
    assert_eq!((last.flag.as_str(), last.lap), ("CHEQUERED", 51));
    assert!(s.live.weather.is_none(), "no WeatherData was recorded for this race");
}

#[tokio::test]
async fn qualifying_2019_italy_through_the_index() {
    let monza = round(2019, 14, "Italian Grand Prix", "2019-09-08");
    let s = archived_session(&Recorded::new(), 2019, &monza, SessionType::Qualifying).await.unwrap();
    insta::assert_json_snapshot!("qualifying_2019_italy", classification(&s.session));
    assert_eq!(s.path, "2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying/");
    let pole = &s.session.results[0];
    assert_eq!((pole.driver_code.as_str(), pole.q3.as_str(), pole.time.as_str()), ("LEC", "1:19.307", "1:19.307"));
    // The feed clears Q2 times before Q3; the last published one is kept.
    assert_eq!(pole.q2, "1:19.553");
    assert_eq!(result(&s.session, "HAM").position, 2);
    let giovinazzi = result(&s.session, "GIO");
    assert!(giovinazzi.q3.is_empty() && !giovinazzi.q2.is_empty(), "{giovinazzi:?}");
    assert_eq!(s.session.start_time, Some(1_567_861_200), "15:00 local (UTC+2)");
    let weather = s.live.weather.unwrap();
    assert!(weather.air_temp > 15.0 && weather.air_temp < 35.0 && !weather.rainfall, "{weather:?}");
    assert!(s.race_control.iter().any(|m| m.flag == "RED"));
}

#[tokio::test]
async fn practice_2022_britain_skips_the_pre_season_test() {
    let silverstone = round(2022, 10, "British Grand Prix", "2022-07-03");
    let s = archived_session(&Recorded::new(), 2022, &silverstone, SessionType::Practice1).await.unwrap();
    insta::assert_json_snapshot!("practice_1_2022_britain", classification(&s.session));
    let r = &s.session.results;
    assert_eq!(r.len(), 20);
    assert_eq!((r[0].driver_code.as_str(), r[0].time.as_str(), r[0].gap.as_str()), ("BOT", "1:42.249", ""));
    assert_eq!((r[1].gap.as_str(), r[1].interval.as_str()), ("+0.532", "+0.532"));
    // A wet session stopped by a red flag: half the field never set a time.
    assert_eq!(r.iter().filter(|r| r.time.is_empty()).count(), 10);
    assert_eq!(s.live.track_status, "red");
}

#[tokio::test]
async fn sprint_shootout_2023_azerbaijan_is_sprint_qualifying() {
    let baku = round(2023, 4, "Azerbaijan Grand Prix", "2023-04-30");
    let s = archived_session(&Recorded::new(), 2023, &baku, SessionType::SprintQualifying).await.unwrap();
    insta::assert_json_snapshot!("sprint_qualifying_2023_azerbaijan", classification(&s.session));
    let pole = &s.session.results[0];
    assert_eq!((pole.driver_code.as_str(), pole.q3.as_str()), ("LEC", "1:41.697"));
    assert_eq!(s.live.session_name, "Sprint Shootout");
    let positions: Vec<i32> = s.session.results.iter().map(|r| r.position).collect();
    assert_eq!(positions, (1..=20).collect::<Vec<_>>());
    assert!(s.session.results[10..].iter().all(|r| r.q3.is_empty()), "only ten cars run the last part");
    assert_eq!(s.session.results[14].driver_code, "SAR");
    assert!(s.session.results[14].q2.is_empty(), "Sargeant set no time in the second part");
}

#[tokio::test]
async fn index_finds_meetings_by_date_not_by_position() {
    let index = season_index(&Recorded::new(), 2023).await.unwrap();
    assert_eq!(index.meetings[0].name, "Pre-Season Testing");
    let bahrain = round(2023, 1, "Bahrain Grand Prix", "2023-03-05");
    let (meeting, race) = index.find_session(&bahrain, SessionType::Race).unwrap();
    assert_eq!(
        (meeting.name.as_str(), race.path.as_str()),
        ("Bahrain Grand Prix", "2023/2023-03-05_Bahrain_Grand_Prix/2023-03-05_Race/")
    );
    let baku = round(2023, 4, "", "2023-04-30");
    let (_, sprint) = index.find_session(&baku, SessionType::Sprint).unwrap();
    assert_eq!(sprint.path, "2023/2023-04-30_Azerbaijan_Grand_Prix/2023-04-29_Sprint/");
    // Without a date the name decides.
    let by_name = round(2023, 4, "azerbaijan grand prix", "");
    assert_eq!(index.meeting_for(&by_name).unwrap().name, "Azerbaijan Grand Prix");

    let nowhere = round(2023, 9, "Imaginary Grand Prix", "2023-08-13");
    let err = index.meeting_for(&nowhere).unwrap_err();
    assert!(
        matches!(&err, LiveTimingError::MeetingNotFound { path, round: 9, .. } if path == "/static/2023/Index.json"),
        "{err}"
    );
    let err = index.find_session(&bahrain, SessionType::Sprint).unwrap_err();
    assert!(matches!(err, LiveTimingError::SessionNotFound { session: "sprint", .. }), "{err}");
}

#[tokio::test]
async fn a_missing_required_stream_is_an_error_and_nothing_is_returned() {
    let missing = format!("/static/{BAKU_2018_RACE}TimingData.jsonStream");
    let err =
        session_at_path(&Recorded::without(&missing), BAKU_2018_RACE, 2018, 4, SessionType::Race).await.unwrap_err();
    assert_eq!(err, LiveTimingError::MissingStream { path: missing.clone() });
    assert!(err.to_string().contains(&missing), "{err}");
    let upstream: UpstreamError = err.into();
    assert!(matches!(upstream, UpstreamError::Status { status: 404, .. }));
}

#[tokio::test]
async fn an_optional_stream_may_be_absent_but_other_failures_are_errors() {
    let weather = "/static/2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying/WeatherData.jsonStream";
    let monza = round(2019, 14, "Italian Grand Prix", "2019-09-08");
    let s = archived_session(&Recorded::without(weather), 2019, &monza, SessionType::Qualifying).await.unwrap();
    assert!(s.live.weather.is_none());
    let err = archived_session(&Recorded::new(), 2021, &monza, SessionType::Qualifying).await.unwrap_err();
    assert!(err.to_string().contains("/static/2021/Index.json"), "{err}");
}

#[tokio::test]
async fn the_folder_must_hold_the_asked_session_type() {
    let err = session_at_path(&Recorded::new(), "2018/../../etc/", 2018, 4, SessionType::Race).await.unwrap_err();
    assert!(matches!(&err, LiveTimingError::Invalid { field, .. } if field == "path"), "{err}");
    let err = session_at_path(&Recorded::new(), BAKU_2018_RACE, 2018, 4, SessionType::Qualifying).await.unwrap_err();
    assert!(
        matches!(&err, LiveTimingError::Invalid { path, field, .. } if path.ends_with("2018-04-29_Race/SessionInfo.jsonStream") && field == "Type/Name"),
        "{err}"
    );
}
