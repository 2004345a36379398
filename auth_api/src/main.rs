//! auth_api binary: config, tracing, the first admin, serve until SIGINT/SIGTERM.
use anyhow::Context;
use auth_api::{AppState, Config, bootstrap};
use common::Shutdown;

// jemalloc hands memory freed after a burst back to the system (glibc kept
// its peak: docs/benchmarks.md); the binary chooses it, never a library.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::telemetry::init_from_env().context("reading WIBM_LOG_JSON")?;
    let cfg = Config::load().context("reading WIBM_* configuration")?;
    let shutdown = Shutdown::on_signals();
    let state = AppState::from_config(&cfg).context("starting auth_api")?;
    if let Some((email, password)) = bootstrap::configured_admin(&cfg)? {
        tokio::spawn(bootstrap::run(state.clone(), email, password, shutdown.clone()));
    }
    let listener =
        common::http::bind(&cfg.auth_listen).await.with_context(|| format!("binding {}", cfg.auth_listen))?;
    tracing::info!(addr = %listener.local_addr()?, "auth_api listening");
    common::http::serve(listener, auth_api::router(state), shutdown).await.context("serving")?;
    tracing::info!("auth_api stopped");
    Ok(())
}
