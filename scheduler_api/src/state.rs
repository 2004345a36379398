//! What the routes and the engine share.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use common::internal::InternalToken;
use data_client::Client;

use crate::clock::Clock;
use crate::config::Config;
use crate::engine::{Engine, EngineParts};
use crate::fetcher::Fetcher;
use crate::lock::{Lock, lease::LeaseLock};
use crate::runner::Runner;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub(crate) engine: Engine,
    pub(crate) runner: Arc<Runner>,
    pub(crate) store: Store,
    pub(crate) fetcher: Fetcher,
    pub(crate) lock: Arc<dyn Lock>,
    pub(crate) request_timeout: Duration,
    pub(crate) internal: Option<InternalToken>,
}

fn client(cfg: &Config) -> anyhow::Result<Client> {
    let token = InternalToken::from_config(cfg.internal_token.as_ref())?;
    Client::connect_lazy_with(&cfg.data_scheduler_url, cfg.grpc_timeout(), token.as_ref())
        .with_context(|| format!("data_scheduler URL {}", cfg.data_scheduler_url))
}

impl AppState {
    /// Everything from the configuration; connections are lazy, so the
    /// scheduler may start before data_scheduler or the fetcher. The locks
    /// are data_scheduler's leases.
    pub fn new(cfg: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        Self::with_lock(cfg, clock, Arc::new(LeaseLock::new(client(cfg)?)))
    }

    /// As [`AppState::new`] with a given lock.
    pub fn with_lock(cfg: &Config, clock: Arc<dyn Clock>, lock: Arc<dyn Lock>) -> anyhow::Result<Self> {
        let settings = cfg.settings()?;
        let store = Store::new(client(cfg)?);
        let internal = InternalToken::from_config(cfg.internal_token.as_ref())?;
        let fetcher = Fetcher::new(&cfg.fetcher_url, cfg.fetch_timeout(), cfg.scheduler_live_signal_url.clone())
            .context("building the fetcher client")?
            .with_internal_token(internal.clone());
        let guard_ttl = cfg.fetch_timeout() + Duration::from_secs(60);
        let runner = Arc::new(Runner::new(clock, lock.clone(), store.clone(), fetcher.clone(), guard_ttl));
        let engine = Engine::new(EngineParts {
            settings,
            runner: runner.clone(),
            store: store.clone(),
            lock: lock.clone(),
            lock_ttl: cfg.lock_ttl(),
            tick: cfg.tick(),
        });
        Ok(Self { engine, runner, store, fetcher, lock, request_timeout: cfg.request_timeout(), internal })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}
