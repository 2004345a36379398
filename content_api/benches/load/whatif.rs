//! `--what-if`: `POST /content/v1/seasons/2024/championship/what-if` with a
//! full remaining season of hypothetical results (2024 as it stood after
//! round 1: 23 races and 6 sprints, each a full order of 20 drivers).
use std::sync::Arc;
use std::time::Duration;

use common::Shutdown;
use data_scheduler::cache::memory::MemoryCache;
use data_scheduler::repo::{Repo, Ttls};
use data_scheduler::store::embedded::EmbeddedStore;
use fetcher_service::sources::f1db::{self, F1dbSource};
use protobuf::v1::{SeasonKey, SeasonStatus, SessionStatus, SessionType, WriteBatchRequest};

use super::{content_api, measure};

const PATH: &str = "/content/v1/seasons/2024/championship/what-if";

pub fn run(connections: usize, secs: u64) {
    let server_rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("rt");
    let dir = tempfile::tempdir().expect("temp dir");
    let shutdown = Shutdown::new();
    let (addr, body) = server_rt.block_on(async {
        let store = Arc::new(EmbeddedStore::open(dir.path()).expect("store"));
        let repo = Repo::new(store, Arc::new(MemoryCache::new(10_000)), Ttls::default()).await.expect("repo");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let running = data_scheduler::server::spawn(listener, repo, shutdown.clone()).await.expect("data_scheduler");
        let client = data_client::Client::connect_lazy(&format!("http://{}", running.addr), Duration::from_secs(60))
            .expect("client");
        f1db::import_into(&client, F1dbSource::Bundled, Some(2024), Some(2024), |_| {}).await.expect("import 2024");
        let body = after_round_one(&mut client.sport()).await;
        (content_api(running.addr, 5, Default::default(), &shutdown).await, body)
    });
    let request = format!(
        "POST {PATH} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    println!("data: bundled f1db 2024 season as after round 1; the body is {} bytes", body.len());
    println!(
        "{connections} connections, {secs} s after a 1 s warm-up; the generator runs on one thread of this process\n"
    );
    let o = measure(addr, Arc::new(request.into_bytes()), connections, secs);
    println!("{:<52} {:>10} {:>9} {:>9} {:>9} {:>7}", "route", "req/s", "p50 ms", "p99 ms", "kB/resp", "errors");
    println!(
        "{:<52} {:>10.0} {:>9.2} {:>9.2} {:>9.1} {:>7}",
        format!("POST {PATH}"),
        o.rps(),
        o.percentile_ms(0.5),
        o.percentile_ms(0.99),
        o.kb_per_response(),
        o.errors
    );
    shutdown.trigger();
}

/// Stores 2024 as it stood after round 1 and returns a what-if body for
/// every session after it: round 1's finishing order, rotated each session.
async fn after_round_one(client: &mut data_client::SportData) -> String {
    let key = SeasonKey { season: 2024 };
    let mut season = client.get_season(key).await.expect("season").into_inner().season.expect("2024");
    let mut rounds = client.get_rounds(key).await.expect("rounds").into_inner().rounds;
    let mut standings = client.get_standings_progression(key).await.expect("standings").into_inner().rounds;
    let race = |r: &protobuf::v1::Round| r.sessions.iter().find(|s| s.r#type == SessionType::Race as i32).cloned();
    let first = rounds.iter().find(|r| r.round == 1).and_then(race).expect("round 1 race");
    let mut order: Vec<String> = first.results.iter().map(|r| r.driver_id.clone()).collect();
    let mut sessions = Vec::new();
    for r in rounds.iter_mut().filter(|r| r.round > 1) {
        for s in &mut r.sessions {
            s.status = SessionStatus::Scheduled as i32;
            s.results.clear();
        }
        for (t, name) in [(SessionType::Sprint, "sprint"), (SessionType::Race, "race")] {
            if r.sessions.iter().any(|s| s.r#type == t as i32) {
                order.rotate_left(1);
                sessions.push(serde_json::json!({"round": r.round, "session": name, "order": order}));
            }
        }
    }
    standings.retain(|s| s.round <= 1);
    season.status = SeasonStatus::InProgress as i32;
    season.current_round = 1;
    let batch = WriteBatchRequest { seasons: vec![season], rounds, standings, ..Default::default() };
    client.write_batch(batch).await.expect("write 2024 as after round 1");
    serde_json::json!({ "sessions": sessions }).to_string()
}
