//! car_data and location (OpenF1's names; CarData.z and Position.z in the
//! feed): read on demand from the LiveTiming archive
//! (`WIBM_LIVETIMING_URL`, through [`livetiming::archive`]) one session at
//! a time, into a bounded on-disk cache ([`disk`]). They are a cache of
//! upstream, never stored by data_scheduler: a race is about a million
//! samples.
//!
//! - The first request for a session downloads its two streams once and
//!   writes one file per car and kind; requests that come meanwhile wait
//!   for that download (one per session at a time). It runs as a task of
//!   its own, so a request that gives up (a timeout) does not stop it.
//! - Later requests read only the files of the cars they ask for.
//! - A session still being recorded live (its records not `complete`)
//!   answers no samples: the archive publishes the streams after it.
//! - A session the archive does not list (yet), or lists without either
//!   stream, answers no samples; that is remembered for [`MISSING_RETRY`],
//!   then asked again.
//! - With the cache off (`WIBM_TELEMETRY_CACHE_MB=0`), every request reads
//!   the stream it needs from the archive, keeping only what it answers.
mod disk;
pub mod format;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use livetiming::archive::{Archive, ArchiveError, ArchiveSession, Samples, TelemetryKind};

use crate::config::Config;
use crate::error::ApiError;
pub use format::Sample;

/// How long a session without telemetry in the archive is answered empty
/// before the archive is asked again.
pub const MISSING_RETRY: Duration = Duration::from_secs(600);

/// The stored session whose telemetry is asked for (from the index of
/// stored session data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRef {
    pub year: i32,
    pub meeting_key: i64,
    pub session_key: i64,
    /// False while the live feed still records it.
    pub complete: bool,
}

/// What a download left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filled {
    Kept,
    /// Not listed, or listed without telemetry.
    Missing,
}

/// Why a download failed: the archive (a 502), or our disk (a 500).
#[derive(Debug, Clone)]
enum FillError {
    Upstream(String),
    Disk(String),
}

impl From<FillError> for ApiError {
    fn from(e: FillError) -> Self {
        match e {
            FillError::Upstream(detail) => ApiError::Upstream(detail),
            FillError::Disk(detail) => ApiError::Internal(format!("telemetry cache: {detail}")),
        }
    }
}

impl From<ArchiveError> for FillError {
    fn from(e: ArchiveError) -> Self {
        Self::Upstream(e.to_string())
    }
}

impl From<std::io::Error> for FillError {
    fn from(e: std::io::Error) -> Self {
        Self::Disk(e.to_string())
    }
}

type Flight = Shared<BoxFuture<'static, Result<Filled, FillError>>>;

/// The telemetry reader and its cache (shared by every request).
#[derive(Clone)]
pub struct Telemetry(Arc<Inner>);

struct Inner {
    url: String,
    timeout: Duration,
    /// Made at first use (building an HTTPS client reads the system's roots).
    archive: OnceLock<Result<Archive, String>>,
    disk: Option<disk::Disk>,
    flights: Mutex<HashMap<i64, Flight>>,
    missing: Mutex<HashMap<i64, Instant>>,
}

impl Telemetry {
    pub fn new(cfg: &Config) -> Self {
        let bound = cfg.telemetry_cache_bytes();
        Self(Arc::new(Inner {
            url: cfg.livetiming_url.clone(),
            timeout: cfg.upstream_timeout_ms.get(),
            archive: OnceLock::new(),
            disk: (bound > 0).then(|| disk::Disk::new(&cfg.telemetry_cache_dir, bound)),
            flights: Mutex::default(),
            missing: Mutex::default(),
        }))
    }

    fn archive(&self) -> Result<&Archive, ApiError> {
        self.0
            .archive
            .get_or_init(|| Archive::new(&self.0.url, self.0.timeout).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| ApiError::Internal(format!("the LiveTiming archive client: {e}")))
    }

    /// The samples of `kind` of `session` that `keep` keeps, of the cars
    /// `drivers` (every car when `None`), ordered by date then car.
    pub async fn read<T, K>(
        &self,
        session: &SessionRef,
        kind: TelemetryKind,
        drivers: Option<Vec<i32>>,
        keep: K,
    ) -> Result<Vec<T>, ApiError>
    where
        T: Send + 'static,
        K: FnMut(Sample) -> Option<T> + Send + Clone + 'static,
    {
        if !session.complete || self.missing_recently(session.session_key) {
            return Ok(Vec::new());
        }
        let Some(disk) = &self.0.disk else { return self.stream(session, kind, drivers, keep).await };
        let keys = (session.meeting_key, session.session_key);
        // Twice at most: a session evicted between the download and the
        // read is downloaded again.
        for _ in 0..2 {
            if self.ensure(session).await? == Filled::Missing {
                return Ok(Vec::new());
            }
            let found = disk
                .read(session.session_key, kind, drivers.clone(), keys, keep.clone())
                .await
                .map_err(|e| ApiError::Internal(format!("telemetry cache: {e}")))?;
            if let Some(found) = found {
                return Ok(found.into_iter().map(|(_, _, t)| t).collect());
            }
        }
        Err(ApiError::Internal(format!("telemetry cache: session {} evicted while read", session.session_key)))
    }

    fn missing_recently(&self, key: i64) -> bool {
        let missing = self.0.missing.lock().unwrap_or_else(PoisonError::into_inner);
        missing.get(&key).is_some_and(|since| since.elapsed() < MISSING_RETRY)
    }

