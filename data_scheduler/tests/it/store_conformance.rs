//! The store contract, run against every reachable backend.
use std::sync::Arc;

use data_scheduler::store::{Batch, Collection, Field, KeepStored, Put, Store, StoreError};

/// A record whose natural-key and unique fields all hold `key`: MongoDB
/// indexes them, and a unique index admits one record without the field
/// (it indexes the missing field as null), so each field must be given.
fn put(c: Collection, key: &str, body: &str) -> Put {
    let fields = c.key_fields().iter().chain(c.unique_fields()).map(|f| (*f, Field::Str(key.into()))).collect();
    Put { collection: c, key: key.into(), fields, body: body.as_bytes().to_vec() }
}

fn round_put(season: i64, round: i64, body: &str) -> Put {
    Put {
        collection: Collection::Rounds,
        key: format!("{season:04}/{round:02}"),
        fields: vec![("season", Field::Int(season)), ("round", Field::Int(round))],
        body: body.as_bytes().to_vec(),
    }
}

async fn put_then_get_returns_the_body_and_write_time(store: Arc<dyn Store>) {
    let mut b = Batch::default();
    b.put(put(Collection::Drivers, "max-verstappen", "v1"));
    store.apply(b, 1_700_000_000).await.unwrap();
    let doc = store.get(Collection::Drivers, "max-verstappen").await.unwrap().expect("stored");
    assert_eq!(doc.body, b"v1");
    assert_eq!(doc.updated_at, 1_700_000_000);
    assert!(store.get(Collection::Drivers, "nobody").await.unwrap().is_none());
    // Same key in another collection is another record.
    assert!(store.get(Collection::Constructors, "max-verstappen").await.unwrap().is_none());
}

async fn a_write_replaces_by_natural_key(store: Arc<dyn Store>) {
    for (body, at) in [("first", 1), ("corrected", 2)] {
        let mut b = Batch::default();
        b.put(round_put(2024, 5, body));
        store.apply(b, at).await.unwrap();
    }
    let all = store.scan(Collection::Rounds, "2024/").await.unwrap();
    assert_eq!(all.len(), 1, "no duplicate after a rewrite");
    assert_eq!(all[0].body, b"corrected");
    assert_eq!(all[0].updated_at, 2);
}

async fn scan_is_ordered_and_bounded_by_prefix(store: Arc<dyn Store>) {
    let mut b = Batch::default();
    for (s, r) in [(2024, 10), (2023, 22), (2024, 2), (2024, 1), (2025, 1)] {
        b.put(round_put(s, r, &format!("{s}-{r}")));
    }
    store.apply(b, 1).await.unwrap();
    let keys: Vec<String> = store.scan(Collection::Rounds, "2024/").await.unwrap().into_iter().map(|d| d.key).collect();
    assert_eq!(keys, ["2024/01", "2024/02", "2024/10"]);
    assert_eq!(store.scan(Collection::Rounds, "").await.unwrap().len(), 5);
    assert!(store.scan(Collection::Rounds, "1999/").await.unwrap().is_empty());
}

async fn deletes_apply_in_the_same_batch(store: Arc<dyn Store>) {
    let mut b = Batch::default();
    b.put(put(Collection::ApiKeys, "k1", "a"));
    b.put(put(Collection::ApiKeys, "k2", "b"));
    store.apply(b, 1).await.unwrap();
    let mut b = Batch::default();
    b.delete(Collection::ApiKeys, "k1");
    b.put(put(Collection::ApiKeys, "k3", "c"));
    store.apply(b, 2).await.unwrap();
    let keys: Vec<String> = store.scan(Collection::ApiKeys, "").await.unwrap().into_iter().map(|d| d.key).collect();
    assert_eq!(keys, ["k2", "k3"]);
}

async fn a_large_batch_lands_whole(store: Arc<dyn Store>) {
    let mut b = Batch::default();
    for i in 0..2_000 {
        b.put(put(Collection::SyncRuns, &format!("run-{i:05}"), &"x".repeat(200)));
    }
    store.apply(b, 1).await.unwrap();
    assert_eq!(store.scan(Collection::SyncRuns, "run-").await.unwrap().len(), 2_000);
}

