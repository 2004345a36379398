//! Load benchmark of `GET /content/v1/seasons/2024/rounds` with a warm
//! cache, side by side with static-response routes of the same server (the
//! ceiling): requests/s, p50 and p99 at 64 connections, for a client
//! without `Accept-Encoding` and for one sending `Accept-Encoding: gzip`.
//!
//! Run: `cargo bench -p content_api --bench load [-- --secs 10 --connections 64]`
//! (`--openf1` measures `/openf1/v1/laps` of a recorded race instead, see
//! `load/openf1.rs`; `--serve` keeps the servers up and prints their addresses, to point
//! `wrk` at them instead).
//!
//! The data is the bundled f1db 2024 season imported into an in-process
//! data_scheduler. Two content_api servers run: one with the default
//! in-process reuse of rendered answers (`WIBM_CONTENT_RESPONSE_CACHE_SECS`
//! = 5) and one with it off, where every request is a gRPC read answered
//! from data_scheduler's cache. Each also serves static routes through the
//! same layers: a tiny JSON body, the rounds answer's own bytes (compressed
//! on the fly by the `CompressionLayer` for a gzip client), and those bytes
//! gzip-compressed beforehand.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::header;
use axum::routing::get;
use common::Shutdown;
use common::encoding::{Encoding, compress};
use content_api::{AppState, Config};
use data_scheduler::cache::memory::MemoryCache;
use data_scheduler::repo::{Repo, Ttls};
use data_scheduler::store::embedded::EmbeddedStore;
use fetcher_service::sources::f1db::{self, F1dbSource};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[path = "load/openf1.rs"]
mod openf1;
#[path = "load/whatif.rs"]
mod whatif;

const ROUNDS: &str = "/content/v1/seasons/2024/rounds";
const STATIC_SMALL: &str = "/bench/static";
const STATIC_SAME: &str = "/bench/static-rounds-size";
const STATIC_SAME_GZ: &str = "/bench/static-rounds-gzip";

struct Args {
    secs: u64,
    connections: usize,
    serve: bool,
    /// Measure `POST .../championship/what-if` instead (see `whatif.rs`).
    what_if: bool,
    /// Measure `/openf1/v1/laps` of a recorded race instead (see `openf1.rs`).
    openf1: bool,
}

fn args() -> Args {
    let mut a = Args { secs: 10, connections: 64, serve: false, what_if: false, openf1: false };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--secs" => a.secs = it.next().and_then(|v| v.parse().ok()).expect("--secs N"),
            "--connections" => a.connections = it.next().and_then(|v| v.parse().ok()).expect("--connections N"),
            "--serve" => a.serve = true,
            "--what-if" => a.what_if = true,
            "--openf1" => a.openf1 = true,
            // `cargo bench` passes `--bench`.
            _ => {}
        }
    }
    a
}

