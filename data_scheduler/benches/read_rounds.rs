//! Reads one season's rounds (`GetRounds`) through the gRPC API, with a warm
//! cache and with a cold one, for each cache backend (in-process; Redis when
//! redis-server is installed), with a client that decodes each answer and
//! one that keeps its bytes. Prints requests/s and p50/p99 latency.
//!
//! Run: `cargo bench -p data_scheduler --bench read_rounds`
//!
//! The season is synthetic but shaped like 2024: 24 rounds, 6 of them sprint
//! weekends, every session with 20 classified drivers (~700 KB encoded).
//! "Cold" invalidates the season's tag before every request (that bump is
//! not timed), so every read assembles the answer from the store.
use std::sync::Arc;
use std::time::{Duration, Instant};

use data_scheduler::cache::{Cache, memory::MemoryCache, redis::RedisCache};
use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;

const CONCURRENCY: usize = 8;
const PER_TASK: usize = 250;

fn season() -> WriteBatchRequest {
    let mut rounds = Vec::new();
    for round in 1..=24 {
        let sprint = round % 4 == 0;
        let mut types = vec![SessionType::Practice1, SessionType::Qualifying, SessionType::Race];
        if sprint {
            types.extend([SessionType::SprintQualifying, SessionType::Sprint]);
        } else {
            types.extend([SessionType::Practice2, SessionType::Practice3]);
        }
        let sessions = types
            .into_iter()
            .map(|t| Session {
                season: 2024,
                round,
                r#type: t as i32,
                date: "2024-04-21".into(),
                start_time: Some(1_713_682_800 + t as i64 * 3600),
                status: SessionStatus::Finished as i32,
                results: (1..=20)
                    .map(|p| SessionResult {
                        position: p,
                        position_text: p.to_string(),
                        driver_number: p,
                        driver_id: format!("driver-{p}"),
                        driver_code: format!("D{p:02}"),
                        driver_name: format!("Driver Number {p}"),
                        constructor_id: format!("team-{}", p / 2),
                        team: format!("Team {}", p / 2),
                        time: "1:32:01.123".into(),
                        gap: format!("+{p}.123"),
                        laps: 57,
                        status: "Finished".into(),
                        points: f64::from((26 - p).max(0)),
                        grid: p,
                        q1: "1:30.123".into(),
                        q2: "1:29.456".into(),
                        q3: "1:29.001".into(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            })
            .collect();
        rounds.push(Round {
            season: 2024,
            round,
            name: format!("Grand Prix {round}"),
            official_name: format!("Formula 1 Grand Prix {round} 2024"),
            circuit_id: format!("circuit-{round}"),
            format: if sprint { RoundFormat::Sprint } else { RoundFormat::Conventional } as i32,
            sessions,
            ..Default::default()
        });
    }
    let circuits = (1..=24)
        .map(|i| Circuit { id: format!("circuit-{i}"), name: format!("Circuit {i}"), ..Default::default() })
        .collect();
    let seasons =
        vec![Season { year: 2024, status: SeasonStatus::Completed as i32, total_rounds: 24, ..Default::default() }];
    WriteBatchRequest { seasons, rounds, circuits, ..Default::default() }
}

struct Figures {
    rps: f64,
    p50: Duration,
    p99: Duration,
}

/// What the bench's client does with an answer.
#[derive(Clone, Copy, PartialEq)]
enum Client {
    /// Decodes it into messages (`data_client`, as content_api does on a miss).
    Decodes,
    /// Keeps the answer's bytes as they came (the server's cost, with one
    /// copy out of the HTTP/2 frames on the client).
    KeepsBytes,
}

/// A gRPC codec that sends a `SeasonKey` and takes the answer as bytes.
#[derive(Clone, Copy, Default)]
struct AnswerBytes;

impl tonic::codec::Codec for AnswerBytes {
    type Encode = SeasonKey;
    type Decode = bytes::Bytes;
    type Encoder = Self;
    type Decoder = Self;
    fn encoder(&mut self) -> Self {
        *self
    }
    fn decoder(&mut self) -> Self {
        *self
    }
}

impl tonic::codec::Encoder for AnswerBytes {
    type Item = SeasonKey;
    type Error = tonic::Status;
    fn encode(&mut self, item: SeasonKey, dst: &mut tonic::codec::EncodeBuf<'_>) -> Result<(), tonic::Status> {
        prost::Message::encode(&item, dst).map_err(|e| tonic::Status::internal(e.to_string()))
    }
}

impl tonic::codec::Decoder for AnswerBytes {
    type Item = bytes::Bytes;
    type Error = tonic::Status;
    fn decode(&mut self, src: &mut tonic::codec::DecodeBuf<'_>) -> Result<Option<bytes::Bytes>, tonic::Status> {
        use bytes::Buf;
        Ok(Some(src.copy_to_bytes(src.remaining())))
    }
}

async fn rounds_as_bytes(channel: tonic::transport::Channel) -> bytes::Bytes {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let path = http::uri::PathAndQuery::from_static("/willitbemax.v1.SportData/GetRounds");
    grpc.unary(tonic::Request::new(SeasonKey { season: 2024 }), path, AnswerBytes).await.unwrap().into_inner()
}

async fn run(ds: &TestDataScheduler, cold: bool, mode: Client) -> Figures {
    // The whole answer, decoded once: every bytes-kept answer must match its size.
    let whole = ds.client().sport().get_rounds(SeasonKey { season: 2024 }).await.unwrap().into_inner();
    let size = prost::Message::encoded_len(&whole);
    let channel = tonic::transport::Channel::from_shared(ds.url()).unwrap().connect().await.unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let mut client = ds.client().sport();
        let channel = channel.clone();
        let repo = ds.repo.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(PER_TASK);
            for _ in 0..PER_TASK {
                if cold {
                    repo.cache().bump(&["rounds:2024".to_string()]).await.unwrap();
                }
                let t = Instant::now();
                match mode {
                    Client::Decodes => {
                        let r = client.get_rounds(SeasonKey { season: 2024 }).await.unwrap().into_inner();
                        latencies.push(t.elapsed());
                        assert_eq!(r.rounds.len(), 24);
                    }
                    Client::KeepsBytes => {
                        let answer = rounds_as_bytes(channel.clone()).await;
                        latencies.push(t.elapsed());
                        // Metadata (`cached`, the date) may differ by a byte or two.
                        assert!(answer.len().abs_diff(size) < 16, "{} bytes, not ~{size}", answer.len());
                    }
                }
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    all.sort();
    Figures { rps: all.len() as f64 / elapsed.as_secs_f64(), p50: all[all.len() / 2], p99: all[all.len() * 99 / 100] }
}

async fn bench(name: &str, cache: Arc<dyn Cache>) {
    let ds = TestDataScheduler::start_with_cache(cache).await;
    let batch = season();
    ds.client().sport().write_batch(batch).await.unwrap();
    // Warm up connections and the cache.
    let _ = run(&ds, false, Client::Decodes).await;
    let runs = [
        ("warm", false, Client::Decodes),
        ("cold", true, Client::Decodes),
        ("warm, client keeps the bytes", false, Client::KeepsBytes),
        ("cold, client keeps the bytes", true, Client::KeepsBytes),
    ];
    for (label, cold, mode) in runs {
        let f = run(&ds, cold, mode).await;
        println!(
            "GetRounds(2024) cache={name:<6} {label}: {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  ({} requests, {CONCURRENCY} concurrent)",
            f.rps,
            f.p50.as_secs_f64() * 1e3,
            f.p99.as_secs_f64() * 1e3,
            CONCURRENCY * PER_TASK,
        );
    }
    let _ = ds.stop().await;
}

#[tokio::main]
async fn main() {
    bench("memory", Arc::new(MemoryCache::new(10_000))).await;
    match testkit::redis::RedisServer::start("read_rounds bench") {
        Some(server) => {
            let cache = Arc::new(RedisCache::new(&server.url(), Duration::from_millis(500)).unwrap());
            bench("redis", cache).await;
        }
        None => println!("GetRounds(2024) cache=redis  skipped: redis-server not installed"),
    }
}
