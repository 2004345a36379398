//! The in-process cache (moka), with a per-entry TTL.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use moka::{Expiry, future::Cache as Moka};

use super::{Cache, CacheError, Entry};

#[derive(Clone)]
struct Stored {
    entry: Arc<Entry>,
    ttl: Duration,
}

struct PerEntryTtl;

impl Expiry<String, Stored> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, value: &Stored, _created_at: Instant) -> Option<Duration> {
        Some(value.ttl)
    }
}

pub struct MemoryCache {
    entries: Moka<String, Stored>,
    tags: Mutex<HashMap<String, u64>>,
}

impl MemoryCache {
    /// At most `capacity` answers are kept (least recently used go first).
    pub fn new(capacity: u64) -> Self {
        Self {
            entries: Moka::builder().max_capacity(capacity).expire_after(PerEntryTtl).build(),
            tags: Mutex::new(HashMap::new()),
        }
    }

    fn tags(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        // A panic while holding this lock cannot leave the map inconsistent
        // (every update is a single insert), so poisoning is ignored.
        self.tags.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl Cache for MemoryCache {
    async fn get(&self, key: &str) -> Result<Option<Arc<Entry>>, CacheError> {
        Ok(self.entries.get(key).await.map(|s| s.entry))
    }

    async fn put(&self, key: &str, entry: Arc<Entry>, ttl: Duration) -> Result<(), CacheError> {
        self.entries.insert(key.to_string(), Stored { entry, ttl }).await;
        Ok(())
    }

    async fn versions(&self, tags: &[String]) -> Result<Vec<u64>, CacheError> {
        let map = self.tags();
        Ok(tags.iter().map(|t| map.get(t).copied().unwrap_or(0)).collect())
    }

    async fn bump(&self, tags: &[String]) -> Result<(), CacheError> {
        let mut map = self.tags();
        for t in tags {
            *map.entry(t.clone()).or_insert(0) += 1;
        }
        Ok(())
    }

    async fn ping(&self) -> Result<(), CacheError> {
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "memory"
    }
}
