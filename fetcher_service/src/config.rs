//! fetcher_service's configuration (`WIBM_*` variables; see the README).
use std::time::Duration;

use common::config::{Millis, Secs};
use secrecy::SecretString;
use serde::Deserialize;

use crate::client::{Pacing, Policy};
use crate::live::{HubConfig, LiveSettings, SupervisorConfig};

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// HTTP listen address (`WIBM_FETCHER_LISTEN`).
    #[serde(default = "default_listen")]
    pub fetcher_listen: String,
    /// data_scheduler's gRPC URL (`WIBM_DATA_SCHEDULER_URL`).
    #[serde(default = "common::config::default_data_scheduler_url")]
    pub data_scheduler_url: String,
    /// Deadline of every data_scheduler call (`WIBM_DATA_SCHEDULER_TIMEOUT_MS`).
    #[serde(default = "default_data_scheduler_timeout")]
    pub data_scheduler_timeout_ms: Millis,
    #[serde(default = "default_jolpica_url")]
    pub jolpica_url: String,
    #[serde(default = "default_f1_website_url")]
    pub f1_website_url: String,
    /// Where formula1.com's image CDN is reached (`WIBM_F1_MEDIA_URL`):
    /// circuit maps the site links on `https://media.formula1.com` are
    /// fetched from this base URL instead (a mirror, or the test replay).
    #[serde(default = "default_f1_media_url")]
    pub f1_media_url: String,
    #[serde(default = "default_livetiming_url")]
    pub livetiming_url: String,
    /// Timeout of each upstream request (connection to last byte).
    #[serde(default = "default_upstream_timeout")]
    pub upstream_timeout_ms: Millis,
    /// Tries per upstream request (1 = no retry).
    #[serde(default = "default_upstream_attempts")]
    pub upstream_attempts: u32,
    /// First retry backoff, ms (doubles per attempt, with jitter); 0 retries at once.
    #[serde(default = "default_upstream_backoff_ms")]
    pub upstream_backoff_ms: u64,
    /// A 429 asking to wait longer than this fails the request, seconds.
    #[serde(default = "default_max_retry_after")]
    pub upstream_max_retry_after_secs: Secs,
    /// Pace upstream requests (false turns every budget off).
    #[serde(default = "default_true")]
    pub upstream_pacing: bool,
    #[serde(default = "default_jolpica_per_second")]
    pub jolpica_per_second: u32,
    /// 0 means no hourly budget.
    #[serde(default = "default_jolpica_per_hour")]
    pub jolpica_per_hour: u32,
    #[serde(default = "default_formula1_per_second")]
    pub formula1_per_second: u32,
    #[serde(default = "default_livetiming_per_second")]
    pub livetiming_per_second: u32,
    /// Longest a fetch request may run before it answers 504
    /// (paced syncs of many seasons take minutes).
    #[serde(default = "default_request_timeout")]
    pub fetcher_request_timeout_secs: Secs,
    /// The internal credential (`WIBM_INTERNAL_TOKEN`): when set, every
    /// `/fetcher/v1` route needs it in `x-wibm-internal` (the gateway adds it).
    #[serde(default)]
    pub internal_token: Option<SecretString>,
    /// An F1TV subscription token for the live hub (`WIBM_F1TV_TOKEN`, a
    /// secret): adds CarData.z, Position.z and ChampionshipPrediction.
    #[serde(default)]
    pub f1tv_token: Option<SecretString>,
    /// The live feed counts as stale (and reconnects) after this long
    /// without a frame (`WIBM_LIVE_SILENCE_SECS`).
    /// Import the bundled f1db history the store lacks when the service
    /// starts (`WIBM_FETCHER_IMPORT_ON_START`; compose sets it, so a first
    /// `docker compose up` has every season). The single-process stack does
    /// its own first-start import (`WIBM_IMPORT_ON_START`).
    #[serde(default)]
    pub fetcher_import_on_start: bool,
    #[serde(default = "default_live_silence")]
    pub live_silence_secs: Secs,
    /// At most one live write to data_scheduler per this long.
    #[serde(default = "default_live_write_interval")]
    pub live_write_interval_ms: Millis,
    /// At most one write of the live session's records (session data) per
    /// this long (`WIBM_LIVE_RECORDS_INTERVAL_MS`): each write is the whole
    /// session so far.
    #[serde(default = "default_live_records_interval")]
    pub live_records_interval_ms: Millis,
    /// First reconnect delay of the live feed (doubles up to 60 s, with jitter).
    #[serde(default = "default_live_backoff")]
    pub live_backoff_ms: Millis,
    /// Start the live feed with the service. Unset: only when
    /// `WIBM_LIVETIMING_URL` is a loopback address (a `wibm replay`).
    #[serde(default)]
    pub live_autostart: Option<bool>,
}

