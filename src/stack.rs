//! `wibm serve`: every service in one process, each on its own loopback
//! port and talking to the others over gRPC and HTTP exactly as in
//! containers, behind one public address (`WIBM_LISTEN`) routed like
//! Traefik (calling content_api and the website in-process). On first
//! start with an empty store the bundled f1db data is imported, so the site
//! shows real seasons offline.
use std::net::SocketAddr;

use anyhow::Context;
use common::Shutdown;
use common::internal::InternalToken;
use secrecy::SecretString;
use serde::Deserialize;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::gateway::{self, Upstreams};

/// The stack's own settings (each service reads its own `WIBM_*` too).
#[derive(Debug, Clone, Deserialize)]
pub struct StackConfig {
    /// The one address meant for people (`WIBM_LISTEN`).
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Import the bundled f1db data when the store is empty (`WIBM_IMPORT_ON_START`).
    #[serde(default = "default_true")]
    pub import_on_start: bool,
    /// First and last season imported on start (`WIBM_IMPORT_FROM`,
    /// `WIBM_IMPORT_TO`); default: every bundled season (1950 on).
    #[serde(default)]
    pub import_from: Option<i32>,
    #[serde(default)]
    pub import_to: Option<i32>,
    /// The internal credential the gateway gives the fetcher and
    /// scheduler_api (`WIBM_INTERNAL_TOKEN`); default: a random one per start.
    #[serde(default)]
    pub internal_token: Option<SecretString>,
}

fn default_listen() -> String {
    "127.0.0.1:8080".into()
}
fn default_true() -> bool {
    true
}

/// Addresses of a running stack.
#[derive(Debug, Clone, Copy)]
pub struct Addrs {
    pub public: SocketAddr,
    pub data_scheduler: SocketAddr,
    pub upstreams: Upstreams,
}

pub struct Running {
    pub addrs: Addrs,
    tasks: JoinSet<anyhow::Result<()>>,
}

impl Running {
    /// Waits until every service has stopped (after shutdown), or returns
    /// the first service that failed.
    pub async fn wait(mut self) -> anyhow::Result<()> {
        while let Some(done) = self.tasks.join_next().await {
            done.context("a service task panicked")??;
        }
        Ok(())
    }
}

async fn loopback() -> anyhow::Result<TcpListener> {
    TcpListener::bind("127.0.0.1:0").await.context("binding a loopback port")
}

fn url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// `wibm serve`: start, print the URL, run until Ctrl-C or SIGTERM.
pub async fn serve() -> anyhow::Result<()> {
    common::telemetry::init_from_env().context("reading WIBM_LOG_JSON")?;
    let cfg: StackConfig = common::config::load().context("reading WIBM_* configuration")?;
    let shutdown = Shutdown::on_signals();
    let running = start(&cfg, shutdown.clone()).await?;
    println!("willitbemax is ready: http://{}/", running.addrs.public);
    let result = running.wait().await;
    tracing::info!("willitbemax stopped");
    result
}

