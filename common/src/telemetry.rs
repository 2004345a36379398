//! Tracing set-up, in one place: `RUST_LOG` filters (default `info`),
//! `WIBM_LOG_JSON=true` switches to JSON lines. Logs go to stderr, so a
//! command's own output (the stack's URL, an export) stays on stdout; they
//! are coloured only when stderr is a terminal (a log file gets plain text).
use std::io::IsTerminal;

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Installs the global subscriber. Safe to call more than once (later calls
/// are ignored), so the single-process stack and tests can both call it.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(fmt::layer().json().flatten_event(true).with_current_span(true).with_writer(std::io::stderr))
            .try_init()
    } else {
        let colour = std::io::stderr().is_terminal();
        registry.with(fmt::layer().compact().with_ansi(colour).with_writer(std::io::stderr)).try_init()
    };
    // Already initialised: keep the first subscriber.
    let _ = result;
}

/// Installs the subscriber as `WIBM_LOG_JSON` asks. Call it before loading a
/// service's configuration, so the loader's warnings (old variable names)
/// are logged.
pub fn init_from_env() -> Result<(), crate::config::ConfigError> {
    let log: crate::config::LogConfig = crate::config::load()?;
    init(log.log_json);
    Ok(())
}
