//! The live stream under load (issue 13's benchmark): a recorded race
//! replayed at 100x into the single-process stack, with 1,000 SSE clients
//! on `/content/v1/live/stream` through the gateway. Reports the
//! message-to-client latency of `update` events (now minus the event's
//! `sent_at_ms`, stamped by content_api as it sends), p50/p99/max; the
//! clients dropped before the session's `end`; and the stack's resident
//! memory and CPU. A benchmark, not a test: nothing here asserts a goal.
//!
//! With `--delay N` the clients ask for `?delay=N` (the board held N
//! seconds to match a broadcast): latency is then the arrival time minus
//! (`sent_at_ms` + N s), and the events content_api holds for delayed
//! streams are read from its `/metrics` (`content_live_held_*`).
//!
//! The stack is the `wibm` binary, run as its own process (so its memory
//! and CPU are its own) on a temporary data directory; the replay hub and
//! the clients run in this process. Run through `scripts/bench-live-sse.sh`
//! (it raises the open-files limit and builds the release binary):
//!
//! ```sh
//! scripts/bench-live-sse.sh [--clients 1000] [--speed 100] [--delay 0] [--bin target/release/wibm]
//! ```
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::Shutdown;
use fetcher_service::live::replay::{Recording, Replay, ReplayConfig};
use serde_json::Value;
use tokio::sync::Mutex;

/// Clients per loopback address: content_api's default cap of streams per
/// client address (`WIBM_CONTENT_STREAMS_PER_CLIENT`), so the bench runs at
/// the default settings; client `i` connects from `127.0.0.2 + i / 8`.
const PER_ADDRESS: usize = 8;

const EMAIL: &str = "bench@example.com";
const PASSWORD: &str = "bench-password-long-enough";

struct Args {
    clients: usize,
    speed: f64,
    /// Seconds each client asks the stream to be held back (`?delay=`).
    delay: u64,
    bin: PathBuf,
    session: PathBuf,
}

fn args() -> Args {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut a = Args {
        clients: 1000,
        speed: 100.0,
        delay: 0,
        bin: root.join("target/release/wibm"),
        session: root
            .join("fetcher_service/testdata/livetiming/static/2018/2018-04-29_Azerbaijan_Grand_Prix/2018-04-29_Race"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--clients" => a.clients = value().parse().expect("--clients: a number"),
            "--speed" => a.speed = value().parse().expect("--speed: a number"),
            "--delay" => a.delay = value().parse().expect("--delay: whole seconds"),
            "--bin" => a.bin = PathBuf::from(value()),
            "--session" => a.session = PathBuf::from(value()),
            // `cargo bench` passes `--bench`; `cargo test` passes its own.
            _ => {}
        }
    }
    a
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// `(utime + stime)` of `pid` in clock ticks, and its VmRSS and VmHWM in kB.
fn proc_stats(pid: u32) -> (u64, u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces): state is field 3.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<u64> = after.split_whitespace().map(|x| x.parse().unwrap_or(0)).collect();
    let cpu = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()).unwrap_or(0)
    };
    (cpu, kb("VmRSS:"), kb("VmHWM:"))
}

fn start_stack(bin: &PathBuf, data: &std::path::Path, port: u16, hub: &str) -> Child {
    assert!(bin.exists(), "{} is missing: build it (cargo build --release --bin wibm) or pass --bin", bin.display());
    let log = std::fs::File::create(data.join("stack.log")).expect("the stack's log file");
    Command::new(bin)
        .env("WIBM_DATA_DIR", data)
        .env("WIBM_LISTEN", format!("127.0.0.1:{port}"))
        .env("WIBM_LIVETIMING_URL", hub)
        .env("WIBM_LIVE_AUTOSTART", "false")
        .env("WIBM_JOLPICA_URL", "http://127.0.0.1:9/")
        .env("WIBM_F1_WEBSITE_URL", "http://127.0.0.1:9/")
        .env("WIBM_ADMIN_EMAIL", EMAIL)
        .env("WIBM_ADMIN_PASSWORD", PASSWORD)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start the stack")
}

