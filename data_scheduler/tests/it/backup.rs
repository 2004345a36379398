//! Export then import moves every record, with its write time, to another store.
use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;

use crate::fixtures::*;
use data_scheduler::store::{Collection, Store, embedded::EmbeddedStore};

#[tokio::test]
async fn export_then_import_reproduces_the_store() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.grpc();
    c.write_batch(WriteBatchRequest {
        seasons: vec![season_2024()],
        rounds: vec![china_2024()],
        circuits: vec![shanghai()],
        ..Default::default()
    })
    .await
    .unwrap();
    c.write_sync_run(SyncRun { kind: SyncKind::Rounds as i32, ..Default::default() }).await.unwrap();

    let mut out = Vec::new();
    let mut seen = Vec::new();
    let n = data_scheduler::backup::export(ds.repo.store().as_ref(), &mut out, |c, _| seen.push(c.to_string()))
        .await
        .unwrap();
    assert_eq!(n, 1 + 1 + 3 + 1 + 1, "season, round, 3 sessions, circuit, run");
    assert_eq!(seen.len(), Collection::ALL.len());

    let dir = tempfile::tempdir().unwrap();
    let target = EmbeddedStore::open(dir.path()).unwrap();
    let imported = data_scheduler::backup::import(&target, out.as_slice(), |_| {}).await.unwrap();
    assert_eq!(imported, n);
    for c in Collection::ALL {
        assert_eq!(target.scan(c, "").await.unwrap(), ds.repo.store().scan(c, "").await.unwrap(), "{}", c.name());
    }
    // Importing again changes nothing.
    data_scheduler::backup::import(&target, out.as_slice(), |_| {}).await.unwrap();
    assert_eq!(target.scan(Collection::Sessions, "").await.unwrap().len(), 3);
}

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
