//! `--openf1`: `GET /openf1/v1/laps` of a full recorded race (Baku 2018,
//! 841 laps of 18 cars, derived from the archive recording in
//! fetcher_service's testdata and stored through `WriteSessionData`), whole
//! and filtered to car 44's laps 10-20, with `/health` of the same server
//! as the ceiling, through content_api's full router and layers with the
//! default answer reuse.
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::Shutdown;
use content_api::{AppState, Config};
use data_scheduler::cache::memory::MemoryCache;
use data_scheduler::repo::{Repo, Ttls};
use data_scheduler::store::embedded::EmbeddedStore;
use livetiming::wire::{Head, Link, Source, to_wire};
use protobuf::v1::SessionType;

const RACE: &str = "livetiming/static/2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race";
/// The operators percent-encoded, as clients send them (raw `<`/`>` are
/// refused by the HTTP layer).
const FILTERED: &str = "/openf1/v1/laps?session_key=5090&driver_number=44&lap_number%3E=10&lap_number%3C=20";
const FULL: &str = "/openf1/v1/laps?session_key=5090";

pub fn run(connections: usize, secs: u64) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("rt");
    let dir = tempfile::tempdir().expect("temp dir");
    let shutdown = Shutdown::new();
    let (addr, laps) = rt.block_on(async {
        let store = Arc::new(EmbeddedStore::open(dir.path()).expect("store"));
        let repo = Repo::new(store, Arc::new(MemoryCache::new(10_000)), Ttls::default()).await.expect("repo");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let running = data_scheduler::server::spawn(listener, repo, shutdown.clone()).await.expect("data_scheduler");
        let ds = format!("http://{}", running.addr);
        let client = data_client::Client::connect_lazy(&ds, Duration::from_secs(60)).expect("client");
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fetcher_service/testdata").join(RACE);
        let records = livetiming::openf1::derive_folder(&folder).expect("the recorded race");
        let s = records.session.as_ref().expect("SessionInfo");
        let head = Head {
            meeting_key: s.meeting_key,
            session_key: s.session_key,
            link: Some(Link { season: 2018, round: 4, session_type: SessionType::Race }),
            source: Source::Archive,
            complete: true,
        };
        client.sport().write_session_data(to_wire(&records, head)).await.expect("stored");
        let cfg = Config { data_scheduler_url: ds, ..Config::default() };
        let state = AppState::new(&cfg).expect("state");
        assert!(state.follow_changes(Duration::from_secs(20)).await, "follows the writes");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(common::http::serve(listener, content_api::router(state), shutdown.clone()));
        (addr, records.laps.len())
    });
    println!("data: Baku 2018's race from the recorded archive, {laps} laps stored");
    println!("{connections} connections, {secs} s per route after a 1 s warm-up\n");
    println!("{:<90} {:>10} {:>9} {:>9} {:>9} {:>7}", "route", "req/s", "p50 ms", "p99 ms", "kB/resp", "errors");
    let mut ceiling = f64::NAN;
    for path in ["/health", FULL, FILTERED] {
        let o = super::measure(addr, super::get_request(addr, path, false), connections, secs);
        println!(
            "{:<90} {:>10.0} {:>9.2} {:>9.2} {:>9.1} {:>7}",
            path,
            o.rps(),
            o.percentile_ms(0.5),
            o.percentile_ms(0.99),
            o.kb_per_response(),
            o.errors
        );
        if path == "/health" {
            ceiling = o.rps();
        } else {
            println!("  ratio to /health: {:.3}", o.rps() / ceiling);
        }
    }
    shutdown.trigger();
}
