//! The `wibm` commands other than `serve`, run as a user would.
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn wibm(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wibm"))
        .args(args)
        .env("WIBM_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .env_remove("WIBM_MONGODB_URI")
        .env_remove("WIBM_REDIS_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run wibm");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn import_export_and_import_again_moves_the_whole_store() {
    let first = tempfile::tempdir().unwrap();
    let out = wibm(first.path(), &["import-f1db", "--from", "2024", "--to", "2024"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("F1DB"), "the attribution is printed");

    let file = first.path().join("backup.jsonl");
    let out = wibm(first.path(), &["export", file.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = std::fs::read_to_string(&file).unwrap().lines().count();
    assert!(lines > 2000, "a season with its reference data: {lines} records");

    let second = tempfile::tempdir().unwrap();
    let out = wibm(second.path(), &["import", file.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("imported {lines} records")), "{}", stderr(&out));
    let again = second.path().join("again.jsonl");
    let out = wibm(second.path(), &["export", again.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&again).unwrap(), "identical stores");
}

#[test]
fn failures_exit_non_zero_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = wibm(dir.path(), &["import-f1db", "/no/such/f1db"], None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is not a directory"), "{}", stderr(&out));

    let out = wibm(dir.path(), &["import", "/no/such/file.jsonl"], None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("opening /no/such/file.jsonl"), "{}", stderr(&out));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wibm"))
        .args(["sync", "seasons", "--from", "2024", "--to", "2024"])
        .env("WIBM_URL", format!("http://{closed}"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is the stack running"), "{}", stderr(&out));
}

#[test]
fn user_add_creates_an_admin_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = wibm(dir.path(), &["user", "add", "boss@example.com", "--admin"], Some("a very long password\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("boss@example.com (admin)"));
    let out = wibm(dir.path(), &["user", "add", "boss@example.com"], Some("another long password\n"));
    assert!(!out.status.success(), "the same email twice is refused");
    let out = wibm(dir.path(), &["user", "add", "short@example.com"], Some("short\n"));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("12"), "names the minimum length: {}", stderr(&out));
}