    fn remember_missing(&self, key: i64) {
        let mut missing = self.0.missing.lock().unwrap_or_else(PoisonError::into_inner);
        missing.retain(|_, since| since.elapsed() < MISSING_RETRY);
        missing.insert(key, Instant::now());
    }

    /// The session on disk: kept already, or downloaded now (by this
    /// request, or by the one whose download it joins).
    async fn ensure(&self, session: &SessionRef) -> Result<Filled, ApiError> {
        let disk = self.0.disk.as_ref().expect("ensure runs with the cache on");
        let key = session.session_key;
        if disk.has(key).await.map_err(|e| ApiError::Internal(format!("telemetry cache: {e}")))? {
            return Ok(Filled::Kept);
        }
        let flight = {
            let mut flights = self.0.flights.lock().unwrap_or_else(PoisonError::into_inner);
            // Checked again under the lock: a download removes its flight
            // only after it has registered the session (or its absence).
            if disk.contains(key) {
                return Ok(Filled::Kept);
            }
            if self.missing_recently(key) {
                return Ok(Filled::Missing);
            }
            match flights.get(&key) {
                Some(flight) => flight.clone(),
                None => {
                    let this = self.clone();
                    let session = session.clone();
                    let task = tokio::spawn(async move {
                        // Dropped last, after the outcome is registered; on
                        // a panic too, so a failure is never kept.
                        let _landing = Landing(this.clone(), session.session_key);
                        let filled = this.fill(&session).await;
                        match &filled {
                            Ok(Filled::Missing) => this.remember_missing(session.session_key),
                            Ok(Filled::Kept) => {}
                            // Logged where it is answered (a 502 or 500).
                            Err(e) => tracing::debug!(session_key = session.session_key, error = ?e,
                                "telemetry: reading the archive failed"),
                        }
                        filled
                    });
                    let flight = async move {
                        task.await.unwrap_or_else(|e| Err(FillError::Disk(format!("the download task: {e}"))))
                    }
                    .boxed()
                    .shared();
                    flights.insert(key, flight.clone());
                    flight
                }
            }
        };
        Ok(flight.await?)
    }

    /// Downloads and decodes both streams of `session` into the cache.
    async fn fill(&self, session: &SessionRef) -> Result<Filled, FillError> {
        let disk = self.0.disk.as_ref().expect("fill runs with the cache on");
        let archive = self.archive().map_err(|e| FillError::Disk(e.to_string()))?;
        let Some(found) = self.find(archive, session).await? else { return Ok(Filled::Missing) };
        metrics::counter!("content_telemetry_downloads_total").increment(1);
        let mut writer = disk.writer(session.session_key).await?;
        let mut any = false;
        for kind in TelemetryKind::ALL {
            let Some(mut stream) = archive.telemetry(&found, kind).await? else { continue };
            any = true;
            while let Some(samples) = stream.next().await? {
                writer.add(kind, samples_of(samples)).await?;
            }
        }
        if !any {
            return Ok(Filled::Missing);
        }
        disk.commit(writer).await?;
        tracing::info!(session_key = session.session_key, "telemetry: session read from the archive and kept");
        Ok(Filled::Kept)
    }

    /// The session in the archive, stamped with our stored meeting key.
    async fn find(&self, archive: &Archive, session: &SessionRef) -> Result<Option<ArchiveSession>, ArchiveError> {
        let found = archive.session(session.year, session.session_key).await?;
        Ok(found.map(|found| ArchiveSession { meeting_key: session.meeting_key, ..found }))
    }

    /// Without the cache: one stream read for this request alone.
    async fn stream<T, K>(
        &self,
        session: &SessionRef,
        kind: TelemetryKind,
        drivers: Option<Vec<i32>>,
        mut keep: K,
    ) -> Result<Vec<T>, ApiError>
    where
        K: FnMut(Sample) -> Option<T>,
    {
        let archive = self.archive()?;
        let upstream = |e: ArchiveError| ApiError::Upstream(e.to_string());
        let Some(found) = self.find(archive, session).await.map_err(upstream)? else {
            self.remember_missing(session.session_key);
            return Ok(Vec::new());
        };
        let Some(mut stream) = archive.telemetry(&found, kind).await.map_err(upstream)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        while let Some(samples) = stream.next().await.map_err(upstream)? {
            for sample in samples_of(samples) {
                let car = sample.driver_number();
                if drivers.as_ref().is_some_and(|d| !d.contains(&car)) {
                    continue;
                }
                let micros = sample.micros();
                if let Some(kept) = keep(sample) {
                    out.push((micros, car, kept));
                }
            }
        }
        out.sort_by_key(|(micros, car, _)| (*micros, *car));
        Ok(out.into_iter().map(|(_, _, t)| t).collect())
    }
}

/// Ends a session's flight when dropped: later requests find the session
/// on disk (or remembered missing), or start a new download.
struct Landing(Telemetry, i64);

impl Drop for Landing {
    fn drop(&mut self) {
        self.0.0.flights.lock().unwrap_or_else(PoisonError::into_inner).remove(&self.1);
    }
}

fn samples_of(samples: Samples) -> Vec<Sample> {
    match samples {
        Samples::CarData(s) => s.into_iter().map(Sample::Car).collect(),
        Samples::Location(s) => s.into_iter().map(Sample::Place).collect(),
    }
}
