//! The typed repository over the store and the cache: validation, natural
//! keys, joins (a round with its circuit and sessions), cache-aside reads
//! and exact invalidation. The gRPC layer is a thin shell over this.

mod accounts;
mod career;
mod circuit_rounds;
mod entries;
pub mod keys;
mod lease;
mod live;
mod precedence;
mod reference;
mod runs;
mod session_data;
mod sport;
mod timing;
pub mod validate;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use prost::Message;
use protobuf::DomainError;
use protobuf::raw::Raw;
use protobuf::v1::{CacheClass, LiveSessionState, Metadata};
use tokio::sync::watch;

use crate::cache::{Cache, Entry, TagVersion};
use crate::changes::ChangeFeed;
use crate::lease::{Leases, LocalLeases};
use crate::store::{Batch, Collection, Doc, Store};

pub type Result<T> = std::result::Result<T, DomainError>;

/// How long answers stay cached, by kind of data.
#[derive(Debug, Clone, Copy)]
pub struct Ttls {
    /// Answers about a completed season (it rarely changes).
    pub completed: Duration,
    /// Answers about the current or an upcoming season.
    pub current: Duration,
    /// Drivers, constructors, circuits.
    pub reference: Duration,
}

impl Ttls {
    /// How long data_scheduler keeps an answer of `class`.
    pub fn of(&self, class: CacheClass) -> Duration {
        match class {
            CacheClass::CompletedSeason => self.completed,
            CacheClass::Reference => self.reference,
            CacheClass::CurrentSeason | CacheClass::Unspecified | CacheClass::Live | CacheClass::Provisional => {
                self.current
            }
        }
    }
}

impl Default for Ttls {
    fn default() -> Self {
        Self {
            completed: Duration::from_secs(24 * 3600),
            current: Duration::from_secs(60),
            reference: Duration::from_secs(3600),
        }
    }
}

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Records stored.
    pub records: i64,
    /// Sessions and standings not stored because the stored record is more
    /// authoritative (an official classification kept over a provisional one).
    pub kept_official: i64,
    /// Records of a stored copy the write replaced whole (a session's
    /// records synced again).
    pub replaced: i64,
}

impl From<i64> for Written {
    fn from(records: i64) -> Self {
        Self { records, ..Self::default() }
    }
}

/// What a loader produced for the cache-aside path.
pub(crate) struct Loaded<T> {
    pub value: T,
    /// Latest `updated_at` of the records read.
    pub written_at: i64,
    /// Tags only known after reading (e.g. the circuits a round uses).
    pub extra_tags: Vec<String>,
    pub class: CacheClass,
}

impl<T> Loaded<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Loaded<U> {
        Loaded { value: f(self.value), written_at: self.written_at, extra_tags: self.extra_tags, class: self.class }
    }
}

pub struct Repo {
    store: Arc<dyn Store>,
    cache: Arc<dyn Cache>,
    ttls: Ttls,
    /// Tags whose bump failed (cache unreachable during a write). Until they
    /// are bumped, the cache is bypassed so no stale answer is served.
    pending_bumps: Mutex<Vec<String>>,
    /// The last cache failure, for readiness and to log transitions once.
    cache_fault: Mutex<Option<String>>,
    live: watch::Sender<Option<LiveSessionState>>,
    /// Redis pub/sub to the other replicas, once attached (see `live.rs`).
    live_bus: std::sync::OnceLock<Arc<crate::cache::live_bus::RedisLiveBus>>,
    leases: Arc<dyn Leases>,
    /// What each write changed, told to the followers before it answers.
    changes: Arc<ChangeFeed>,
}

impl Repo {
    /// A repository whose leases live in this process.
    pub async fn new(store: Arc<dyn Store>, cache: Arc<dyn Cache>, ttls: Ttls) -> Result<Arc<Self>> {
        Self::with_leases(store, cache, ttls, Arc::new(LocalLeases::new())).await
    }

