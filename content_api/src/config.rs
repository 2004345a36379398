//! content_api's configuration (`WIBM_*` variables; see the README).
use std::path::PathBuf;
use std::time::Duration;

use common::config::{Millis, Secs};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// HTTP listen address (`WIBM_CONTENT_LISTEN`).
    #[serde(default = "default_listen")]
    pub content_listen: String,
    /// data_scheduler's gRPC address (`WIBM_DATA_SCHEDULER_URL`).
    #[serde(default = "common::config::default_data_scheduler_url")]
    pub data_scheduler_url: String,
    /// The internal credential (`WIBM_INTERNAL_TOKEN`), sent on every
    /// data_scheduler call (which requires it when it has one).
    #[serde(default)]
    pub internal_token: Option<SecretString>,
    /// Origins allowed to read cross-origin, comma-separated, or `*` for any
    /// (`WIBM_CORS_ORIGINS`). Empty: no cross-origin reads.
    #[serde(default)]
    pub cors_origins: String,
    /// Deadline of each gRPC call to data_scheduler
    /// (`WIBM_DATA_SCHEDULER_TIMEOUT_MS`); past it the answer is a 503.
    #[serde(default = "default_grpc_timeout")]
    pub data_scheduler_timeout_ms: Millis,
    /// Whole-request timeout (`WIBM_CONTENT_REQUEST_TIMEOUT_SECS`).
    #[serde(default = "default_request_timeout")]
    pub content_request_timeout_secs: Secs,
    /// Upper bound on how long a rendered answer is reused in-process,
    /// seconds (`WIBM_CONTENT_RESPONSE_CACHE_SECS`); 0 turns it off. An
    /// answer is never reused longer than its own `Cache-Control` max-age.
    #[serde(default = "default_response_cache_secs")]
    pub content_response_cache_secs: u64,
    /// Seconds a client is told to wait after a 503 (`WIBM_CONTENT_RETRY_AFTER_SECS`).
    #[serde(default = "default_retry_after")]
    pub content_retry_after_secs: Secs,
    /// Time between heartbeat comments on `/content/v1/live/stream`
    /// (`WIBM_LIVE_HEARTBEAT_SECS`).
    #[serde(default = "default_live_heartbeat")]
    pub live_heartbeat_secs: Secs,
    /// A live session whose board (heartbeat included) has not changed for
    /// this long is announced `stale` on the stream (`WIBM_LIVE_SILENCE_SECS`,
    /// the same silence the fetcher reconnects after).
    #[serde(default = "default_live_silence")]
    pub live_silence_secs: Secs,
    /// Ordinary connections open at once (`WIBM_CONTENT_MAX_CONNECTIONS`);
    /// past it a new connection gets a 503 at once. 0: a quarter of the
    /// open-files limit (see `common::serve::Budgets`).
    #[serde(default)]
    pub content_max_connections: usize,
    /// Event streams open at once, apart from ordinary connections
    /// (`WIBM_CONTENT_MAX_STREAMS`); past it a new stream gets a 503 at
    /// once. 0: the rest of the open-files limit.
    #[serde(default)]
    pub content_max_streams: usize,
    /// Event streams open at once from one client address
    /// (`WIBM_CONTENT_STREAMS_PER_CLIENT`).
    #[serde(default = "default_streams_per_client")]
    pub content_streams_per_client: usize,
    /// Count clients by the last `X-Forwarded-For` entry (only behind a
    /// proxy that sets it: Traefik, the gateway, the website); with
    /// `WIBM_INTERNAL_TOKEN` set, only on requests that carry it
    /// (`WIBM_CONTENT_TRUST_FORWARDED_FOR`).
    #[serde(default)]
    pub content_trust_forwarded_for: bool,
    /// Requests one client may make per second on `/content/v1` and
    /// `/ergast/f1` (`WIBM_CONTENT_RATE_PER_SECOND`); 0: no burst limit.
    #[serde(default)]
    pub content_rate_per_second: u32,
    /// Requests one client may make per hour (`WIBM_CONTENT_RATE_PER_HOUR`);
    /// 0: no sustained limit. Both 0 (the default): no limits at all.
    #[serde(default)]
    pub content_rate_per_hour: u32,
    /// auth_api's base URL (`WIBM_AUTH_URL`), where the rate limits check an
    /// API key (an admin's is not limited); unset: keys count as none.
    #[serde(default)]
    pub auth_url: Option<String>,
    /// The LiveTiming base URL (`WIBM_LIVETIMING_URL`, the fetcher's):
    /// car_data and location are read from its archive on demand.
    #[serde(default = "default_livetiming_url")]
    pub livetiming_url: String,
    /// Timeout of connecting to the archive and of each wait for more of
    /// its answer (`WIBM_UPSTREAM_TIMEOUT_MS`, the fetcher's).
    #[serde(default = "default_upstream_timeout")]
    pub upstream_timeout_ms: Millis,
    /// Where decoded car_data and location are kept
    /// (`WIBM_TELEMETRY_CACHE_DIR`), one folder per session.
    #[serde(default = "default_telemetry_cache_dir")]
    pub telemetry_cache_dir: PathBuf,
    /// Megabytes the kept sessions may take (`WIBM_TELEMETRY_CACHE_MB`,
    /// decimals allowed); past it the least recently read are removed. 0:
    /// nothing is kept, every request reads the archive.
    #[serde(default = "default_telemetry_cache_mb")]
    pub telemetry_cache_mb: Megabytes,
}

