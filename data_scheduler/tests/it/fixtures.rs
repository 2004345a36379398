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