/// Polls `url` until it answers 200, or panics after `deadline`.
async fn ready(http: &reqwest::Client, url: &str, deadline: Duration) {
    let end = Instant::now() + deadline;
    loop {
        if http.get(url).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        assert!(Instant::now() < end, "{url} did not answer within {deadline:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[derive(Default)]
struct Tally {
    /// Arrival minus when the update was due (`sent_at_ms` + the delay).
    latencies_ms: Vec<i64>,
    updates: Vec<usize>,
    dropped: usize,
    ended: usize,
    /// 503s and connections closed unanswered met while connecting (each tried again).
    refused: usize,
}

/// One SSE client: reads events until `end`; latency of every `update`.
async fn client(
    url: String,
    from: std::net::IpAddr,
    connected: Arc<AtomicUsize>,
    tally: Arc<Mutex<Tally>>,
    deadline: Duration,
    delay_ms: u64,
) {
    let http = reqwest::Client::builder().local_address(from).build().expect("a client");
    let mut latencies = Vec::new();
    let mut ended = false;
    let mut counted = false;
    let mut refused = 0;
    // Refused (a 503, or an event stream that only says `retry:`, both with
    // Retry-After: the server at its budget), a client waits as told and
    // tries again; a connection closed without an answer (past the refusals
    // the server answers at once) is tried again after 3 s, as EventSource does.
    let mut answer = http.get(&url).header("accept", "text/event-stream").send().await;
    while refused < 10 {
        let wait = match &answer {
            Ok(res)
                if res.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE
                    || res.headers().contains_key("retry-after") =>
            {
                res.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok()).unwrap_or(1)
            }
            Ok(_) => break,
            Err(_) => 3,
        };
        refused += 1;
        tokio::time::sleep(Duration::from_secs(wait)).await;
        answer = http.get(&url).header("accept", "text/event-stream").send().await;
    }
    if let Ok(mut res) = answer.and_then(|r| r.error_for_status()) {
        // Bytes, not text: the clients share the stack's two cores, so each
        // event is looked at in place (its kind, and an update's
        // `sent_at_ms`), never copied out or parsed whole.
        let mut buffer: Vec<u8> = Vec::new();
        let stop = tokio::time::sleep(deadline);
        tokio::pin!(stop);
        'read: loop {
            let chunk = tokio::select! {
                c = res.chunk() => c,
                _ = &mut stop => break,
            };
            let Ok(Some(chunk)) = chunk else { break };
            let received = unix_ms();
            buffer.extend_from_slice(&chunk);
            let mut used = 0;
            while let Some(end) = find(&buffer[used..], b"\n\n") {
                let block = &buffer[used..used + end];
                used += end + 2;
                match event_kind(block) {
                    b"snapshot" if !counted => {
                        counted = true;
                        connected.fetch_add(1, Ordering::Relaxed);
                    }
                    b"update" => {
                        if let Some(sent) = sent_at_ms(block) {
                            latencies.push(received as i64 - (sent + delay_ms) as i64);
                        }
                    }
                    b"end" => {
                        ended = true;
                        break 'read;
                    }
                    _ => {}
                }
            }
            buffer.drain(..used);
        }
    }
    let mut t = tally.lock().await;
    t.updates.push(latencies.len());
    t.latencies_ms.extend(latencies);
    t.refused += refused;
    if ended { t.ended += 1 } else { t.dropped += 1 }
}

/// content_api's `content_live_held_events` and `content_live_held_bytes`
/// from the stack's `/metrics` (0 when it cannot be read).
async fn held(http: &reqwest::Client, base: &str) -> (f64, f64) {
    let Ok(res) = http.get(format!("{base}/metrics")).send().await else { return (0.0, 0.0) };
    let text = res.text().await.unwrap_or_default();
    let value = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with([' ', '{']))
            .and_then(|l| l.rsplit(' ').next()?.parse().ok())
            .unwrap_or(0.0)
    };
    (value("content_live_held_events"), value("content_live_held_bytes"))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of an event's `event:` line (empty when it has none).
fn event_kind(block: &[u8]) -> &[u8] {
    block.split(|b| *b == b'\n').find_map(|line| line.strip_prefix(b"event:")).map_or(&[][..], |kind| kind.trim_ascii())
}

