//! The session pages (`/seasons/{y}/rounds/{r}/sessions/{type}`) of
//! recorded sessions — Baku 2018's race, Monza 2019's qualifying, Monza
//! 2021's second practice — stored as session data over f1db's seasons, in
//! headless Chromium at phone and desktop widths (and in dark mode): every
//! chart has one line, bar or row per car, and the numbers of the tables
//! behind them are content_api's. Screenshots go to `target/screenshots/`.
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{OnceLock, mpsc};
use std::time::Duration;

use common::Shutdown;
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use livetiming::wire::{Head, Link, Source, to_wire};
use protobuf::v1::SessionType;
use serde_json::Value;

use crate::browser::{self, cdp::Browser, screenshot_path};
use crate::stack::{data_scheduler_in_target, get, start_content, start_site};

const PHONE: u32 = 390;
const DESKTOP: u32 = 1366;

const RACE: &str = "/seasons/2018/rounds/4/sessions/race";
const QUALIFYING: &str = "/seasons/2019/rounds/14/sessions/qualifying";
const PRACTICE: &str = "/seasons/2021/rounds/14/sessions/practice-2";
const SHOOTOUT: &str = "/seasons/2023/rounds/4/sessions/sprint-qualifying";

/// Recorded sessions: folder under the fetcher's testdata, season, round, type.
const RECORDED: [(&str, i32, i32, SessionType); 5] = [
    ("2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race", 2018, 4, SessionType::Race),
    ("2019/2019-09-08_Italian_Grand_Prix/2019-09-07_Qualifying", 2019, 14, SessionType::Qualifying),
    ("2021/2021-09-12_Italian_Grand_Prix/2021-09-11_Practice_2", 2021, 14, SessionType::Practice2),
    ("2023/2023-04-30_Azerbaijan_Grand_Prix/2023-04-29_Sprint_Shootout", 2023, 4, SessionType::SprintQualifying),
    ("2023/2023-04-30_Azerbaijan_Grand_Prix/2023-04-29_Sprint", 2023, 4, SessionType::Sprint),
];

struct Sessions {
    site: String,
    content: String,
}

/// One stack for this file's tests: f1db 2018, 2019, 2021 and 2023 with
/// the five recorded sessions' data stored, content_api and the site.
fn sessions() -> &'static Sessions {
    static STACK: OnceLock<Sessions> = OnceLock::new();
    STACK.get_or_init(|| {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let rt =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
            rt.block_on(async move {
                let ds = data_scheduler_in_target().await;
                for year in [2018, 2019, 2021, 2023] {
                    import_into(&ds.client(), F1dbSource::Bundled, Some(year), Some(year), |_| {})
                        .await
                        .expect("f1db import");
                }
                let testdata =
                    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fetcher_service/testdata/livetiming/static");
                for (folder, season, round, session_type) in RECORDED {
                    let records =
                        livetiming::openf1::derive_folder(&testdata.join(folder)).expect("a recorded session");
                    let s = records.session.as_ref().expect("SessionInfo");
                    let head = Head {
                        meeting_key: s.meeting_key,
                        session_key: s.session_key,
                        link: Some(Link { season, round, session_type }),
                        source: Source::Archive,
                        complete: true,
                    };
                    ds.client().sport().write_session_data(to_wire(&records, head)).await.expect("stored");
                }
                let shutdown = Shutdown::new();
                let content = start_content(&ds.url(), &shutdown).await.0;
                let site = start_site(&content, &shutdown).await.0;
                tx.send(Sessions { site, content }).expect("the test waits");
                std::future::pending::<()>().await;
            });
        });
        rx.recv_timeout(Duration::from_secs(300)).expect("the session stack started (see the panic above)")
    })
}

/// content_api's path of a session page (`practice-2` is `practice_2` there).
fn api_path(page: &str) -> String {
    page.replace("/seasons/", "/content/v1/seasons/")
        .replace("practice-2", "practice_2")
        .replace("sprint-qualifying", "sprint_qualifying")
}

