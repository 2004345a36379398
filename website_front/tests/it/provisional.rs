//! Provenance on the pages: a session whose results are provisional (the
//! order at the flag) and its round carry the badge, an official one does
//! not; sessions held without results say "results not in yet" (or
//! overdue) on the home and season pages. A small store of its own.
use common::Shutdown;
use protobuf::v1::{
    Circuit, Provenance, ResultSource, Round, RoundFormat, Season, SeasonStatus, Session, SessionResult, SessionStatus,
    SessionType, WriteBatchRequest,
};
use testkit::data_scheduler::TestDataScheduler;

use crate::stack::{between, get, start_content, start_site};

const BADGE: &str = "Provisional — awaiting the official classification";

fn results() -> Vec<SessionResult> {
    [(1, "1", "Max Verstappen", 25.0), (2, "2", "Lando Norris", 18.0), (3, "R", "Oscar Piastri", 0.0)]
        .into_iter()
        .map(|(position, text, name, points)| SessionResult {
            position,
            position_text: text.into(),
            classified: text != "R",
            driver_number: position,
            driver_name: name.into(),
            driver_id: name.to_lowercase().replace(' ', "-"),
            points,
            ..Default::default()
        })
        .collect()
}

fn race(round: i32, start: i64, source: Option<ResultSource>) -> Session {
    Session {
        season: 2026,
        round,
        r#type: SessionType::Race as i32,
        date: chrono::DateTime::from_timestamp(start, 0).unwrap().format("%Y-%m-%d").to_string(),
        start_time: Some(start),
        status: if source.is_some() { SessionStatus::Finished } else { SessionStatus::Scheduled } as i32,
        results: if source.is_some() { results() } else { Vec::new() },
        provenance: source.map(Provenance::from_source),
        ..Default::default()
    }
}

fn round(n: i32, name: &str, sessions: Vec<Session>) -> Round {
    Round {
        season: 2026,
        round: n,
        name: name.into(),
        circuit_id: "test-ring".into(),
        format: RoundFormat::Conventional as i32,
        sessions,
        ..Default::default()
    }
}

