//! `/live` during a replay of a recorded race (Baku 2018, bundled with
//! fetcher_service): the whole live path — `wibm replay`'s hub, the
//! fetcher's live client writing to data_scheduler, content_api's event
//! stream, the site's page and its script — and, in headless Chromium, the
//! leader's code appearing and changing as the replay advances.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::Shutdown;
use fetcher_service::live::board::SessionRef;
use fetcher_service::live::replay::{Recording, Replay, ReplayConfig};
use fetcher_service::live::{HubConfig, LiveControl, LiveSettings, SupervisorConfig};
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use protobuf::v1::SessionType;
use testkit::data_scheduler::TestDataScheduler;

use crate::browser::{self, cdp::Browser};
use crate::stack::{get, start_content, start_site};

// Generous: the test binary shares two busy cores; a bound on failure, not a timing goal.
const DEADLINE: Duration = Duration::from_secs(180);
/// How long the replayed race lasts, so a browser sees it unfold.
const PLAYED_IN_SECS: f64 = 60.0;

fn baku_2018_race() -> Recording {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fetcher_service/testdata/livetiming/static/2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race");
    Recording::load(&dir).expect("the recorded race loads")
}

fn settings(hub: String) -> LiveSettings {
    LiveSettings {
        supervisor: SupervisorConfig {
            hub: HubConfig {
                base_url: hub,
                token: None,
                connect_timeout: Duration::from_secs(5),
                ping_interval: Duration::from_secs(1),
            },
            silence: Duration::from_secs(10),
            backoff_min: Duration::from_millis(50),
            backoff_max: Duration::from_millis(500),
            publish_interval: Duration::from_millis(50),
        },
        write_interval: Duration::from_millis(100),
    }
}

/// The leader's code on the page, as the script drew it.
const LEADER: &str = "(document.querySelector('#leaderboard tbody tr:first-child .code') || {}).textContent || ''";