/// Every record of one kind from content_api (`/content/v1/.../sessions/{type}/{kind}`).
fn records(page: &str, kind: &str) -> Vec<Value> {
    let api = api_path(page);
    let base = format!("{}{api}/{kind}?per_page=1000", sessions().content);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let mut out = Vec::new();
        for page in 1.. {
            let got = get(&format!("{base}&page={page}")).await;
            assert_eq!(got.status, 200, "{base}: {}", got.body);
            let v: Value = serde_json::from_str(&got.body).expect("json");
            let items = v["result"]["items"].as_array().expect("items").clone();
            let total = v["result"]["total"].as_u64().expect("total") as usize;
            out.extend(items);
            if out.len() >= total {
                break;
            }
        }
        out
    })
}

/// The session's own answer (its classification).
fn session_answer(page: &str) -> Value {
    let api = api_path(page);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let got = rt.block_on(get(&format!("{}{api}", sessions().content)));
    serde_json::from_str::<Value>(&got.body).expect("json")["result"].clone()
}

fn cars_of(rows: &[Value]) -> BTreeSet<i64> {
    rows.iter().map(|r| r["driver_number"].as_i64().expect("driver_number")).collect()
}

fn count_by_car(rows: &[Value]) -> BTreeMap<i64, usize> {
    let mut out = BTreeMap::new();
    for r in rows {
        *out.entry(r["driver_number"].as_i64().expect("driver_number")).or_default() += 1;
    }
    out
}

/// `1:43.009`, as the page writes a lap time.
fn lap_time(t: f64) -> String {
    let ms = (t * 1000.0).round() as i64;
    let (m, rest) = (ms / 60_000, ms % 60_000);
    if m > 0 {
        format!("{m}:{:02}.{:03}", rest / 1000, rest % 1000)
    } else {
        format!("{}.{:03}", rest / 1000, rest % 1000)
    }
}

fn fastest(laps: &[Value]) -> f64 {
    laps.iter().filter_map(|l| l["time"].as_f64()).filter(|t| *t > 0.0).fold(f64::MAX, f64::min)
}

/// The `data-car` of each element matching `selector`, as numbers.
fn cars_in(tab: &mut browser::cdp::Tab<'_>, selector: &str) -> Vec<i64> {
    let js = format!(
        "JSON.stringify([...document.querySelectorAll({})].map((e) => Number(e.dataset.car)))",
        serde_json::to_string(selector).unwrap()
    );
    serde_json::from_str(tab.eval(&js).as_str().unwrap_or("[]")).expect("numbers")
}

fn count(tab: &mut browser::cdp::Tab<'_>, selector: &str) -> usize {
    let js = format!("document.querySelectorAll({}).length", serde_json::to_string(selector).unwrap());
    tab.eval(&js).as_u64().unwrap_or(0) as usize
}

/// The text of each cell matching `selector`, in order.
fn texts(tab: &mut browser::cdp::Tab<'_>, selector: &str) -> Vec<String> {
    let js = format!(
        "JSON.stringify([...document.querySelectorAll({})].map((e) => e.textContent.trim()))",
        serde_json::to_string(selector).unwrap()
    );
    serde_json::from_str(tab.eval(&js).as_str().unwrap_or("[]")).expect("texts")
}

