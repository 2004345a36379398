//! Freshness: answers holding provisional results (the order at the flag,
//! from timing data) are kept briefly and revalidated, official history
//! keeps its long max-age. A small store of its own: the completed 2025
//! season whose round 2 sprint is provisional, its round 1 race official.
use protobuf::v1::{
    Circuit, DriverStanding, Provenance, ResultSource, Round, RoundFormat, Season, SeasonStatus, Session,
    SessionResult, SessionStatus, SessionType, Standings, WriteBatchRequest,
};
use testkit::data_scheduler::TestDataScheduler;

use crate::support::{TestApp, config};

pub const PROVISIONAL: &str = "public, max-age=30, must-revalidate";
pub const OFFICIAL_HISTORY: &str = "public, max-age=86400";

/// Three drivers finishing in `order`.
pub fn results(order: [&str; 3]) -> Vec<SessionResult> {
    order
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let position = i as i32 + 1;
            SessionResult {
                position,
                position_text: position.to_string(),
                classified: true,
                driver_number: position,
                driver_name: name.into(),
                driver_id: name.to_lowercase().replace(' ', "-"),
                points: [8.0, 7.0, 6.0][i],
                ..Default::default()
            }
        })
        .collect()
}

pub fn session(year: i32, round: i32, t: SessionType, source: ResultSource, order: [&str; 3]) -> Session {
    Session {
        season: year,
        round,
        r#type: t as i32,
        date: format!("{year}-05-0{round}"),
        status: SessionStatus::Finished as i32,
        results: results(order),
        provenance: Some(Provenance::from_source(source)),
        ..Default::default()
    }
}

fn standings(year: i32, round: i32, source: ResultSource) -> Standings {
    let drivers = ["Max Verstappen", "Lando Norris", "Oscar Piastri"]
        .into_iter()
        .enumerate()
        .map(|(i, name)| DriverStanding {
            position: i as i32 + 1,
            position_text: (i + 1).to_string(),
            driver_id: name.to_lowercase().replace(' ', "-"),
            driver_name: name.into(),
            points: 30.0 - 5.0 * i as f64,
            ..Default::default()
        })
        .collect();
    Standings { season: year, round, drivers, provenance: Some(Provenance::from_source(source)), ..Default::default() }
}

/// A completed two-round season `year`: round 1 official; round 2's sprint
/// from `sprint` (provisional when from timing data), its race official.
pub fn season(year: i32, sprint: ResultSource) -> WriteBatchRequest {
    let official = ["Max Verstappen", "Lando Norris", "Oscar Piastri"];
    let round = |n: i32, format: RoundFormat, sessions: Vec<Session>| Round {
        season: year,
        round: n,
        name: format!("Round {n} Grand Prix"),
        circuit_id: "test-ring".into(),
        format: format as i32,
        sessions,
        ..Default::default()
    };
    let provisional_standings = if sprint.status() == protobuf::v1::ResultStatus::Provisional {
        ResultSource::LivetimingArchive
    } else {
        ResultSource::F1db
    };
    WriteBatchRequest {
        seasons: vec![Season { year, status: SeasonStatus::Completed as i32, total_rounds: 2, ..Default::default() }],
        circuits: vec![Circuit { id: "test-ring".into(), name: "Test Ring".into(), ..Default::default() }],
        rounds: vec![
            round(
                1,
                RoundFormat::Conventional,
                vec![session(year, 1, SessionType::Race, ResultSource::F1db, official)],
            ),
            round(
                2,
                RoundFormat::Sprint,
                vec![
                    session(year, 2, SessionType::Sprint, sprint, ["Lando Norris", "Max Verstappen", "Oscar Piastri"]),
                    session(year, 2, SessionType::Race, ResultSource::F1db, official),
                ],
            ),
        ],
        standings: vec![standings(year, 1, ResultSource::F1db), standings(year, 2, provisional_standings)],
        ..Default::default()
    }
}