/// Starts every service and the gateway; returns once they all listen and
/// the first-start import (if any) is done.
pub async fn start(cfg: &StackConfig, shutdown: Shutdown) -> anyhow::Result<Running> {
    let mut tasks = JoinSet::new();
    // Every service listens on loopback, where any local user can reach it:
    // the fetcher and the triggers accept only requests carrying this token,
    // which only the gateway (after its admin check) and scheduler_api add.
    let internal = InternalToken::from_config(cfg.internal_token.as_ref())?.unwrap_or_else(InternalToken::generate);

    // data_scheduler: the store and the cache.
    let ds_cfg: data_scheduler::Config = common::config::load().context("data_scheduler configuration")?;
    let repo = data_scheduler::server::open_repo(&ds_cfg).await?;
    data_scheduler::server::fan_out_live(&ds_cfg, &repo, shutdown.clone())?;
    // Its port is on loopback too: only callers with the token get answers.
    let ds = data_scheduler::server::spawn_guarded(loopback().await?, repo, Some(internal.clone()), shutdown.clone())
        .await?;
    let ds_url = url(ds.addr);
    tasks.spawn(async move { ds.task.await?.context("data_scheduler") });

    // auth_api
    let mut auth_cfg: auth_api::Config = auth_api::Config::load().context("auth_api configuration")?;
    auth_cfg.data_scheduler_url = ds_url.clone();
    auth_cfg.internal_token = Some(internal.to_secret());
    // The gateway passes the client's address in X-Forwarded-For.
    auth_cfg.auth_trust_forwarded_for = true;
    // One process on one machine: generate the signing key and keep it in the data dir.
    auth_cfg.single_process = true;
    let auth_state = auth_api::AppState::from_config(&auth_cfg).context("starting auth_api")?;
    if let Some((email, password)) = auth_api::bootstrap::configured_admin(&auth_cfg)? {
        tokio::spawn(auth_api::bootstrap::run(auth_state.clone(), email, password, shutdown.clone()));
    }
    let auth_listener = loopback().await?;
    let auth_addr = auth_listener.local_addr()?;
    let router = auth_api::router(auth_state);
    let sd = shutdown.clone();
    tasks.spawn(async move { common::http::serve(auth_listener, router, sd).await.context("auth_api") });

    // fetcher_service
    let mut fetcher_cfg: fetcher_service::config::Config =
        common::config::load().context("fetcher_service configuration")?;
    fetcher_cfg.data_scheduler_url = ds_url.clone();
    fetcher_cfg.internal_token = Some(internal.to_secret());
    let fetcher_state = fetcher_service::AppState::new(fetcher_cfg).context("starting fetcher_service")?;
    let fetcher_listener = loopback().await?;
    let fetcher_addr = fetcher_listener.local_addr()?;
    let router = fetcher_service::router(fetcher_state);
    let sd = shutdown.clone();
    tasks.spawn(async move { common::http::serve(fetcher_listener, router, sd).await.context("fetcher_service") });

    // content_api
    let mut content_cfg: content_api::Config = common::config::load().context("content_api configuration")?;
    content_cfg.data_scheduler_url = ds_url.clone();
    content_cfg.internal_token = Some(internal.to_secret());
    // The website passes a viewer's address on with the token (the gateway
    // calls content_api in-process, where the peer is the viewer).
    content_cfg.content_trust_forwarded_for = true;
    // The optional rate limits check API keys with auth_api.
    content_cfg.auth_url = Some(url(auth_addr));
    let content_state = content_api::AppState::new(&content_cfg).context("starting content_api")?;
    let content_listener = loopback().await?;
    let content_addr = content_listener.local_addr()?;
    // One router, one state: the gateway calls it in-process, the website
    // over its loopback port; both share its caches.
    content_state.start_following();
    let content_router = content_api::router(content_state.clone());
    let sd = shutdown.clone();
    let router = content_router.clone();
    let limits = content_cfg.serve_limits();
    tasks.spawn(
        async move { common::serve::serve_with(content_listener, router, sd, limits).await.context("content_api") },
    );

    // website_front
    let mut web_cfg: website_front::Config = common::config::load().context("website_front configuration")?;
    web_cfg.content_url = url(content_addr);
    web_cfg.internal_token = Some(internal.to_secret());
    web_cfg.website_trust_forwarded_for = true;
    // Same process: the website reads content_api's data version directly
    // instead of asking /content/v1/changes on every visit.
    let version: website_front::VersionSource = {
        let content = content_state.clone();
        std::sync::Arc::new(move || content.changes_version())
    };
    let web_state =
        website_front::AppState::reading_version(&web_cfg, Some(version)).context("starting website_front")?;
    let web_listener = loopback().await?;
    let web_addr = web_listener.local_addr()?;
    let web_router = website_front::router(web_state);
    let sd = shutdown.clone();
    let router = web_router.clone();
    let limits = web_cfg.serve_limits();
    tasks.spawn(
        async move { common::serve::serve_with(web_listener, router, sd, limits).await.context("website_front") },
    );

    if cfg.import_on_start {
        crate::firststart::complete(&ds_url, &internal, cfg.import_from, cfg.import_to).await?;
    }

    // scheduler_api, after the first-start import so its first planned
    // syncs do not race the import.
    let mut sched_cfg: scheduler_api::Config = common::config::load().context("scheduler_api configuration")?;
    sched_cfg.data_scheduler_url = ds_url.clone();
    sched_cfg.fetcher_url = url(fetcher_addr);
    sched_cfg.internal_token = Some(internal.to_secret());
    let sched_listener = loopback().await?;
    let sched_addr = sched_listener.local_addr()?;
    let sched_state = scheduler_api::AppState::new(&sched_cfg, std::sync::Arc::new(scheduler_api::SystemClock))
        .context("starting scheduler_api")?;
    let sched = scheduler_api::spawn(sched_listener, sched_state, shutdown.clone()).await?;
    tasks.spawn(async move { sched.task.await?.context("scheduler_api") });

    let upstreams = Upstreams {
        website: web_addr,
        content: content_addr,
        fetcher: fetcher_addr,
        scheduler: sched_addr,
        auth: auth_addr,
    };

    // The public address, last: it answers once everything behind it does.
    let public = TcpListener::bind(&cfg.listen).await.with_context(|| format!("binding WIBM_LISTEN={}", cfg.listen))?;
    let public_addr = public.local_addr()?;
    let local = gateway::InProcess { content: Some(content_router), website: Some(web_router) };
    let router = gateway::router(upstreams, local, internal);
    let sd = shutdown.clone();
    tasks.spawn(async move { common::http::serve(public, router, sd).await.context("gateway") });

    Ok(Running { addrs: Addrs { public: public_addr, data_scheduler: ds.addr, upstreams }, tasks })
}
