//! The imported seasons, built once per build of this test binary and
//! shared by every test process (nextest runs each test in its own
//! process): an embedded store with the bundled f1db seasons
//! [`FROM`]..=[`TO`] imported, kept under the target dir and copied for
//! each process, whose data_scheduler runs on its own thread and runtime.
use std::fs::{self, File};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::UNIX_EPOCH;

use common::Shutdown;
use data_scheduler::cache::memory::MemoryCache;
use data_scheduler::repo::{Repo, Ttls};
use data_scheduler::store::embedded::EmbeddedStore;
use fetcher_service::sources::f1db::{self, F1dbSource};
use testkit::data_scheduler::TestDataScheduler;

/// 1988: a dropped-scores season (Senna champion on counted points);
/// 1991–2025: every completed season whose title fight is checked through
/// the API (every season from 1950 is checked in the championship crate);
/// 2026: in progress.
pub const FROM: i32 = 1950;
pub const TO: i32 = 2026;

const READY: &str = "READY";

fn base() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("content_api-it")
}

/// Changes whenever this test binary is rebuilt (so with the importer).
fn build_key() -> String {
    let meta = std::env::current_exe().and_then(fs::metadata).expect("test binary metadata");
    let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
    format!("{}-{}", meta.len(), modified.as_nanos())
}

/// The directory of the imported store, building it if this build has none.
fn imported_store() -> PathBuf {
    let base = base();
    let dir = base.join(format!("store-{}", build_key()));
    if dir.join(READY).exists() {
        return dir;
    }
    fs::create_dir_all(&base).expect("fixture base dir");
    let lock = File::create(base.join("build.lock")).expect("lock file");
    // Blocks while another test process builds; released if it dies.
    lock.lock().expect("lock the fixture");
    if !dir.join(READY).exists() {
        remove_other_stores(&base, &dir);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("fixture dir");
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(import(&dir));
        fs::write(dir.join(READY), b"").expect("ready marker");
    }
    dir
}

fn remove_other_stores(base: &Path, keep: &Path) {
    for entry in fs::read_dir(base).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with("store-") && path != keep {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

async fn import(dir: &Path) {
    let store = Arc::new(EmbeddedStore::open(dir).expect("embedded store"));
    let repo = Repo::new(store, Arc::new(MemoryCache::new(1000)), Ttls::default()).await.expect("repo");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let shutdown = Shutdown::new();
    let running = data_scheduler::server::spawn(listener, repo, shutdown.clone()).await.expect("spawn");
    let client =
        data_client::Client::connect_lazy(&format!("http://{}", running.addr), std::time::Duration::from_secs(60))
            .expect("client");
    f1db::import_into(&client, F1dbSource::Bundled, Some(FROM), Some(TO), |_| {}).await.expect("f1db import");
    drop(client);
    shutdown.trigger();
    running.task.await.expect("server task").expect("server");
    // The last handle on the store: closing it leaves a clean database.
    drop(running.repo);
}

/// Removes the copies of test processes that have ended.
fn remove_stale_copies(base: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    for entry in fs::read_dir(base).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let pid = name.strip_prefix("run-").and_then(|rest| rest.split('-').next()).map(str::to_string);
        if let Some(pid) = pid
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// A private copy of the imported store for this process.
fn private_copy() -> tempfile::TempDir {
    let source = imported_store();
    let base = base();
    remove_stale_copies(&base);
    let copy =
        tempfile::Builder::new().prefix(&format!("run-{}-", std::process::id())).tempdir_in(&base).expect("copy dir");
    for entry in fs::read_dir(&source).expect("read fixture").flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            fs::copy(entry.path(), copy.path().join(entry.file_name())).expect("copy fixture file");
        }
    }
    copy
}

/// The address of this process's data_scheduler over the imported seasons,
/// started on first use on its own thread and runtime (each test has its
/// own runtime; this one outlives them all).
pub fn shared_data_scheduler() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("shared-data-scheduler".into())
            .spawn(move || {
                let dir = private_copy();
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    let store = Arc::new(EmbeddedStore::open(dir.path()).expect("open the copy"));
                    let ds = TestDataScheduler::start_with(store, Arc::new(MemoryCache::new(10_000)), dir).await;
                    tx.send(ds.addr).expect("report the address");
                    // Serve for as long as the process runs.
                    std::future::pending::<()>().await;
                });
            })
            .expect("spawn the data_scheduler thread");
        rx.recv().expect("shared data_scheduler started")
    })
}
