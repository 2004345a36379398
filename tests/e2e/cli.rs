//! The `wibm` commands other than `serve`, run as a user would.
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn wibm(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    wibm_with(data_dir, &[], args, stdin)
}

/// `wibm` with `env` set on top (say `WIBM_MONGODB_URI`, which is otherwise removed).
fn wibm_with(data_dir: &Path, env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wibm"))
        .args(args)
        .env("WIBM_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .env_remove("WIBM_MONGODB_URI")
        .env_remove("WIBM_REDIS_URL")
        .envs(env.iter().copied())
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

/// A season moved from the embedded store to MongoDB and back, with `wibm
/// import` and `wibm export` as the README's move to containers (and a
/// backup restored from them) would: each export gives the same bytes.
#[test]
fn a_store_moved_to_mongodb_and_back_exports_the_same_bytes() {
    let test = "a_store_moved_to_mongodb_and_back_exports_the_same_bytes";
    let Some(uri) = testkit::mongodb::uri(test) else { return };
    let db = testkit::mongodb::database_name();
    let mongodb = [("WIBM_MONGODB_URI", uri.as_str()), ("WIBM_MONGODB_DB", db.as_str())];
    let run = |dir: &Path, env: &[(&str, &str)], args: &[&str]| {
        let out = wibm_with(dir, env, args, None);
        assert!(out.status.success(), "wibm {args:?}: {}", stderr(&out));
        stderr(&out)
    };
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_string();

    run(&first, &[], &["import-f1db", "--from", "2024", "--to", "2024"]);
    run(&first, &[], &["export", &file("embedded.jsonl")]);
    let lines = std::fs::read_to_string(file("embedded.jsonl")).unwrap().lines().count();
    assert!(lines > 2000, "a season with its reference data: {lines} records");

    let imported = run(dir.path(), &mongodb, &["import", &file("embedded.jsonl")]);
    assert!(imported.contains(&format!("imported {lines} records")), "{imported}");
    run(dir.path(), &mongodb, &["export", &file("mongodb.jsonl")]);
    run(&second, &[], &["import", &file("mongodb.jsonl")]);
    run(&second, &[], &["export", &file("back.jsonl")]);

    let embedded = std::fs::read(file("embedded.jsonl")).unwrap();
    for name in ["mongodb.jsonl", "back.jsonl"] {
        let other = std::fs::read(file(name)).unwrap();
        let differs = embedded.split(|b| *b == b'\n').zip(other.split(|b| *b == b'\n')).position(|(a, b)| a != b);
        assert!(embedded == other, "{name} differs from embedded.jsonl (first at line {differs:?})");
    }
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
