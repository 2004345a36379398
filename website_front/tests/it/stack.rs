//! One shared stack per test binary, so the import runs once:
//! data_scheduler (temporary embedded store) ← f1db 2021–2024, 1988,
//! 1952, 1973 and 1994 (careers) and 1964 (made a season in progress before
//! its last round) ←
//! content_api ← website_front, each on 127.0.0.1:0. The servers run on
//! their own thread and runtime, since every test has its own runtime.
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use std::sync::Arc;

use common::Shutdown;
use data_scheduler::cache::memory::MemoryCache;
use data_scheduler::store::embedded::EmbeddedStore;
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use testkit::data_scheduler::TestDataScheduler;

pub struct Stack {
    /// The website's base URL, e.g. `http://127.0.0.1:41234`.
    pub site: String,
    /// content_api's base URL.
    pub content: String,
    pub data_scheduler: String,
}

static STACK: OnceLock<Stack> = OnceLock::new();

pub fn stack() -> &'static Stack {
    STACK.get_or_init(|| {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("website-test-stack".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    let ds = data_scheduler_in_target().await;
                    import_into(&ds.client(), F1dbSource::Bundled, Some(2021), Some(2024), |_| {})
                        .await
                        .expect("f1db import of 2021-2024");
                    for year in [1952, 1964, 1973, 1988, 1994] {
                        import_into(&ds.client(), F1dbSource::Bundled, Some(year), Some(year), |_| {})
                            .await
                            .expect("f1db import of a single season");
                    }
                    before_the_last_rounds(&ds, 1964, 1).await;
                    let shutdown = Shutdown::new();
                    let content = start_content(&ds.url(), &shutdown).await.0;
                    let site = start_site(&content, &shutdown).await.0;
                    tx.send(Stack { site, content, data_scheduler: ds.url() }).expect("test thread waits");
                    // Keep serving (and the store alive) until the process ends.
                    std::future::pending::<()>().await;
                });
            })
            .expect("spawn the stack thread");
        rx.recv_timeout(Duration::from_secs(300)).expect("the test stack started (see the panic above)")
    })
}

/// Turns `year` into a season in progress before its last `n` rounds (1964,
/// n = 1: Surtees, Hill and Clark could all still win at Mexico), for the
/// what-if.
pub async fn before_the_last_rounds(ds: &TestDataScheduler, year: i32, n: i32) {
    use protobuf::v1::{SeasonKey, SeasonStatus, SessionStatus, WriteBatchRequest};
    let mut client = ds.client().sport();
    let key = SeasonKey { season: year };
    let mut season = client.get_season(key).await.expect("season").into_inner().season.expect("stored season");
    let mut rounds = client.get_rounds(key).await.expect("rounds").into_inner().rounds;
    let mut standings = client.get_standings_progression(key).await.expect("standings").into_inner().rounds;
    let last = rounds.iter().map(|r| r.round).max().unwrap_or(0) - n + 1;
    for r in rounds.iter_mut().filter(|r| r.round >= last) {
        for s in &mut r.sessions {
            s.status = SessionStatus::Scheduled as i32;
            s.results.clear();
            // A write replaces an official classification only when it is
            // later: unstamped, data_scheduler stamps it with the write time.
            if let Some(p) = &mut s.provenance {
                p.updated_at = 0;
            }
        }
    }
    standings.retain(|s| s.round < last);
    season.status = SeasonStatus::InProgress as i32;
    season.current_round = last - 1;
    season.champion_driver_id.clear();
    season.champion_driver_name.clear();
    season.champion_constructor_id.clear();
    season.champion_constructor_name.clear();
    // Standings after the cut rounds go: no write can delete, so through
    // the store itself (the write below then drops what the cache kept).
    let mut gone = data_scheduler::store::Batch::default();
    for r in last..last + n {
        gone.delete(data_scheduler::store::Collection::Standings, data_scheduler::repo::keys::round(year, r));
    }
    ds.repo.store().apply(gone, 0).await.expect("delete the standings of the rounds to come");
    // Sessions are their own records: written as such, not through the round.
    let sessions = rounds.iter().filter(|r| r.round >= last).flat_map(|r| r.sessions.clone()).collect();
    let batch = WriteBatchRequest { seasons: vec![season], rounds, sessions, standings, ..Default::default() };
    client.write_batch(batch).await.expect("write the season in progress");
}

/// The shared stack is never dropped (the test process just exits), so
/// its store lives under Cargo's target dir rather than in `/tmp`.
pub async fn data_scheduler_in_target() -> TestDataScheduler {
    let dir = tempfile::Builder::new()
        .prefix("website-front-stack-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir under target/");
    let store = Arc::new(EmbeddedStore::open(dir.path()).expect("embedded store"));
    TestDataScheduler::start_with(store, Arc::new(MemoryCache::new(10_000)), dir).await
}

async fn listener() -> (tokio::net::TcpListener, String) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", l.local_addr().expect("addr"));
    (l, url)
}

/// content_api on a free port, reading `data_scheduler`; runs until `shutdown`.
pub async fn start_content(
    data_scheduler: &str,
    shutdown: &Shutdown,
) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let cfg = content_api::Config { data_scheduler_url: data_scheduler.to_string(), ..Default::default() };
    start_content_with(&cfg, shutdown).await
}

/// content_api on a free port with `cfg`; runs until `shutdown`.
pub async fn start_content_with(
    cfg: &content_api::Config,
    shutdown: &Shutdown,
) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let state = content_api::AppState::new(cfg).expect("content_api state");
    let (l, url) = listener().await;
    let task = tokio::spawn(content_api::serve(l, state, shutdown.clone()));
    (url, task)
}

/// website_front on a free port, reading `content`; runs until `shutdown`.
pub async fn start_site(content: &str, shutdown: &Shutdown) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    // Tests change data and look at once: revalidate on every visit.
    start_site_fresh_for(content, shutdown, 0).await
}

/// As [`start_site`], serving a kept page without asking content_api for
/// `fresh_ms` after it was last confirmed.
pub async fn start_site_fresh_for(
    content: &str,
    shutdown: &Shutdown,
    fresh_ms: u64,
) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    // Logs show with a failing test's output.
    common::telemetry::init(false);
    let cfg = website_front::Config {
        content_url: content.to_string(),
        website_content_timeout_ms: common::config::Millis::of(10_000),
        website_retry_secs: common::config::Secs::of(7),
        website_page_fresh_ms: fresh_ms,
        ..Default::default()
    };
    start_site_with(&cfg, shutdown).await
}

/// website_front on a free port with `cfg`; runs until `shutdown`.
pub async fn start_site_with(
    cfg: &website_front::Config,
    shutdown: &Shutdown,
) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let state = website_front::AppState::new(cfg).expect("website state");
    let (l, url) = listener().await;
    let task = tokio::spawn(website_front::serve(l, state, shutdown.clone()));
    (url, task)
}

/// A page: status, headers and body.
pub struct Fetched {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

pub async fn get(url: &str) -> Fetched {
    let res = reqwest::Client::new()
        .get(url)
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.text().await.expect("body");
    Fetched { status, headers, body }
}

/// GET a path of the shared site.
pub async fn page(path: &str) -> Fetched {
    get(&format!("{}{path}", stack().site)).await
}

/// The text of `html` between the first `start` and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("`{start}` not in the page"));
    let rest = &html[from..];
    let to = rest.find(end).unwrap_or(rest.len());
    &rest[..to]
}
