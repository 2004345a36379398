//! Crash safety of the embedded store: a child process writes large
//! all-or-nothing batches and is killed with SIGKILL mid-write; reopening
//! shows every batch either whole or absent.
//!
//! The child is this same test binary, re-run with `WIBM_CRASH_WRITER_DIR`
//! set, so no extra binary is needed.
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use data_scheduler::store::{Batch, Collection, Field, Put, Store, embedded::EmbeddedStore};

const BATCH: usize = 5_000;
const CHILD_ENV: &str = "WIBM_CRASH_WRITER_DIR";

fn batch(n: usize) -> Batch {
    let mut b = Batch::default();
    for i in 0..BATCH {
        let key = format!("b{n:06}/{i:05}");
        b.put(Put {
            collection: Collection::SyncRuns,
            key: key.clone(),
            fields: vec![("id", Field::Str(key))],
            body: vec![n as u8; 256],
        });
    }
    b
}

/// Child role: write batches until killed, recording each committed one.
async fn write_until_killed(dir: &str) {
    let store = EmbeddedStore::open(std::path::Path::new(dir)).unwrap();
    for n in 0.. {
        store.apply(batch(n), n as i64).await.unwrap();
        std::fs::write(std::path::Path::new(dir).join("committed"), n.to_string()).unwrap();
    }
}

#[tokio::test]
async fn a_killed_writer_leaves_whole_batches_or_none() {
    if let Some(dir) = common::config::env_var(CHILD_ENV) {
        write_until_killed(&dir).await;
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash::a_killed_writer_leaves_whole_batches_or_none", "--exact", "--nocapture"])
        .env(CHILD_ENV, dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Let a few batches commit, then kill while the next one is being written
    // (the writer spends nearly all its time inside a transaction).
    let committed = dir.path().join("committed");
    testkit::wait::until("the child to commit three batches", Duration::from_secs(60), || {
        let committed = committed.clone();
        async move {
            let n: usize = std::fs::read_to_string(&committed).ok()?.parse().ok()?;
            (n >= 2).then_some(())
        }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(37)).await;
    child.kill().unwrap(); // SIGKILL on unix
    child.wait().unwrap();

    let store = EmbeddedStore::open(dir.path()).unwrap();
    let docs = store.scan(Collection::SyncRuns, "").await.unwrap();
    let mut per_batch: BTreeMap<String, usize> = BTreeMap::new();
    for d in &docs {
        *per_batch.entry(d.key[..7].to_string()).or_default() += 1;
    }
    assert!(per_batch.len() >= 3, "at least the committed batches survive: {per_batch:?}");
    for (b, count) in &per_batch {
        assert_eq!(*count, BATCH, "batch {b} is partial");
    }
    // Batches are numbered from 0 without gaps: nothing was half-applied.
    let numbers: Vec<usize> = per_batch.keys().map(|k| k[1..].parse().unwrap()).collect();
    assert_eq!(numbers, (0..numbers.len()).collect::<Vec<_>>());
}
