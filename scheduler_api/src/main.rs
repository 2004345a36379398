//! scheduler_api binary: config, tracing, serve and run the plans until SIGINT/SIGTERM.
use std::sync::Arc;

use anyhow::Context;
use common::Shutdown;
use scheduler_api::{AppState, Config, SystemClock};

// jemalloc hands memory freed after a burst back to the system (glibc kept
// its peak: docs/benchmarks.md); the binary chooses it, never a library.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::telemetry::init_from_env().context("reading WIBM_LOG_JSON")?;
    let cfg: Config = common::config::load().context("reading WIBM_* configuration")?;
    common::internal::InternalToken::required_in_container(cfg.internal_token.as_ref())?;
    let shutdown = Shutdown::on_signals();
    let state = AppState::new(&cfg, Arc::new(SystemClock))?;
    let listener =
        common::http::bind(&cfg.scheduler_listen).await.with_context(|| format!("binding {}", cfg.scheduler_listen))?;
    let running = scheduler_api::spawn(listener, state, shutdown).await?;
    running.task.await.context("scheduler task")??;
    tracing::info!("scheduler_api stopped");
    Ok(())
}
