//! A season in progress with a session live and the next one scheduled:
//! the live banner, the countdown in the visitor's time zone, scheduled
//! sessions, a page without standings yet, and the circuit image. A small
//! store of its own, so the shared history stack stays as imported.
use std::time::Duration;

use common::Shutdown;
use protobuf::v1::{
    Circuit, CircuitImage, LiveSessionState, Round, RoundFormat, Season, SeasonStatus, Session, SessionStatus,
    SessionType, WriteBatchRequest,
};
use testkit::data_scheduler::TestDataScheduler;

use crate::browser::{self, cdp::Browser};
use crate::stack::{between, get, start_content, start_site};

const TRACK_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 60"><path d="M10 30C10 5 90 5 90 30S10 55 10 30" fill="none" stroke="#e10600" stroke-width="4"/></svg>"##;

fn session(round: i32, t: SessionType, start: i64, status: SessionStatus) -> Session {
    Session {
        season: 2026,
        round,
        r#type: t as i32,
        start_time: Some(start),
        status: status as i32,
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
    let day = 86_400;
    let circuit = Circuit {
        id: "test-ring".into(),
        name: "Test Ring".into(),
        locality: "Testville".into(),
        country: "Testland".into(),
        length_km: 5.3,
        turns: 14,
        ..Default::default()
    };
    let image = CircuitImage {
        circuit_id: "test-ring".into(),
        content_type: "image/svg+xml".into(),
        data: TRACK_SVG.as_bytes().to_vec(),
        ..Default::default()
    };
    WriteBatchRequest {
        seasons: vec![Season {
            year: 2026,
            status: SeasonStatus::InProgress as i32,
            total_rounds: 2,
            ..Default::default()
        }],
        circuits: vec![circuit],
        circuit_images: vec![image],
        rounds: vec![
            round(
                1,
                "Opening Grand Prix",
                vec![
                    session(1, SessionType::Qualifying, now - day, SessionStatus::Finished),
                    session(1, SessionType::Race, now - 1800, SessionStatus::Live),
                ],
            ),
            round(
                2,
                "Second Grand Prix",
                vec![
                    session(2, SessionType::Practice1, now + 3 * day, SessionStatus::Scheduled),
                    session(2, SessionType::Race, now + 5 * day, SessionStatus::Scheduled),
                ],
            ),
        ],
        ..Default::default()
    }
}

#[tokio::test]
async fn live_banner_countdown_and_scheduled_sessions() {
    let ds = TestDataScheduler::start().await;
    let now = chrono::Utc::now().timestamp();
    let mut client = ds.client().sport();
    client.write_batch(fixture(now)).await.expect("fixture");
    let live = LiveSessionState {
        season: 2026,
        round: 1,
        session_type: SessionType::Race as i32,
        session_name: "Opening Grand Prix – Race".into(),
        status: SessionStatus::Live as i32,
        current_lap: 12,
        total_laps: 58,
        updated_at: now,
        ..Default::default()
    };
    ds.client().live().write_live_state(live).await.expect("live state");
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    let now_live = get(&format!("{site}/live/now")).await;
    assert_eq!((now_live.status, now_live.body.as_str()), (200, "Opening Grand Prix – Race"));
    let home = get(&format!("{site}/")).await;
    assert_eq!(home.status, 200, "{}", home.body);
    let banner = between(&home.body, "class=\"banner\"", "</div>");
    assert!(banner.contains("Live now") && banner.contains("lap 12 of 58"), "{banner}");
    assert!(banner.contains("href=\"/seasons/2026/rounds/1\""), "{banner}");
    let next = between(&home.body, "Next session", "</div></div>");
    assert!(next.contains("Second Grand Prix") && next.contains("Practice 1"), "{next}");
    let start = protobuf_iso(now + 3 * 86_400);
    assert!(next.contains(&format!("data-countdown=\"{start}\"")), "{next}");
    assert!(next.contains(&format!("<time datetime=\"{start}\" data-local>")), "{next}");

    // No standings yet: the season page still renders its calendar.
    let season = get(&format!("{site}/seasons/2026")).await;
    assert_eq!(season.status, 200, "{}", season.body);
    let calendar = between(&season.body, "<table id=\"calendar\"", "</table>");
    assert!(calendar.contains("pill live") && calendar.contains("pill scheduled"), "{calendar}");

    // A scheduled round: sessions with their local start, the circuit image from our own origin.
    let r2 = get(&format!("{site}/seasons/2026/rounds/2")).await;
    assert_eq!(r2.status, 200, "{}", r2.body);
    assert!(r2.body.contains("No classification yet."));
    assert!(r2.body.contains("src=\"/images/circuits/test-ring\""), "the track image");
    let img = get(&format!("{site}/images/circuits/test-ring")).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.headers["content-type"], "image/svg+xml");
    assert_eq!(img.body, TRACK_SVG);

    if let Some(bin) = browser::chromium("live_banner_countdown_and_scheduled_sessions") {
        let url = format!("{site}/");
        tokio::task::spawn_blocking(move || {
            let mut b = Browser::launch(&bin);
            let mut tab = b.tab(1366, 900);
            tab.open(&url);
            assert!(tab.visible(".banner"), "the live banner shows");
            let countdown = tab.eval("document.querySelector('[data-countdown]').textContent");
            let text = countdown.as_str().unwrap_or_default();
            assert!(text.starts_with("2d ") || text.starts_with("3d "), "a running countdown: {text}");
            // The menu's Live link is marked while the session runs.
            // (the script asks /live/now after the page loads: wait for it)
            let js = "document.querySelector('header.top nav a[href=\"/live\"]').classList.contains('on-air')";
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while tab.eval(js).as_bool() != Some(true) {
                assert!(std::time::Instant::now() < deadline, "the Live link's marker");
                std::thread::sleep(Duration::from_millis(50));
            }
            let local = tab.eval("document.querySelector('time[data-local]').title");
            assert_eq!(local.as_str(), Some("Your local time"));
            // One date format: the server's shape, 24-hour, in the viewer's zone.
            let server = tab.eval("document.querySelector('time[data-local]').getAttribute('datetime')");
            let start = chrono::DateTime::parse_from_rfc3339(server.as_str().unwrap_or_default()).expect("datetime");
            tab.time_zone("Asia/Kolkata");
            tab.open(&url);
            let shown = tab.eval("document.querySelector('time[data-local]').textContent");
            let india = start.with_timezone(&chrono::FixedOffset::east_opt(5 * 3600 + 1800).expect("+05:30"));
            let want = format!("{}", india.format("%a %-d %b, %H:%M GMT+5:30"));
            assert_eq!(shown.as_str(), Some(want.as_str()), "the server's shape in the viewer's zone");
            tab.screenshot_full(1366, &browser::screenshot_path("home-live", 1366));
        })
        .await
        .expect("browser check");
    }
    shutdown.trigger();
    tokio::time::timeout(Duration::from_secs(10), ds.stop()).await.expect("data_scheduler stops");
}