fn fixture(now: i64) -> WriteBatchRequest {
    let (hour, day) = (3600, 86_400);
    // Fixed instants for the snapshot's rounds; the rest relative to now.
    let (official, provisional) = (1_772_982_000, 1_773_586_800);
    let qualifying = Session {
        r#type: SessionType::Qualifying as i32,
        start_time: Some(now - 30 * hour),
        results: Vec::new(),
        provenance: None,
        ..race(3, now - 30 * hour, None)
    };
    WriteBatchRequest {
        seasons: vec![Season {
            year: 2026,
            status: SeasonStatus::InProgress as i32,
            total_rounds: 4,
            ..Default::default()
        }],
        circuits: vec![Circuit { id: "test-ring".into(), name: "Test Ring".into(), ..Default::default() }],
        rounds: vec![
            round(1, "Official Grand Prix", vec![race(1, official, Some(ResultSource::F1db))]),
            round(2, "Provisional Grand Prix", vec![race(2, provisional, Some(ResultSource::LivetimingArchive))]),
            round(3, "Missing Grand Prix", vec![qualifying, race(3, now - 5 * hour, None)]),
            round(4, "Future Grand Prix", vec![race(4, now + 7 * day, None)]),
        ],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_provisional_session_and_its_round_carry_the_badge() {
    let ds = TestDataScheduler::start().await;
    let now = chrono::Utc::now().timestamp();
    ds.client().write(fixture(now)).await.expect("fixture");
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    let page = get(&format!("{site}/seasons/2026/rounds/2")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let hero = between(&page.body, "<div class=\"hero\">", "<nav");
    let panel = between(&page.body, "id=\"s-race\"", "</p>");
    insta::assert_snapshot!("provisional_round_and_race", format!("{hero}\n---\n{panel}"));

    let must_revalidate = |p: &crate::stack::Fetched| p.headers["cache-control"].to_str().unwrap().to_string();
    assert_eq!(must_revalidate(&page), "public, max-age=30, must-revalidate", "a provisional page");

    let page = get(&format!("{site}/seasons/2026/rounds/1")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(must_revalidate(&page), "public, max-age=30", "an official round");
    assert!(!page.body.contains(BADGE), "an official session has no badge");
    assert!(page.body.contains("Max Verstappen"));

    // The season calendar: the provisional winner is marked, the race
    // held five hours ago has no results yet; the home page says so too.
    let season = get(&format!("{site}/seasons/2026")).await;
    let calendar = between(&season.body, "<table id=\"calendar\"", "</table>");
    let row = |n: i32| between(calendar, &format!("/seasons/2026/rounds/{n}\""), "</tr>");
    assert!(row(2).contains("pill provisional"), "{}", row(2));
    assert!(!row(1).contains("pill provisional"), "{}", row(1));
    assert!(row(3).contains("Results not in yet"), "{}", row(3));
    assert!(!row(4).contains("Results not in yet"), "{}", row(4));

    assert_eq!(must_revalidate(&season), "public, max-age=30, must-revalidate", "a season with a provisional race");
    let whatif = get(&format!("{site}/seasons/2026/what-if")).await;
    assert_eq!(whatif.status, 200, "{}", whatif.body);
    assert_eq!(must_revalidate(&whatif), "public, max-age=30, must-revalidate", "the fight from provisional results");

    let home = get(&format!("{site}/")).await;
    let pending = between(&home.body, "Results not in yet", "</ul>");
    assert!(pending.contains("Missing Grand Prix"), "{pending}");
    assert!(pending.contains("Results overdue"), "qualifying, 30 h ago: {pending}");
    assert!(!pending.contains("Official Grand Prix") && !pending.contains("Future Grand Prix"), "{pending}");
    shutdown.trigger();
}

/// Race day by the timetable: the race started 20 minutes ago and no live
/// data came (no feed, or the fetcher is down). The home page, `/live` and
/// the round page say it is under way without live data; the round page
/// opens on the race, not on the first practice.
// Two workers: the browser blocks one while the servers answer on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_race_past_its_start_without_live_data_is_under_way() {
    let ds = TestDataScheduler::start().await;
    let now = chrono::Utc::now().timestamp();
    let (hour, day) = (3600, 86_400);
    let practice = Session {
        r#type: SessionType::Practice1 as i32,
        start_time: Some(now - 2 * day),
        ..race(1, now - 2 * day, None)
    };
    let batch = WriteBatchRequest {
        seasons: vec![Season {
            year: 2026,
            status: SeasonStatus::InProgress as i32,
            total_rounds: 1,
            ..Default::default()
        }],
        circuits: vec![Circuit { id: "test-ring".into(), name: "Test Ring".into(), ..Default::default() }],
        rounds: vec![round(1, "Finale Grand Prix", vec![practice, race(1, now - hour / 3, None)])],
        ..Default::default()
    };
    ds.client().write(batch).await.expect("fixture");
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    let home = get(&format!("{site}/")).await;
    let banner = between(&home.body, "<div class=\"banner\" role=\"status\">", "</div>");
    assert!(banner.contains("Finale Grand Prix · Race</a> under way — no live data yet."), "{banner}");

    let live = get(&format!("{site}/live")).await;
    assert!(live.body.contains("Race under way</strong> — no live data yet."), "/live: {}", live.body);

    let page = get(&format!("{site}/seasons/2026/rounds/1")).await;
    let race_tab = between(&page.body, "id=\"tab-s-race\"", ">");
    assert!(race_tab.contains("aria-selected=\"true\""), "opens on the race: {race_tab}");
    let practice_tab = between(&page.body, "id=\"tab-s-practice-1\"", ">");
    assert!(practice_tab.contains("aria-selected=\"false\""), "{practice_tab}");
    let panel = between(&page.body, "id=\"s-race\"", "</section>");
    assert!(panel.contains("Race under way</strong> — no live data yet."), "{panel}");

    if let Some(bin) = crate::browser::chromium("a_race_past_its_start_without_live_data_is_under_way") {
        let mut b = crate::browser::cdp::Browser::launch(&bin);
        for width in [390, 1366] {
            let mut tab = b.tab(width, 900);
            tab.open(&format!("{site}/"));
            let banner =
                tab.eval("document.querySelector('.banner').innerText").as_str().unwrap_or_default().to_string();
            assert_eq!(banner, "Finale Grand Prix · Race under way — no live data yet.", "at {width}");
            tab.open(&format!("{site}/seasons/2026/rounds/1"));
            assert!(tab.visible("#s-race .notice"), "the race tab is open with its notice at {width}");
            assert!(!tab.visible("#s-practice-1"), "practice is behind its tab at {width}");
            tab.screenshot_full(width, &crate::browser::screenshot_path("round-under-way", width));
        }
    }
    shutdown.trigger();
}
