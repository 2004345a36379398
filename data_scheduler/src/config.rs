//! data_scheduler's configuration (`WIBM_*` variables; see README).
use std::path::PathBuf;

use common::config::{Millis, Secs};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// Where the embedded store lives (`WIBM_DATA_DIR`).
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// When set, MongoDB replaces the embedded store (`WIBM_MONGODB_URI`).
    #[serde(default)]
    pub mongodb_uri: Option<SecretString>,
    #[serde(default = "default_mongodb_db")]
    pub mongodb_db: String,
    /// When set, Redis replaces the in-process cache (`WIBM_REDIS_URL`).
    #[serde(default)]
    pub redis_url: Option<SecretString>,
    /// Redis connect and response timeout.
    #[serde(default = "default_redis_timeout")]
    pub redis_timeout_ms: Millis,
    /// gRPC (and /health, /metrics) listen address.
    #[serde(default = "default_listen")]
    pub data_scheduler_listen: String,
    /// The internal credential (`WIBM_INTERNAL_TOKEN`): when set, every
    /// call to its data services needs it (the platform's services send it).
    #[serde(default)]
    pub internal_token: Option<SecretString>,
    /// Megabytes of the embedded store's pages kept in memory (`WIBM_STORE_CACHE_MB`).
    #[serde(default = "default_store_cache_mb")]
    pub store_cache_mb: u64,
    /// Entries kept by the in-process cache.
    #[serde(default = "default_cache_capacity")]
    pub cache_capacity: u64,
    #[serde(default = "default_ttl_completed")]
    pub cache_ttl_completed_secs: Secs,
    #[serde(default = "default_ttl_current")]
    pub cache_ttl_current_secs: Secs,
    #[serde(default = "default_ttl_reference")]
    pub cache_ttl_reference_secs: Secs,
}

impl Default for Config {
    fn default() -> Self {
        common::config::defaults()
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("./data")
}
fn default_mongodb_db() -> String {
    "willitbemax".into()
}
fn default_redis_timeout() -> Millis {
    Millis::of(500)
}
fn default_listen() -> String {
    "127.0.0.1:50051".into()
}
fn default_store_cache_mb() -> u64 {
    (crate::store::embedded::DEFAULT_CACHE_BYTES / (1024 * 1024)) as u64
}
fn default_cache_capacity() -> u64 {
    20_000
}
fn default_ttl_completed() -> Secs {
    Secs::of(24 * 3600)
}
fn default_ttl_current() -> Secs {
    Secs::of(60)
}
fn default_ttl_reference() -> Secs {
    Secs::of(3600)
}
