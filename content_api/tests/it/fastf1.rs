//! A real Ergast client against `/ergast/f1`: FastF1, installed from PyPI
//! into a Python venv, reads a stack holding f1db's 2010 and 2021–2023
//! seasons (pit stops included) plus three races' laps synced from recorded
//! Jolpica answers, and `tests/fastf1/check.py` compares what it parses with
//! `/content/v1` and the recordings.
//!
//! Without Python, venv or pip (or PyPI) the test is skipped locally, and
//! fails when `CI=true` or `WIBM_REQUIRE_FASTF1=1` (`.ci/run` sets it). A
//! local run keeps its venv under the target dir; CI makes a fresh one.
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fetcher_service::sources::f1db::{self, F1dbSource};
use testkit::data_scheduler::TestDataScheduler;
use testkit::replay::ReplayServer;
use tokio::process::Command;
use tower::ServiceExt;

use crate::support::{TestApp, config, python};

/// f1db seasons imported: 2010 is the pre-2018 race FastF1 reads from
/// Ergast alone; 2021–2023 have sprints, pit stops and recorded laps.
const SEASONS: (i32, i32) = (2021, 2023);
const PRE_2018: i32 = 2010;
/// Races whose recorded Jolpica results and lap 1 are synced.
const LAP_RACES: [(i32, i32); 3] = [(2021, 10), (2022, 1), (2023, 1)];

const FLAG: &str = "WIBM_REQUIRE_FASTF1";

/// Skips the test locally; fails it where FastF1 is required.
fn unavailable(why: &str) {
    python::unavailable("FastF1", FLAG, why);
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn recordings() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/jolpica/ergast/f1")
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
}

/// Jolpica as the fetcher sees it for the lap races: the recorded calendar
/// (a round's sync reads the race from it) and results,
/// lap 1 standing for the race's laps (only lap 1 was recorded) and no pit
/// stops (so f1db's stay: a timing write keeps the part it leaves empty).
fn replay_root(root: &Path) {
    let base = root.join("jolpica/ergast/f1");
    for (year, round) in LAP_RACES {
        let race = format!("{year}/{round}");
        copy(&recordings().join(format!("{year}.json")), &base.join(format!("{year}.json")));
        copy(&recordings().join(format!("{race}/results.json")), &base.join(format!("{race}/results.json")));
        copy(&recordings().join(format!("{race}/laps/1.json")), &base.join(format!("{race}/laps.json")));
        let empty = serde_json::json!({"MRData": {"xmlns": "", "series": "f1", "limit": "30", "offset": "0",
            "total": "0", "RaceTable": {"season": year.to_string(), "round": round.to_string(), "Races": []}}});
        std::fs::write(base.join(format!("{race}/pitstops.json")), empty.to_string()).unwrap();
    }
}

async fn stack() -> (TestDataScheduler, ReplayServer, tempfile::TempDir) {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    f1db::import_into(&client, F1dbSource::Bundled, Some(PRE_2018), Some(PRE_2018), |_| {}).await.expect("f1db 2010");
    f1db::import_into(&client, F1dbSource::Bundled, Some(SEASONS.0), Some(SEASONS.1), |_| {}).await.expect("f1db");
    let root = tempfile::tempdir().unwrap();
    replay_root(root.path());
    let replay = ReplayServer::start(root.path()).await;
    let fetcher = crate::ergast_jolpica::fetcher_over(&ds, &replay);
    for (year, round) in LAP_RACES {
        let uri = format!("/fetcher/v1/fetch/results?season={year}&round={round}&session=race");
        let res = fetcher.clone().oneshot(Request::post(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        assert_eq!(status, StatusCode::OK, "sync {year}/{round}: {}", String::from_utf8_lossy(&body));
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(body["counts"]["lap_timings"].as_i64().is_some_and(|n| n > 0), "{body}");
    }
    (ds, replay, root)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fastf1_reads_the_ergast_api() {
    if let Err(e) = python::run(Command::new("python3").arg("--version")).await {
        return unavailable(&format!("no python3: {e}"));
    }
    let (python, _venv) = match python::venv_with("fastf1", FLAG).await {
        Ok(p) => p,
        Err(e) => return unavailable(&format!("cannot install FastF1 into a venv: {e}")),
    };
    let (ds, _replay, _root) = stack().await;
    let app = TestApp::on(&ds.url(), config());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app.router).await });

    let cache = tempfile::tempdir().unwrap();
    let laps: Vec<String> = LAP_RACES
        .iter()
        .map(|(y, r)| format!("{y}/{r}={}", recordings().join(format!("{y}/{r}/laps/1.json")).display()))
        .chain(
            (SEASONS.0..=SEASONS.1)
                .map(|y| (y, recordings().join(format!("{y}.json"))))
                .filter(|(_, p)| p.exists())
                .map(|(y, p)| format!("calendar/{y}={}", p.display())),
        )
        .collect();
    let script = repo_root().join("tests/fastf1/check.py");
    let output = python::run(
        Command::new(&python)
            .arg(&script)
            .arg(&base)
            .args(laps)
            // FastF1 wants a cache directory even when its cache is disabled.
            .env("FASTF1_CACHE", cache.path())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            // The stack is on loopback: never through a proxy.
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost"),
    )
    .await;
    server.abort();
    let output = output.unwrap_or_else(|e| panic!("the FastF1 checks failed:\n{e}"));
    eprintln!("{output}");
    for check in [
        "schedule",
        "results",
        "qualifying",
        "sprint",
        "driver standings",
        "constructor standings",
        "lap 1",
        "pit stops",
    ] {
        assert!(output.contains(&format!("ok {check}")), "no `ok {check}` in:\n{output}");
    }
    assert!(output.contains(&format!("ok get_session {PRE_2018}")), "{output}");
    assert!(output.contains("FASTF1 CHECKS PASSED"), "{output}");
}
