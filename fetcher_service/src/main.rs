//! fetcher_service binary: config, tracing, serve until SIGINT/SIGTERM.
use anyhow::Context;
use common::Shutdown;
use fetcher_service::config::Config;
use fetcher_service::{AppState, router};

// jemalloc hands memory freed after a burst back to the system (glibc kept
// its peak: docs/benchmarks.md); the binary chooses it, never a library.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::telemetry::init_from_env().context("reading WIBM_LOG_JSON")?;
    let config: Config = common::config::load().context("reading WIBM_* configuration")?;
    let shutdown = Shutdown::on_signals();
    common::internal::InternalToken::required_in_container(config.internal_token.as_ref())?;
    let listen = config.fetcher_listen.clone();
    let import = config.fetcher_import_on_start;
    let state = AppState::new(config).context("building the fetcher")?;
    if import {
        fetcher_service::sources::f1db::resume::complete_in_background(state.client().clone());
    }
    let listener = common::http::bind(&listen).await.with_context(|| format!("binding {listen}"))?;
    tracing::info!(addr = %listener.local_addr()?, "fetcher_service listening");
    common::http::serve(listener, router(state), shutdown).await.context("serving")?;
    tracing::info!("fetcher_service stopped");
    Ok(())
}