#[tokio::test]
async fn provisional_answers_are_kept_briefly_and_revalidated_official_history_for_a_day() {
    let ds = TestDataScheduler::start().await;
    ds.client().write(season(2025, ResultSource::LivetimingArchive)).await.expect("fixture");
    let app = TestApp::on(&ds.url(), config());

    let provisional = [
        "/content/v1/seasons/2025/rounds/2/sessions/sprint",
        "/content/v1/seasons/2025/rounds/2",
        "/content/v1/seasons/2025/rounds",
        "/content/v1/seasons/2025/rounds?results=false",
        "/content/v1/seasons/2025/drivers",
        "/content/v1/seasons/2025/constructors",
        "/content/v1/seasons/2025/standings/progression",
        "/content/v1/seasons/2025/championship",
        "/ergast/f1/2025/2/sprint.json",
        "/ergast/f1/2025/results.json",
    ];
    for uri in provisional {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, 200, "{uri}: {}", String::from_utf8_lossy(&reply.body));
        assert_eq!(reply.header("cache-control"), PROVISIONAL, "{uri}");
    }
    let official = [
        "/content/v1/seasons/2025/rounds/2/sessions/race",
        "/content/v1/seasons/2025/rounds/1",
        "/content/v1/seasons/2025/rounds/1/sessions/race",
        "/content/v1/seasons/2025/drivers?after_round=1",
    ];
    for uri in official {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, 200, "{uri}: {}", String::from_utf8_lossy(&reply.body));
        assert_eq!(reply.header("cache-control"), OFFICIAL_HISTORY, "{uri}");
    }

    // Once the official classification lands, the same answers are history again.
    ds.client().write(season(2025, ResultSource::F1db)).await.expect("official classification");
    for uri in provisional {
        let reply = app.get(uri).await;
        assert_eq!(reply.header("cache-control"), OFFICIAL_HISTORY, "{uri}");
    }
}

/// The winner of the sprint of round 2 of `year`, and whether the answer came from a kept copy.
async fn sprint_winner(app: &TestApp, year: i32) -> (String, bool) {
    let reply = app.get(&format!("/content/v1/seasons/{year}/rounds/2/sessions/sprint")).await;
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    let body = reply.json();
    (body["result"]["results"][0]["driver_name"].as_str().unwrap().to_string(), body["metadata"]["cached"] == true)
}

/// The Ergast id of the winner of the 2025 round 2 sprint.
async fn ergast_sprint_winner(app: &TestApp) -> String {
    let ergast = app.get("/ergast/f1/2025/2/sprint.json").await.json();
    ergast["MRData"]["RaceTable"]["Races"][0]["SprintResults"][0]["Driver"]["driverId"].as_str().unwrap().to_string()
}

/// A write invalidates the kept answers it touches before it answers: the
/// read right after it gets the new classification (no waiting), while a
/// kept answer of another season stays kept.
#[tokio::test]
async fn a_read_after_a_successful_write_gets_what_it_wrote() {
    let ds = TestDataScheduler::start().await;
    ds.client().write(season(2025, ResultSource::LivetimingArchive)).await.expect("2025");
    ds.client().write(season(2024, ResultSource::F1db)).await.expect("2024");
    let app = TestApp::keeping(&ds.url(), 60).await;
    let ready = app.get("/health/ready").await.json();
    assert_eq!(ready["checks"]["changes"]["status"], "ok", "{ready}");
    let version = || async { app.get("/content/v1/changes").await.json()["version"].as_str().unwrap().to_string() };
    let before = version().await;

    // Kept: the second read of each is the kept copy.
    for year in [2025, 2024] {
        sprint_winner(&app, year).await;
        assert_eq!(sprint_winner(&app, year).await, ("Lando Norris".to_string(), true), "{year} kept");
    }
    let provisional_round = app.get("/content/v1/seasons/2025/rounds/2").await;
    assert_eq!(provisional_round.header("cache-control"), PROVISIONAL);
    assert_eq!(ergast_sprint_winner(&app).await, "lando_norris");
    assert_eq!(ergast_sprint_winner(&app).await, "lando_norris");

    // The official classification: Verstappen won the sprint after all.
    let mut official = season(2025, ResultSource::F1db);
    official.rounds[1].sessions[0] =
        session(2025, 2, SessionType::Sprint, ResultSource::F1db, ["Max Verstappen", "Lando Norris", "Oscar Piastri"]);
    ds.client().write(official).await.expect("official classification");

    assert_ne!(version().await, before, "the version names the writes applied");
    let (winner, cached) = sprint_winner(&app, 2025).await;
    assert_eq!((winner.as_str(), cached), ("Max Verstappen", false), "the read after the write");
    let round = app.get("/content/v1/seasons/2025/rounds/2").await;
    assert_eq!(round.json()["result"]["sessions"][0]["results"][0]["driver_name"], "Max Verstappen");
    assert_eq!(round.header("cache-control"), OFFICIAL_HISTORY);
    assert_eq!(ergast_sprint_winner(&app).await, "max_verstappen");

    // Exactness: the other season's kept answer was not touched.
    assert_eq!(sprint_winner(&app, 2024).await, ("Lando Norris".to_string(), true), "2024 still kept");
}

/// A content_api that keeps no answer follows no write: it says so, and the
/// website then revalidates every answer.
#[tokio::test]
async fn without_kept_answers_there_is_no_version() {
    let ds = TestDataScheduler::start().await;
    let app = TestApp::on(&ds.url(), config());
    app.error("/content/v1/changes", axum::http::StatusCode::SERVICE_UNAVAILABLE, "not_following").await;
}
