//! `/ergast/f1` against Jolpica itself: every recorded Jolpica answer in
//! `testdata/jolpica` is synced into a fresh stack through the fetcher's
//! Jolpica sync, and the same URL asked of `/ergast/f1` must give the same
//! answer after the normalisation the README lists (`normalise`).
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use testkit::data_scheduler::TestDataScheduler;
use testkit::replay::{ReplayServer, assert_loopback};
use tower::ServiceExt;

use crate::support::{TestApp, config};

pub(crate) fn recordings() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/jolpica/ergast/f1")
}

/// Every recorded file, as its path under `ergast/f1/` (`2023/1/results.json`).
pub(crate) fn recorded() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), base, out);
            } else {
                out.push(e.path().strip_prefix(base).unwrap().to_string_lossy().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(&recordings(), &recordings(), &mut out);
    out.sort();
    out
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn write(path: &Path, v: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec(v).unwrap()).unwrap();
}

fn empty_answer(year: &str, round: &str) -> Value {
    json!({"MRData": {"xmlns": "", "series": "f1", "url": "", "limit": "30", "offset": "0", "total": "0",
        "RaceTable": {"season": year, "round": round, "Races": []}}})
}

/// The seasons whose calendar was recorded: a sync needs the calendar
/// (the season's round count comes from it), so the other recordings
/// (2018, 2020, 2025) cannot be synced alone and are not compared.
fn synced_seasons() -> Vec<String> {
    recorded()
        .into_iter()
        .filter(|f| !f.contains('/') && f.ends_with(".json"))
        .map(|f| f.replace(".json", ""))
        .collect()
}

/// The fetcher's router writing into `ds`, every upstream served by `replay`
/// (on loopback), unpaced.
pub fn fetcher_over(ds: &TestDataScheduler, replay: &ReplayServer) -> axum::Router {
    let cfg = fetcher_service::config::Config {
        data_scheduler_url: ds.url(),
        jolpica_url: format!("{}/jolpica/ergast/f1", replay.url()),
        f1_website_url: format!("{}/formula1", replay.url()),
        f1_media_url: format!("{}/formula1/media", replay.url()),
        livetiming_url: format!("{}/livetiming", replay.url()),
        upstream_pacing: false,
        ..fetcher_service::config::Config::default()
    };
    assert_loopback(&cfg.jolpica_url);
    fetcher_service::router(fetcher_service::AppState::new(cfg).unwrap())
}

/// The replay root: the recordings, plus (made here, never compared) empty
/// answers for the sessions of the synced seasons that were not recorded.
fn replay_root(root: &Path) {
    let base = root.join("jolpica/ergast/f1");
    for f in recorded() {
        let to = base.join(&f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(recordings().join(&f), to).unwrap();
    }
    // A race's laps are synced from `laps.json`; only lap 1 was recorded,
    // so that answer stands for the race's laps. No pit stops were recorded.
    for f in recorded().iter().filter(|f| f.ends_with("/laps/1.json")) {
        let race = f.trim_end_matches("/laps/1.json");
        std::fs::copy(recordings().join(f), base.join(format!("{race}/laps.json"))).unwrap();
        let (year, round) = race.split_once('/').unwrap();
        write(&base.join(format!("{race}/pitstops.json")), &empty_answer(year, round));
    }
    for year in synced_seasons() {
        let calendar = read(&base.join(format!("{year}.json")));
        for race in calendar["MRData"]["RaceTable"]["Races"].as_array().unwrap() {
            let r = race["round"].as_str().unwrap();
            for kind in ["results", "qualifying", "sprint"] {
                let file = base.join(format!("{year}/{r}/{kind}.json"));
                if !file.exists() {
                    write(&file, &empty_answer(&year, r));
                }
            }
        }
    }
}

/// What may differ, each listed in the README: the host in `MRData.url`;
/// Wikipedia `url`s (we store none for drivers, constructors and circuits);
/// fastest laps beyond the fastest driver's time (their lap, rank and
/// speed are not stored); an empty `Q2`/`Q3` (whether a driver without a
/// time took part is not stored, so ours has none).
fn normalise(v: &mut Value, sprint: bool) {
    fn strip(v: &mut Value, sprint: bool) {
        match v {
            Value::Object(m) => {
                m.remove("url");
                for part in ["Q2", "Q3"] {
                    if m.get(part).is_some_and(|q| q == "") {
                        m.remove(part);
                    }
                }
                if let Some(fl) = m.get_mut("FastestLap") {
                    let keep = !sprint && fl["rank"] == "1";
                    if keep {
                        let o = fl.as_object_mut().unwrap();
                        o.retain(|k, _| k == "rank" || k == "Time");
                    } else {
                        m.remove("FastestLap");
                    }
                }
                for x in m.values_mut() {
                    strip(x, sprint);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| strip(x, sprint)),
            _ => {}
        }
    }
    let data = &mut v["MRData"];
    let url = data["url"].as_str().unwrap_or_default().to_string();
    let path = url.find("/ergast/").map(|i| url[i..].to_string()).unwrap_or(url);
    strip(data, sprint);
    data["url"] = Value::String(path);
}

/// Our millis of a non-winner is the winner's plus the published gap, which
/// Jolpica rounded from its own: a difference of 1 ms is that rounding.
fn accept_rounded_millis(ours: &mut Value, theirs: &Value) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            if let (Some(x), Some(y)) = (a.get("millis"), b.get("millis")) {
                let n = |v: &Value| v.as_str().and_then(|s| s.parse::<i64>().ok());
                if let (Some(p), Some(q)) = (n(x), n(y))
                    && (p - q).abs() <= 1
                {
                    a.insert("millis".into(), y.clone());
                }
            }
            for (k, v) in a.iter_mut() {
                if let Some(w) = b.get(k) {
                    accept_rounded_millis(v, w);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => a.iter_mut().zip(b).for_each(|(x, y)| accept_rounded_millis(x, y)),
        _ => {}
    }
}

/// The first place two values differ, for a readable failure.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()).collect::<BTreeSet<_>>() {
                if let Some(d) = first_difference(
                    &x.get(k).cloned().unwrap_or(Value::Null),
                    &y.get(k).cloned().unwrap_or(Value::Null),
                    format!("{at}.{k}"),
                ) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q, format!("{at}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{at}: ours {a}, Jolpica's {b}")),
    }
}

