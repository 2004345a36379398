//! scheduler_api's configuration (`WIBM_*` variables; see the crate README).
use std::time::Duration;

use chrono::{NaiveTime, Weekday};
use common::config::{Millis, Secs};
use secrecy::SecretString;
use serde::Deserialize;

use crate::plan::{Durations, Settings, WeekendRule};

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// HTTP listen address (`WIBM_SCHEDULER_LISTEN`).
    #[serde(default = "default_listen")]
    pub scheduler_listen: String,
    /// The fetcher's base URL (`WIBM_FETCHER_URL`).
    #[serde(default = "default_fetcher_url")]
    pub fetcher_url: String,
    #[serde(default = "common::config::default_data_scheduler_url")]
    pub data_scheduler_url: String,
    /// Deadline of each data_scheduler call (`WIBM_DATA_SCHEDULER_TIMEOUT_MS`).
    #[serde(default = "default_grpc_timeout")]
    pub data_scheduler_timeout_ms: Millis,
    /// Deadline of each fetcher call (a full season's sync is slow upstream).
    #[serde(default = "default_fetch_timeout")]
    pub scheduler_fetch_timeout_secs: Secs,
    #[serde(default = "default_seasons_every")]
    pub scheduler_seasons_every_mins: u64,
    #[serde(default = "default_rounds_every")]
    pub scheduler_rounds_every_mins: u64,
    #[serde(default = "default_rounds_weekend_every")]
    pub scheduler_rounds_weekend_every_mins: u64,
    /// First results fetch after a session's scheduled end.
    #[serde(default = "five")]
    pub scheduler_results_delay_mins: u64,
    /// Results retries: the first after this, doubling up to the max.
    #[serde(default = "five")]
    pub scheduler_results_retry_mins: u64,
    #[serde(default = "thirty")]
    pub scheduler_results_retry_max_mins: u64,
    /// A session still without results this long after its scheduled end is
    /// recorded as overdue and no longer fetched.
    #[serde(default = "default_overdue_hours")]
    pub scheduler_results_overdue_hours: u64,
    /// Retries of other failed runs: the first after this, doubling up to the max.
    #[serde(default = "default_retry_secs")]
    pub scheduler_retry_secs: u64,
    #[serde(default = "default_retry_max_secs")]
    pub scheduler_retry_max_secs: u64,
    /// Live start signal this long before a session's scheduled start.
    #[serde(default = "five")]
    pub scheduler_live_lead_mins: u64,
    /// Live stop signal this long after a session's scheduled end.
    #[serde(default = "thirty")]
    pub scheduler_live_stop_after_mins: u64,
    /// When set, each live signal is also POSTed here as JSON.
    #[serde(default)]
    pub scheduler_live_signal_url: Option<String>,
    /// Usual session lengths, from which a scheduled end is derived.
    #[serde(default = "sixty")]
    pub scheduler_practice_mins: u64,
    #[serde(default = "sixty")]
    pub scheduler_qualifying_mins: u64,
    #[serde(default = "default_sprint_qualifying_mins")]
    pub scheduler_sprint_qualifying_mins: u64,
    #[serde(default = "sixty")]
    pub scheduler_sprint_mins: u64,
    #[serde(default = "default_race_mins")]
    pub scheduler_race_mins: u64,
    /// Race weekend start: `<weekday> HH:MM` UTC on or before the first session's day.
    #[serde(default = "default_weekend_start")]
    pub scheduler_weekend_start: String,
    /// Race weekend end: `<weekday> HH:MM` UTC after the race day.
    #[serde(default = "default_weekend_end")]
    pub scheduler_weekend_end: String,
    /// Leader lock expiry; the leader renews it every tick.
    #[serde(default = "default_lock_ttl")]
    pub scheduler_lock_ttl_ms: Millis,
    /// Longest real-time pause of the engine loop (lock renewal, calendar reload).
    #[serde(default = "default_tick")]
    pub scheduler_tick_ms: Millis,
    /// The internal credential (`WIBM_INTERNAL_TOKEN`): when set,
    /// `/scheduler/v1/trigger/*` needs it in `x-wibm-internal` (the gateway
    /// adds it), and every fetcher call carries it.
    #[serde(default)]
    pub internal_token: Option<SecretString>,
}

impl Default for Config {
    fn default() -> Self {
        common::config::defaults()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("invalid {field}: {message}")]
pub struct InvalidConfig {
    pub field: &'static str,
    pub message: String,
}

fn mins(m: u64) -> chrono::Duration {
    chrono::Duration::minutes(m as i64)
}

impl Config {
    pub fn grpc_timeout(&self) -> Duration {
        self.data_scheduler_timeout_ms.get()
    }

    pub fn fetch_timeout(&self) -> Duration {
        self.scheduler_fetch_timeout_secs.get()
    }

    pub fn lock_ttl(&self) -> Duration {
        self.scheduler_lock_ttl_ms.get()
    }

    pub fn tick(&self) -> Duration {
        self.scheduler_tick_ms.get()
    }

    /// A manual trigger waits for its run, so requests may last as long as a fetch.
    pub fn request_timeout(&self) -> Duration {
        self.fetch_timeout() + Duration::from_secs(30)
    }

