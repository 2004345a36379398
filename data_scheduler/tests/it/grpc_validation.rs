//! Bad input gets INVALID_ARGUMENT naming the field and writes nothing;
//! storage down gets UNAVAILABLE.
use std::sync::Arc;

use async_trait::async_trait;
use data_scheduler::cache::memory::MemoryCache;
use data_scheduler::store::{Applied, Batch, Collection, Doc, Store, StoreError};
use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;
use tonic::{Code, Status};

use crate::fixtures::*;

/// The field an INVALID_ARGUMENT names (failing on any other status).
pub fn field(status: &Status) -> String {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status.metadata().get("x-invalid-field").expect("field metadata").to_str().unwrap().to_string()
}

#[tokio::test]
async fn invalid_filters_name_the_field() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    let e = c.get_season(SeasonKey { season: 1949 }).await.unwrap_err();
    assert_eq!(field(&e), "season");
    let next_next = chrono_year() + 2;
    assert_eq!(field(&c.get_rounds(SeasonKey { season: next_next }).await.unwrap_err()), "season");
    assert_eq!(field(&c.get_round(RoundKey { season: 2024, round: 0 }).await.unwrap_err()), "round");
    assert_eq!(field(&c.get_round(RoundKey { season: 2024, round: -2 }).await.unwrap_err()), "round");
    let e = c.get_session(SessionKey { season: 2024, round: 1, r#type: 42 }).await.unwrap_err();
    assert_eq!(field(&e), "type");
    for per_page in [0, 1001] {
        let filter = SeasonFilter { page: Some(Page { page: 1, per_page: Some(per_page) }), ..Default::default() };
        assert_eq!(field(&c.get_seasons(filter).await.unwrap_err()), "per_page");
    }
    let e = c.get_seasons(SeasonFilter { year: Some(1900), ..Default::default() }).await.unwrap_err();
    assert_eq!(field(&e), "year");
}

fn chrono_year() -> i32 {
    // Year of now, without pulling chrono into the tests.
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    1970 + (secs / 31_556_952) as i32
}

/// Each bad batch is rejected whole: the valid records in it are not written.
#[tokio::test]
async fn an_invalid_record_rejects_the_whole_write() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    c.write_batch(WriteBatchRequest { seasons: vec![season_2024()], ..Default::default() }).await.unwrap();

    let mut empty_name = china_2024();
    empty_name.sessions[0].results[1].driver_name = String::new();
    let mut duplicate = china_2024();
    duplicate.sessions[0].results[2].position = 1;
    let mut outside = china_2024();
    outside.round = 25;
    for session in &mut outside.sessions {
        session.round = 25;
    }

    let cases = [
        (empty_name, "rounds[0].sessions[0].results[1].driver_name"),
        (duplicate, "rounds[0].sessions[0].results[2].position"),
        (outside, "rounds[0].round"),
    ];
    for (round, expected) in cases {
        let e = c
            .write_batch(WriteBatchRequest {
                rounds: vec![round],
                circuits: vec![shanghai()],
                drivers: vec![Driver { id: "x".into(), full_name: "X".into(), ..Default::default() }],
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(field(&e), expected);
    }
    // Nothing of those calls was written.
    assert_eq!(c.get_circuit(IdKey { id: "shanghai".into() }).await.unwrap_err().code(), Code::NotFound);
    assert_eq!(c.get_driver(IdKey { id: "x".into() }).await.unwrap_err().code(), Code::NotFound);
    assert!(c.get_rounds(SeasonKey { season: 2024 }).await.unwrap().into_inner().rounds.is_empty());
    assert!(ds.repo.store().scan(Collection::Sessions, "").await.unwrap().is_empty());
}

/// A store whose backend is down.
struct DownStore;

#[async_trait]
impl Store for DownStore {
    async fn apply(&self, _: Batch, _: i64) -> Result<Applied, StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }
    async fn get(&self, _: Collection, _: &str) -> Result<Option<Doc>, StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }
    async fn scan(&self, _: Collection, _: &str) -> Result<Vec<Doc>, StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }
    async fn ping(&self) -> Result<(), StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }
    fn backend(&self) -> &'static str {
        "down"
    }
}

#[tokio::test]
async fn storage_down_is_unavailable_and_readiness_says_so() {
    let ds = TestDataScheduler::start_with(
        Arc::new(DownStore),
        Arc::new(MemoryCache::new(10)),
        tempfile::tempdir().unwrap(),
    )
    .await;
    let mut c = ds.client().sport();
    assert_eq!(c.get_season(SeasonKey { season: 2024 }).await.unwrap_err().code(), Code::Unavailable);
    let e = c.write_batch(WriteBatchRequest { seasons: vec![season_2024()], ..Default::default() }).await.unwrap_err();
    assert_eq!(e.code(), Code::Unavailable);
    let ready = reqwest::get(format!("{}/health/ready", ds.url())).await.unwrap();
    assert_eq!(ready.status(), 503);
}
