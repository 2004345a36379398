//! `/live`'s extras during a live session whose records are being written
//! (source live, `complete` false), as the live path writes them: the lap
//! and tyre charts growing without a reload, the trend of each car's
//! interval and gap, the track map at Monza, and the board on a phone held
//! upright and in dark mode. Recorded sessions (Baku 2018's race, Monza
//! 2019's qualifying) stand in for the live feed; screenshots go to
//! `target/screenshots/`.
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::Shutdown;
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use livetiming::openf1::records::SessionRecords;
use livetiming::wire::{Head, Link, Source, to_wire};
use protobuf::v1::{LiveDriver, LiveSessionState, SessionStatus, SessionType};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;

use crate::browser::{self, cdp::Browser, screenshot_path};
use crate::stack::{data_scheduler_in_target, get, start_content, start_site};

// Generous: the test binary shares two busy cores; a bound on failure, not a timing goal.
const DEADLINE: Duration = Duration::from_secs(180);
const PHONE: u32 = 375;
const DESKTOP: u32 = 1366;
const RACE: &str = "2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race";
const MONZA_Q: &str = "2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying";

fn recorded(folder: &str) -> SessionRecords {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fetcher_service/testdata/livetiming/static").join(folder);
    livetiming::openf1::derive_folder(&dir).expect("a recorded session")
}

/// The records as the live path would have written them after `lap` laps.
fn up_to(all: &SessionRecords, lap: i32) -> SessionRecords {
    let mut r = all.clone();
    r.laps.retain(|l| l.lap_number <= lap);
    r.stints.retain(|s| s.lap_start <= lap);
    for s in &mut r.stints {
        s.lap_end = s.lap_end.min(lap);
    }
    r.pit.retain(|p| p.lap_number <= lap);
    r
}

async fn write(ds: &TestDataScheduler, records: &SessionRecords, season: i32, round: i32, session_type: SessionType) {
    let s = records.session.as_ref().expect("SessionInfo");
    let head = Head {
        meeting_key: s.meeting_key,
        session_key: s.session_key,
        link: Some(Link { season, round, session_type }),
        source: Source::Live,
        complete: false,
    };
    ds.client().sport().write_session_data(to_wire(records, head)).await.expect("session data stored");
}

/// A lap's start (unix seconds) and time.
type StartAndTime = (Option<f64>, Option<f64>);

/// When each car finished each lap (unix seconds) from content_api's laps:
/// the next lap's start, or the lap's own start plus its time, the earlier.
fn lap_ends(laps: &[Value]) -> BTreeMap<i64, BTreeMap<i64, f64>> {
    let at = |v: &Value| {
        v.as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()).map(|d| d.timestamp_millis() as f64 / 1e3)
    };
    let mut starts: BTreeMap<i64, BTreeMap<i64, StartAndTime>> = BTreeMap::new();
    for l in laps {
        let car = l["driver_number"].as_i64().unwrap();
        starts.entry(car).or_default().insert(l["lap"].as_i64().unwrap(), (at(&l["start"]), l["time"].as_f64()));
    }
    starts
        .iter()
        .map(|(car, by_lap)| {
            let ends = by_lap
                .iter()
                .filter_map(|(n, (start, time))| {
                    let next = by_lap.get(&(n + 1)).and_then(|x| x.0);
                    let own = start.zip(*time).map(|(s, t)| s + t);
                    let end = match (next, own) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    end.map(|e| (*n, e))
                })
                .collect();
            (*car, ends)
        })
        .collect()
}

/// The order at the end of `lap`, with each car's time over the line.
fn order_at(ends: &BTreeMap<i64, BTreeMap<i64, f64>>, lap: i64) -> Vec<(i64, f64)> {
    let mut o: Vec<(i64, f64)> = ends.iter().filter_map(|(car, e)| e.get(&lap).map(|t| (*car, *t))).collect();
    o.sort_by(|a, b| a.1.total_cmp(&b.1));
    o
}