/// Keeps a stored body that starts with `official` over one that does not.
fn keep_official(stored: &[u8], incoming: &[u8]) -> bool {
    stored.starts_with(b"official") && !incoming.starts_with(b"official")
}

async fn put_unless_reads_the_stored_record_in_the_same_batch(store: Arc<dyn Store>) {
    let mut b = Batch::default();
    b.put_unless(round_put(2024, 5, "provisional 1"), KeepStored(keep_official));
    assert!(store.apply(b, 1).await.unwrap().kept.is_empty(), "nothing stored: written");
    let mut b = Batch::default();
    b.put_unless(round_put(2024, 5, "official"), KeepStored(keep_official));
    b.put_unless(round_put(2024, 5, "provisional 2"), KeepStored(keep_official));
    b.put(round_put(2024, 6, "other"));
    let applied = store.apply(b, 2).await.unwrap();
    // The second put sees the first one's write, inside the same transaction.
    assert_eq!(applied.kept, [(Collection::Rounds, "2024/05".to_string())]);
    let docs = store.scan(Collection::Rounds, "2024/").await.unwrap();
    assert_eq!(docs.iter().map(|d| d.body.as_slice()).collect::<Vec<_>>(), [&b"official"[..], b"other"]);
    assert_eq!(docs[0].updated_at, 2);
}

/// Writers racing over the same records (two replicas syncing at once):
/// every batch lands, and whole — the rounds all hold one writer's bodies,
/// never a mix. On MongoDB the losers of each race meet write conflicts
/// and must run their transaction again.
async fn concurrent_batches_over_the_same_records_all_land_whole(store: Arc<dyn Store>) {
    let writers = (0..8).map(|w| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut b = Batch::default();
            for r in 1..=10 {
                b.put_unless(round_put(2024, r, &format!("writer {w}")), KeepStored(keep_official));
            }
            b.put(put(Collection::SyncRuns, &format!("run-{w}"), "done"));
            store.apply(b, w).await
        })
    });
    for (w, result) in futures_util::future::join_all(writers).await.into_iter().enumerate() {
        result.unwrap().unwrap_or_else(|e| panic!("writer {w}: {e}"));
    }
    let rounds = store.scan(Collection::Rounds, "2024/").await.unwrap();
    assert_eq!(rounds.len(), 10);
    assert!(rounds.iter().all(|d| d.body == rounds[0].body), "one writer's batch, whole: {rounds:?}");
    assert_eq!(store.scan(Collection::SyncRuns, "run-").await.unwrap().len(), 8);
}

/// A scan taken while batches rewrite every record it covers sees each
/// batch whole or not at all, as a page built from it must. Enough records
/// that a MongoDB cursor needs more than one round trip (its first batch is
/// 101 documents).
async fn a_scan_sees_a_batch_whole_or_not_at_all(store: Arc<dyn Store>) {
    let batch = |body: String| {
        let mut b = Batch::default();
        for i in 0..150 {
            b.put(put(Collection::SyncRuns, &format!("run-{i:04}"), &body));
        }
        b
    };
    store.apply(batch("version 0".into()), 0).await.unwrap();
    let writer = tokio::spawn({
        let store = store.clone();
        async move {
            for v in 1..=8 {
                store.apply(batch(format!("version {v}")), v).await.unwrap();
            }
        }
    });
    let mut scans = 0;
    while !writer.is_finished() || scans == 0 {
        let docs = store.scan(Collection::SyncRuns, "run-").await.unwrap();
        assert_eq!(docs.len(), 150);
        let mixed: std::collections::BTreeSet<&[u8]> = docs.iter().map(|d| d.body.as_slice()).collect();
        assert_eq!(mixed.len(), 1, "scan {scans} saw parts of several batches: {mixed:?}");
        scans += 1;
    }
    writer.await.unwrap();
}

