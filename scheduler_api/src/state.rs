//! What the routes and the engine share.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use common::internal::InternalToken;
use secrecy::ExposeSecret;

use crate::clock::Clock;
use crate::config::Config;
use crate::engine::{Engine, EngineParts};
use crate::fetcher::Fetcher;
use crate::lock::{LocalLock, Lock, redis::RedisLock};
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

/// The lock backend the configuration asks for: Redis when
/// `WIBM_REDIS_URL` is set, in-process otherwise.
pub fn lock_from(cfg: &Config) -> anyhow::Result<Arc<dyn Lock>> {
    Ok(match &cfg.redis_url {
        Some(url) => Arc::new(RedisLock::new(url.expose_secret(), cfg.redis_timeout()).context("opening Redis")?),
        None => Arc::new(LocalLock::new()),
    })
}

impl AppState {
    /// Everything from the configuration; connections are lazy, so the
    /// scheduler may start before data_scheduler, the fetcher or Redis.
    pub fn new(cfg: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        Self::with_lock(cfg, clock, lock_from(cfg)?)
    }

    /// As [`AppState::new`] with a given lock (tests share one between engines).
    pub fn with_lock(cfg: &Config, clock: Arc<dyn Clock>, lock: Arc<dyn Lock>) -> anyhow::Result<Self> {
        let settings = cfg.settings()?;
        let client = data_scheduler::client::connect_lazy(&cfg.data_scheduler_url, cfg.grpc_timeout())
            .with_context(|| format!("data_scheduler URL {}", cfg.data_scheduler_url))?;
        let store = Store::new(client);
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
