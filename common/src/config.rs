//! Typed configuration from `WIBM_*` environment variables.
//!
//! Each service declares a `serde` struct whose fields carry their defaults
//! (`#[serde(default = ...)]`); [`load`] fills it from the environment, with
//! the `WIBM_` prefix stripped and `__` for nesting. This is the only module
//! that reads the environment.
use figment::{Figment, providers::Env};
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(#[from] Box<figment::Error>);

/// Builds `T` from its defaults and the `WIBM_*` environment variables.
pub fn load<T: DeserializeOwned>() -> Result<T, ConfigError> {
    Figment::new().merge(Env::prefixed("WIBM_").split("__")).extract().map_err(|e| ConfigError(Box::new(e)))
}

/// Whether we run inside a container (Docker sets `/.dockerenv`); used to
/// refuse unsafe defaults there.
pub fn in_container() -> bool {
    std::path::Path::new("/.dockerenv").exists()
}

/// Reads a raw environment variable that is not ours (e.g. `CI`).
pub fn env_flag(name: &str) -> bool {
    std::env::var(name).map(|v| matches!(v.as_str(), "1" | "true" | "yes")).unwrap_or(false)
}

/// Reads a raw environment variable (used by test helpers for `WIBM_TEST_*`).
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Logging settings shared by every service: `WIBM_LOG_JSON=true` switches to JSON lines.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LogConfig {
    #[serde(default)]
    pub log_json: bool,
}