/// A fresh stack holding the recorded Jolpica answers, synced through the
/// fetcher's Jolpica sync.
struct Synced {
    app: TestApp,
    seasons: Vec<String>,
    _ds: TestDataScheduler,
    _replay: ReplayServer,
    _root: tempfile::TempDir,
}

async fn synced() -> Synced {
    let root = tempfile::tempdir().unwrap();
    replay_root(root.path());
    let seasons = synced_seasons();
    let ds = TestDataScheduler::start().await;
    let replay = ReplayServer::start(root.path()).await;
    let fetcher = fetcher_over(&ds, &replay);
    for year in &seasons {
        let q = format!("season={year}");
        let req = Request::post(format!("/fetcher/v1/fetch/rounds?{q}")).body(Body::empty()).unwrap();
        let res = fetcher.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        assert_eq!(status, StatusCode::OK, "sync {q}: {}", String::from_utf8_lossy(&body));
    }
    // Laps come with a round's race results sync.
    for f in recorded().iter().filter(|f| f.ends_with("/laps/1.json")) {
        let mut parts = f.split('/');
        let (year, round) = (parts.next().unwrap(), parts.next().unwrap());
        if !seasons.iter().any(|s| s == year) {
            continue;
        }
        let uri = format!("/fetcher/v1/fetch/results?season={year}&round={round}&session=race");
        let res = fetcher.clone().oneshot(Request::post(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        assert_eq!(status, StatusCode::OK, "laps of {year}/{round}: {}", String::from_utf8_lossy(&body));
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert!(body["counts"]["lap_timings"].as_i64().is_some_and(|n| n > 0), "{body}");
    }
    let app = TestApp::on(&ds.url(), config());
    Synced { app, seasons, _ds: ds, _replay: replay, _root: root }
}

#[tokio::test]
async fn recorded_jolpica_answers_are_served_alike() {
    let Synced { app, seasons, .. } = &synced().await;
    let (mut compared, mut differences) = (0, Vec::new());
    for f in recorded() {
        // `laps.json?limit=1200` is the race's first 100 timings, beyond
        // what was recorded lap by lap (lap 1), so it is not compared.
        let season = f.split(['/', '.']).next().unwrap_or_default();
        // A season's drivers list needs every round; this stack holds the
        // recorded ones only (`ergast_words` compares it over f1db's data).
        if f.contains("laps.json@") || f.ends_with("/drivers.json") || !seasons.iter().any(|s| s == season) {
            continue;
        }
        let uri = format!("/ergast/f1/{}", f.replace('@', "?"));
        let reply = app.get_with(&uri, &[("host", "api.jolpi.ca")]).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
        let sprint = f.ends_with("sprint.json");
        let (mut ours, mut theirs) = (reply.json(), read(&recordings().join(&f)));
        normalise(&mut ours, sprint);
        normalise(&mut theirs, sprint);
        accept_rounded_millis(&mut ours, &theirs);
        // A season-wide answer: our stack holds the recorded rounds only,
        // so its total is smaller (the page itself must match).
        if f.split('/').count() == 2 && !f.starts_with("seasons") && f.contains("results") {
            ours["MRData"]["total"] = theirs["MRData"]["total"].clone();
        }
        if let Some(d) = first_difference(&ours, &theirs, String::new()) {
            differences.push(format!("{uri} differs at {d}"));
        }
        compared += 1;
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    assert!(compared >= 20, "only {compared} answers compared");
}

/// Each recorded race answer of `year` of `kind` (`results`, `sprint`,
/// `qualifying`), as its race object, in round order.
fn recorded_races(year: &str, kind: &str) -> Vec<Value> {
    let mut races: Vec<(u32, Value)> = recorded()
        .into_iter()
        .filter_map(|f| {
            let mut parts = f.split('/');
            let (y, r, file) = (parts.next()?, parts.next()?, parts.next()?);
            (y == year && file == format!("{kind}.json") && parts.next().is_none()).then(|| {
                let race = read(&recordings().join(&f))["MRData"]["RaceTable"]["Races"][0].clone();
                (r.parse().unwrap(), race)
            })
        })
        .collect();
    races.sort_by_key(|(r, _)| *r);
    races.into_iter().map(|(_, race)| race).collect()
}

/// The rows list of a race object (`Results`, `SprintResults`, `QualifyingResults`).
fn rows_key(kind: &str) -> &'static str {
    match kind {
        "sprint" => "SprintResults",
        "qualifying" => "QualifyingResults",
        _ => "Results",
    }
}

/// What Jolpica answers for a filter, read from its recorded per-race
/// answers: the races with a row that `keep` selects, with those rows.
fn expected(year: &str, kind: &str, keep: impl Fn(&Value, &Value) -> bool) -> (usize, Vec<Value>) {
    let key = rows_key(kind);
    let mut total = 0;
    let mut races = Vec::new();
    for mut race in recorded_races(year, kind) {
        let rows: Vec<Value> = race[key].as_array().unwrap().iter().filter(|row| keep(&race, row)).cloned().collect();
        if !rows.is_empty() {
            total += rows.len();
            race[key] = Value::Array(rows);
            races.push(race);
        }
    }
    (total, races)
}

fn classified_at(row: &Value, n: u32) -> bool {
    row["position"].as_str() == Some(n.to_string().as_str())
        && row["positionText"].as_str().is_some_and(|t| t.parse::<u32>().is_ok())
}

/// The race grid of `driver` in the recorded race of the same round.
fn race_grid(year: &str, race: &Value, driver: &Value) -> Option<String> {
    recorded_races(year, "results").into_iter().find(|r| r["round"] == race["round"]).and_then(|r| {
        r["Results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["Driver"]["driverId"] == driver["driverId"])
            .map(|x| x["grid"].as_str().unwrap().to_string())
    })
}

/// Jolpica's filters on the rows of recorded races: `results/{n}` keeps
/// classified rows at place n, `grid/{n}` the starting slot, `fastest/{n}`
/// the rank of the driver's own fastest lap, `status/{id}` Ergast's status
/// id; on qualifying, the result filters are about the same driver's race.
/// Each expected answer is read from the recorded per-race answers here,
/// independently of the code.
#[tokio::test]
async fn filters_select_what_jolpica_selects() {
    let Synced { app, .. } = &synced().await;
    type Keep = Box<dyn Fn(&Value, &Value) -> bool>;
    let status = |text: &'static str| -> Keep { Box::new(move |_, row| row["status"] == text) };
    let cases: Vec<(&str, &str, &str, Keep)> = vec![
        ("2021/results/1.json", "2021", "results", Box::new(|_, row| classified_at(row, 1))),
        ("2022/results/3.json", "2022", "results", Box::new(|_, row| classified_at(row, 3))),
        ("2021/grid/1/results.json", "2021", "results", Box::new(|_, row| row["grid"] == "1")),
        ("2022/grid/0/results.json", "2022", "results", Box::new(|_, row| row["grid"] == "0")),
        ("2021/fastest/1/results.json", "2021", "results", Box::new(|_, row| row["FastestLap"]["rank"] == "1")),
        ("2022/fastest/3/results.json", "2022", "results", Box::new(|_, row| row["FastestLap"]["rank"] == "3")),
        ("2021/status/11/results.json", "2021", "results", status("+1 Lap")),
        ("2022/status/6/results.json", "2022", "results", status("Gearbox")),
        ("2021/status/4/results.json", "2021", "results", status("Collision")),
        ("2023/status/1/results.json?limit=100", "2023", "results", status("Finished")),
        (
            "2021/drivers/hamilton/results.json",
            "2021",
            "results",
            Box::new(|_, row| row["Driver"]["driverId"] == "hamilton"),
        ),
        (
            "2022/constructors/ferrari/results/1.json",
            "2022",
            "results",
            Box::new(|_, row| row["Constructor"]["constructorId"] == "ferrari" && classified_at(row, 1)),
        ),
        ("2023/sprint/1.json", "2023", "sprint", Box::new(|_, row| classified_at(row, 1))),
        ("2022/qualifying/1.json", "2022", "qualifying", Box::new(|_, row| row["position"] == "1")),
        ("2022/qualifying/7.json", "2022", "qualifying", Box::new(|_, row| row["position"] == "7")),
        (
            "2022/grid/1/qualifying.json",
            "2022",
            "qualifying",
            Box::new(|race, row| race_grid("2022", race, &row["Driver"]).as_deref() == Some("1")),
        ),
    ];
    let mut failures = Vec::new();
    for (path, year, kind, keep) in &cases {
        let (total, races) = expected(year, kind, keep);
        assert!(total > 0, "{path}: the recordings select nothing; pick another case");
        let uri = format!("/ergast/f1/{path}");
        let reply = app.get_with(&uri, &[("host", "api.jolpi.ca")]).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
        let mut ours = reply.json();
        let mut theirs = json!({"MRData": {"url": "", "RaceTable": {"Races": races}}});
        normalise(&mut ours, *kind == "sprint");
        normalise(&mut theirs, *kind == "sprint");
        accept_rounded_millis(&mut ours, &theirs);
        if ours["MRData"]["total"].as_str() != Some(total.to_string().as_str()) {
            failures.push(format!("{uri}: total {} , Jolpica's {total}", ours["MRData"]["total"]));
        }
        let (a, b) = (&ours["MRData"]["RaceTable"]["Races"], &theirs["MRData"]["RaceTable"]["Races"]);
        if let Some(d) = first_difference(a, b, String::new()) {
            failures.push(format!("{uri} differs at {d}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
