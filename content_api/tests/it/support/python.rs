//! Real Python clients installed from PyPI into a venv (FastF1 for the
//! Ergast API, openf1-python-client for the OpenF1 API). Without Python,
//! venv or pip (or PyPI) such a test is skipped locally, and fails when
//! `CI=true` or its `WIBM_REQUIRE_*` flag is `1` (`.ci/run` sets them). A
//! local run keeps its venv under the target dir; CI makes a fresh one.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tokio::process::Command;

/// pip, the venv and the checks together (pip alone takes about 40 s).
const DEADLINE: Duration = Duration::from_secs(600);

/// Whether the client test must run here (`CI`, or its flag set to `1`).
pub fn required(flag: &str) -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") || std::env::var(flag).is_ok_and(|v| v == "1")
}

/// Skips a client test locally; fails it where it is required.
pub fn unavailable(client: &str, flag: &str, why: &str) {
    assert!(!required(flag), "the {client} client test is required here but cannot run: {why}");
    eprintln!("SKIPPED {client} client test: {why} (set {flag}=1 to make this a failure)");
}

/// Runs `cmd` within the deadline; its output, or why it failed.
pub async fn run(cmd: &mut Command) -> Result<String, String> {
    let out = tokio::time::timeout(DEADLINE, cmd.kill_on_drop(true).output())
        .await
        .map_err(|_| format!("{cmd:?} took longer than {DEADLINE:?}"))?
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() { Ok(text) } else { Err(format!("{cmd:?} failed ({}):\n{text}", out.status)) }
}

/// A venv's python with `package` installed: fresh where required (a
/// temporary directory, kept alive by the returned guard), reused locally.
pub async fn venv_with(package: &str, flag: &str) -> Result<(PathBuf, Option<tempfile::TempDir>), String> {
    let (dir, guard) = if required(flag) {
        let t = tempfile::tempdir().map_err(|e| e.to_string())?;
        (t.path().join("venv"), Some(t))
    } else {
        (PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{package}-venv")), None)
    };
    let python = dir.join("bin/python");
    let installed = dir.join("INSTALLED");
    if installed.exists() {
        return Ok((python, guard));
    }
    let _ = std::fs::remove_dir_all(&dir);
    run(Command::new("python3").args(["-m", "venv"]).arg(&dir)).await?;
    let started = Instant::now();
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", package]))
        .await?;
    eprintln!("pip install {package} took {:.1} s", started.elapsed().as_secs_f64());
    std::fs::write(&installed, b"").map_err(|e| e.to_string())?;
    Ok((python, guard))
}
