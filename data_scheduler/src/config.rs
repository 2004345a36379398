//! data_scheduler's configuration (`WIBM_*` variables; see README).
use std::path::PathBuf;

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
    /// Redis connect and response timeout, milliseconds.
    #[serde(default = "default_redis_timeout_ms")]
    pub redis_timeout_ms: u64,
    /// gRPC (and /health, /metrics) listen address.
    #[serde(default = "default_listen")]
    pub data_scheduler_listen: String,
    /// Entries kept by the in-process cache.
    #[serde(default = "default_cache_capacity")]
    pub cache_capacity: u64,
    #[serde(default = "default_ttl_completed")]
    pub cache_ttl_completed_secs: u64,
    #[serde(default = "default_ttl_current")]
    pub cache_ttl_current_secs: u64,
    #[serde(default = "default_ttl_reference")]
    pub cache_ttl_reference_secs: u64,
    #[serde(default)]
    pub log_json: bool,
}

impl Default for Config {
    fn default() -> Self {
        // Every field has a serde default, so an empty map always parses.
        serde_json::from_str("{}").expect("defaults are complete")
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("./data")
}
fn default_mongodb_db() -> String {
    "willitbemax".into()
}
fn default_redis_timeout_ms() -> u64 {
    500
}
fn default_listen() -> String {
    "127.0.0.1:50051".into()
}
fn default_cache_capacity() -> u64 {
    20_000
}
fn default_ttl_completed() -> u64 {
    24 * 3600
}
fn default_ttl_current() -> u64 {
    60
}
fn default_ttl_reference() -> u64 {
    3600
}