/// A record stored as several documents (a session's parts) is replaced
/// whole: the batch deletes every document under its prefix and writes the
/// new ones; other records, even with a longer shared prefix, stay.
async fn delete_prefix_removes_only_its_documents_in_the_same_batch(store: Arc<dyn Store>) {
    let part = |key: &str| put(Collection::SyncRuns, key, key);
    let mut b = Batch::default();
    for key in ["9158/laps/0000", "9158/laps/0001", "9158/weather/0000", "91580/laps/0000", "9157/laps/0000"] {
        b.put(part(key));
    }
    store.apply(b, 1).await.unwrap();
    let mut b = Batch::default();
    b.delete_prefix(Collection::SyncRuns, "9158/");
    b.put(part("9158/laps/0000"));
    store.apply(b, 2).await.unwrap();
    let keys: Vec<String> = store.scan(Collection::SyncRuns, "").await.unwrap().into_iter().map(|d| d.key).collect();
    assert_eq!(keys, ["9157/laps/0000", "9158/laps/0000", "91580/laps/0000"]);
    assert_eq!(store.get(Collection::SyncRuns, "9158/laps/0000").await.unwrap().unwrap().updated_at, 2);
}

/// A batch that fails after its first ops (here a prefix delete that would
/// empty a collection, which the store refuses) leaves what was stored.
async fn a_batch_refused_midway_leaves_the_stored_records(store: Arc<dyn Store>) {
    let mut b = Batch::default();
    b.put(put(Collection::SyncRuns, "9158/laps/0000", "old"));
    store.apply(b, 1).await.unwrap();
    let mut b = Batch::default();
    b.delete_prefix(Collection::SyncRuns, "9158/");
    b.put(put(Collection::SyncRuns, "9158/laps/0000", "new"));
    b.delete_prefix(Collection::Users, "");
    assert!(store.apply(b, 2).await.is_err(), "an empty prefix is refused");
    let docs = store.scan(Collection::SyncRuns, "").await.unwrap();
    assert_eq!(
        docs.iter().map(|d| (d.key.as_str(), d.body.as_slice())).collect::<Vec<_>>(),
        [("9158/laps/0000", &b"old"[..])]
    );
}

async fn ping_answers(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
}

crate::store_tests!(
    put_then_get_returns_the_body_and_write_time,
    a_write_replaces_by_natural_key,
    scan_is_ordered_and_bounded_by_prefix,
    deletes_apply_in_the_same_batch,
    a_large_batch_lands_whole,
    put_unless_reads_the_stored_record_in_the_same_batch,
    concurrent_batches_over_the_same_records_all_land_whole,
    a_scan_sees_a_batch_whole_or_not_at_all,
    delete_prefix_removes_only_its_documents_in_the_same_batch,
    a_batch_refused_midway_leaves_the_stored_records,
    ping_answers,
);

/// MongoDB only: a unique-index violation in the middle of a batch rolls
/// the whole transaction back (the embedded store has no secondary unique
/// fields; its atomicity is shown by the crash test).
#[tokio::test]
async fn mongodb_batch_failing_midway_writes_nothing() {
    let Some(s) = crate::backends::mongo("mongodb_batch_failing_midway_writes_nothing").await else { return };
    let user = |id: &str, email: &str| Put {
        collection: Collection::Users,
        key: id.into(),
        fields: vec![("id", Field::Str(id.into())), ("email", Field::Str(email.into()))],
        body: id.as_bytes().to_vec(),
    };
    let mut b = Batch::default();
    b.put(user("u1", "a@example.com"));
    s.store.apply(b, 1).await.unwrap();
    let mut b = Batch::default();
    b.put(user("u2", "b@example.com"));
    b.put(user("u3", "a@example.com"));
    let refused = s.store.apply(b, 2).await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "a taken email is a conflict: {refused:?}");
    let keys: Vec<String> = s.store.scan(Collection::Users, "").await.unwrap().into_iter().map(|d| d.key).collect();
    assert_eq!(keys, ["u1"]);
}