/// A size in megabytes (MiB), 0 or more; decimals allowed.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Megabytes(f64);

impl Megabytes {
    /// Panics unless `mb` is a finite number, 0 or more (for defaults and tests).
    pub fn of(mb: f64) -> Self {
        assert!(mb.is_finite() && mb >= 0.0, "megabytes are a number, 0 or more");
        Self(mb)
    }

    pub fn bytes(self) -> u64 {
        (self.0 * 1024.0 * 1024.0) as u64
    }
}

impl<'de> Deserialize<'de> for Megabytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match f64::deserialize(d)? {
            mb if mb.is_finite() && mb >= 0.0 => Ok(Self(mb)),
            _ => Err(serde::de::Error::custom("must be a number of megabytes, 0 or more")),
        }
    }
}

fn default_streams_per_client() -> usize {
    8
}

fn default_live_heartbeat() -> Secs {
    Secs::of(15)
}
fn default_live_silence() -> Secs {
    Secs::of(30)
}

impl Default for Config {
    fn default() -> Self {
        common::config::defaults()
    }
}

impl Config {
    pub fn grpc_timeout(&self) -> Duration {
        self.data_scheduler_timeout_ms.get()
    }

    pub fn request_timeout(&self) -> Duration {
        self.content_request_timeout_secs.get()
    }

    /// The limits of the HTTP server (ordinary connections).
    pub fn serve_limits(&self) -> common::serve::ServeLimits {
        common::serve::ServeLimits::configured(self.content_max_connections, self.content_retry_after_secs.count())
    }

    /// The budget of event streams.
    pub fn stream_limits(&self) -> common::streams::StreamLimits {
        common::streams::StreamLimits::configured(
            self.content_max_streams,
            self.content_streams_per_client,
            self.content_retry_after_secs.count(),
        )
    }

    /// The telemetry cache's bound in bytes; 0: no cache.
    pub fn telemetry_cache_bytes(&self) -> u64 {
        self.telemetry_cache_mb.bytes()
    }

    pub fn response_cache(&self) -> Duration {
        Duration::from_secs(self.content_response_cache_secs)
    }

    /// The allowlist: None for any origin (`*`), else the listed origins.
    pub fn cors_allowlist(&self) -> Option<Vec<String>> {
        let origins: Vec<String> =
            self.cors_origins.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
        if origins.iter().any(|o| o == "*") { None } else { Some(origins) }
    }
}

fn default_listen() -> String {
    "127.0.0.1:8080".into()
}
fn default_livetiming_url() -> String {
    "https://livetiming.formula1.com".into()
}
fn default_upstream_timeout() -> Millis {
    Millis::of(20_000)
}
/// Under the system's temporary folder: a cache any replica may lose.
fn default_telemetry_cache_dir() -> PathBuf {
    std::env::temp_dir().join("wibm-telemetry")
}
fn default_telemetry_cache_mb() -> Megabytes {
    Megabytes::of(2048.0)
}
/// Reads answer fast or not at all: past this a visitor gets a 503 at once.
fn default_grpc_timeout() -> Millis {
    Millis::of(3000)
}
fn default_request_timeout() -> Secs {
    Secs::of(30)
}
fn default_response_cache_secs() -> u64 {
    5
}
fn default_retry_after() -> Secs {
    Secs::of(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let c = Config::default();
        assert_eq!(c.content_listen, "127.0.0.1:8080");
        assert_eq!(c.data_scheduler_url, "http://127.0.0.1:50051");
        assert_eq!(c.cors_allowlist(), Some(vec![]));
        let budgets = common::serve::Budgets::of_this_process();
        assert_eq!(c.serve_limits().max_connections, budgets.connections);
        assert_eq!((c.stream_limits().max_streams, c.stream_limits().per_client), (budgets.streams, 8));
        assert_eq!(c.livetiming_url, "https://livetiming.formula1.com");
        assert_eq!(c.telemetry_cache_bytes(), 2048 * 1024 * 1024);
        assert!(c.telemetry_cache_dir.ends_with("wibm-telemetry"));
    }

    #[test]
    fn the_telemetry_bound_is_megabytes_decimals_allowed() {
        let load = |mb: &str| {
            common::config::load_from::<Config>([("WIBM_TELEMETRY_CACHE_MB".to_string(), mb.to_string())])
                .map(|l| l.value.telemetry_cache_bytes())
        };
        assert_eq!(load("0").unwrap(), 0);
        assert_eq!(load("0.5").unwrap(), 512 * 1024);
        let err = load("-1").unwrap_err().to_string();
        assert!(err.contains("WIBM_TELEMETRY_CACHE_MB"), "{err}");
        assert!(load("lots").is_err());
    }

    #[test]
    fn cors_list_and_wildcard() {
        let c = Config { cors_origins: " https://a.example, https://b.example ,".into(), ..Config::default() };
        assert_eq!(c.cors_allowlist().unwrap(), ["https://a.example", "https://b.example"]);
        let any = Config { cors_origins: "*".into(), ..Config::default() };
        assert_eq!(any.cors_allowlist(), None);
    }
}