/// Polls `js` in the page until `ok` accepts its value (a deadline, never a sleep to wait).
fn poll(tab: &mut browser::cdp::Tab<'_>, what: &str, js: &str, mut ok: impl FnMut(&str) -> bool) -> String {
    let end = Instant::now() + DEADLINE;
    loop {
        let value = tab.eval(js);
        let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
        if ok(&text) {
            return text;
        }
        assert!(Instant::now() < end, "timed out after {DEADLINE:?} waiting for {what} (last: {text})");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A data_scheduler holding the 2018 season (bundled f1db) as it stood
/// before round 4, Baku: its race still to come, so the title fight can be
/// played "as it stands". (Imported into a first store and written into a
/// fresh one: a store keeps official results over anything written later.)
async fn before_baku() -> TestDataScheduler {
    use protobuf::v1::{SeasonKey, SeasonStatus, SessionStatus, WriteBatchRequest};
    let full = TestDataScheduler::start().await;
    import_into(&full.client(), F1dbSource::Bundled, Some(2018), Some(2018), |_| {}).await.expect("f1db 2018");
    let mut client = full.client().sport();
    let key = SeasonKey { season: 2018 };
    let mut season = client.get_season(key).await.expect("season").into_inner().season.expect("stored season");
    let mut rounds = client.get_rounds(key).await.expect("rounds").into_inner().rounds;
    let mut standings = client.get_standings_progression(key).await.expect("standings").into_inner().rounds;
    for r in rounds.iter_mut().filter(|r| r.round >= 4) {
        for s in &mut r.sessions {
            s.status = SessionStatus::Scheduled as i32;
            s.results.clear();
            s.provenance = None;
        }
    }
    standings.retain(|s| s.round < 4);
    season.status = SeasonStatus::InProgress as i32;
    season.current_round = 3;
    season.champion_driver_id.clear();
    season.champion_driver_name.clear();
    season.champion_constructor_id.clear();
    season.champion_constructor_name.clear();
    let batch = WriteBatchRequest { seasons: vec![season], rounds, standings, ..Default::default() };
    let ds = TestDataScheduler::start().await;
    ds.client().sport().write_batch(batch).await.expect("2018 before Baku");
    let _ = full.stop().await;
    ds
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_board_follows_a_replayed_race() {
    let ds = before_baku().await;
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    // Before any session: the page says so, and refreshes itself without scripts.
    let before = get(&format!("{site}/live")).await;
    assert_eq!(before.status, 200, "{}", before.body);
    assert!(before.body.contains("No session is live right now."));
    assert!(before.body.contains("<noscript><meta http-equiv=\"refresh\" content=\"15\"></noscript>"));
    assert!(before.body.contains("data-stream=\"/live/stream\""));
    assert_eq!(before.headers["cache-control"], "no-store");

    let recording = baku_2018_race();
    let config = ReplayConfig {
        speed: recording.duration().as_secs_f64() / PLAYED_IN_SECS,
        ping_interval: Duration::from_secs(1),
        // The clock starts when the fetcher subscribes: every lap is seen.
        wait_for_client: true,
        buffer: recording.patches.len() + 16,
        ..ReplayConfig::default()
    };
    let replay = Replay::start(recording, config);
    let hub = replay.serve("127.0.0.1:0".parse().unwrap(), shutdown.clone()).await.unwrap();
    let feed = LiveControl::default();
    let start_feed = {
        let (feed, client, hub) = (feed.clone(), ds.client(), format!("http://{hub}"));
        move || {
            let at = SessionRef { season: 2018, round: 4, session_type: SessionType::Race };
            assert!(feed.start(settings(hub), client, Some(at), None));
        }
    };

    let browser_check = browser::chromium("the_live_board_follows_a_replayed_race").map(|bin| {
        let url = format!("{site}/live");
        let (opened_tx, opened_rx) = tokio::sync::oneshot::channel();
        let check = tokio::task::spawn_blocking(move || {
            let mut b = Browser::launch(&bin);
            let mut tab = b.tab(390, 800);
            tab.open(&url);
            assert!(tab.visible("#live-none"), "no session yet");
            poll(
                &mut tab,
                "the script to follow the stream",
                "document.querySelector('#live').dataset.following || ''",
                |v| v == "1",
            );
            opened_tx.send(()).expect("the test waits");
            // The session begins while the page is open: its board appears.
            let first = poll(&mut tab, "a leader", LEADER, |code| code.len() == 3);
            assert!(tab.visible("#leaderboard") && !tab.visible("#live-none"));
            let lap = poll(&mut tab, "the lap counter", "document.getElementById('live-lap').textContent", |t| {
                t.starts_with("Lap ")
            });
            let stands = "(document.querySelector('#as-it-stands .verdict') || {}).textContent || ''";
            let verdict = poll(&mut tab, "the title fight as it stands", stands, |t| !t.is_empty());
            assert!(verdict.starts_with("If the race finished now, "), "{verdict}");
            let other = poll(&mut tab, "another leader", LEADER, |code| code.len() == 3 && code != first);
            eprintln!("leader {first} at {lap}, then {other}");
            tab.screenshot_full(390, &browser::screenshot_path("live-board", 390));
            let mut tab = b.tab(1366, 900);
            tab.open(&url);
            poll(&mut tab, "the final board", "document.querySelector('#live-status .pill').textContent", |s| {
                s == "Finished"
            });
            let winner = tab.eval(LEADER).as_str().unwrap_or_default().to_string();
            assert!(tab.visible("#live-rc li"), "race control messages");
            tab.screenshot_full(1366, &browser::screenshot_path("live-board", 1366));
            (first, other, winner)
        });
        (opened_rx, check)
    });

    let check = match browser_check {
        Some((opened, check)) => {
            opened.await.expect("the page opened");
            start_feed();
            Some(check)
        }
        None => {
            start_feed();
            None
        }
    };
    // Without scripts too, the page shows the fight as it stands during the race.
    let during = testkit::wait::until("the title fight as it stands on /live", DEADLINE, || {
        let url = format!("{site}/live");
        async move {
            let page = get(&url).await;
            page.body.contains("id=\"as-it-stands\"").then_some(page)
        }
    })
    .await;
    let verdict = crate::stack::between(&during.body, "class=\"verdict\"", "</p>");
    assert!(verdict.contains("If the race finished now, "), "{verdict}");
    replay.finished().await;
    // Without scripts: the page rendered by the server carries the final board.
    let page = testkit::wait::until("the final board on /live", DEADLINE, || {
        let url = format!("{site}/live");
        async move {
            let page = get(&url).await;
            page.body.contains("pill finished").then_some(page)
        }
    })
    .await;
    let first_row = crate::stack::between(&page.body, "<tbody>", "</tr>");
    assert!(first_row.contains(">HAM</abbr>"), "Hamilton won Baku 2018: {first_row}");
    assert!(page.body.contains("Lap 51 of 51"), "the lap counter");

    if let Some(check) = check {
        let (first, other, winner) = check.await.expect("the browser check");
        assert_ne!(first, other, "the leader changed as the replay advanced");
        assert_eq!(winner, "HAM", "the script drew the final board");
    }
    feed.stop().await;
    shutdown.trigger();
    tokio::time::timeout(Duration::from_secs(10), ds.stop()).await.expect("data_scheduler stops");
}
