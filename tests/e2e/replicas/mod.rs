//! Several replicas on one machine, as compose scales them: SecantusDB
//! (`WIBM_TEST_MONGODB_URI`), a redis-server, two data_scheduler replicas on
//! the same database and Redis, two content_api, one fetcher_service (on a
//! replay of recorded Jolpica answers), two scheduler_api, auth_api and
//! website_front — each its own binary on a loopback port. Traefik cannot
//! run here: the test's clients alternate between replicas as its round
//! robin would. What it measured is printed as `replicas:` lines
//! (docs/benchmarks.md).
mod deployment;
mod live;
mod load;

use std::time::{Duration, Instant};

use common::internal::{HEADER, InternalToken};
use deployment::{Service, port};
use reqwest::StatusCode;
use serde_json::Value;
use testkit::replay::ReplayServer;

use crate::stack::{ADMIN_EMAIL, ADMIN_PASSWORD};

/// content_api reuses a rendered answer for at most this long
/// (`WIBM_CONTENT_RESPONSE_CACHE_SECS`, default 5): a ceiling only, since a
/// write's announcement drops what it touched before the write answers.
/// data_scheduler's own cache is shared (Redis) and invalidated exactly.
const INVALIDATION_BOUND: Duration = Duration::from_secs(5);
/// Leader lease of the scheduler replicas and their tick, at their defaults
/// (`WIBM_SCHEDULER_LOCK_TTL_MS`, `WIBM_SCHEDULER_TICK_MS`): the hand-over
/// is measured as users run it (separate processes: no paused clock).
const LOCK_TTL: Duration = Duration::from_millis(30_000);
const TICK: Duration = Duration::from_millis(10_000);
/// What polling and a loaded 2-core machine add to a measured bound.
const SLACK: Duration = Duration::from_secs(1);
const TOKEN: &str = "replicas-test-internal-token-0123456789abcdef";
const ROUND: &str = "/content/v1/seasons/2022/rounds/2";