/// The change of each car's interval to the car ahead over the last three
/// laps it completed.
fn interval_trends(ends: &BTreeMap<i64, BTreeMap<i64, f64>>) -> BTreeMap<i64, f64> {
    let interval = |car: i64, lap: i64| {
        let o = order_at(ends, lap);
        let i = o.iter().position(|(c, _)| *c == car)?;
        (i > 0).then(|| o[i].1 - o[i - 1].1)
    };
    ends.iter()
        .filter_map(|(car, e)| {
            let last = *e.keys().next_back()?;
            Some((*car, interval(*car, last)? - interval(*car, last - 3)?))
        })
        .collect()
}

/// A live board of `records`' drivers in `order` (car numbers), each a
/// different way round its lap (0, 1 or 2 sectors done; with `mini`, some
/// of the lap's 24 mini-sectors lit too).
fn board(
    records: &SessionRecords,
    season: i32,
    round: i32,
    t: SessionType,
    lap: i32,
    order: &[i64],
    mini: bool,
) -> LiveSessionState {
    let leaderboard = order
        .iter()
        .enumerate()
        .filter_map(|(i, car)| {
            let d = records.drivers.iter().find(|d| i64::from(d.driver_number) == *car)?;
            let sectors = (0..3).map(|k| if k < i % 3 { "31.234".to_string() } else { String::new() }).collect();
            // The board's cars have lit some of their lap's 24 mini-sectors.
            let (mini_sectors_lit, mini_sectors) = if mini { ((i as i32 * 5) % 24, 24) } else { (0, 0) };
            Some(LiveDriver {
                position: i as i32 + 1,
                driver_number: d.driver_number,
                driver_code: d.name_acronym.clone(),
                driver_name: d.full_name.clone(),
                team: d.team_name.clone().unwrap_or_default(),
                team_color: d.team_colour.as_deref().map(|c| format!("#{c}")).unwrap_or_default(),
                gap_to_leader: if i == 0 { String::new() } else { format!("+{}.000", i) },
                interval: if i == 0 { String::new() } else { "+1.000".into() },
                sectors,
                tyre: "SOFT".into(),
                tyre_age: 3,
                laps: lap,
                mini_sectors_lit,
                mini_sectors,
                ..Default::default()
            })
        })
        .collect();
    LiveSessionState {
        season,
        round,
        session_type: t as i32,
        session_name: "Live test session".into(),
        status: SessionStatus::Live as i32,
        current_lap: lap,
        total_laps: if matches!(t, SessionType::Race) { 51 } else { 0 },
        leaderboard,
        updated_at: chrono::Utc::now().timestamp(),
        ..Default::default()
    }
}

async fn api_laps(content: &str, path: &str) -> Vec<Value> {
    let page = get(&format!("{content}{path}/laps?per_page=1000")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let v: Value = serde_json::from_str(&page.body).expect("JSON");
    v["result"]["items"].as_array().cloned().expect("items")
}

fn poll(tab: &mut browser::cdp::Tab<'_>, what: &str, js: &str, mut ok: impl FnMut(&Value) -> bool) -> Value {
    let end = Instant::now() + DEADLINE;
    loop {
        let value = tab.eval(js);
        if ok(&value) {
            return value;
        }
        assert!(Instant::now() < end, "timed out after {DEADLINE:?} waiting for {what} (last: {value})");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The value of the first `name="…"` in `html`.
fn attr<'a>(html: &'a str, name: &str) -> &'a str {
    let from = html.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("{name} in {html}")) + name.len() + 2;
    html[from..].split('"').next().unwrap_or_default()
}

fn count(tab: &mut browser::cdp::Tab<'_>, selector: &str) -> usize {
    let js = format!("document.querySelectorAll({}).length", serde_json::to_string(selector).unwrap());
    tab.eval(&js).as_u64().unwrap_or(0) as usize
}