/// One content_api on 127.0.0.1:0 with the static routes added.
async fn content_api(ds: SocketAddr, cache_secs: u64, same_size: Bytes, shutdown: &Shutdown) -> SocketAddr {
    let same_gz = compress(Encoding::Gzip, &same_size);
    let cfg = Config {
        data_scheduler_url: format!("http://{ds}"),
        content_response_cache_secs: cache_secs,
        ..Config::default()
    };
    let state = AppState::new(&cfg).expect("state");
    let small = Bytes::from_static(br#"{"metadata":{"date":0,"cached":true},"result":"ok"}"#);
    let routes = content_api::routes(state.clone())
        .route(STATIC_SMALL, get(move || async move { ([(header::CONTENT_TYPE, "application/json")], small) }))
        .route(STATIC_SAME, get(move || async move { ([(header::CONTENT_TYPE, "application/json")], same_size) }))
        .route(
            STATIC_SAME_GZ,
            get(move || async move {
                ([(header::CONTENT_TYPE, "application/json"), (header::CONTENT_ENCODING, "gzip")], same_gz)
            }),
        );
    let app = content_api::layered(routes, &state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(common::http::serve(listener, app, shutdown.clone()));
    addr
}

/// Reads one HTTP/1.1 response (with a `Content-Length` or chunked, as
/// on-the-fly compression sends it); returns its status and body size.
async fn response(r: &mut BufReader<TcpStream>, line: &mut String) -> std::io::Result<(u16, usize)> {
    line.clear();
    r.read_line(line).await?;
    let status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = 0usize;
    let mut chunked = false;
    loop {
        line.clear();
        if r.read_line(line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            } else if k.eq_ignore_ascii_case("transfer-encoding") {
                chunked = v.to_ascii_lowercase().contains("chunked");
            }
        }
    }
    if !chunked {
        skip(r, length).await?;
        return Ok((status, length));
    }
    let mut total = 0;
    loop {
        line.clear();
        if r.read_line(line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let size = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| std::io::ErrorKind::InvalidData)?;
        if size == 0 {
            // Trailers, then the empty line.
            loop {
                line.clear();
                if r.read_line(line).await? == 0 || line == "\r\n" {
                    return Ok((status, total));
                }
            }
        }
        skip(r, size + 2).await?;
        total += size;
    }
}

/// Reads and drops `n` bytes.
async fn skip(r: &mut BufReader<TcpStream>, n: usize) -> std::io::Result<()> {
    let copied = tokio::io::copy(&mut r.take(n as u64), &mut tokio::io::sink()).await?;
    if copied as usize == n { Ok(()) } else { Err(std::io::ErrorKind::UnexpectedEof.into()) }
}

struct Outcome {
    requests: usize,
    errors: usize,
    body_bytes: usize,
    elapsed: Duration,
    /// Microseconds, sorted.
    latencies: Vec<u32>,
}

impl Outcome {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn kb_per_response(&self) -> f64 {
        self.body_bytes as f64 / self.requests.max(1) as f64 / 1000.0
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies[i]) / 1000.0
    }
}

/// A GET of `path`, with `Accept-Encoding: gzip` when `gzip`.
fn get_request(addr: SocketAddr, path: &str, gzip: bool) -> Arc<Vec<u8>> {
    let accept = if gzip { "Accept-Encoding: gzip\r\n" } else { "" };
    Arc::new(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{accept}\r\n").into_bytes())
}

/// `connections` keep-alive connections sending `request` back to back for
/// `secs`.
async fn load(addr: SocketAddr, request: Arc<Vec<u8>>, connections: usize, secs: u64) -> Outcome {
    let started = Instant::now();
    let until = started + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            let mut bytes = 0;
            let stream = TcpStream::connect(addr).await.expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let mut r = BufReader::with_capacity(256 * 1024, stream);
            let mut line = String::new();
            while Instant::now() < until {
                let t = Instant::now();
                r.get_mut().write_all(&request).await.expect("write");
                match response(&mut r, &mut line).await {
                    Ok((200, size)) => {
                        lat.push(t.elapsed().as_micros() as u32);
                        bytes += size;
                    }
                    Ok(_) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        break;
                    }
                }
            }
            (lat, errors, bytes)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut body_bytes = 0;
    for t in tasks {
        let (lat, e, b) = t.await.expect("load task");
        latencies.extend(lat);
        errors += e;
        body_bytes += b;
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    Outcome { requests: latencies.len(), errors, body_bytes, elapsed, latencies }
}

/// Runs the load generator on its own thread and single-threaded runtime,
/// so it takes at most one core from the servers.
fn measure(addr: SocketAddr, request: Arc<Vec<u8>>, connections: usize, secs: u64) -> Outcome {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            // Warm-up: fill caches, open connections once.
            load(addr, request.clone(), connections, 1).await;
            load(addr, request, connections, secs).await
        })
    })
    .join()
    .expect("load thread")
}

