//! In-process reuse of rendered answers, keyed by path and query: a small
//! map bounded by bytes, each entry kept until its own expiry (at most the
//! configured reuse) or until a write touches it, whichever comes first.
//! When full, expired entries go first, then the oldest ones.
//!
//! Answers are kept only while the process follows data_scheduler's change
//! announcements ([`crate::changes`]): each announcement drops the answers
//! of the seasons it names (and those about no one season) before it is
//! acknowledged, and a write answers only after that. An answer whose build
//! began before an announcement is not kept, nor shared with requests that
//! came after it, since it may hold what the write replaced.
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::flight::Flights;
use protobuf::v1::Changes;

use crate::respond::{Rendered, Reusable};

/// Rendered answers kept at most this many bytes in all.
const CACHE_BYTES: usize = 128 * 1024 * 1024;

/// When an answer's build began: the announcements applied by then, if the
/// process was following them.
pub type Since = Option<u64>;

#[derive(Clone)]
pub struct AnswerCache {
    inner: Option<Arc<Mutex<Map>>>,
    /// This process among others (and its restarts), for [`Self::version`].
    epoch: u64,
    cap: Duration,
    /// The answers being built, one flight each: those who waited get the
    /// build's answer even when it is not kept (live data), if it began
    /// after they came.
    building: Flights<(Since, Rendered)>,
}

#[derive(Default)]
struct Map {
    entries: HashMap<String, Arc<Reusable>>,
    /// Keys in insertion order (a key may appear again after a replace; its
    /// stale position is skipped when it comes up).
    order: VecDeque<String>,
    bytes: usize,
    limit: usize,
    /// Whether the change announcements are followed (else nothing is kept).
    following: bool,
    /// Counts announcements applied and changes of `following`.
    generation: u64,
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

    fn since(&self) -> Since {
        self.following.then_some(self.generation)
    }
}

/// The season a kept answer is about, from its key (`/content/v1/seasons/2025/...`,
/// `http://host/ergast/f1/2025/...`); `None` for answers about no one season.
fn season_of(key: &str) -> Option<i32> {
    let path = key.split('?').next()?;
    let rest = match path.strip_prefix("/content/v1/seasons/") {
        Some(rest) => rest,
        None => &path[path.find("/ergast/f1/")? + "/ergast/f1/".len()..],
    };
    let first = rest.split('/').next()?;
    first.strip_suffix(".json").unwrap_or(first).parse().ok()
}

/// Whether the write announced in `changes` may have changed the answer kept under `key`.
fn touches(changes: &Changes, key: &str) -> bool {
    changes.everything || season_of(key).is_none_or(|y| changes.seasons.contains(&y))
}

impl AnswerCache {
    /// Keeps answers at most `cap` (and never beyond their max-age); a zero
    /// `cap` turns reuse off.
    pub fn new(cap: Duration) -> Self {
        Self::with_limit(cap, CACHE_BYTES)
    }

