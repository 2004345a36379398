//! In-process reuse of rendered answers, keyed by path and query: a small
//! map bounded by bytes, each entry kept until its own expiry. When full,
//! expired entries go first, then the oldest ones.
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::flight::Flights;

use crate::respond::{Rendered, Reusable};

/// Rendered answers kept at most this many bytes in all.
const CACHE_BYTES: usize = 128 * 1024 * 1024;

#[derive(Clone)]
pub struct AnswerCache {
    inner: Option<Arc<Mutex<Map>>>,
    cap: Duration,
    /// The answers being built, one flight each: those who waited get the
    /// build's answer even when it is not kept (live data).
    building: Flights<Rendered>,
}

#[derive(Default)]
struct Map {
    entries: HashMap<String, Arc<Reusable>>,
    /// Keys in insertion order (a key may appear again after a replace; its
    /// stale position is skipped when it comes up).
    order: VecDeque<String>,
    bytes: usize,
    limit: usize,
}

impl Map {
    fn remove(&mut self, key: &str) {
        if let Some(old) = self.entries.remove(key) {
            self.bytes -= old.size();
        }
    }

    fn insert(&mut self, key: String, value: Arc<Reusable>) {
        let size = value.size();
        if size > self.limit {
            return;
        }
        self.remove(&key);
        if self.bytes + size > self.limit {
            self.entries.retain(|_, v| !v.ttl_left().is_zero());
            self.bytes = self.entries.values().map(|v| v.size()).sum();
        }
        while self.bytes + size > self.limit {
            let Some(oldest) = self.order.pop_front() else { break };
            self.remove(&oldest);
        }
        if self.order.len() > 2 * self.entries.len() + 64 {
            let entries = &self.entries;
            self.order.retain(|k| entries.contains_key(k));
        }
        self.bytes += size;
        self.order.push_back(key.clone());
        self.entries.insert(key, value);
    }
}

impl AnswerCache {
    /// Keeps answers at most `cap` (and never beyond their max-age); a zero
    /// `cap` turns reuse off.
    pub fn new(cap: Duration) -> Self {
        Self::with_limit(cap, CACHE_BYTES)
    }

    fn with_limit(cap: Duration, limit: usize) -> Self {
        let inner = (!cap.is_zero()).then(|| Arc::new(Mutex::new(Map { limit, ..Map::default() })));
        Self { inner, cap, building: Flights::default() }
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// The answers being built (one flight per key).
    pub fn flights(&self) -> &Flights<Rendered> {
        &self.building
    }

    fn map(&self) -> Option<std::sync::MutexGuard<'_, Map>> {
        // Every critical section leaves the map consistent before it could
        // panic, so poisoning is ignored.
        self.inner.as_ref().map(|m| m.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    pub fn get(&self, key: &str) -> Option<Arc<Reusable>> {
        let hit = self.map()?.entries.get(key).filter(|r| !r.ttl_left().is_zero()).cloned();
        metrics::counter!("content_answer_cache_total", "result" => if hit.is_some() { "hit" } else { "miss" })
            .increment(1);
        hit
    }

    /// `key`'s kept answer after its reuse ran out but within its max-age:
    /// what is served while a request builds its successor.
    pub fn stale(&self, key: &str) -> Option<Arc<Reusable>> {
        let stale = self.map()?.entries.get(key).filter(|r| r.servable()).cloned();
        if stale.is_some() {
            metrics::counter!("content_answer_cache_total", "result" => "stale").increment(1);
        }
        stale
    }

    pub fn put(&self, key: String, rendered: &Rendered) {
        let ttl = self.cap.min(rendered.kind().max_age());
        if ttl.is_zero() {
            return;
        }
        if let Some(mut map) = self.map() {
            map.insert(key, Arc::new(rendered.to_reusable(ttl)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::respond::{CacheKind, Meta};

    fn rendered(n: usize) -> Rendered {
        let meta = Meta { date: 1, cached: false, kind: CacheKind::CompletedSeason };
        Rendered::json(&"x".repeat(n), meta).unwrap()
    }

    #[test]
    fn keeps_answers_within_its_byte_limit_dropping_the_oldest() {
        let cache = AnswerCache::with_limit(Duration::from_secs(60), 3_000);
        for key in ["a", "b", "c"] {
            cache.put(key.into(), &rendered(700));
        }
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        cache.put("d".into(), &rendered(700));
        assert!(cache.get("a").is_none(), "the oldest answer made room");
        assert!(cache.get("b").is_some() && cache.get("d").is_some());
        assert!(cache.map().unwrap().bytes <= 3_000);
    }

    #[test]
    fn live_answers_and_a_zero_cap_keep_nothing() {
        let cache = AnswerCache::new(Duration::from_secs(60));
        let live = Rendered::json(&1, Meta { date: 1, cached: false, kind: CacheKind::Live }).unwrap();
        cache.put("live".into(), &live);
        assert!(cache.get("live").is_none());
        let off = AnswerCache::new(Duration::ZERO);
        off.put("a".into(), &rendered(10));
        assert!(off.get("a").is_none());
    }
}