/// Opens `path` at both widths (and once more in dark mode), checks what
/// every page shares, runs `check` on the desktop tab, saves screenshots.
fn in_a_browser(test: &str, name: &str, path: &str, check: impl Fn(&mut browser::cdp::Tab<'_>)) {
    let Some(bin) = browser::chromium(test) else { return };
    let url = format!("{}{path}", sessions().site);
    let mut browser = Browser::launch(&bin);
    for (width, dark) in [(PHONE, false), (DESKTOP, false), (DESKTOP, true)] {
        let mut tab = browser.tab(width, 900);
        if dark {
            tab.dark();
        }
        tab.open(&url);
        assert!(tab.visible("main h1"), "{path} at {width}");
        let page_width = tab.eval("document.documentElement.scrollWidth").as_i64().unwrap_or(0);
        assert!(page_width <= i64::from(width), "{path} at {width}: the page is {page_width}px wide");
        let (shown, hidden) = if width < 600 { (".narrow", ".wide") } else { (".wide", ".narrow") };
        let charts = count(&mut tab, &format!(".chart{shown} svg[data-chart]"));
        assert!(charts >= 3, "{path} at {width}: {charts} charts");
        assert!(!tab.visible(&format!(".chart{hidden} svg")), "one size of each chart at a time");
        // Each chart has its words and its numbers.
        let unlabelled = count(&mut tab, "svg[data-chart]:not([aria-labelledby])");
        assert_eq!(unlabelled, 0, "every chart names its title and description");
        let og = tab.eval("document.querySelector('meta[property=\"og:title\"]').content");
        assert!(og.as_str().is_some_and(|t| !t.is_empty()), "og:title: {og}");
        let og = tab.eval("document.querySelector('meta[property=\"og:description\"]').content");
        assert!(og.as_str().is_some_and(|t| t.len() > 40), "og:description: {og}");
        if width == DESKTOP && !dark {
            // Open every table of numbers, as a reader would.
            tab.eval("document.querySelectorAll('details.numbers').forEach((d) => d.open = true)");
            check(&mut tab);
        }
        let file = if dark { screenshot_path(&format!("{name}-dark"), width) } else { screenshot_path(name, width) };
        tab.screenshot_full(width, &file);
        eprintln!("saved {}", file.display());
    }
}

#[test]
fn a_race_page_tells_the_race_lap_by_lap() {
    let laps = records(RACE, "laps");
    let stints = records(RACE, "stints");
    let pits = records(RACE, "pit-stops");
    let messages = records(RACE, "race-control");
    assert!(laps.len() > 500 && !stints.is_empty() && !pits.is_empty() && !messages.is_empty(), "recorded data");
    let with_laps = cars_of(&laps);
    in_a_browser("a_race_page_tells_the_race_lap_by_lap", "session-2018-04-race", RACE, |tab| {
        // The lap chart and the gaps: one line per car that did a lap.
        for chart in ["laps", "gaps"] {
            let lines = cars_in(tab, &format!(".chart.wide svg[data-chart={chart}] g.ln path[data-car]"));
            assert_eq!(lines.len(), with_laps.len(), "{chart}: a line per car");
            assert_eq!(lines.iter().copied().collect::<BTreeSet<_>>(), with_laps, "{chart}: every car");
        }
        // Laps completed and pit laps, as the API has them.
        let last_lap: BTreeMap<i64, i64> = laps.iter().fold(BTreeMap::new(), |mut m, l| {
            let e = m.entry(l["driver_number"].as_i64().unwrap()).or_insert(0);
            *e = (*e).max(l["lap"].as_i64().unwrap());
            m
        });
        for (car, n) in &last_lap {
            let cell = texts(tab, &format!("#laps-table tr[data-car=\"{car}\"] td.laps"));
            assert_eq!(cell, vec![n.to_string()], "car {car}'s laps");
            let pit_laps: Vec<String> = pits
                .iter()
                .filter(|p| p["driver_number"].as_i64() == Some(*car))
                .map(|p| p["lap"].as_i64().unwrap().to_string())
                .collect();
            let cell = texts(tab, &format!("#laps-table tr[data-car=\"{car}\"] td.pits"));
            assert_eq!(cell, vec![pit_laps.join(", ")], "car {car}'s pit laps");
        }
        // Pit laps are marked on the lap chart: a ring per stop on a lap the car finished.
        let rings = count(tab, ".chart.wide svg[data-chart=laps] g.marks circle");
        assert_eq!(rings, pits.len(), "a ring per pit stop");
        // A retirement ends its line with a cross.
        let crosses = count(tab, ".chart.wide svg[data-chart=laps] g.marks path");
        assert!(crosses >= 1, "Baku 2018 had retirements");
        // Tyres: a row per car, a bar per stint.
        let by_car = count_by_car(&stints);
        for (car, n) in &by_car {
            let bars = count(
                tab,
                &format!(".chart.wide svg[data-chart=strategy] g[data-car=\"{car}\"] rect:not([width=\"3\"])"),
            );
            assert_eq!(bars, *n, "car {car}: a bar per stint");
        }
        assert_eq!(
            count(tab, ".chart.wide svg[data-chart=strategy] g[data-car]"),
            with_laps.union(&by_car.keys().copied().collect()).count()
        );
        // The pit-stop table and race control: every record.
        assert_eq!(count(tab, "#pit-table tbody tr"), pits.len());
        assert_eq!(count(tab, "#race-control-table tbody tr"), messages.len());
        let drawn = count(tab, ".chart.wide svg[data-chart=race-control] g.row circle");
        assert!(drawn > 10 && drawn < messages.len(), "flags, safety car and stewards drawn, blue flags not: {drawn}");
        assert!(
            count(tab, ".chart.wide svg[data-chart=race-control] rect.band") >= 1,
            "the safety car period is shaded"
        );
        // The fastest lap.
        let first = texts(tab, "#fastest-table tbody tr:first-child td.time");
        assert_eq!(first, vec![lap_time(fastest(&laps))]);
        // No weather was recorded for this race, and Baku's map is not stored.
        assert_eq!(count(tab, "#weather"), 0);
        assert!(tab.visible("#track-map .nomap"), "the missing map in one line");
    });
}

#[test]
fn a_qualifying_page_shows_each_part_and_who_improved() {
    let laps = records(QUALIFYING, "laps");
    let weather = records(QUALIFYING, "weather");
    let messages = records(QUALIFYING, "race-control");
    let session = session_answer(QUALIFYING);
    let results = session["results"].as_array().expect("a classification").clone();
    let timed = |part: &str| results.iter().filter(|r| r[part].as_str().is_some_and(|t| !t.is_empty())).count();
    let timed_cars: BTreeSet<i64> =
        laps.iter().filter(|l| l["time"].as_f64().is_some()).map(|l| l["driver_number"].as_i64().unwrap()).collect();
    in_a_browser(
        "a_qualifying_page_shows_each_part_and_who_improved",
        "session-2019-14-qualifying",
        QUALIFYING,
        |tab| {
            for part in ["q1", "q2", "q3"] {
                assert_eq!(
                    count(tab, &format!("#{part}-table tbody tr")),
                    timed(part),
                    "{part}: a row per driver timed"
                );
                assert_eq!(
                    count(tab, &format!("#{part} .chart.wide svg g[data-car]")),
                    timed(part),
                    "{part}: a bar per driver"
                );
            }
            // Pole: the fastest Q3 time of the classification.
            let pole = results.iter().find(|r| r["position"] == 1).unwrap();
            assert_eq!(
                texts(tab, "#q3-table tbody tr:first-child td.time"),
                vec![pole["q3"].as_str().unwrap().to_string()]
            );
            // Q1's cut-off: the 15th is 0.000 from it, the 16th is out.
            let cut = texts(tab, "#q1-table tbody tr:nth-child(15) td:last-child");
            assert_eq!(cut, vec!["+0.000".to_string()]);
            assert_eq!(count(tab, "#q1-table tbody tr.out"), timed("q1") - 15);
            // Ten went through to Q3, though three set no time there.
            assert_eq!(timed("q3"), 7, "Monza 2019's Q3");
            assert_eq!(count(tab, "#q2-table tbody tr.out"), timed("q2") - 10);
            // The parts, ended by race control's chequered flags: the first
            // improvements in Q1, pole's lap (the last session best) in Q3.
            let parts = texts(tab, "#improvements-table tbody td.part");
            assert_eq!(parts.first().map(String::as_str), Some("Q1"));
            assert_eq!(parts.iter().collect::<BTreeSet<_>>().len(), 3, "{parts:?}");
            let best = texts(tab, "#improvements-table tbody tr td:last-child");
            let pole_row = best.iter().rposition(|b| b == "yes").expect("a session best");
            assert_eq!(parts[pole_row], "Q3");
            assert_eq!(count(tab, ".chart.wide svg[data-chart=improvements] rect.band"), 2, "Q1 and Q2 end");
            // Before mini-sectors: the page says the feed has none.
            assert!(tab.visible("#mini-sectors .nominis"), "no mini-sectors in 2019's feed");
            assert!(
                count(tab, "#improvements-table tbody tr") >= timed_cars.len(),
                "every driver improved at least once"
            );
            // Weather: air and track, every sample in the table.
            assert_eq!(count(tab, ".chart.wide svg[data-chart=weather] path[data-series]"), 2);
            assert_eq!(count(tab, "#weather-table tbody tr"), weather.len());
            // Monza's map, with its 11 corners and the flags by marshal sector.
            assert!(tab.visible("svg[data-chart=track]"), "the track map");
            assert_eq!(count(tab, "svg[data-chart=track] text.corner"), 11);
            let flagged: BTreeSet<i64> = messages
                .iter()
                .filter(|m| {
                    m["scope"] == "Sector" && matches!(m["flag"].as_str(), Some("YELLOW" | "DOUBLE YELLOW" | "RED"))
                })
                .filter_map(|m| m["sector"].as_i64())
                .collect();
            assert!(!flagged.is_empty(), "yellow flags in the recording");
            assert_eq!(count(tab, "svg[data-chart=track] path[data-sector]"), flagged.len());
            assert_eq!(count(tab, "#sector-flags-table tbody tr"), flagged.len());
        },
    );
}

/// Baku 2023's sprint shootout: each driver's best lap by mini-sector,
/// in the colours the feed gave them.
#[test]
fn a_sprint_shootout_shows_each_best_lap_by_mini_sector() {
    let laps = records(SHOOTOUT, "laps");
    let timed_cars: BTreeSet<i64> =
        laps.iter().filter(|l| l["time"].as_f64().is_some()).map(|l| l["driver_number"].as_i64().unwrap()).collect();
    let name = "session-2023-04-sprint-qualifying";
    in_a_browser("a_sprint_shootout_shows_each_best_lap_by_mini_sector", name, SHOOTOUT, |tab| {
        // Mini-sectors: a row per car with a timed lap, each best lap's codes as the API gives them.
        let rows = cars_in(tab, ".chart.wide svg[data-chart=mini-sectors] g[data-car]");
        assert_eq!(rows.iter().copied().collect::<BTreeSet<_>>(), timed_cars);
        for car in &timed_cars {
            let best = laps
                .iter()
                .filter(|l| l["driver_number"].as_i64() == Some(*car) && l["time"].as_f64().is_some())
                .min_by(|a, b| a["time"].as_f64().unwrap().total_cmp(&b["time"].as_f64().unwrap()))
                .unwrap();
            let purple = best["mini_sectors"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| s.as_array().unwrap().clone())
                .filter(|c| c.as_i64() == Some(2051))
                .count();
            let drawn = count(
                tab,
                &format!(".chart.wide svg[data-chart=mini-sectors] g[data-car=\"{car}\"] rect[fill=\"#a335ee\"]"),
            );
            assert_eq!(drawn, purple, "car {car}: purple mini-sectors of lap {}", best["lap"]);
            let cells = texts(tab, &format!("#best-laps-table tr[data-car=\"{car}\"] td"));
            assert_eq!(cells[1], lap_time(best["time"].as_f64().unwrap()), "car {car}'s best lap");
            assert_eq!(cells[5], purple.to_string());
        }
        assert!(tab.visible("#improvements"), "who improved when");
        assert!(tab.visible("#track-map .nomap"), "Baku's map is not stored");
    });
}

#[test]
fn a_practice_page_shows_best_laps_and_long_runs() {
    let laps = records(PRACTICE, "laps");
    let stints = records(PRACTICE, "stints");
    let timed_cars: BTreeSet<i64> =
        laps.iter().filter(|l| l["time"].as_f64().is_some()).map(|l| l["driver_number"].as_i64().unwrap()).collect();
    in_a_browser("a_practice_page_shows_best_laps_and_long_runs", "session-2021-14-practice-2", PRACTICE, |tab| {
        let bars = cars_in(tab, ".chart.wide svg[data-chart=best-laps] g[data-car]");
        assert_eq!(bars.iter().copied().collect::<BTreeSet<_>>(), timed_cars, "a bar per car with a timed lap");
        assert_eq!(bars.len(), timed_cars.len());
        assert_eq!(texts(tab, "#best-table tbody tr:first-child td.time"), vec![lap_time(fastest(&laps))]);
        let per_car = count_by_car(&laps);
        for car in &timed_cars {
            let cell = texts(tab, &format!("#best-table tr[data-car=\"{car}\"] td.laps"));
            assert_eq!(cell, vec![per_car[car].to_string()], "car {car}'s laps");
        }
        // Long runs: a dot per run, each run within one of the API's stints.
        let runs = texts(tab, "#long-runs-table tbody tr");
        assert!(runs.len() >= 5, "race simulations at Monza: {runs:?}");
        assert_eq!(count(tab, ".chart.wide svg[data-chart=long-runs] circle"), runs.len());
        let rows: Vec<Vec<String>> = serde_json::from_str(
            tab.eval("JSON.stringify([...document.querySelectorAll('#long-runs-table tbody tr')].map((r) => [r.dataset.car, ...[...r.children].map((c) => c.textContent)]))")
                .as_str()
                .unwrap(),
        )
        .unwrap();
        for r in rows {
            let (car, stint, n): (i64, i64, i64) =
                (r[0].parse().unwrap(), r[2].parse().unwrap(), r[4].parse().unwrap());
            let s = stints
                .iter()
                .find(|s| s["driver_number"].as_i64() == Some(car) && s["stint"].as_i64() == Some(stint))
                .unwrap_or_else(|| panic!("car {car}'s stint {stint} in the API"));
            let length = s["last_lap"].as_i64().unwrap() - s["first_lap"].as_i64().unwrap() + 1;
            assert!((5..=length).contains(&n), "car {car} stint {stint}: {n} laps of {length}");
        }
        assert!(tab.visible("svg[data-chart=track]"), "Monza's map");
    });
}

/// Without stored session data the page says so in one line, with how to fetch it.
#[tokio::test]
async fn a_session_without_data_says_so() {
    let site = &sessions().site;
    let page = get(&format!("{site}/seasons/2021/rounds/14/sessions/race")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<p class=\"nodata\">No timing data is stored for this session.</p>"), "{}", page.body);
    assert!(page.body.contains("wibm sync session-data --season 2021 --round 14 --session race"));
    assert!(page.body.contains("POST /fetcher/v1/fetch/session-data?season=2021&amp;round=14&amp;session=race"));
    assert!(page.body.contains("<meta property=\"og:title\" content=\"Race · Italian Grand Prix 2021\">"));
    assert!(!page.body.contains("data-chart"), "no charts");
    // content_api's spelling of the type leads to the same page; an unknown one is a 404.
    let same = get(&format!("{site}/seasons/2021/rounds/14/sessions/practice_2")).await;
    assert!(same.body.contains("data-chart=\"best-laps\""));
    assert_eq!(get(&format!("{site}/seasons/2021/rounds/14/sessions/warm-up")).await.status, 404);
    // A page is kept like the others: a repeat visit with its ETag is a 304.
    let race = get(&format!("{site}{RACE}")).await;
    let etag = race.headers.get("etag").expect("an ETag").clone();
    let again = reqwest::Client::new()
        .get(format!("{site}{RACE}"))
        .header("if-none-match", etag)
        .send()
        .await
        .expect("the page again");
    assert_eq!(again.status(), 304);
    // The round page links each session's page.
    let round = get(&format!("{site}/seasons/2021/rounds/14")).await;
    assert!(
        round.body.contains("href=\"/seasons/2021/rounds/14/sessions/practice-2\""),
        "the round links its sessions"
    );
}