fn protobuf_iso(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).expect("time").format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `/live?delay=N`: the control shows N and says the board is delayed; the
/// page follows the stream and the fight at that delay; a delay that
/// cannot be is a 400 naming it. In Chromium, the control's steps set the
/// URL and the choice is remembered when `/live` is opened again.
#[tokio::test]
async fn the_live_page_holds_the_board_back_by_the_chosen_delay() {
    let ds = TestDataScheduler::start().await;
    let now = chrono::Utc::now().timestamp();
    ds.client().sport().write_batch(fixture(now)).await.expect("fixture");
    let live = LiveSessionState {
        season: 2026,
        round: 1,
        session_type: SessionType::Race as i32,
        session_name: "Opening Grand Prix – Race".into(),
        status: SessionStatus::Live as i32,
        current_lap: 12,
        total_laps: 58,
        updated_at: now,
        ..Default::default()
    };
    // Written before content_api starts: the board it has known all along.
    ds.client().live().write_live_state(live).await.expect("live state");
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    let page = get(&format!("{site}/live?delay=5")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let control = between(&page.body, "<form id=\"live-delay\"", "</form>");
    assert!(control.contains("name=\"delay\"") && control.contains("value=\"5\""), "{control}");
    assert!(control.contains("The board is delayed by <strong>5 s</strong>"), "{control}");
    for (step, to) in [("−5 s", 0), ("−1 s", 4), ("+1 s", 6), ("+5 s", 10)] {
        assert!(control.contains(&format!("href=\"/live?delay={to}\"")), "{step} leads to {to}: {control}");
    }
    assert!(page.body.contains("data-stream=\"/live/stream?delay=5\""), "the script follows the held stream");
    assert!(page.body.contains("data-fight=\"/live/fight?delay=5\""));
    assert!(page.body.contains("Lap 12 of 58"), "the board, held back");
    let plain = get(&format!("{site}/live")).await;
    assert!(plain.body.contains("The board is live, with no delay.") && plain.body.contains("value=\"0\""));
    assert!(plain.body.contains("data-stream=\"/live/stream\""));

    for bad in ["301", "-1", "abc", ""] {
        for path in ["/live", "/live/stream", "/live/fight"] {
            let page = get(&format!("{site}{path}?delay={bad}")).await;
            assert_eq!(page.status, 400, "{path}?delay={bad}: {}", page.body);
            assert!(page.body.contains("<code>delay</code>"), "{path}?delay={bad}: {}", page.body);
        }
    }

    if let Some(bin) = browser::chromium("the_live_page_holds_the_board_back_by_the_chosen_delay") {
        let site = site.clone();
        tokio::task::spawn_blocking(move || {
            let mut b = Browser::launch(&bin);
            let mut tab = b.tab(1366, 900);
            tab.open(&format!("{site}/live"));
            let value = "document.getElementById('live-delay-input').value";
            assert_eq!(tab.eval(value).as_str(), Some("0"), "no delay chosen yet");
            // A step of the control: a link to the page at that delay.
            tab.eval("document.querySelector('#live-delay a.step[data-delay=\"5\"]').click()");
            wait_for(&mut tab, "location.href", |u| u.ends_with("/live?delay=5"));
            wait_for(&mut tab, value, |v| v == "5");
            wait_for(&mut tab, "document.getElementById('live-delay-note').textContent", |t| {
                t.contains("delayed by 5 s")
            });
            // A number typed in the box (the page must have loaded its script).
            wait_for(&mut tab, "document.readyState", |s| s == "complete");
            tab.eval("(() => { const b = document.getElementById('live-delay-input'); b.value = '12'; b.dispatchEvent(new Event('change')); })()");
            wait_for(&mut tab, "location.href", |u| u.ends_with("/live?delay=12"));
            wait_for(&mut tab, value, |v| v == "12");
            // Remembered: /live again goes to the chosen delay.
            tab.open(&format!("{site}/live"));
            wait_for(&mut tab, "location.href", |u| u.ends_with("/live?delay=12"));
            wait_for(&mut tab, value, |v| v == "12");
            assert!(tab.visible("#leaderboard"), "the board shows at the delay");
            tab.screenshot_full(1366, &browser::screenshot_path("live-delay", 1366));
        })
        .await
        .expect("browser check");
    }
    shutdown.trigger();
    tokio::time::timeout(Duration::from_secs(10), ds.stop()).await.expect("data_scheduler stops");
}

/// Polls `js` in the page until `ok` accepts its value (a deadline, never a sleep to wait).
fn wait_for(tab: &mut browser::cdp::Tab<'_>, js: &str, mut ok: impl FnMut(&str) -> bool) -> String {
    let end = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        // A navigation in progress has no page to ask: ask again.
        let value = tab.try_eval(js);
        let text = value.as_ref().and_then(|v| v.as_str()).unwrap_or_default().to_string();
        if ok(&text) {
            return text;
        }
        assert!(std::time::Instant::now() < end, "waiting for {js} (last: {text})");
        std::thread::sleep(Duration::from_millis(50));
    }
}