impl Default for Config {
    fn default() -> Self {
        common::config::defaults()
    }
}

impl Config {
    /// The live feed's settings (what `POST /fetcher/v1/live/start` and the
    /// autostart run with).
    pub fn live_settings(&self) -> LiveSettings {
        LiveSettings {
            supervisor: SupervisorConfig {
                hub: HubConfig {
                    base_url: self.livetiming_url.clone(),
                    // An empty value (as in .env.example) is no token.
                    token: self
                        .f1tv_token
                        .clone()
                        .filter(|t| !secrecy::ExposeSecret::expose_secret(t).trim().is_empty()),
                    connect_timeout: self.upstream_timeout_ms.get(),
                    ping_interval: Duration::from_secs(15),
                },
                silence: self.live_silence_secs.get(),
                backoff_min: self.live_backoff_ms.get(),
                backoff_max: Duration::from_secs(60),
                publish_interval: self
                    .live_write_interval_ms
                    .get()
                    .clamp(Duration::from_millis(10), Duration::from_secs(1)),
            },
            write_interval: self.live_write_interval_ms.get(),
        }
    }

    pub fn policy(&self) -> Policy {
        Policy {
            timeout: self.upstream_timeout_ms.get(),
            attempts: self.upstream_attempts.max(1),
            backoff: Duration::from_millis(self.upstream_backoff_ms),
            max_retry_after: self.upstream_max_retry_after_secs.get(),
            ..Policy::default()
        }
    }

    fn pacing(&self, per_second: u32, per_hour: Option<u32>) -> Option<Pacing> {
        self.upstream_pacing.then_some(Pacing { per_second, per_hour: per_hour.filter(|n| *n > 0) })
    }

    pub fn jolpica_pacing(&self) -> Option<Pacing> {
        self.pacing(self.jolpica_per_second, Some(self.jolpica_per_hour))
    }

    pub fn formula1_pacing(&self) -> Option<Pacing> {
        self.pacing(self.formula1_per_second, None)
    }

    /// Whether the live feed starts with the service (see `live_autostart`).
    pub fn live_autostarts(&self) -> bool {
        self.live_autostart.unwrap_or_else(|| {
            let rest = self.livetiming_url.split("://").nth(1).unwrap_or_default();
            ["127.0.0.1", "localhost", "[::1]"].iter().any(|h| rest.starts_with(h))
        })
    }

    pub fn livetiming_pacing(&self) -> Option<Pacing> {
        self.pacing(self.livetiming_per_second, None)
    }
}

fn default_listen() -> String {
    "127.0.0.1:8082".into()
}
/// Longer than the readers' deadline: a fetch writes whole seasons in one batch.
fn default_data_scheduler_timeout() -> Millis {
    Millis::of(30_000)
}
fn default_jolpica_url() -> String {
    "https://api.jolpi.ca/ergast/f1".into()
}
fn default_f1_website_url() -> String {
    "https://www.formula1.com".into()
}
fn default_f1_media_url() -> String {
    crate::client::F1_MEDIA_ORIGIN.into()
}
fn default_livetiming_url() -> String {
    "https://livetiming.formula1.com".into()
}
fn default_upstream_timeout() -> Millis {
    Millis::of(20_000)
}
fn default_upstream_attempts() -> u32 {
    3
}
fn default_upstream_backoff_ms() -> u64 {
    500
}
fn default_max_retry_after() -> Secs {
    Secs::of(120)
}
fn default_true() -> bool {
    true
}
fn default_jolpica_per_second() -> u32 {
    4
}
fn default_jolpica_per_hour() -> u32 {
    200
}
fn default_formula1_per_second() -> u32 {
    2
}
fn default_livetiming_per_second() -> u32 {
    10
}
fn default_live_silence() -> Secs {
    Secs::of(30)
}
fn default_live_write_interval() -> Millis {
    Millis::of(250)
}
fn default_live_records_interval() -> Millis {
    Millis::of(2000)
}
fn default_live_backoff() -> Millis {
    Millis::of(1000)
}
fn default_request_timeout() -> Secs {
    Secs::of(1800)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_issue() {
        let c = Config::default();
        assert_eq!(c.fetcher_listen, "127.0.0.1:8082");
        assert_eq!(c.data_scheduler_url, "http://127.0.0.1:50051");
        assert_eq!(c.jolpica_url, "https://api.jolpi.ca/ergast/f1");
        assert_eq!(c.f1_media_url, "https://media.formula1.com");
        assert_eq!(c.jolpica_pacing(), Some(Pacing { per_second: 4, per_hour: Some(200) }));
        assert_eq!(c.policy().attempts, 3);
        let off = Config { upstream_pacing: false, ..Config::default() };
        assert_eq!(off.jolpica_pacing(), None);
    }
}
