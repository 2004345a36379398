//! Small, hand-made records shaped like real ones (2024 Chinese GP, a
//! sprint weekend) for the gRPC tests. Real-data tests live in the
//! fetcher and content_api suites.
use protobuf::v1::*;

pub fn season_2024() -> Season {
    Season {
        year: 2024,
        status: SeasonStatus::Completed as i32,
        total_rounds: 24,
        current_round: 24,
        first_date: "2024-03-02".into(),
        end_date: "2024-12-08".into(),
        champion_driver_id: "max-verstappen".into(),
        champion_driver_name: "Max Verstappen".into(),
        ..Default::default()
    }
}

pub fn result(position: i32, number: i32, code: &str, name: &str, team: &str, points: f64) -> SessionResult {
    SessionResult {
        position,
        position_text: position.to_string(),
        driver_number: number,
        driver_id: name.to_lowercase().replace(' ', "-"),
        driver_code: code.into(),
        driver_name: name.into(),
        team: team.into(),
        points,
        ..Default::default()
    }
}

pub fn session(t: SessionType, start: i64, results: Vec<SessionResult>) -> Session {
    Session {
        season: 2024,
        round: 5,
        r#type: t as i32,
        date: "2024-04-21".into(),
        start_time: Some(start),
        status: SessionStatus::Finished as i32,
        results,
        ..Default::default()
    }
}

pub fn race_results() -> Vec<SessionResult> {
    vec![
        result(1, 1, "VER", "Max Verstappen", "Red Bull", 25.0),
        result(2, 4, "NOR", "Lando Norris", "McLaren", 18.0),
        result(3, 11, "PER", "Sergio Perez", "Red Bull", 15.0),
    ]
}

pub fn china_2024() -> Round {
    Round {
        season: 2024,
        round: 5,
        name: "Chinese Grand Prix".into(),
        circuit_id: "shanghai".into(),
        format: RoundFormat::Sprint as i32,
        first_date: "2024-04-19".into(),
        end_date: "2024-04-21".into(),
        date: "2024-04-21".into(),
        laps: 56,
        sessions: vec![
            // Given out of order: reads return weekend order.
            session(SessionType::Race, 1_713_682_800, race_results()),
            session(SessionType::Practice1, 1_713_497_400, vec![]),
            session(SessionType::Sprint, 1_713_582_000, vec![result(1, 1, "VER", "Max Verstappen", "Red Bull", 8.0)]),
        ],
        ..Default::default()
    }
}

pub fn shanghai() -> Circuit {
    Circuit {
        id: "shanghai".into(),
        name: "Shanghai International Circuit".into(),
        locality: "Shanghai".into(),
        country: "China".into(),
        length_km: 5.451,
        turns: 16,
        race_laps: 56,
        ..Default::default()
    }
}

/// 2024-04-21 07:00 UTC, the Chinese GP's start, in unix microseconds.
pub const CHINA_RACE_START_US: i64 = 1_713_682_800_000_000;

/// The 2024 Chinese GP race's session data (F1's keys 1233/9673) with a
/// record of every kind, `laps` laps for each of two cars.
pub fn china_race_data(laps: i32) -> SessionData {
    let at = |s: i64| CHINA_RACE_START_US + s * 1_000_000;
    let gap = |s: f64| Some(Gap { value: Some(gap::Value::Seconds(s)) });
    let session = SessionDataSession {
        session_name: "Race".into(),
        session_type: "Race".into(),
        date_start: Some(CHINA_RACE_START_US),
        date_end: Some(at(7200)),
        gmt_offset: "08:00:00".into(),
        location: "Shanghai".into(),
        circuit_short_name: Some("Shanghai".into()),
        year: 2024,
        ..Default::default()
    };
    let meeting = SessionDataMeeting {
        meeting_name: "Chinese Grand Prix".into(),
        location: "Shanghai".into(),
        date_start: Some(CHINA_RACE_START_US),
        gmt_offset: "08:00:00".into(),
        year: 2024,
        ..Default::default()
    };
    let cars = [1, 4];
    let lap = |car: i32, n: i32| SessionDataLap {
        driver_number: car,
        lap_number: n,
        date_start: Some(at(i64::from(n) * 100)),
        lap_duration: Some(98.5 + f64::from(car)),
        duration_sector_1: Some(25.1),
        has_segments_sector_1: true,
        segments_sector_1: vec![SegmentCode { code: Some(2049) }, SegmentCode { code: None }],
        st_speed: Some(320),
        is_pit_out_lap: n == 20,
        ..Default::default()
    };
    SessionData {
        meeting_key: 1233,
        session_key: 9673,
        season: 2024,
        round: 5,
        r#type: SessionType::Race as i32,
        source: "archive".into(),
        complete: true,
        meeting: Some(meeting),
        session: Some(session),
        drivers: cars
            .iter()
            .map(|n| SessionDataDriver { driver_number: *n, name_acronym: format!("D{n}"), ..Default::default() })
            .collect(),
        laps: cars.iter().flat_map(|c| (1..=laps).map(move |n| lap(*c, n))).collect(),
        stints: vec![SessionDataStint {
            driver_number: 1,
            stint_number: 1,
            lap_start: 1,
            lap_end: laps,
            ..Default::default()
        }],
        pit: vec![SessionDataPit { driver_number: 4, lap_number: 19, pit_duration: Some(22.1), ..Default::default() }],
        race_control: vec![SessionDataRaceControl {
            date: Some(at(0)),
            flag: Some("GREEN".into()),
            ..Default::default()
        }],
        weather: vec![SessionDataWeather { date: at(60), air_temperature: Some(21.4), ..Default::default() }],
        intervals: vec![SessionDataInterval {
            driver_number: 4,
            date: at(200),
            gap_to_leader: gap(1.2),
            interval: Some(Gap { value: Some(gap::Value::Text("+1 LAP".into())) }),
        }],
        position: vec![SessionDataPosition { driver_number: 4, date: at(10), position: 2 }],
        session_result: vec![SessionDataResult {
            driver_number: 1,
            position: 1,
            number_of_laps: laps,
            duration: vec![gap(5800.0).unwrap()],
            gap_to_leader: vec![gap(0.0).unwrap()],
            ..Default::default()
        }],
        starting_grid: vec![SessionDataGridSlot { driver_number: 1, position: 1, lap_duration: None }],
        overtakes: vec![SessionDataOvertake {
            overtaking_driver_number: 4,
            overtaken_driver_number: 11,
            date: at(300),
            position: 2,
        }],
        team_radio: vec![SessionDataTeamRadio {
            driver_number: 1,
            date: Some(at(400)),
            recording_url: "https://x/r.mp3".into(),
        }],
        track_status: vec![SessionDataTrackStatus { date: at(0), status: "1".into(), message: "AllClear".into() }],
        session_status: vec![SessionDataSessionStatus { date: at(0), status: "Started".into() }],
    }
}
