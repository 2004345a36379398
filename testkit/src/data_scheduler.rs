//! An in-process data_scheduler on 127.0.0.1:0 with a temporary embedded
//! store (and the in-process cache unless a cache is given).
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use common::Shutdown;
use data_client::Client;
use data_scheduler::cache::{Cache, memory::MemoryCache};
use data_scheduler::repo::{Repo, Ttls};
use data_scheduler::store::{Store, embedded::EmbeddedStore};

pub struct TestDataScheduler {
    pub addr: SocketAddr,
    pub repo: Arc<Repo>,
    pub shutdown: Shutdown,
    /// The store's directory; removed on drop.
    pub dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestDataScheduler {
    /// Embedded store in a fresh temp dir, in-process cache.
    pub async fn start() -> Self {
        Self::start_with_cache(Arc::new(MemoryCache::new(10_000))).await
    }

    pub async fn start_with_cache(cache: Arc<dyn Cache>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(dir.path()).expect("embedded store"));
        Self::start_with(store, cache, dir).await
    }

    pub async fn start_with(store: Arc<dyn Store>, cache: Arc<dyn Cache>, dir: tempfile::TempDir) -> Self {
        let repo = Repo::new(store, cache, Ttls::default()).await.expect("repo");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let shutdown = Shutdown::new();
        let running = data_scheduler::server::spawn(listener, repo, shutdown.clone()).await.expect("spawn");
        Self { addr: running.addr, repo: running.repo, shutdown, dir, task: running.task }
    }

    /// `n` replicas over one temporary store, each fanning the live board
    /// out to the others through the redis-server at `redis_url` (as
    /// `WIBM_REDIS_URL` does). The store's directory is returned with them.
    pub async fn replicas(redis_url: &str, n: usize) -> (Vec<Self>, tempfile::TempDir) {
        use data_scheduler::cache::live_bus::RedisLiveBus;
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(dir.path()).expect("embedded store"));
        let mut replicas = Vec::new();
        for _ in 0..n {
            let own = tempfile::tempdir().expect("temp dir");
            let ds = Self::start_with(store.clone(), Arc::new(MemoryCache::new(10)), own).await;
            let bus = RedisLiveBus::new(redis_url, Duration::from_secs(2)).expect("a Redis client");
            ds.repo.attach_live_bus(Arc::new(bus), ds.shutdown.clone());
            replicas.push(ds);
        }
        (replicas, dir)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client with a 10 s deadline per call.
    pub fn client(&self) -> Client {
        Client::connect_lazy(&self.url(), Duration::from_secs(10)).expect("client")
    }

    /// Stops serving and waits for the server task to end.
    pub async fn stop(self) -> tempfile::TempDir {
        self.shutdown.trigger();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.task).await;
        self.dir
    }
}