    pub async fn with_leases(
        store: Arc<dyn Store>,
        cache: Arc<dyn Cache>,
        ttls: Ttls,
        leases: Arc<dyn Leases>,
    ) -> Result<Arc<Self>> {
        // A store that is down at start-up must not stop the service from
        // starting: it answers UNAVAILABLE and readiness says why.
        let current = match store.get(Collection::Live, keys::LIVE_SLOT).await {
            Ok(doc) => doc.map(|d| decode::<LiveSessionState>(&d)).transpose()?,
            Err(e) => {
                tracing::warn!(error = %e, "could not load the live state at start-up");
                None
            }
        };
        Ok(Arc::new(Self {
            store,
            cache,
            ttls,
            pending_bumps: Mutex::new(Vec::new()),
            cache_fault: Mutex::new(None),
            live: watch::channel(current).0,
            live_bus: std::sync::OnceLock::new(),
            leases,
            changes: Arc::new(ChangeFeed::default()),
        }))
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn cache(&self) -> &Arc<dyn Cache> {
        &self.cache
    }

    /// The announcements of what writes changed.
    pub fn changes(&self) -> &Arc<ChangeFeed> {
        &self.changes
    }

    /// Writes `batch` all-or-nothing, then invalidates `tags`.
    pub(crate) async fn commit(&self, batch: Batch, tags: Vec<String>) -> Result<i64> {
        Ok(self.commit_at(batch, tags, protobuf::domain::now_unix()).await?.records)
    }

    /// [`Self::commit`] stamping the records with `now`; says what was kept.
    pub(crate) async fn commit_at(&self, batch: Batch, tags: Vec<String>, now: i64) -> Result<Written> {
        self.commit_counting(batch, tags, now, None).await
    }

    /// [`Self::commit_at`] counting `records` as written when given, rather
    /// than the batch's documents (a session's records are a few documents).
    pub(crate) async fn commit_counting(
        &self,
        batch: Batch,
        tags: Vec<String>,
        now: i64,
        records: Option<i64>,
    ) -> Result<Written> {
        if batch.is_empty() {
            return Ok(Written::default());
        }
        let ops = batch.len() as i64;
        let applied = self.store.apply(batch, now).await?;
        let kept_official = applied.kept.len() as i64;
        let count = records.unwrap_or(ops - kept_official);
        metrics::counter!("store_records_written_total").increment(count as u64);
        if kept_official > 0 {
            tracing::info!(kept = ?applied.kept, "kept the stored official records over less authoritative ones");
        }
        if !tags.is_empty() {
            let mut all = std::mem::take(&mut *lock(&self.pending_bumps));
            all.extend(tags);
            all.sort();
            all.dedup();
            if let Err(e) = self.cache.bump(&all).await {
                self.note_cache_fault(&e.to_string());
                lock(&self.pending_bumps).extend(all.clone());
            }
            // Before the write answers: a read after it never gets a kept
            // answer from before it.
            self.changes.announce(&all).await;
        }
        Ok(Written { records: count, kept_official, replaced: 0 })
    }

    /// The current cache fault, if the last cache operation failed.
    pub fn cache_fault(&self) -> Option<String> {
        lock(&self.cache_fault).clone()
    }

    fn note_cache_fault(&self, e: &str) {
        let mut fault = lock(&self.cache_fault);
        if fault.is_none() {
            tracing::warn!(backend = self.cache.backend(), error = %e, "cache unreachable; reading from the store");
        }
        *fault = Some(e.to_string());
    }

    fn note_cache_ok(&self) {
        let mut fault = lock(&self.cache_fault);
        if fault.take().is_some() {
            tracing::info!(backend = self.cache.backend(), "cache reachable again");
        }
    }

    /// Whether the cache may be used now: flushes pending invalidations first.
    async fn cache_usable(&self) -> bool {
        let pending = std::mem::take(&mut *lock(&self.pending_bumps));
        if pending.is_empty() {
            return true;
        }
        match self.cache.bump(&pending).await {
            Ok(()) => true,
            Err(e) => {
                self.note_cache_fault(&e.to_string());
                lock(&self.pending_bumps).extend(pending);
                false
            }
        }
    }

    /// Cache-aside read: answers from the cache when every tag the entry was
    /// built from is unchanged; otherwise loads from the store and caches.
    /// Either way the answer is the encoded bytes, never decoded here.
    /// Cache failures never reach the caller.
    pub(crate) async fn read_through<T, F, Fut>(&self, key: &str, tags: Vec<String>, load: F) -> Result<Answer>
    where
        T: Message + Default,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Loaded<T>>>,
    {
        let mut before = None;
        if self.cache_usable().await {
            match self.cached(key).await {
                Ok(Some(hit)) => {
                    self.note_cache_ok();
                    metrics::counter!("cache_requests_total", "result" => "hit").increment(1);
                    return Ok(hit);
                }
                Ok(None) => match self.cache.versions(&tags).await {
                    Ok(v) => {
                        self.note_cache_ok();
                        before = Some(v);
                    }
                    Err(e) => self.note_cache_fault(&e.to_string()),
                },
                Err(e) => self.note_cache_fault(&e),
            }
        }
        metrics::counter!("cache_requests_total", "result" => "miss").increment(1);
        let loaded = load().await?;
        let body = Bytes::from(loaded.value.encode_to_vec());
        if let Some(before) = before {
            let extra = self.cache.versions(&loaded.extra_tags).await;
            match extra {
                Ok(extra) => {
                    let tags = tags
                        .into_iter()
                        .zip(before)
                        .chain(loaded.extra_tags.iter().cloned().zip(extra))
                        .map(|(tag, version)| TagVersion { tag, version })
                        .collect();
                    let entry = Entry {
                        body: body.clone(),
                        written_at: loaded.written_at,
                        tags,
                        cache_class: loaded.class as i32,
                    };
                    if let Err(e) = self.cache.put(key, Arc::new(entry), self.ttls.of(loaded.class)).await {
                        self.note_cache_fault(&e.to_string());
                    }
                }
                Err(e) => self.note_cache_fault(&e.to_string()),
            }
        }
        let metadata = Metadata { date: loaded.written_at, cached: false, cache_class: loaded.class as i32 };
        Ok(Answer { body, metadata })
    }

    async fn cached(&self, key: &str) -> std::result::Result<Option<Answer>, String> {
        let Some(entry) = self.cache.get(key).await.map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let names: Vec<String> = entry.tags.iter().map(|t| t.tag.clone()).collect();
        let now = self.cache.versions(&names).await.map_err(|e| e.to_string())?;
        if entry.tags.iter().zip(now).any(|(t, v)| t.version != v) {
            return Ok(None);
        }
        let metadata = Metadata { date: entry.written_at, cached: true, cache_class: entry.cache_class };
        Ok(Some(Answer { body: entry.body.clone(), metadata }))
    }

    /// The cache class of answers about season `year`.
    pub(crate) async fn season_class(&self, year: i32) -> Result<CacheClass> {
        let season = self.store.get(Collection::Seasons, &keys::season(year)).await?;
        let completed = match season {
            Some(d) => decode::<protobuf::v1::Season>(&d)?.status == protobuf::v1::SeasonStatus::Completed as i32,
            None => false,
        };
        Ok(if completed { CacheClass::CompletedSeason } else { CacheClass::CurrentSeason })
    }
}

/// A read answer: encoded without its metadata (as the cache keeps it), and
/// the metadata. Sent as [`Raw`] bytes; decoded only by in-process callers.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: Bytes,
    pub metadata: Metadata,
}

impl Answer {
    /// The answer as sent: metadata, then the body.
    pub fn raw(&self) -> Raw {
        Raw::with_metadata(&self.metadata, &self.body)
    }

    /// The whole answer as a message (what a client decodes).
    pub fn decode<M: Message + Default>(&self) -> Result<M> {
        M::decode(self.raw().0).map_err(|e| DomainError::Internal(format!("undecodable answer: {e}")))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Every critical section is a single assignment or extend: a panic in
    // one cannot leave the value inconsistent, so poisoning is ignored.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(crate) fn decode<M: Message + Default>(doc: &Doc) -> Result<M> {
    M::decode(doc.body.as_slice()).map_err(|e| DomainError::Internal(format!("corrupt record {}: {e}", doc.key)))
}

pub(crate) fn decode_all<M: Message + Default>(docs: &[Doc]) -> Result<Vec<M>> {
    docs.iter().map(decode).collect()
}

pub(crate) fn latest(docs: &[Doc]) -> i64 {
    docs.iter().map(|d| d.updated_at).max().unwrap_or(0)
}