/// An update's `sent_at_ms`, read in place without parsing the rest of
/// the board (a whole parse per client per update would be counted in
/// every other client's latency).
fn sent_at_ms(block: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"\"sent_at_ms\":";
    let at = find(block, KEY)? + KEY.len();
    let digits: Vec<u8> = block[at..].trim_ascii_start().iter().copied().take_while(u8::is_ascii_digit).collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let a = args();
    let recording = Recording::load(&a.session).expect("the recorded session");
    let played = recording.duration().div_f64(a.speed);
    let shutdown = Shutdown::new();
    // The hub's clock waits for the fetcher's subscription: every client sees the whole race.
    let config = ReplayConfig { speed: a.speed, wait_for_client: true, ..ReplayConfig::default() };
    let replay = Replay::start(recording, config);
    let hub_addr = replay.serve("127.0.0.1:0".parse().unwrap(), shutdown.clone()).await.expect("the replay hub");
    let data = tempfile::tempdir().expect("a data dir");
    eprintln!("stack data and log (stack.log): {}", data.path().display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut stack = start_stack(&a.bin, data.path(), port, &format!("http://{hub_addr}"));
    let pid = stack.id();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("http");
    // The first start imports the bundled history; 2018's calendar is needed.
    ready(&http, &format!("{base}/content/v1/seasons/2018/rounds/4"), Duration::from_secs(600)).await;
    let login: Value = http
        .post(format!("{base}/auth/v1/login"))
        .json(&serde_json::json!({"email": EMAIL, "password": PASSWORD}))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("admin login")
        .json()
        .await
        .expect("tokens");
    let token = login["access_token"].as_str().expect("an access token").to_string();

    let connected = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let deadline = played + Duration::from_secs(120 + a.delay);
    let url = match a.delay {
        0 => format!("{base}/content/v1/live/stream"),
        n => format!("{base}/content/v1/live/stream?delay={n}"),
    };
    let tasks: Vec<_> = (0..a.clients)
        .map(|i| {
            let offset = u32::try_from(i / PER_ADDRESS + 2).expect("a loopback address");
            let from =
                std::net::IpAddr::V4(std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::LOCALHOST) - 1 + offset));
            tokio::spawn(client(url.clone(), from, connected.clone(), tally.clone(), deadline, a.delay * 1000))
        })
        .collect();
    let end = Instant::now() + Duration::from_secs(120);
    while connected.load(Ordering::Relaxed) < a.clients {
        assert!(Instant::now() < end, "only {} of {} clients connected", connected.load(Ordering::Relaxed), a.clients);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (cpu_before, rss_idle, _) = proc_stats(pid);
    let (own_before, _, _) = proc_stats(std::process::id());
    let started = Instant::now();
    let res = http
        .post(format!("{base}/fetcher/v1/live/start?season=2018&round=4&session=race"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("start the live feed");
    assert!(res.status().is_success(), "live/start: {}", res.status());
    eprintln!("{} clients connected; replaying {:.0} s of race at {}x", a.clients, played.as_secs_f64(), a.speed);

    let mut peak_rss = 0;
    let (mut held_events, mut held_bytes) = (0.0_f64, 0.0_f64);
    let mut samples = tokio::time::interval(Duration::from_millis(500));
    let all_done = async {
        for t in tasks {
            let _ = t.await;
        }
    };
    tokio::pin!(all_done);
    loop {
        tokio::select! {
            _ = &mut all_done => break,
            _ = samples.tick() => {
                peak_rss = peak_rss.max(proc_stats(pid).1);
                let (events, bytes) = held(&http, &base).await;
                held_events = held_events.max(events);
                held_bytes = held_bytes.max(bytes);
            }
        }
    }
    let wall = started.elapsed();
    let (cpu_after, rss_end, hwm) = proc_stats(pid);
    let (own_after, _, _) = proc_stats(std::process::id());
    let ticks = 100.0; // USER_HZ on Linux
    let cpu_pct = (cpu_after - cpu_before) as f64 / ticks / wall.as_secs_f64() * 100.0;
    let own_pct = (own_after - own_before) as f64 / ticks / wall.as_secs_f64() * 100.0;

    let mut t = tally.lock().await;
    t.latencies_ms.sort_unstable();
    let per_client_min = t.updates.iter().min().copied().unwrap_or(0);
    let per_client_max = t.updates.iter().max().copied().unwrap_or(0);
    println!("machine: {} cores, load {}", std::thread::available_parallelism().map_or(0, |n| n.get()), {
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    });
    println!(
        "clients: {} connected, {} saw the end, {} dropped; {} refusals (503 or closed) while connecting, retried",
        a.clients, t.ended, t.dropped, t.refused
    );
    println!(
        "updates: {} received (per client {per_client_min}..{per_client_max}) over {:.1} s",
        t.latencies_ms.len(),
        wall.as_secs_f64()
    );
    println!(
        "latency (client arrival - (sent_at_ms + delay {} s)): min {} ms, p50 {} ms, p99 {} ms, max {} ms",
        a.delay,
        t.latencies_ms.first().copied().unwrap_or(0),
        percentile(&t.latencies_ms, 0.50),
        percentile(&t.latencies_ms, 0.99),
        t.latencies_ms.last().copied().unwrap_or(0)
    );
    println!(
        "held for delayed streams (content_live_held_*, peak sampled): {held_events:.0} events, {:.1} MB; stack RSS growth over the replay: {} MB to the peak, {} MB at the end",
        held_bytes / 1e6,
        (peak_rss as i64 - rss_idle as i64) / 1024,
        (rss_end as i64 - rss_idle as i64) / 1024
    );
    println!(
        "stack: RSS {} MB with clients idle, peak {} MB sampled, {} MB at the end (high-water {} MB); CPU {cpu_pct:.0} % of one core over the replay; the bench's clients and replay hub: CPU {own_pct:.0} %",
        rss_idle / 1024,
        peak_rss / 1024,
        rss_end / 1024,
        hwm / 1024
    );
    let _ = stack.kill();
    let _ = stack.wait();
    shutdown.trigger();
}
