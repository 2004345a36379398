//! data_scheduler binary: config, tracing, serve until SIGINT/SIGTERM.
use anyhow::Context;
use common::Shutdown;
use data_scheduler::{Config, server};

// jemalloc hands memory freed after a burst back to the system (glibc kept
// its peak: docs/benchmarks.md); the binary chooses it, never a library.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::telemetry::init_from_env().context("reading WIBM_LOG_JSON")?;
    let cfg: Config = common::config::load().context("reading WIBM_* configuration")?;
    let token = common::internal::InternalToken::required_in_container(cfg.internal_token.as_ref())?;
    let shutdown = Shutdown::on_signals();
    let repo = server::open_repo(&cfg).await?;
    server::fan_out_live(&cfg, &repo, shutdown.clone())?;
    let listener = common::http::bind(&cfg.data_scheduler_listen)
        .await
        .with_context(|| format!("binding {}", cfg.data_scheduler_listen))?;
    let running = server::spawn_guarded(listener, repo, token, shutdown).await?;
    running.task.await.context("server task")??;
    tracing::info!("data_scheduler stopped");
    Ok(())
}