    fn with_limit(cap: Duration, limit: usize) -> Self {
        let inner = (!cap.is_zero()).then(|| Arc::new(Mutex::new(Map { limit, ..Map::default() })));
        Self { inner, epoch: rand::random(), cap, building: Flights::default() }
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// The answers being built (one flight per key).
    pub fn flights(&self) -> &Flights<(Since, Rendered)> {
        &self.building
    }

    /// Now, as the start of a build: `None` while the announcements are not
    /// followed (then nothing is kept or shared).
    pub fn since(&self) -> Since {
        self.map()?.since()
    }

    /// Names the announcements this process has applied, `None` while it
    /// does not follow them: while it is the same, no write completed.
    pub fn version(&self) -> Option<String> {
        self.since().map(|g| format!("{:x}-{g}", self.epoch))
    }

    /// Starts or stops keeping answers: either way, those kept so far go
    /// (writes may have been missed while not following).
    pub fn set_following(&self, following: bool) {
        if let Some(mut map) = self.map() {
            map.entries.clear();
            map.order.clear();
            map.bytes = 0;
            map.following = following;
            map.generation += 1;
        }
    }

    /// Drops the kept answers a write touched; returns how many.
    pub fn apply(&self, changes: &Changes) -> usize {
        let Some(mut map) = self.map() else { return 0 };
        map.generation += 1;
        let gone: Vec<String> = map.entries.keys().filter(|k| touches(changes, k)).cloned().collect();
        for key in &gone {
            map.remove(key);
        }
        metrics::counter!("content_answer_cache_total", "result" => "dropped").increment(gone.len() as u64);
        gone.len()
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

    /// Keeps `rendered`, built from reads that began at `since`, unless a
    /// write was announced since (or the announcements are not followed).
    pub fn put(&self, key: String, rendered: &Rendered, since: Since) {
        let ttl = self.cap.min(rendered.kind().max_age());
        if ttl.is_zero() {
            return;
        }
        let reusable = Arc::new(rendered.to_reusable(ttl));
        if let Some(mut map) = self.map()
            && since.is_some()
            && map.since() == since
        {
            map.insert(key, reusable);
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

    fn following(cap: Duration, limit: usize) -> AnswerCache {
        let cache = AnswerCache::with_limit(cap, limit);
        cache.set_following(true);
        cache
    }

    #[test]
    fn keeps_answers_within_its_byte_limit_dropping_the_oldest() {
        let cache = following(Duration::from_secs(60), 3_000);
        for key in ["a", "b", "c"] {
            cache.put(key.into(), &rendered(700), cache.since());
        }
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        cache.put("d".into(), &rendered(700), cache.since());
        assert!(cache.get("a").is_none(), "the oldest answer made room");
        assert!(cache.get("b").is_some() && cache.get("d").is_some());
        assert!(cache.map().unwrap().bytes <= 3_000);
    }

    #[test]
    fn live_answers_and_a_zero_cap_keep_nothing() {
        let cache = following(Duration::from_secs(60), CACHE_BYTES);
        let live = Rendered::json(&1, Meta { date: 1, cached: false, kind: CacheKind::Live }).unwrap();
        cache.put("live".into(), &live, cache.since());
        assert!(cache.get("live").is_none());
        let off = AnswerCache::new(Duration::ZERO);
        off.set_following(true);
        off.put("a".into(), &rendered(10), off.since());
        assert!(off.get("a").is_none());
    }

    #[test]
    fn a_write_drops_the_answers_of_its_seasons_and_those_of_no_season() {
        let cache = following(Duration::from_secs(60), CACHE_BYTES);
        let keys = [
            "/content/v1/seasons/2025/rounds/6/sessions/sprint",
            "/content/v1/seasons/2025",
            "http://localhost/ergast/f1/2025/results.json?limit=30&offset=0",
            "/content/v1/seasons/2024/rounds",
            "http://localhost/ergast/f1/2024.json?limit=30&offset=0",
            "/content/v1/seasons?page=2",
            "/content/v1/drivers/max-verstappen/seasons",
        ];
        for key in keys {
            cache.put(key.into(), &rendered(10), cache.since());
        }
        let write = Changes { seq: 1, seasons: vec![2025], ..Changes::default() };
        assert_eq!(cache.apply(&write), 5);
        let kept: Vec<&str> = keys.into_iter().filter(|k| cache.get(k).is_some()).collect();
        assert_eq!(kept, [keys[3], keys[4]]);
        assert_eq!(cache.apply(&Changes { everything: true, ..Changes::default() }), 2);
    }

    #[test]
    fn nothing_is_kept_while_not_following_nor_when_built_before_a_write() {
        let cache = AnswerCache::new(Duration::from_secs(60));
        cache.put("/content/v1/seasons".into(), &rendered(10), cache.since());
        assert!(cache.get("/content/v1/seasons").is_none(), "not following: nothing kept");
        cache.set_following(true);
        let since = cache.since();
        cache.apply(&Changes { seq: 1, seasons: vec![1999], ..Changes::default() });
        cache.put("/content/v1/seasons/2025".into(), &rendered(10), since);
        assert!(cache.get("/content/v1/seasons/2025").is_none(), "built before a write: not kept");
        cache.put("/content/v1/seasons/2025".into(), &rendered(10), cache.since());
        assert!(cache.get("/content/v1/seasons/2025").is_some());
        cache.set_following(false);
        assert!(cache.get("/content/v1/seasons/2025").is_none(), "dropped on leaving");
    }
}
