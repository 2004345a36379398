//! auth_api's configuration (`WIBM_*` variables; see README and `.env.example`).
use std::path::PathBuf;
use std::time::Duration;

use common::config::{Millis, Secs};
use secrecy::SecretString;
use serde::Deserialize;

use crate::domain::password::Argon2Cost;
use crate::domain::ratelimit::LoginLimits;

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// HTTP listen address (`WIBM_AUTH_LISTEN`).
    #[serde(default = "default_listen")]
    pub auth_listen: String,
    /// data_scheduler's gRPC address (`WIBM_DATA_SCHEDULER_URL`).
    #[serde(default = "common::config::default_data_scheduler_url")]
    pub data_scheduler_url: String,
    /// The internal credential (`WIBM_INTERNAL_TOKEN`), sent on every
    /// data_scheduler call; with it, `X-Forwarded-For` is believed only on
    /// requests that carry it (those the gateway or Traefik passed on).
    #[serde(default)]
    pub internal_token: Option<SecretString>,
    /// Deadline of each data_scheduler call (`WIBM_DATA_SCHEDULER_TIMEOUT_MS`).
    #[serde(default = "default_data_scheduler_timeout")]
    pub data_scheduler_timeout_ms: Millis,
    /// Where the generated signing key is kept when `WIBM_AUTH_SECRET` is unset
    /// outside containers (`WIBM_DATA_DIR`, shared with data_scheduler).
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The JWT signing key (HS256), at least 32 bytes. Required in containers.
    #[serde(default)]
    pub auth_secret: Option<SecretString>,
    /// Set by the single-process stack (`wibm serve`): the key may then be
    /// generated and kept in the data dir even where `/.dockerenv` exists.
    #[serde(skip)]
    pub single_process: bool,
    /// `POST /auth/v1/register` answers only when this is true.
    #[serde(default)]
    pub auth_open_registration: bool,
    #[serde(default = "default_access_ttl")]
    pub auth_access_ttl_secs: Secs,
    #[serde(default = "default_refresh_ttl")]
    pub auth_refresh_ttl_secs: Secs,
    #[serde(default = "default_issuer")]
    pub auth_issuer: String,
    #[serde(default = "default_issuer")]
    pub auth_audience: String,
    /// argon2id memory cost in KiB (OWASP's 19 MiB by default).
    #[serde(default = "default_argon2_memory_kib")]
    pub auth_argon2_memory_kib: u32,
    #[serde(default = "default_argon2_iterations")]
    pub auth_argon2_iterations: u32,
    #[serde(default = "default_argon2_parallelism")]
    pub auth_argon2_parallelism: u32,
    /// Failed logins allowed per account from one address within the window (the
    /// next one from that address gets 429); past it, attempts on the account
    /// from any address are slowed down, never refused.
    #[serde(default = "default_max_failures_per_account")]
    pub auth_login_max_failures: u32,
    /// Failed logins allowed per client address within the window.
    #[serde(default = "default_max_failures_per_address")]
    pub auth_login_max_failures_per_address: u32,
    #[serde(default = "default_login_window")]
    pub auth_login_window_secs: Secs,
    /// Take the client address from the last `X-Forwarded-For` entry (only
    /// behind a proxy that sets it, such as Traefik).
    #[serde(default)]
    pub auth_trust_forwarded_for: bool,
    /// First admin, created on first start when both are set.
    #[serde(default)]
    pub admin_email: Option<String>,
    #[serde(default)]
    pub admin_password: Option<SecretString>,
}

impl Default for Config {
    fn default() -> Self {
        common::config::defaults()
    }
}

impl Config {
    /// Loads the configuration from the environment (secrets arrive as
    /// written: the loader keeps every value a string until a field asks).
    pub fn load() -> Result<Self, common::config::ConfigError> {
        common::config::load()
    }

    pub fn argon2_cost(&self) -> Argon2Cost {
        Argon2Cost {
            memory_kib: self.auth_argon2_memory_kib,
            iterations: self.auth_argon2_iterations,
            parallelism: self.auth_argon2_parallelism,
        }
    }

    pub fn login_limits(&self) -> LoginLimits {
        LoginLimits {
            per_account: self.auth_login_max_failures,
            per_address: self.auth_login_max_failures_per_address,
            window: self.auth_login_window_secs.get(),
            ..LoginLimits::default()
        }
    }

    pub fn data_scheduler_timeout(&self) -> Duration {
        self.data_scheduler_timeout_ms.get()
    }
}

fn default_listen() -> String {
    "127.0.0.1:8083".into()
}
fn default_data_scheduler_timeout() -> Millis {
    Millis::of(5_000)
}
fn default_data_dir() -> PathBuf {
    PathBuf::from("./data")
}
fn default_access_ttl() -> Secs {
    Secs::of(15 * 60)
}
fn default_refresh_ttl() -> Secs {
    Secs::of(30 * 24 * 3600)
}
fn default_issuer() -> String {
    "willitbemax".into()
}
fn default_argon2_memory_kib() -> u32 {
    19 * 1024
}
fn default_argon2_iterations() -> u32 {
    2
}
fn default_argon2_parallelism() -> u32 {
    1
}
fn default_max_failures_per_account() -> u32 {
    5
}
fn default_max_failures_per_address() -> u32 {
    20
}
fn default_login_window() -> Secs {
    Secs::of(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_defaults() {
        let cfg = Config::default();
        assert_eq!(cfg.auth_listen, "127.0.0.1:8083");
        assert_eq!(cfg.auth_access_ttl_secs.count(), 900);
        assert!(!cfg.auth_open_registration);
        // OWASP's argon2id recommendation: m=19 MiB, t=2, p=1.
        let cost = cfg.argon2_cost();
        assert_eq!((cost.memory_kib, cost.iterations, cost.parallelism), (19_456, 2, 1));
        let limits = cfg.login_limits();
        assert_eq!((limits.per_account, limits.window), (5, Duration::from_secs(60)));
    }

    #[test]
    fn secrets_arrive_as_written_and_do_not_print() {
        use secrecy::ExposeSecret;
        let vars = [("WIBM_AUTH_SECRET", "12345678901234567890123456789012"), ("WIBM_ADMIN_PASSWORD", "true")];
        let cfg: Config = common::config::load_from(vars.map(|(k, v)| (k.to_string(), v.to_string()))).unwrap().value;
        assert_eq!(cfg.auth_secret.unwrap().expose_secret(), "12345678901234567890123456789012");
        assert_eq!(cfg.admin_password.unwrap().expose_secret(), "true");
        let cfg = Config {
            auth_secret: Some("s3cret-signing-key".to_string().into()),
            admin_password: Some("hunter2hunter2".to_string().into()),
            ..Config::default()
        };
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("s3cret-signing-key") && !shown.contains("hunter2hunter2"), "{shown}");
    }
}
