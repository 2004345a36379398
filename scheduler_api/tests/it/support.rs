//! The test app: data_scheduler with the 2024 Chinese GP stored, the fake
//! fetcher, and schedulers on 127.0.0.1:0 driven by one test clock.
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::Shutdown;
use protobuf::v1::{Round, RoundFormat, Season, SeasonStatus, Session, SessionStatus, SessionType, WriteBatchRequest};
use scheduler_api::{AppState, Config, Engine, TestClock};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;

use crate::fake_fetcher::FakeFetcher;

/// The longest a test waits for the engine to catch up with the clock.
pub const DEADLINE: Duration = Duration::from_secs(30);

pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}")).to_utc()
}

/// The 2024 Chinese GP (round 5, sprint weekend), sessions in UTC.
pub const CHINA: [(SessionType, &str); 5] = [
    (SessionType::Practice1, "2024-04-19T03:30:00Z"),
    (SessionType::SprintQualifying, "2024-04-19T07:30:00Z"),
    (SessionType::Sprint, "2024-04-20T03:00:00Z"),
    (SessionType::Qualifying, "2024-04-20T07:00:00Z"),
    (SessionType::Race, "2024-04-21T07:00:00Z"),
];

/// Writes season 2024 and its round 5 with the weekend's sessions (no results).
pub async fn store_china(ds: &TestDataScheduler) {
    let mut client = ds.client().sport();
    let season = Season { year: 2024, status: SeasonStatus::InProgress as i32, total_rounds: 24, ..Season::default() };
    client
        .write_batch(WriteBatchRequest { seasons: vec![season], ..Default::default() })
        .await
        .expect("season written");
    let sessions = CHINA
        .iter()
        .map(|(kind, start)| Session {
            season: 2024,
            round: 5,
            r#type: *kind as i32,
            date: start[..10].to_string(),
            start_time: Some(t(start).timestamp()),
            status: SessionStatus::Scheduled as i32,
            ..Session::default()
        })
        .collect();
    let round = Round {
        season: 2024,
        round: 5,
        name: "Chinese Grand Prix".into(),
        circuit_id: "shanghai".into(),
        format: RoundFormat::Sprint as i32,
        first_date: "2024-04-19".into(),
        date: "2024-04-21".into(),
        end_date: "2024-04-21".into(),
        sessions,
        ..Round::default()
    };
    client.write_batch(WriteBatchRequest { rounds: vec![round], ..Default::default() }).await.expect("round written");
}

/// A config pointing at `ds` and `fetcher_url`, ticking fast in real time.
pub fn config(ds: &TestDataScheduler, fetcher_url: &str) -> Config {
    Config {
        data_scheduler_url: ds.url(),
        fetcher_url: fetcher_url.to_string(),
        scheduler_live_signal_url: Some(format!("{fetcher_url}/live")),
        scheduler_fetch_timeout_secs: common::config::Secs::of(20),
        scheduler_tick_ms: common::config::Millis::of(200),
        ..Config::default()
    }
}

pub struct TestScheduler {
    pub url: String,
    pub engine: Engine,
    pub shutdown: Shutdown,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestScheduler {
    /// A replica as production builds it: its locks are the leases of the
    /// world's data_scheduler (replicas of one world share them).
    pub async fn local(cfg: &Config, clock: &TestClock) -> Self {
        let state = AppState::new(cfg, Arc::new(clock.clone())).expect("state");
        Self::serve(state).await
    }

    async fn serve(state: AppState) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let shutdown = Shutdown::new();
        let running = scheduler_api::spawn(listener, state, shutdown.clone()).await.expect("spawn");
        Self { url: format!("http://{}", running.addr), engine: running.engine, shutdown, task: running.task }
    }

    /// Waits until the engine has planned for `at` and its runs are done.
    pub async fn settled(&self, at: DateTime<Utc>) {
        tokio::time::timeout(DEADLINE, self.engine.settled(at))
            .await
            .unwrap_or_else(|_| panic!("the engine did not settle at {at} within {DEADLINE:?}"));
    }

    pub async fn stop(self) {
        self.shutdown.trigger();
        tokio::time::timeout(DEADLINE, self.task).await.expect("stops in time").expect("task").expect("served");
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let res = reqwest::get(format!("{}{path}", self.url)).await.expect("GET");
        let status = res.status().as_u16();
        (status, res.json().await.expect("JSON body"))
    }

    pub async fn post(&self, path: &str) -> (u16, Value) {
        let res = reqwest::Client::new().post(format!("{}{path}", self.url)).send().await.expect("POST");
        let status = res.status().as_u16();
        (status, res.json().await.expect("JSON body"))
    }
}

/// Everything a scenario needs, with the clock at `start`.
pub struct World {
    pub ds: TestDataScheduler,
    pub clock: TestClock,
    pub fetcher: FakeFetcher,
}

impl World {
    pub async fn new(start: &str) -> Self {
        let ds = TestDataScheduler::start().await;
        store_china(&ds).await;
        let clock = TestClock::new(t(start));
        let fetcher = FakeFetcher::start(clock.clone(), ds.client().sport()).await;
        Self { ds, clock, fetcher }
    }

    pub fn config(&self) -> Config {
        config(&self.ds, &self.fetcher.url())
    }
}
