//! Redis and data_scheduler stopped and restarted under a bounded load.
//! data_scheduler runs inside `wibm serve`, so this builds the same pieces
//! from the crates' libraries: a data_scheduler (embedded store, a real
//! redis-server as its cache) and a content_api pointed at it, with the
//! bundled 2023 season imported. While Redis is down, reads fall back to the
//! store (no error); while data_scheduler is down, every answer is a 503
//! with Retry-After; after each restart the API answers again.
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use common::Shutdown;
use secrecy::SecretString;
use testkit::redis::RedisServer;
use tokio::net::TcpListener;

const BASELINE: u8 = 1;
const REDIS_DOWN: u8 = 2;
const REDIS_BACK: u8 = 3;
const DS_DOWN: u8 = 4;
const DS_BACK: u8 = 5;
/// Requests per load worker at most, whatever happens.
const MAX_PER_WORKER: usize = 5_000;

#[derive(Debug, Clone, Copy)]
struct Answer {
    phase: u8,
    /// 0: no answer (a reset or a refused connection to content_api).
    status: u16,
    retry_after: bool,
}

/// A few workers reading from content_api until stopped, each answer
/// recorded with the phase it was sent in.
struct Load {
    answers: Arc<Mutex<Vec<Answer>>>,
    phase: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    fn start(base: &str, workers: usize) -> Self {
        let answers = Arc::new(Mutex::new(Vec::new()));
        let phase = Arc::new(AtomicU8::new(BASELINE));
        let stop = Arc::new(AtomicBool::new(false));
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        let paths = ["/content/v1/seasons", "/content/v1/seasons/2023", "/content/v1/seasons/2023/drivers"];
        let workers = (0..workers)
            .map(|w| {
                let (answers, phase, stop, http) = (answers.clone(), phase.clone(), stop.clone(), http.clone());
                let base = base.to_string();
                tokio::spawn(async move {
                    // A steady pace per worker, so the load is bounded in rate as well as count.
                    let mut pace = tokio::time::interval(Duration::from_millis(10));
                    for i in 0..MAX_PER_WORKER {
                        pace.tick().await;
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let sent_in = phase.load(Ordering::SeqCst);
                        let url = format!("{base}{}", paths[(i + w) % paths.len()]);
                        let answer = match http.get(&url).send().await {
                            Ok(r) => Answer {
                                phase: sent_in,
                                status: r.status().as_u16(),
                                retry_after: r.headers().contains_key("retry-after"),
                            },
                            Err(_) => Answer { phase: sent_in, status: 0, retry_after: false },
                        };
                        answers.lock().unwrap().push(answer);
                    }
                })
            })
            .collect();
        Self { answers, phase, stop, workers }
    }

    fn enter(&self, phase: u8) {
        self.phase.store(phase, Ordering::SeqCst);
    }

    fn of(&self, phase: u8) -> Vec<Answer> {
        self.answers.lock().unwrap().iter().filter(|a| a.phase == phase).copied().collect()
    }

    /// Waits until `n` answers were sent in `phase`.
    async fn collect(&self, phase: u8, n: usize) -> Vec<Answer> {
        testkit::wait::until(&format!("{n} answers in phase {phase}"), Duration::from_secs(60), || async {
            let got = self.of(phase);
            (got.len() >= n).then_some(got)
        })
        .await
    }

    async fn stop(self) -> Vec<Answer> {
        self.stop.store(true, Ordering::Relaxed);
        for w in self.workers {
            w.await.unwrap();
        }
        Arc::try_unwrap(self.answers).unwrap().into_inner().unwrap()
    }
}