/// The most laps any car has in the live lap chart's table.
const MOST_LAPS: &str = "Math.max(0, ...Array.from(document.querySelectorAll('#live-plus #laps-table td.laps')).map((td) => Number(td.textContent)))";

/// The lowest contrast ratio (WCAG) of the leaderboard's text, its trend
/// badges and the map's car codes against the card behind them.
const LOWEST_CONTRAST: &str = r#"(() => {
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = (c) => { const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const card = rgb(getComputedStyle(document.querySelector('#leaderboard').closest('.card')).backgroundColor);
  let low = 99;
  document.querySelectorAll('#leaderboard tbody tr:not(.out) td, #leaderboard .trend, #leaderboard th').forEach((e) => {
    if (e.offsetParent === null) return;
    low = Math.min(low, ratio(rgb(getComputedStyle(e).color), card));
  });
  document.querySelectorAll('#live-map .car-code').forEach((e) => { low = Math.min(low, ratio(rgb(getComputedStyle(e).fill), card)); });
  return low;
})()"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_board_grows_its_charts_and_shows_each_cars_trend() {
    let ds = data_scheduler_in_target().await;
    import_into(&ds.client(), F1dbSource::Bundled, Some(2018), Some(2018), |_| {}).await.expect("f1db 2018");
    let all = recorded(RACE);
    write(&ds, &up_to(&all, 10), 2018, 4, SessionType::Race).await;
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;
    let api = "/content/v1/seasons/2018/rounds/4/sessions/race";
    let laps = api_laps(&content, api).await;
    let ends = lap_ends(&laps);
    let order: Vec<i64> = order_at(&ends, 10).into_iter().map(|(c, _)| c).collect();
    assert!(order.len() >= 15, "cars at lap 10: {order:?}");
    ds.client()
        .live()
        .write_live_state(board(&all, 2018, 4, SessionType::Race, 10, &order, false))
        .await
        .expect("live");

    // Without scripts: the page has the charts, the trends and the map's line.
    let page = get(&format!("{site}/live")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for id in ["id=\"live-plus\"", "data-chart=\"laps\"", "data-chart=\"strategy\"", "id=\"live-map\""] {
        assert!(page.body.contains(id), "{id} on /live");
    }
    assert!(page.body.contains("No track map is stored for this circuit."), "Baku has no stored layout");
    let mut expected = interval_trends(&ends);
    expected.retain(|car, _| order.contains(car));
    assert!(expected.len() >= 15, "trends: {expected:?}");
    let fragment = get(&format!("{site}/live/charts")).await;
    assert_eq!(fragment.status, 200);
    assert_eq!(fragment.headers["cache-control"], "no-store");
    assert!(fragment.body.contains("data-chart=\"laps\"") && !fragment.body.contains("<html"), "a fragment");

    let Some(bin) = browser::chromium("the_live_board_grows_its_charts_and_shows_each_cars_trend") else { return };
    let url = format!("{site}/live");
    let more = up_to(&all, 20);
    let client = ds.client();
    let rt = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch(&bin);
        let mut tab = b.tab(DESKTOP, 900);
        tab.open(&url);
        poll(
            &mut tab,
            "the script to follow the stream",
            "document.querySelector('#live').dataset.following || ''",
            |v| v == "1",
        );
        poll(&mut tab, "the board", "document.querySelectorAll('#leaderboard tbody tr').length", |v| {
            v.as_u64().unwrap_or(0) as usize == order.len()
        });
        // One line per car in the lap chart, one row of bars per car in the tyre chart.
        let with_laps: BTreeSet<i64> = ends.keys().copied().collect();
        assert_eq!(count(&mut tab, "#live-plus .chart.wide svg[data-chart=laps] g.ln path[data-car]"), with_laps.len());
        assert_eq!(count(&mut tab, "#live-plus .chart.wide svg[data-chart=strategy] g[data-car]"), with_laps.len());
        assert_eq!(tab.eval(MOST_LAPS).as_i64(), Some(10));
        // Each car's interval trend, as computed here from the laps.
        for (car, change) in &expected {
            let trend = format!("document.querySelector('#leaderboard tr[data-car=\"{car}\"] td:nth-child(4) .trend')");
            let shown = tab.eval(&format!("{trend} ? {trend}.dataset.change : ''"));
            let shown: f64 = shown.as_str().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
            assert!((shown - change).abs() < 0.01, "car {car}: shown {shown}, computed {change}");
            let class = tab.eval(&format!("{trend}.className"));
            let want = if *change <= -0.05 {
                "trend gain"
            } else if *change >= 0.05 {
                "trend lose"
            } else {
                "trend same"
            };
            assert_eq!(class.as_str(), Some(want), "car {car}: {change}");
        }
        let words = tab.eval("document.querySelector('#leaderboard .trend .sr-only').textContent");
        assert!(words.as_str().is_some_and(|w| w.contains("over the last 3 laps")), "{words}");
        tab.screenshot_full(DESKTOP, &screenshot_path("live-plus", DESKTOP));

        // Ten more laps are written: the open page's charts grow without a reload.
        tab.eval("window.notReloaded = true");
        let s = more.session.as_ref().expect("SessionInfo");
        let head = Head {
            meeting_key: s.meeting_key,
            session_key: s.session_key,
            link: Some(Link { season: 2018, round: 4, session_type: SessionType::Race }),
            source: Source::Live,
            complete: false,
        };
        rt.block_on(client.sport().write_session_data(to_wire(&more, head))).expect("more records");
        poll(&mut tab, "the lap chart to grow", MOST_LAPS, |v| v.as_i64() == Some(20));
        assert_eq!(tab.eval("window.notReloaded === true").as_bool(), Some(true), "grown without a reload");

        // A phone held upright, light and dark: no sideways scrolling, the essential columns shown.
        for dark in [false, true] {
            let mut tab = b.tab(PHONE, 812);
            if dark {
                tab.dark();
            }
            tab.open(&url);
            poll(&mut tab, "the board", "document.querySelectorAll('#leaderboard tbody tr').length", |v| {
                v.as_u64().unwrap_or(0) > 0
            });
            let width = tab.eval("document.documentElement.scrollWidth").as_i64().unwrap_or(0);
            assert!(width <= i64::from(PHONE), "the page is {width}px wide at {PHONE}");
            let table = tab.eval("document.querySelector('#leaderboard').getBoundingClientRect().right").as_f64();
            assert!(table.is_some_and(|r| r <= f64::from(PHONE)), "the leaderboard ends at {table:?}px");
            for (n, head) in [(1, "Pos"), (2, "Driver"), (3, "Gap"), (4, "Int")] {
                let js = format!("document.querySelector('#leaderboard thead th:nth-child({n})')");
                assert_eq!(tab.eval(&format!("{js}.textContent")).as_str(), Some(head));
                assert_eq!(tab.eval(&format!("{js}.offsetParent !== null")).as_bool(), Some(true), "{head} shown");
            }
            assert!(tab.visible("#leaderboard tbody tr:first-child .code"), "the driver's code");
            let low = tab.eval(LOWEST_CONTRAST).as_f64().unwrap_or(0.0);
            assert!(low >= 4.5, "dark {dark}: the lowest contrast on the board is {low:.2}:1");
            let name = if dark { "live-plus-dark" } else { "live-plus" };
            tab.screenshot_full(PHONE, &screenshot_path(name, PHONE));
        }
        let mut tab = b.tab(DESKTOP, 900);
        tab.dark();
        tab.open(&url);
        let low = tab.eval(LOWEST_CONTRAST).as_f64().unwrap_or(0.0);
        assert!(low >= 4.5, "dark desktop: the lowest contrast on the board is {low:.2}:1");
        tab.screenshot_full(DESKTOP, &screenshot_path("live-plus-dark", DESKTOP));
    })
    .await
    .expect("the browser check");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_track_map_at_monza_places_every_car() {
    let ds = data_scheduler_in_target().await;
    import_into(&ds.client(), F1dbSource::Bundled, Some(2019), Some(2019), |_| {}).await.expect("f1db 2019");
    let all = recorded(MONZA_Q);
    write(&ds, &all, 2019, 14, SessionType::Qualifying).await;
    let order: Vec<i64> = all.drivers.iter().map(|d| i64::from(d.driver_number)).collect();
    assert_eq!(order.len(), 20);
    let live = board(&all, 2019, 14, SessionType::Qualifying, 0, &order, false);
    ds.client().live().write_live_state(live).await.expect("live");
    let shutdown = Shutdown::new();
    let (content, _) = start_content(&ds.url(), &shutdown).await;
    let (site, _) = start_site(&content, &shutdown).await;

    let page = get(&format!("{site}/live")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let map = crate::stack::between(&page.body, "id=\"live-map\"", "</section>");
    // A live session has no locations (the archive publishes them after),
    // and 2019's feed no mini-sectors: by the timing sectors done on the lap.
    assert!(map.contains("data-placed=\"sectors\""), "{map}");
    assert!(map.contains("from the timing sectors each has completed on it"), "{map}");
    for car in &order {
        assert!(map.contains(&format!("data-car=\"{car}\"")), "car {car} on the map");
    }
    assert_eq!(map.matches("class=\"car\"").count(), order.len(), "each car once");

    // A board with mini-sectors lit: by those, each car at its own point.
    let live = board(&all, 2019, 14, SessionType::Qualifying, 0, &order, true);
    ds.client().live().write_live_state(live).await.expect("live");
    let page = testkit::wait::until("the map placed by mini-sectors", DEADLINE, || {
        let url = format!("{site}/live");
        async move {
            let page = get(&url).await;
            page.body.contains("data-placed=\"mini-sectors\"").then_some(page)
        }
    })
    .await;
    let map = crate::stack::between(&page.body, "id=\"live-map\"", "</section>");
    assert!(map.contains("from the mini-sectors each has lit on it"), "{map}");
    let mut points = BTreeSet::new();
    for car in &order {
        let g = crate::stack::between(map, &format!("data-car=\"{car}\""), "</g>");
        points.insert(format!("{},{}", attr(g, "cx"), attr(g, "cy")));
    }
    // Lit counts 0, 5, .., 20, 1, 6, ..: 20 cars, 20 different counts.
    assert_eq!(points.len(), order.len(), "every car at its own point: {points:?}");
    // The tyre chart: a row per car with a stint.
    assert!(page.body.contains("data-chart=\"strategy\""));

    let Some(bin) = browser::chromium("the_track_map_at_monza_places_every_car") else { return };
    let url = format!("{site}/live");
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch(&bin);
        for (width, dark) in [(PHONE, false), (DESKTOP, false), (DESKTOP, true)] {
            let mut tab = b.tab(width, 900);
            if dark {
                tab.dark();
            }
            tab.open(&url);
            assert!(tab.visible("#live-map svg"), "the map at {width}");
            assert_eq!(count(&mut tab, "#live-map g.car[data-car]"), order.len());
            // Every car is drawn inside the map.
            let inside = tab.eval(
                "Array.from(document.querySelectorAll('#live-map g.car circle')).every((c) => { const s = c.ownerSVGElement.viewBox.baseVal; const x = +c.getAttribute('cx'), y = +c.getAttribute('cy'); return x >= 0 && y >= 0 && x <= s.width && y <= s.height; })",
            );
            assert_eq!(inside.as_bool(), Some(true));
            let width_px = tab.eval("document.documentElement.scrollWidth").as_i64().unwrap_or(0);
            assert!(width_px <= i64::from(width), "{width_px}px wide at {width}");
            let name = if dark { "live-map-dark" } else { "live-map" };
            tab.screenshot_full(width, &screenshot_path(name, width));
        }
    })
    .await
    .expect("the browser check");
}