/// A sprint is drawn as a race: a line per car in the lap chart and the
/// gaps, a row per car in the tyre strategies, a row per pit stop.
#[test]
fn a_sprint_page_is_drawn_like_a_race() {
    let path = "/seasons/2023/rounds/4/sessions/sprint";
    let laps = records(path, "laps");
    let pits = records(path, "pit-stops");
    let cars = cars_of(&laps);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let page = rt.block_on(get(&format!("{}{path}", sessions().site)));
    assert_eq!(page.status, 200);
    for chart in ["laps", "gaps", "strategy"] {
        // The wide drawing of each chart (the narrow one repeats it).
        let svg = crate::stack::between(&page.body, &format!("data-chart=\"{chart}\""), "</svg>");
        let drawn: BTreeSet<i64> =
            svg.split("data-car=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap()).collect();
        assert_eq!(drawn, cars, "{chart}: every car");
    }
    // The stationary column where the records have the times.
    let stationary = pits.iter().any(|p| p["stop_duration"].as_f64().is_some());
    assert_eq!(page.body.contains("<th scope=\"col\" class=\"n\">Stationary (s)</th>"), stationary);
    let table = crate::stack::between(&page.body, "<table class=\"results\" id=\"pit-table\"", "</table>");
    assert_eq!(table.matches("<tr data-car=").count(), pits.len(), "a row per stop");
    assert!(page.body.contains("<meta property=\"og:title\" content=\"Sprint · Azerbaijan Grand Prix 2023\">"));
}
