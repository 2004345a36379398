//! website_front binary: config, tracing, serve until SIGINT/SIGTERM.
use anyhow::Context;
use common::Shutdown;
use website_front::{AppState, Config};

// jemalloc hands memory freed after a burst back to the system (glibc kept
// its peak: docs/benchmarks.md); the binary chooses it, never a library.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::telemetry::init_from_env().context("reading WIBM_LOG_JSON")?;
    let cfg: Config = common::config::load().context("reading WIBM_* configuration")?;
    let shutdown = Shutdown::on_signals();
    let state = AppState::new(&cfg).context("building the content_api client")?;
    let listener =
        common::http::bind(&cfg.website_listen).await.with_context(|| format!("binding {}", cfg.website_listen))?;
    tracing::info!(addr = %listener.local_addr()?, content = %cfg.content_url, "website_front listening");
    website_front::serve(listener, state, shutdown).await.context("serving")?;
    tracing::info!("website_front stopped");
    Ok(())
}