    /// The planner's settings, checked.
    pub fn settings(&self) -> Result<Settings, InvalidConfig> {
        if self.scheduler_tick_ms.count().saturating_mul(2) > self.scheduler_lock_ttl_ms.count() {
            return Err(InvalidConfig {
                field: "WIBM_SCHEDULER_TICK_MS",
                message: "must be at most half of WIBM_SCHEDULER_LOCK_TTL_MS".into(),
            });
        }
        for (field, v) in [
            ("WIBM_SCHEDULER_SEASONS_EVERY_MINS", self.scheduler_seasons_every_mins),
            ("WIBM_SCHEDULER_ROUNDS_EVERY_MINS", self.scheduler_rounds_every_mins),
            ("WIBM_SCHEDULER_ROUNDS_WEEKEND_EVERY_MINS", self.scheduler_rounds_weekend_every_mins),
            ("WIBM_SCHEDULER_RESULTS_RETRY_MINS", self.scheduler_results_retry_mins),
            ("WIBM_SCHEDULER_RETRY_SECS", self.scheduler_retry_secs),
        ] {
            if v == 0 {
                return Err(InvalidConfig { field, message: "must be above 0".into() });
            }
        }
        Ok(Settings {
            seasons_every: mins(self.scheduler_seasons_every_mins),
            rounds_every: mins(self.scheduler_rounds_every_mins),
            rounds_weekend_every: mins(self.scheduler_rounds_weekend_every_mins),
            results_delay: mins(self.scheduler_results_delay_mins),
            results_retry: mins(self.scheduler_results_retry_mins),
            results_retry_max: mins(self.scheduler_results_retry_max_mins.max(self.scheduler_results_retry_mins)),
            overdue_after: chrono::Duration::hours(self.scheduler_results_overdue_hours as i64),
            retry: chrono::Duration::seconds(self.scheduler_retry_secs as i64),
            retry_max: chrono::Duration::seconds(self.scheduler_retry_max_secs.max(self.scheduler_retry_secs) as i64),
            live_lead: mins(self.scheduler_live_lead_mins),
            live_stop_after: mins(self.scheduler_live_stop_after_mins),
            durations: Durations {
                practice: mins(self.scheduler_practice_mins),
                qualifying: mins(self.scheduler_qualifying_mins),
                sprint_qualifying: mins(self.scheduler_sprint_qualifying_mins),
                sprint: mins(self.scheduler_sprint_mins),
                race: mins(self.scheduler_race_mins),
            },
            weekend: WeekendRule {
                start: parse_mark("WIBM_SCHEDULER_WEEKEND_START", &self.scheduler_weekend_start)?,
                end: parse_mark("WIBM_SCHEDULER_WEEKEND_END", &self.scheduler_weekend_end)?,
            },
        })
    }
}

/// `thu 00:00` → (Thursday, 00:00).
fn parse_mark(field: &'static str, value: &str) -> Result<(Weekday, NaiveTime), InvalidConfig> {
    let bad = || InvalidConfig { field, message: format!("`{value}` is not `<weekday> HH:MM` (e.g. `thu 00:00`)") };
    let (day, time) = value.trim().split_once(' ').ok_or_else(bad)?;
    let day: Weekday = day.parse().map_err(|_| bad())?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| bad())?;
    Ok((day, time))
}

fn default_listen() -> String {
    "127.0.0.1:8081".into()
}
fn default_fetcher_url() -> String {
    "http://127.0.0.1:8082".into()
}
fn default_grpc_timeout() -> Millis {
    Millis::of(5_000)
}
fn default_fetch_timeout() -> Secs {
    Secs::of(300)
}
fn default_seasons_every() -> u64 {
    6 * 60
}
fn default_rounds_every() -> u64 {
    30
}
fn default_rounds_weekend_every() -> u64 {
    5
}
fn five() -> u64 {
    5
}
fn thirty() -> u64 {
    30
}
fn sixty() -> u64 {
    60
}
fn default_overdue_hours() -> u64 {
    24
}
fn default_retry_secs() -> u64 {
    60
}
fn default_retry_max_secs() -> u64 {
    30 * 60
}
fn default_sprint_qualifying_mins() -> u64 {
    45
}
fn default_race_mins() -> u64 {
    120
}
fn default_weekend_start() -> String {
    "thu 00:00".into()
}
fn default_weekend_end() -> String {
    "mon 12:00".into()
}
fn default_lock_ttl() -> Millis {
    Millis::of(30_000)
}
fn default_tick() -> Millis {
    Millis::of(10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let cfg = Config::default();
        assert_eq!(cfg.scheduler_listen, "127.0.0.1:8081");
        assert_eq!(cfg.fetcher_url, "http://127.0.0.1:8082");
        let s = cfg.settings().unwrap();
        assert_eq!(s.weekend.start, (Weekday::Thu, NaiveTime::from_hms_opt(0, 0, 0).unwrap()));
        assert_eq!(s.weekend.end, (Weekday::Mon, NaiveTime::from_hms_opt(12, 0, 0).unwrap()));
        assert_eq!(s.durations.race, chrono::Duration::minutes(120));
        assert_eq!(s.seasons_every, chrono::Duration::hours(6));
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cfg = Config { scheduler_weekend_start: "someday".into(), ..Config::default() };
        assert_eq!(cfg.settings().unwrap_err().field, "WIBM_SCHEDULER_WEEKEND_START");
        let cfg = Config { scheduler_tick_ms: Millis::of(20_000), ..Config::default() };
        assert_eq!(cfg.settings().unwrap_err().field, "WIBM_SCHEDULER_TICK_MS");
        let cfg = Config { scheduler_rounds_every_mins: 0, ..Config::default() };
        assert_eq!(cfg.settings().unwrap_err().field, "WIBM_SCHEDULER_ROUNDS_EVERY_MINS");
    }
}