fn main() {
    let args = args();
    if args.what_if {
        return whatif::run(args.connections, args.secs);
    }
    if args.openf1 {
        return openf1::run(args.connections, args.secs);
    }
    let server_rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("rt");
    let dir = tempfile::tempdir().expect("temp dir");
    let shutdown = Shutdown::new();
    let (ds, with_cache, without_cache, body) = server_rt.block_on(async {
        let store = Arc::new(EmbeddedStore::open(dir.path()).expect("store"));
        let repo = Repo::new(store, Arc::new(MemoryCache::new(10_000)), Ttls::default()).await.expect("repo");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let running = data_scheduler::server::spawn(listener, repo, shutdown.clone()).await.expect("data_scheduler");
        let client = data_client::Client::connect_lazy(&format!("http://{}", running.addr), Duration::from_secs(60))
            .expect("client");
        f1db::import_into(&client, F1dbSource::Bundled, Some(2024), Some(2024), |_| {}).await.expect("import 2024");
        // The rounds answer's bytes, for the same-size static route.
        let probe = content_api(running.addr, 0, Bytes::new(), &shutdown).await;
        let body = fetch(probe, ROUNDS).await;
        let with_cache = content_api(running.addr, 5, body.clone(), &shutdown).await;
        let without_cache = content_api(running.addr, 0, body.clone(), &shutdown).await;
        (running.addr, with_cache, without_cache, body)
    });
    let size = body.len();
    let started = Instant::now();
    let gz = compress(Encoding::Gzip, &body);
    let gz_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let br = compress(Encoding::Brotli, &body);
    let br_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!("data: bundled f1db 2024 season; {ROUNDS} answer is {size} bytes");
    println!(
        "its kept compressed forms: gzip {} bytes ({gz_ms:.1} ms to make), br {} bytes ({br_ms:.1} ms to make)",
        gz.len(),
        br.len()
    );
    if args.serve {
        println!(
            "data_scheduler {ds}\ncontent_api (answer reuse 5 s) http://{with_cache}\ncontent_api (no reuse) http://{without_cache}"
        );
        println!("routes: {ROUNDS} {STATIC_SMALL} {STATIC_SAME} {STATIC_SAME_GZ}; Ctrl-C to stop");
        server_rt.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        });
        return;
    }
    println!(
        "{} connections, {} s per route after a 1 s warm-up; the generator runs on one thread of this process\n",
        args.connections, args.secs
    );
    println!("{:<44} {:>10} {:>9} {:>9} {:>9} {:>7}", "route", "req/s", "p50 ms", "p99 ms", "kB/resp", "errors");
    for (label, addr) in [("answer reuse on (default)", with_cache), ("answer reuse off", without_cache)] {
        for gzip in [false, true] {
            let client = if gzip { "Accept-Encoding: gzip" } else { "no Accept-Encoding" };
            println!("-- content_api, {label}; client sends {client}");
            let mut routes = vec![ROUNDS, STATIC_SAME];
            if gzip {
                routes.push(STATIC_SAME_GZ);
            }
            routes.push(STATIC_SMALL);
            let outcomes: Vec<_> = routes
                .iter()
                .map(|&path| (path, measure(addr, get_request(addr, path, gzip), args.connections, args.secs)))
                .collect();
            for (path, o) in &outcomes {
                println!(
                    "{:<44} {:>10.0} {:>9.2} {:>9.2} {:>9.1} {:>7}",
                    path,
                    o.rps(),
                    o.percentile_ms(0.5),
                    o.percentile_ms(0.99),
                    o.kb_per_response(),
                    o.errors
                );
            }
            let rps = |p: &str| outcomes.iter().find(|(path, _)| *path == p).map_or(f64::NAN, |(_, o)| o.rps());
            let same = if gzip { STATIC_SAME_GZ } else { STATIC_SAME };
            println!(
                "ratio rounds / {same}: {:.2}; rounds / {STATIC_SMALL}: {:.2}\n",
                rps(ROUNDS) / rps(same),
                rps(ROUNDS) / rps(STATIC_SMALL)
            );
        }
    }
    shutdown.trigger();
}

async fn fetch(addr: SocketAddr, path: &str) -> Bytes {
    let stream = TcpStream::connect(addr).await.expect("connect");
    let mut r = BufReader::new(stream);
    r.get_mut().write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes()).await.expect("write");
    let mut line = String::new();
    r.read_line(&mut line).await.expect("status line");
    assert!(line.contains(" 200 "), "{path}: {line}");
    let mut length = 0;
    loop {
        line.clear();
        r.read_line(&mut line).await.expect("header");
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().expect("length");
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).await.expect("body");
    Bytes::from(body)
}