fn statuses(answers: &[Answer]) -> BTreeMap<u16, usize> {
    answers.iter().fold(BTreeMap::new(), |mut m, a| {
        *m.entry(a.status).or_default() += 1;
        m
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_and_data_scheduler_outages_under_load() {
    let Some(mut redis) = RedisServer::start("redis_and_data_scheduler_outages_under_load") else { return };
    let dir = tempfile::tempdir().unwrap();
    let ds_cfg = data_scheduler::Config {
        data_dir: dir.path().to_path_buf(),
        redis_url: Some(SecretString::from(redis.url())),
        redis_timeout_ms: common::config::Millis::of(200),
        ..data_scheduler::Config::default()
    };
    let repo = data_scheduler::server::open_repo(&ds_cfg).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ds_addr = listener.local_addr().unwrap();
    let ds_url = format!("http://{ds_addr}");
    let ds_stop = Shutdown::new();
    let ds = data_scheduler::server::spawn(listener, repo.clone(), ds_stop.clone()).await.unwrap();
    willitbemax::firststart::complete(&ds_url, &common::internal::InternalToken::generate(), Some(2023), Some(2023))
        .await
        .unwrap();

    let content_cfg = content_api::Config {
        data_scheduler_url: ds_url.clone(),
        // Every answer from data_scheduler, none reused in-process.
        content_response_cache_secs: 0,
        data_scheduler_timeout_ms: common::config::Millis::of(1_000),
        ..content_api::Config::default()
    };
    let content = content_api::AppState::new(&content_cfg).unwrap();
    let content_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", content_listener.local_addr().unwrap());
    let content_stop = Shutdown::new();
    let content_task = tokio::spawn(content_api::serve(content_listener, content, content_stop.clone()));

    let load = Load::start(&base, 4);
    let baseline = load.collect(BASELINE, 40).await;

    load.enter(REDIS_DOWN);
    redis.kill();
    let redis_down = load.collect(REDIS_DOWN, 60).await;
    load.enter(REDIS_BACK);
    redis.restart();
    let redis_back = load.collect(REDIS_BACK, 40).await;

    // data_scheduler stops serving: its port closes, the store stays on disk.
    ds_stop.trigger();
    tokio::time::timeout(Duration::from_secs(20), ds.task).await.expect("data_scheduler stops").unwrap().unwrap();
    load.enter(DS_DOWN);
    let ds_down = load.collect(DS_DOWN, 40).await;

    let restarted = Instant::now();
    let listener = TcpListener::bind(ds_addr).await.expect("data_scheduler's port again");
    load.enter(DS_BACK);
    let ds_again = data_scheduler::server::spawn(listener, repo.clone(), Shutdown::new()).await.unwrap();
    let recovered = testkit::wait::until("a 200 after the restart", Duration::from_secs(30), || async {
        load.of(DS_BACK).iter().any(|a| a.status == 200).then(|| restarted.elapsed())
    })
    .await;
    let before = load.of(DS_BACK).len();
    let ds_back = load.collect(DS_BACK, before + 40).await;
    let all = load.stop().await;

    println!("reliability outages: {} answers in all", all.len());
    for (name, answers) in [
        ("baseline", &baseline),
        ("redis down", &redis_down),
        ("redis back", &redis_back),
        ("data_scheduler down", &ds_down),
        ("data_scheduler back", &ds_back),
    ] {
        println!("  {name}: {:?}", statuses(answers));
    }
    println!("  first 200 {recovered:?} after data_scheduler's restart");

    assert!(all.iter().all(|a| a.status != 0), "content_api always answered: {:?}", statuses(&all));
    for (name, answers) in [("baseline", &baseline), ("redis down", &redis_down), ("redis back", &redis_back)] {
        assert!(answers.iter().all(|a| a.status == 200), "{name}: every read served: {:?}", statuses(answers));
    }
    assert!(
        ds_down.iter().all(|a| a.status == 503 && a.retry_after),
        "data_scheduler down: every answer a 503 with Retry-After: {:?}",
        statuses(&ds_down)
    );
    assert!(
        ds_back.iter().all(|a| a.status == 200 || (a.status == 503 && a.retry_after)),
        "after the restart: a 200, or a 503 with Retry-After while reconnecting: {:?}",
        statuses(&ds_back)
    );
    assert!(ds_back.iter().rev().take(20).all(|a| a.status == 200), "recovered: {:?}", statuses(&ds_back));

    content_stop.trigger();
    let _ = content_task.await;
    drop(ds_again);
}
