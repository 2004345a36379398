//! Export then import moves every record, with its write time, to another
//! store of either backend, and exporting that store gives the same bytes.
use std::sync::Arc;

use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;

use crate::fixtures::*;
use data_scheduler::store::{Collection, Store, embedded::EmbeddedStore};

async fn export(store: &dyn Store) -> (Vec<u8>, u64) {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    let n = data_scheduler::backup::export(store, &mut out, |c, _| seen.push(c.to_string())).await.unwrap();
    assert_eq!(seen.len(), Collection::ALL.len());
    (out, n)
}

/// From an embedded store (written through gRPC) to `target`.
async fn export_then_import_reproduces_the_store(target: Arc<dyn Store>) {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    c.write_batch(WriteBatchRequest {
        seasons: vec![season_2024()],
        rounds: vec![china_2024()],
        circuits: vec![shanghai()],
        ..Default::default()
    })
    .await
    .unwrap();
    ds.client()
        .history()
        .write_sync_run(SyncRun { kind: SyncKind::Rounds as i32, ..Default::default() })
        .await
        .unwrap();

    let (out, n) = export(ds.repo.store().as_ref()).await;
    assert_eq!(n, 1 + 1 + 3 + 1 + 1, "season, round, 3 sessions, circuit, run");

    let imported = data_scheduler::backup::import(target.as_ref(), out.as_slice(), |_| {}).await.unwrap();
    assert_eq!(imported, n);
    for c in Collection::ALL {
        assert_eq!(target.scan(c, "").await.unwrap(), ds.repo.store().scan(c, "").await.unwrap(), "{}", c.name());
    }
    assert!(export(target.as_ref()).await.0 == out, "the target exports byte for byte what was imported");
    // Importing again changes nothing.
    data_scheduler::backup::import(target.as_ref(), out.as_slice(), |_| {}).await.unwrap();
    assert_eq!(target.scan(Collection::Sessions, "").await.unwrap().len(), 3);
}

crate::store_tests!(export_then_import_reproduces_the_store);

#[tokio::test]
async fn a_corrupt_line_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = EmbeddedStore::open(dir.path()).unwrap();
    let input = b"\n{\"collection\":\"rounds\",\"key\":\"2024/05\",\"updated_at\":1,\"body\":\"!!\"}\n";
    let e = data_scheduler::backup::import(&target, input.as_slice(), |_| {}).await.unwrap_err();
    assert!(e.to_string().starts_with("line 2: body"), "{e}");
    let input = b"{\"collection\":\"laps\",\"key\":\"x\",\"updated_at\":1,\"body\":\"\"}\n";
    let e = data_scheduler::backup::import(&target, input.as_slice(), |_| {}).await.unwrap_err();
    assert!(e.to_string().contains("unknown collection `laps`"), "{e}");
}
