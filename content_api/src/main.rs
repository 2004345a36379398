//! content_api binary: config, tracing, serve until SIGINT/SIGTERM.
use anyhow::Context;
use common::Shutdown;
use content_api::{AppState, Config};

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
    let state = AppState::new(&cfg).with_context(|| format!("data_scheduler URL {}", cfg.data_scheduler_url))?;
    let listener =
        common::http::bind(&cfg.content_listen).await.with_context(|| format!("binding {}", cfg.content_listen))?;
    let (limits, streams) = (state.serve_limits, cfg.stream_limits());
    tracing::info!(
        addr = %listener.local_addr()?,
        data_scheduler = %cfg.data_scheduler_url,
        max_connections = limits.max_connections,
        max_streams = streams.max_streams,
        streams_per_client = streams.per_client,
        "content_api listening"
    );
    content_api::serve(listener, state, shutdown).await.context("serving")?;
    tracing::info!("content_api stopped");
    Ok(())
}
