//! Import and sync benchmarks (timing goals live here, not in tests):
//!
//! 1. f1db full history (1950 to the bundled season) through gRPC into a
//!    fresh embedded store (goal: under 30 s on 2 cores);
//! 2. one f1db season (2024) into a fresh store (goal: under 1 s);
//! 3. a Jolpica sync of one full season (2024: calendar, every round's
//!    qualifying, sprint and race results, then the standings after every
//!    round) from the local replay server with pacing off (goal: under 2 s).
//!
//! Run: `cargo bench -p fetcher_service --bench import`
#[path = "../tests/it/support/ergast.rs"]
mod ergast;

use std::time::{Duration, Instant};

use fetcher_service::client::{Policy, Upstream};
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use fetcher_service::sources::jolpica::sync as jolpica;
use fetcher_service::sync::{self, SyncKind};
use fetcher_service::upstream::SourceName;
use protobuf::Year;
use testkit::data_scheduler::TestDataScheduler;
use testkit::replay::{ReplayServer, assert_loopback};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

async fn f1db(from: Option<i32>, to: Option<i32>) -> (Duration, usize, i64) {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    let started = Instant::now();
    let report = import_into(&client, F1dbSource::Bundled, from, to, |_| {}).await.expect("import");
    let took = started.elapsed();
    ds.stop().await;
    (took, report.seasons, report.records)
}

async fn jolpica_season(replay: &ReplayServer, year: i32) -> (Duration, i64, usize) {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    let base = format!("{}/ergast/f1", replay.url());
    assert_loopback(&base);
    let upstream = Upstream::new(SourceName::Jolpica, &base, Policy::default(), None).expect("upstream");
    let requests_before = replay.requests().len();
    let started = Instant::now();
    let fetch = upstream.sync();
    let season = Year::new(year).expect("year");
    let rounds = jolpica::rounds(&fetch, &client, season, None).await.expect("rounds sync");
    let mut records = sync::write(&client, SyncKind::Rounds, rounds).await.expect("write rounds").records;
    let standings = jolpica::standings(&fetch, &client, season).await.expect("standings sync");
    records += sync::write(&client, SyncKind::Standings, standings).await.expect("write standings").records;
    let took = started.elapsed();
    ds.stop().await;
    (took, records, replay.requests().len() - requests_before)
}

#[tokio::main]
async fn main() {
    let (took, seasons, records) = f1db(None, None).await;
    println!("f1db full history: {seasons} seasons, {records} records in {took:.2?}");

    let mut runs = Vec::new();
    let mut records = 0;
    for _ in 0..5 {
        let (took, _, r) = f1db(Some(2024), Some(2024)).await;
        runs.push(took);
        records = r;
    }
    println!("f1db one season (2024, with reference data): {records} records, median of 5: {:.2?}", median(runs));

    let root = tempfile::tempdir().expect("temp dir");
    ergast::write_season(root.path(), 2024);
    let replay = ReplayServer::start(root.path()).await;
    let mut runs = Vec::new();
    let (mut records, mut requests) = (0, 0);
    for _ in 0..3 {
        let (took, r, q) = jolpica_season(&replay, 2024).await;
        runs.push(took);
        (records, requests) = (r, q);
    }
    println!(
        "jolpica one season (2024, pacing off, replay server): {requests} requests, {records} records, median of 3: {:.2?}",
        median(runs)
    );
}
