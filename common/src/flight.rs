//! One build at a time per key ("single flight"): concurrent misses of the
//! same answer or page wait for the first build and share what it made,
//! instead of all building it (64 builds of a large answer at once are slow
//! and hold 64 copies).
//!
//! The builder joins the key's [`Flight`], locks it, builds under a
//! [`Flights::landing`] guard and leaves its result in it; those who waited on the
//! lock find the result there. Someone who comes after the landing starts
//! a new flight (and usually finds the result kept elsewhere by then).
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// One build and who waits for it: the builder holds the lock and leaves
/// its result in it.
pub type Flight<V> = Arc<tokio::sync::Mutex<Option<V>>>;

/// The flights under way, by key.
pub struct Flights<V> {
    building: Arc<Mutex<HashMap<String, Flight<V>>>>,
}

impl<V> Clone for Flights<V> {
    fn clone(&self) -> Self {
        Self { building: self.building.clone() }
    }
}

impl<V> Default for Flights<V> {
    fn default() -> Self {
        Self { building: Arc::default() }
    }
}

impl<V> Flights<V> {
    /// The flight of `key` now, joined or started.
    pub fn join(&self, key: &str) -> Flight<V> {
        let mut building = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        building.entry(key.to_string()).or_default().clone()
    }

    /// `key` is built (or failed): later misses start afresh.
    pub fn land(&self, key: &str) {
        self.building.lock().unwrap_or_else(PoisonError::into_inner).remove(key);
    }

    /// A guard that lands `key` when dropped: the builder holds it for its
    /// build, so a build that ends early (an error, a cancelled request)
    /// lands as well.
    pub fn landing<'a>(&'a self, key: &'a str) -> Landing<'a, V> {
        Landing { flights: self, key }
    }

    /// Flights under way (for tests and metrics).
    pub fn in_flight(&self) -> usize {
        self.building.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// Lands its key when dropped ([`Flights::landing`]).
pub struct Landing<'a, V> {
    flights: &'a Flights<V>,
    key: &'a str,
}

impl<V> Drop for Landing<'_, V> {
    fn drop(&mut self) {
        self.flights.land(self.key);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// What a caller does: the first builds, the others take its result.
    async fn get(flights: &Flights<u32>, key: &str, builds: &AtomicUsize, release: &tokio::sync::Notify) -> u32 {
        let flight = flights.join(key);
        let mut made = flight.lock().await;
        if let Some(v) = *made {
            return v;
        }
        let _landing = flights.landing(key);
        builds.fetch_add(1, Ordering::SeqCst);
        release.notified().await;
        *made = Some(7);
        7
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_build() {
        let flights = Flights::default();
        let builds = Arc::new(AtomicUsize::new(0));
        let release = Arc::new(tokio::sync::Notify::new());
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (flights, builds, release) = (flights.clone(), builds.clone(), release.clone());
                tokio::spawn(async move { get(&flights, "/seasons/2024", &builds, &release).await })
            })
            .collect();
        while builds.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        release.notify_one();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 7);
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1, "one build, fifteen who waited");
        assert_eq!(flights.in_flight(), 0, "landed");
    }
}
