//! The TestApp: an in-process data_scheduler with a temporary store, a
//! replay server over recorded (or reconstructed) upstream answers, and
//! the fetcher's router on 127.0.0.1:0 pointed at both.
pub mod ergast;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use common::Shutdown;
use data_client::Client;
use fetcher_service::config::Config;
use fetcher_service::sources::f1db::{F1dbSource, import_into};
use fetcher_service::{AppState, router};
use protobuf::v1::{
    Circuit, Constructor, Driver, IdAlias, IdAliasFilter, IdsFilter, Page, Round, Season, SeasonFilter, SeasonKey,
    Standings,
};
use serde_json::Value;
use testkit::data_scheduler::TestDataScheduler;
use testkit::replay::{ReplayServer, assert_loopback};

/// `fetcher_service/testdata`.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// A replay root holding the recorded answers: copies of `testdata/jolpica`
/// and `testdata/formula1` (tests may change them) and a link to the
/// (larger, never changed) LiveTiming recordings.
pub fn recorded_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for source in ["jolpica", "formula1"] {
        copy_dir(&testdata().join(source), &dir.path().join(source));
    }
    std::os::unix::fs::symlink(testdata().join("livetiming"), dir.path().join("livetiming")).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A replay root whose `jolpica/` holds season `year` reconstructed from
/// f1db (see `ergast.rs`), next to the recorded livetiming answers.
pub fn reconstructed_root(year: i32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ergast::write_season(&dir.path().join("jolpica"), year);
    std::os::unix::fs::symlink(testdata().join("livetiming"), dir.path().join("livetiming")).unwrap();
    dir
}

/// Test config: every upstream on the replay server, pacing off, short
/// timeouts and backoffs so fault tests finish quickly.
pub fn config(data_scheduler_url: &str, replay_url: &str) -> Config {
    let config = Config {
        data_scheduler_url: data_scheduler_url.to_string(),
        data_scheduler_timeout_ms: common::config::Millis::of(5_000),
        jolpica_url: format!("{replay_url}/jolpica/ergast/f1"),
        f1_website_url: format!("{replay_url}/formula1"),
        // Circuit maps linked on https://media.formula1.com are under `formula1/media/`.
        f1_media_url: format!("{replay_url}/formula1/media"),
        livetiming_url: format!("{replay_url}/livetiming"),
        upstream_timeout_ms: common::config::Millis::of(400),
        upstream_backoff_ms: 10,
        upstream_pacing: false,
        live_autostart: Some(false),
        ..Config::default()
    };
    let c = &config;
    for url in [&c.data_scheduler_url, &c.jolpica_url, &c.f1_website_url, &c.f1_media_url, &c.livetiming_url] {
        assert_loopback(url);
    }
    config
}

pub struct TestApp {
    pub ds: Option<TestDataScheduler>,
    pub replay: ReplayServer,
    pub client: Client,
    pub addr: SocketAddr,
    http: reqwest::Client,
    shutdown: Shutdown,
    _root: tempfile::TempDir,
}

impl TestApp {
    /// Serves `root` (see [`recorded_root`], [`reconstructed_root`]).
    pub async fn start(root: tempfile::TempDir) -> Self {
        Self::start_with(root, |_| {}).await
    }

    /// Like [`TestApp::start`], with the test config changed by `change`.
    pub async fn start_with(root: tempfile::TempDir, change: impl FnOnce(&mut Config)) -> Self {
        let ds = TestDataScheduler::start().await;
        let replay = ReplayServer::start(root.path()).await;
        let mut config = config(&ds.url(), &replay.url());
        change(&mut config);
        let state = AppState::new(config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = Shutdown::new();
        tokio::spawn(common::http::serve(listener, router(state), shutdown.clone()));
        let client = ds.client();
        Self { ds: Some(ds), replay, client, addr, http: reqwest::Client::new(), shutdown, _root: root }
    }

    pub fn root(&self) -> &Path {
        self._root.path()
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        let response = req.send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
    }

    pub async fn post(&self, path: &str) -> (u16, Value) {
        self.send(self.http.post(format!("http://{}{path}", self.addr))).await
    }

    pub async fn post_planned(&self, path: &str) -> (u16, Value) {
        self.send(self.http.post(format!("http://{}{path}", self.addr)).header("X-Wibm-Trigger", "planned")).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.http.get(format!("http://{}{path}", self.addr))).await
    }

    /// Imports f1db seasons `from..=to` (bundled) straight through gRPC.
    pub async fn import(&self, from: i32, to: i32) {
        import_into(&self.client, F1dbSource::Bundled, Some(from), Some(to), |_| {}).await.unwrap();
    }

    /// Stops data_scheduler (an outage).
    pub async fn stop_data_scheduler(&mut self) {
        if let Some(ds) = self.ds.take() {
            ds.stop().await;
        }
    }

    pub async fn snapshot(&self) -> StoreSnapshot {
        StoreSnapshot::read(&self.client).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// Every sport and reference record in the store (sync runs excepted),
/// to compare the store before and after a failed sync.
#[derive(Debug, PartialEq)]
pub struct StoreSnapshot {
    pub seasons: Vec<Season>,
    pub rounds: Vec<Round>,
    pub standings: Vec<Standings>,
    pub drivers: Vec<Driver>,
    pub constructors: Vec<Constructor>,
    pub circuits: Vec<Circuit>,
    pub aliases: Vec<IdAlias>,
}

impl StoreSnapshot {
    pub async fn read(client: &Client) -> Self {
        let mut c = client.sport();
        let page = Some(Page { page: 1, per_page: Some(1000) });
        let seasons = c.get_seasons(SeasonFilter { page, ..Default::default() }).await.unwrap().into_inner().seasons;
        let mut rounds = Vec::new();
        let mut standings = Vec::new();
        for s in &seasons {
            rounds.extend(c.get_rounds(SeasonKey { season: s.year }).await.unwrap().into_inner().rounds);
            if let Ok(p) = c.get_standings_progression(SeasonKey { season: s.year }).await {
                standings.extend(p.into_inner().rounds);
            }
        }
        let ids = IdsFilter { ids: vec![], page, ..Default::default() };
        Self {
            seasons,
            rounds,
            standings,
            drivers: c.get_drivers(ids.clone()).await.unwrap().into_inner().drivers,
            constructors: c.get_constructors(ids.clone()).await.unwrap().into_inner().constructors,
            circuits: c.get_circuits(ids).await.unwrap().into_inner().circuits,
            aliases: c.get_id_aliases(IdAliasFilter::default()).await.unwrap().into_inner().aliases,
        }
    }
}
