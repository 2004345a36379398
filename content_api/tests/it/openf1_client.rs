//! A real OpenF1 client against `/openf1/v1`: openf1-python-client (the
//! `openf1_client` package), installed from PyPI into a venv, reads the laps,
//! stints, pit stops and race control of Baku 2018's race and the weather of
//! Monza 2019's qualifying, stored from the recordings; `tests/openf1/check.py`
//! compares what its typed models hold with the API's own JSON and with the
//! counts this test reads from the recordings itself.
//!
//! Skipped locally without Python, venv or pip (or PyPI); fails when
//! `CI=true` or `WIBM_REQUIRE_OPENF1_CLIENT=1` (`.ci/run` sets it).
use std::path::Path;

use serde_json::json;
use testkit::data_scheduler::TestDataScheduler;
use tokio::process::Command;

use crate::support::sessions::{BAKU_2018, MONZA_2019_Q};
use crate::support::{TestApp, config, python};

const FLAG: &str = "WIBM_REQUIRE_OPENF1_CLIENT";
/// The client on PyPI: pinned, so a new release cannot change what passes.
const PACKAGE: &str = "openf1-python-client==1.0.3";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_openf1_client_reads_the_stored_sessions() {
    if let Err(e) = python::run(Command::new("python3").arg("--version")).await {
        return python::unavailable("OpenF1", FLAG, &format!("no python3: {e}"));
    }
    let (python, _venv) = match python::venv_with(PACKAGE, FLAG).await {
        Ok(p) => p,
        Err(e) => return python::unavailable("OpenF1", FLAG, &format!("cannot install {PACKAGE} into a venv: {e}")),
    };
    let ds = TestDataScheduler::start().await;
    let baku = BAKU_2018.store(&ds.client()).await;
    let monza = MONZA_2019_Q.store(&ds.client()).await;
    let app = TestApp::on(&ds.url(), config());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/openf1/v1", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app.router).await });

    // What the recordings say, read by this test, not by the code under test.
    let counts = |m: std::collections::BTreeMap<i64, usize>| -> serde_json::Map<String, serde_json::Value> {
        m.into_iter().map(|(car, n)| (car.to_string(), json!(n))).collect()
    };
    let expected = json!({
        "session_key": baku.session.as_ref().unwrap().session_key,
        "laps": counts(BAKU_2018.laps_per_car()),
        "stints": counts(BAKU_2018.stints_per_car()),
        "pit": counts(BAKU_2018.last_per_car("NumberOfPitStops")),
        "race_control": BAKU_2018.race_control_messages().len(),
        "weather_session_key": monza.session.as_ref().unwrap().session_key,
        "weather": MONZA_2019_Q.air_temperatures().len(),
    });
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/openf1/check.py");
    let output = python::run(
        Command::new(&python)
            .arg(&script)
            .arg(&base)
            .arg(expected.to_string())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            // The stack is on loopback: never through a proxy.
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost"),
    )
    .await;
    server.abort();
    let output = output.unwrap_or_else(|e| panic!("the OpenF1 client checks failed:\n{e}"));
    eprintln!("{output}");
    for check in ["laps", "stints", "pit", "race_control", "weather", "sessions"] {
        assert!(output.contains(&format!("ok {check}")), "no `ok {check}` in:\n{output}");
    }
    assert!(output.contains("OPENF1 CLIENT CHECKS PASSED"), "{output}");
}
