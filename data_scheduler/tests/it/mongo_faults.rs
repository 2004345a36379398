//! MongoDB only: how a batch meets server faults, injected with the
//! `failCommand` fail point (a test command: SecantusDB started by
//! `.ci/mongodb.sh` with `--enable-test-commands`; mongod with
//! `--setParameter enableTestCommands=1`). The fail point is limited to
//! one test's connections by their `appName`, so other tests on the same
//! server run undisturbed; there is one `failCommand` per server, so the
//! tests that arm it take turns.
use std::time::{Duration, Instant};

use data_scheduler::store::{Batch, Collection, Field, Put, StoreError};
use mongodb::bson::{Document, doc};

use crate::backends::StoreUnderTest;

/// Held by the test that arms `failCommand`: configuring it replaces the
/// server's one configuration, whatever its `appName`.
static FAIL_POINT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Faulty {
    s: StoreUnderTest,
    /// A plain client on the same server, to arm the fail point.
    admin: mongodb::Client,
    /// The `appName` of the store's connections.
    app: String,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// A store whose connections carry a name of their own; None when skipped.
async fn store_and_admin(test: &str) -> Option<Faulty> {
    let turn = FAIL_POINT.lock().await;
    let app = format!("wibm-{}", uuid::Uuid::new_v4().simple());
    let uri = testkit::mongodb::uri(test)?;
    let s = crate::backends::mongo_at(&with_app_name(&uri, &app), &testkit::mongodb::database_name()).await;
    let admin = mongodb::Client::with_uri_str(&uri).await.unwrap();
    let probe = admin.database("admin").run_command(fail_point(&app, "off", doc! {})).await;
    if let Err(e) = probe {
        eprintln!("SKIPPED {test}: the server refuses configureFailPoint (test commands are off): {e}");
        return None;
    }
    Some(Faulty { s, admin, app, _turn: turn })
}

fn with_app_name(uri: &str, app: &str) -> String {
    let sep = if uri.contains('?') {
        "&"
    } else if uri.trim_start_matches("mongodb://").contains('/') {
        "?"
    } else {
        "/?"
    };
    format!("{uri}{sep}appName={app}")
}

fn fail_point(app: &str, mode: impl Into<mongodb::bson::Bson>, data: Document) -> Document {
    let mut data = data;
    data.insert("appName", app);
    doc! { "configureFailPoint": "failCommand", "mode": mode.into(), "data": data }
}

async fn arm(admin: &mongodb::Client, command: Document) {
    admin.database("admin").run_command(command).await.expect("configureFailPoint");
}

fn driver(id: &str) -> Batch {
    let mut b = Batch::default();
    b.put(Put {
        collection: Collection::Drivers,
        key: id.into(),
        fields: vec![("id", Field::Str(id.into()))],
        body: id.as_bytes().to_vec(),
    });
    b
}

/// A write conflict (labelled TransientTransactionError) aborts the
/// transaction; the store runs it again and the batch lands once.
#[tokio::test]
async fn mongodb_a_transient_transaction_error_is_retried() {
    let test = "mongodb_a_transient_transaction_error_is_retried";
    let Some(Faulty { s, admin, app, _turn }) = store_and_admin(test).await else { return };
    let conflict = doc! { "failCommands": ["update"], "errorCode": 112, "errorLabels": ["TransientTransactionError"] };
    arm(&admin, fail_point(&app, doc! { "times": 2 }, conflict)).await;
    s.store.apply(driver("max-verstappen"), 7).await.expect("applied on the third try");
    let stored = s.store.get(Collection::Drivers, "max-verstappen").await.unwrap().expect("stored");
    assert_eq!((stored.body.as_slice(), stored.updated_at), (&b"max-verstappen"[..], 7));
}

/// A commit whose answer never arrives (the connection closes each time:
/// UnknownTransactionCommitResult) is retried a bounded number of times,
/// then reported as the store being unavailable, not retried forever.
#[tokio::test]
async fn mongodb_a_commit_that_never_answers_ends_in_an_error() {
    let test = "mongodb_a_commit_that_never_answers_ends_in_an_error";
    let Some(Faulty { s, admin, app, _turn }) = store_and_admin(test).await else { return };
    let closed = doc! { "failCommands": ["commitTransaction"], "closeConnection": true };
    arm(&admin, fail_point(&app, "alwaysOn", closed)).await;
    let started = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(60), s.store.apply(driver("lando-norris"), 1)).await;
    arm(&admin, fail_point(&app, "off", doc! {})).await;
    let result = result.expect("apply returns instead of retrying the commit forever");
    assert!(matches!(result, Err(StoreError::Unavailable(_))), "{result:?} after {:?}", started.elapsed());
}

/// A session's records rewritten while the server fails the batch midway
/// (after the delete of the stored parts, at the first new part): the
/// transaction is rolled back and the old copy reads back whole.
#[tokio::test]
async fn mongodb_a_session_rewrite_failing_midway_leaves_the_old_copy() {
    let test = "mongodb_a_session_rewrite_failing_midway_leaves_the_old_copy";
    let Some(Faulty { s, admin, app, _turn }) = store_and_admin(test).await else { return };
    let cache = crate::backends::memory().cache;
    let repo = data_scheduler::repo::Repo::new(s.store.clone(), cache, Default::default()).await.unwrap();
    let old = crate::fixtures::china_race_data(56);
    repo.write_session_data(old.clone()).await.unwrap();
    let parts_before = s.store.scan(Collection::SessionData, "").await.unwrap();

    arm(&admin, fail_point(&app, doc! { "times": 1 }, doc! { "failCommands": ["update"], "errorCode": 2 })).await;
    let refused = repo.write_session_data(crate::fixtures::china_race_data(3)).await;
    arm(&admin, fail_point(&app, "off", doc! {})).await;
    assert!(refused.is_err(), "the failed batch is an error: {refused:?}");

    assert_eq!(s.store.scan(Collection::SessionData, "").await.unwrap(), parts_before, "no part deleted or written");
    let key = protobuf::v1::SessionDataKey { session_key: 9673, ..Default::default() };
    let read = repo.session_data(key).await.unwrap().decode::<protobuf::v1::SessionDataResponse>().unwrap();
    assert_eq!(read.data.unwrap(), old);
}

#[test]
fn the_app_name_joins_any_uri() {
    assert_eq!(with_app_name("mongodb://h:1", "a"), "mongodb://h:1/?appName=a");
    assert_eq!(with_app_name("mongodb://h:1/", "a"), "mongodb://h:1/?appName=a");
    assert_eq!(with_app_name("mongodb://h:1/?replicaSet=s", "a"), "mongodb://h:1/?replicaSet=s&appName=a");
}