struct Deployment {
    /// Where the fetcher finds the live timing hub (`wibm replay`, started
    /// by the live check).
    live_port: u16,
    data: Vec<Service>,
    content: Vec<Service>,
    fetcher: Service,
    schedulers: Vec<Service>,
    auth: Service,
    website: Service,
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

impl Deployment {
    async fn start(http: &reqwest::Client, mongodb: &str, redis: &str, replay: &str, dir: &std::path::Path) -> Self {
        testkit::replay::assert_loopback(replay);
        let db = testkit::mongodb::database_name();
        let data_dir = dir.to_str().unwrap();
        let mut data: Vec<Service> = ["a", "b"]
            .iter()
            .map(|name| {
                let p = port();
                Service::start(
                    &format!("data_scheduler-{name}"),
                    "data_scheduler",
                    p,
                    &env(&[
                        ("WIBM_DATA_SCHEDULER_LISTEN", &format!("127.0.0.1:{p}")),
                        ("WIBM_MONGODB_URI", mongodb),
                        ("WIBM_MONGODB_DB", &db),
                        ("WIBM_REDIS_URL", redis),
                        ("WIBM_INTERNAL_TOKEN", TOKEN),
                        ("WIBM_DATA_DIR", data_dir),
                    ]),
                )
            })
            .collect();
        for d in &mut data {
            d.wait_ready(http, Duration::from_secs(60)).await;
        }
        let (a, b) = (data[0].url(), data[1].url());
        // Each client is given both replicas; the fetcher only the first, so
        // a sync writes through data_scheduler-a.
        let both = [format!("{a},{b}"), format!("{b},{a}")];
        let content: Vec<Service> = (0..2)
            .map(|i| {
                let p = port();
                Service::start(
                    &format!("content_api-{i}"),
                    "content_api",
                    p,
                    &env(&[
                        ("WIBM_CONTENT_LISTEN", &format!("127.0.0.1:{p}")),
                        ("WIBM_DATA_SCHEDULER_URL", &both[i]),
                        ("WIBM_INTERNAL_TOKEN", TOKEN),
                    ]),
                )
            })
            .collect();
        let live_port = port();
        let p = port();
        let fetcher = Service::start(
            "fetcher_service",
            "fetcher_service",
            p,
            &env(&[
                ("WIBM_FETCHER_LISTEN", &format!("127.0.0.1:{p}")),
                ("WIBM_DATA_SCHEDULER_URL", &a),
                ("WIBM_INTERNAL_TOKEN", TOKEN),
                ("WIBM_JOLPICA_URL", &format!("{replay}/ergast/f1")),
                ("WIBM_F1_WEBSITE_URL", replay),
                ("WIBM_F1_MEDIA_URL", replay),
                ("WIBM_LIVETIMING_URL", &format!("http://127.0.0.1:{live_port}")),
                ("WIBM_UPSTREAM_PACING", "false"),
                ("WIBM_FETCHER_IMPORT_ON_START", "false"),
                ("WIBM_LIVE_AUTOSTART", "false"),
            ]),
        );
        let mut fetcher = fetcher;
        // As compose: the schedulers start once the fetcher is healthy.
        fetcher.wait_ready(http, Duration::from_secs(60)).await;
        let fetcher_url = fetcher.url();
        let schedulers: Vec<Service> = (0..2)
            .map(|i| {
                let p = port();
                Service::start(
                    &format!("scheduler_api-{i}"),
                    "scheduler_api",
                    p,
                    &env(&[
                        ("WIBM_SCHEDULER_LISTEN", &format!("127.0.0.1:{p}")),
                        ("WIBM_DATA_SCHEDULER_URL", &both[i]),
                        ("WIBM_INTERNAL_TOKEN", TOKEN),
                        ("WIBM_FETCHER_URL", &fetcher_url),
                        // A failed planned run is not retried during the test.
                        ("WIBM_SCHEDULER_RETRY_SECS", "3600"),
                        ("WIBM_SCHEDULER_RETRY_MAX_SECS", "3600"),
                    ]),
                )
            })
            .collect();
        let p = port();
        let auth = Service::start(
            "auth_api",
            "auth_api",
            p,
            &env(&[
                ("WIBM_AUTH_LISTEN", &format!("127.0.0.1:{p}")),
                ("WIBM_DATA_SCHEDULER_URL", &both[0]),
                ("WIBM_INTERNAL_TOKEN", TOKEN),
                ("WIBM_AUTH_SECRET", "replicas-test-signing-key-0123456789abcdef0123456789"),
                ("WIBM_DATA_DIR", data_dir),
                ("WIBM_ADMIN_EMAIL", ADMIN_EMAIL),
                ("WIBM_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ]),
        );
        let p = port();
        let website = Service::start(
            "website_front",
            "website_front",
            p,
            &env(&[("WIBM_WEBSITE_LISTEN", &format!("127.0.0.1:{p}")), ("WIBM_CONTENT_URL", &content[0].url())]),
        );
        let mut deployment = Self { live_port, data, content, fetcher, schedulers, auth, website };
        let deadline = Duration::from_secs(60);
        for s in deployment.content.iter_mut().chain(deployment.schedulers.iter_mut()) {
            s.wait_ready(http, deadline).await;
        }
        deployment.auth.wait_ready(http, deadline).await;
        deployment.website.wait_ready(http, deadline).await;
        deployment
    }
}

async fn get(http: &reqwest::Client, url: &str) -> reqwest::Response {
    http.get(url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

async fn json(http: &reqwest::Client, url: &str) -> Value {
    let resp = get(http, url).await;
    assert_eq!(resp.status(), 200, "{url}");
    resp.json().await.unwrap()
}

/// Each scheduler's `leader` flag (None: no answer).
async fn leaders(http: &reqwest::Client, schedulers: &[&Service]) -> Vec<Option<bool>> {
    let mut out = Vec::new();
    for s in schedulers {
        let status = match http.get(format!("{}/scheduler/v1/status", s.url())).send().await {
            Ok(r) if r.status().is_success() => r.json::<Value>().await.ok(),
            _ => None,
        };
        out.push(status.and_then(|v| v["leader"].as_bool()));
    }
    out
}

/// The planned runs in the shared sync history, as (kind, outcome).
async fn planned_runs(http: &reqwest::Client, scheduler: &Service) -> Vec<(String, String)> {
    let history = json(http, &format!("{}/scheduler/v1/history?per_page=1000", scheduler.url())).await;
    history["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["trigger"] == "planned")
        .map(|r| (r["kind"].as_str().unwrap().to_string(), r["outcome"].as_str().unwrap().to_string()))
        .collect()
}

/// What Traefik does for an admin's POST to the fetcher: forwardAuth to
/// auth_api's verify, then the request with the identity and the internal
/// credential.
async fn admin_post(http: &reqwest::Client, d: &Deployment, token: &str, path: &str) -> Value {
    let body = admin_call(http, d, token, path).await;
    assert_eq!(body["success"], true, "{path}: {body}");
    body
}

/// [`admin_post`] for any admin route: the answer, which must be a 200.
async fn admin_call(http: &reqwest::Client, d: &Deployment, token: &str, path: &str) -> Value {
    let verify = http
        .get(format!("{}/auth/v1/verify", d.auth.url()))
        .bearer_auth(token)
        .header("x-forwarded-method", "POST")
        .header("x-forwarded-uri", path)
        .send()
        .await
        .unwrap();
    assert_eq!(verify.status(), 200, "verify {path}");
    let user = verify.headers()["x-user-id"].clone();
    let role = verify.headers()["x-user-role"].clone();
    assert_eq!(role, "admin");
    let resp = http
        .post(format!("{}{path}", d.fetcher.url()))
        .header("x-user-id", user)
        .header("x-user-role", role)
        .header(HEADER, TOKEN)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// Polls every content_api replica until `path` answers 200 and `check`
/// holds; returns how long each took from `since`.
async fn seen_everywhere(
    http: &reqwest::Client,
    d: &Deployment,
    path: &str,
    since: Instant,
    check: impl Fn(&Value) -> bool + Copy,
    not_etag: Option<&str>,
) -> Vec<Duration> {
    let mut took = Vec::new();
    for c in &d.content {
        let url = format!("{}{path}", c.url());
        testkit::wait::until(&format!("{path} on {}", c.name), INVALIDATION_BOUND + SLACK, || {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let resp = http.get(&url).send().await.ok()?;
                if resp.status() != 200 || not_etag.is_some_and(|old| resp.headers()["etag"] == old) {
                    return None;
                }
                check(&resp.json::<Value>().await.ok()?).then_some(())
            }
        })
        .await;
        took.push(since.elapsed());
    }
    took
}

/// The ETag every content_api replica gives `path` (they agree).
async fn etag(http: &reqwest::Client, d: &Deployment, path: &str) -> String {
    let mut tags = Vec::new();
    for c in &d.content {
        let resp = get(http, &format!("{}{path}", c.url())).await;
        assert_eq!(resp.status(), 200, "{path} on {}", c.name);
        tags.push(resp.headers()["etag"].to_str().unwrap().to_string());
    }
    assert!(tags.iter().all(|t| t == &tags[0]), "{path}: one ETag on every replica: {tags:?}");
    tags.swap_remove(0)
}

fn unix_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Syncs the round again (the fetcher writes through data_scheduler-a)
/// while both content_api replicas keep its rendered answer, and returns how
/// long each took to answer with the new write (a new ETag).
async fn resync_seen(http: &reqwest::Client, d: &Deployment, admin: &str) -> Vec<Duration> {
    let old = etag(http, d, ROUND).await;
    // Answers are dated in whole seconds: write in a later second than the
    // last write, so the new answer has a new date and ETag.
    let last = unix_secs();
    testkit::wait::until("the next second", Duration::from_secs(2), || async { (unix_secs() > last).then_some(()) })
        .await;
    admin_post(http, d, admin, "/fetcher/v1/fetch/rounds?season=2022&round=2").await;
    let written = Instant::now();
    // A write answers only once every content_api following any replica
    // has dropped what it touched: the very first read on each replica,
    // without polling, is the new answer.
    let mut took = Vec::new();
    for c in &d.content {
        let resp = get(http, &format!("{}{ROUND}", c.url())).await;
        assert_eq!(resp.status(), 200, "{ROUND} on {}", c.name);
        assert_ne!(
            resp.headers()["etag"],
            old.as_str(),
            "{}: the first read after the write is the new answer",
            c.name
        );
        took.push(written.elapsed());
    }
    let new = etag(http, d, ROUND).await;
    assert_ne!(new, old);
    took
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_on_one_machine() {
    const TEST: &str = "replicas_on_one_machine";
    let Some(mongodb) = testkit::mongodb::uri(TEST) else { return };
    let Some(redis) = testkit::redis::RedisServer::start(TEST) else { return };
    let replay = ReplayServer::start(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jolpica")).await;
    let dir = tempfile::tempdir().unwrap();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let started = Instant::now();
    let mut d = Deployment::start(&http, &mongodb, &redis.url(), &replay.url(), dir.path()).await;
    eprintln!("replicas: 9 services ready in {:?}", started.elapsed());

    // Exactly one scheduler leads; it runs the interval plans once.
    let schedulers: Vec<&Service> = d.schedulers.iter().collect();
    let leader = testkit::wait::until("exactly one scheduler_api to lead", Duration::from_secs(30), || {
        let (http, schedulers) = (http.clone(), schedulers.clone());
        async move {
            match leaders(&http, &schedulers).await[..] {
                [Some(true), Some(false)] => Some(0),
                [Some(false), Some(true)] => Some(1),
                _ => None,
            }
        }
    })
    .await;
    let follower = 1 - leader;
    let before = testkit::wait::until("the leader's planned runs to end", Duration::from_secs(60), || {
        let (http, s) = (http.clone(), &d.schedulers[follower]);
        async move {
            let runs = planned_runs(&http, s).await;
            let ended = ["seasons", "rounds"]
                .iter()
                .all(|k| runs.iter().any(|(kind, outcome)| kind == k && outcome != "running"));
            ended.then_some(runs)
        }
    })
    .await;

    // A recorded Jolpica sync, as an admin through the fetcher, writes
    // through data_scheduler-a.
    for c in &d.content {
        let before = get(&http, &format!("{}{ROUND}", c.url())).await;
        assert_eq!(before.status(), StatusCode::NOT_FOUND, "{} before the sync", c.name);
    }
    let admin = crate::login(&http, &d.auth.url(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
    admin_post(&http, &d, &admin, "/fetcher/v1/fetch/rounds?season=2022&round=2").await;
    let written = Instant::now();
    assert!(replay.count("/ergast/f1/2022/2/results.json") >= 1, "the fetcher read the recording");
    // data_scheduler-b reads it at once: same database, cache invalidated in the shared Redis.
    let token = InternalToken::from_config(Some(&TOKEN.to_string().into())).unwrap();
    let b = data_client::Client::connect_lazy_with(&d.data[1].url(), Duration::from_secs(10), token.as_ref()).unwrap();
    let round = b.round(2022, 2).await.unwrap().expect("data_scheduler-b has the round written through -a");
    assert_eq!(round.name, "Saudi Arabian Grand Prix");
    let visible =
        seen_everywhere(&http, &d, ROUND, written, |v| v["result"]["name"] == "Saudi Arabian Grand Prix", None).await;
    eprintln!("replicas: a new round written through data_scheduler-a shown by both content_api after {visible:?}");

    // Reads spread over both content_api replicas answer the same bytes and ETag.
    identical_reads(&http, &d).await;

    // A live session written through data_scheduler-a streams the same
    // events from both content_api replicas.
    let a = data_client::Client::connect_lazy_with(&d.data[0].url(), Duration::from_secs(10), token.as_ref()).unwrap();
    live::fans_out_to_both(&http, &d, &a).await;
    // A recorded race replayed by `wibm replay`, followed by the fetcher's
    // live client: both content_api stream it under the same ids.
    live::a_replayed_race_fans_out_to_both(&http, &d, &admin).await;

    // A write over answers both content_api replicas keep shows within the bound.
    let took = resync_seen(&http, &d, &admin).await;
    eprintln!("replicas: a re-sync over kept answers shown by both content_api after {took:?}");

    // SIGKILL the leading scheduler: the other leads within the lease's TTL
    // (plus one tick), and resumes the plans from the shared history.
    d.schedulers[leader].kill();
    let killed = Instant::now();
    let survivor = &d.schedulers[follower];
    testkit::wait::until("the other scheduler_api to lead", LOCK_TTL + TICK + SLACK, || {
        let (http, s) = (http.clone(), survivor);
        async move { (leaders(&http, &[s]).await[0] == Some(true)).then_some(()) }
    })
    .await;
    let took_over = killed.elapsed();
    eprintln!("replicas: scheduler_api leader SIGKILLed, the other led after {took_over:?} (lease TTL {LOCK_TTL:?})");
    // Both interval plans are pending in the future: nothing is due again.
    testkit::wait::until("the new leader's plans", Duration::from_secs(10), || {
        let (http, url) = (http.clone(), format!("{}/scheduler/v1/status", survivor.url()));
        async move {
            let status: Value = http.get(&url).send().await.ok()?.json().await.ok()?;
            let now = status["now"].as_str()?.to_string();
            let plans = status["plans"].as_array()?;
            let later = |kind: &str| {
                plans.iter().any(|p| p["kind"] == kind && p["next_run"].as_str().is_some_and(|at| at > now.as_str()))
            };
            (later("seasons") && later("rounds")).then_some(())
        }
    })
    .await;
    let after = planned_runs(&http, survivor).await;
    for kind in ["seasons", "rounds"] {
        let n = after.iter().filter(|(k, _)| k == kind).count();
        assert_eq!(n, 1, "one planned {kind} run across the hand-over: {after:?} (before: {before:?})");
    }

    // SIGKILL data_scheduler-b under read load: content_api sends its reads
    // to data_scheduler-a; no client sees an error.
    let report = load::kill_under_load(&http, &d.content, &mut d.data[1]).await;
    eprintln!("replicas: {report}");
    assert_eq!(report.failed, 0, "no read failed: {report}");

    // Nothing lost: what was written is there, and writes, logins and the
    // scheduler go on through data_scheduler-a.
    for c in &mut d.content {
        c.assert_running();
        let round = json(&http, &format!("{}{ROUND}", c.url())).await;
        assert_eq!(round["result"]["name"], "Saudi Arabian Grand Prix");
        assert_eq!(get(&http, &format!("{}/health/ready", c.url())).await.status(), 200, "{} ready", c.name);
    }
    let admin = crate::login(&http, &d.auth.url(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let took = resync_seen(&http, &d, &admin).await;
    eprintln!("replicas: a re-sync after the kill shown by both content_api after {took:?}");
    let survivor = &d.schedulers[follower];
    testkit::wait::until("the scheduler to lead on data_scheduler-a alone", LOCK_TTL + TICK + SLACK, || {
        let (http, s) = (http.clone(), survivor);
        async move { (leaders(&http, &[s]).await[0] == Some(true)).then_some(()) }
    })
    .await;
    let page = get(&http, &format!("{}/seasons/2022/rounds/2", d.website.url())).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Saudi Arabian Grand Prix"), "the website shows the round");
    eprintln!("replicas: the whole test took {:?}", started.elapsed());
}

/// Each path from both content_api replicas, alternating: the same ETag
/// every time, and the same bytes once each replica keeps the answer (the
/// first answer of a replica may say `"cached":false`, which the ETag
/// leaves out by design). An ETag from one replica is a 304 on the other.
async fn identical_reads(http: &reqwest::Client, d: &Deployment) {
    let paths = [
        ROUND,
        "/content/v1/seasons",
        "/content/v1/seasons/2022/rounds",
        "/content/v1/seasons/2022/rounds/2/sessions/race",
    ];
    for path in paths {
        let mut answers = Vec::new();
        for turn in 0..6 {
            let c = &d.content[turn % 2];
            let resp = get(http, &format!("{}{path}", c.url())).await;
            assert_eq!(resp.status(), 200, "{path} on {}", c.name);
            let etag = resp.headers()["etag"].to_str().unwrap().to_string();
            answers.push((etag, resp.bytes().await.unwrap()));
        }
        let normalized = |b: &[u8]| String::from_utf8_lossy(b).replacen(r#""cached":false"#, r#""cached":true"#, 1);
        for (etag, body) in &answers {
            assert_eq!(etag, &answers[0].0, "{path}: one ETag whichever replica answers");
            assert_eq!(normalized(body), normalized(&answers[0].1), "{path}: the same answer");
        }
        for (etag, body) in &answers[2..] {
            assert_eq!((etag, body), (&answers[2].0, &answers[2].1), "{path}: the same bytes from either replica");
        }
        for (i, c) in d.content.iter().enumerate() {
            let other_etag = &answers[1 - i].0;
            let resp = http.get(format!("{}{path}", c.url())).header("if-none-match", other_etag).send().await.unwrap();
            assert_eq!(resp.status(), 304, "{path}: {}'s ETag is current on {}", d.content[1 - i].name, c.name);
        }
    }
}
