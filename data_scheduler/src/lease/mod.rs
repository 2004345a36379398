//! Leases: named locks with expiry, served to other services over gRPC
//! (the scheduler's leadership and its per-kind run locks). In Redis when
//! `WIBM_REDIS_URL` is set, so every data_scheduler replica sees them;
//! in-process otherwise (one data_scheduler serves every scheduler replica).
//!
//! A holder is identified by a token; only the holder renews or releases,
//! and a holder that dies stops renewing, so its lease expires.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

pub mod redis;

#[derive(Debug, Clone, thiserror::Error)]
#[error("lease backend unavailable: {0}")]
pub struct LeaseError(pub String);

#[async_trait]
pub trait Leases: Send + Sync + 'static {
    /// Takes `name` for `ttl` unless someone holds it. True when taken.
    async fn acquire(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LeaseError>;
    /// Extends `name` to `ttl` from now if `token` holds it. True when extended.
    async fn renew(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LeaseError>;
    /// Frees `name` if `token` holds it. True when freed.
    async fn release(&self, name: &str, token: &str) -> Result<bool, LeaseError>;
    fn backend(&self) -> &'static str;
}

/// Leases kept in this data_scheduler process: right when one data_scheduler
/// serves every caller (the embedded store allows only one).
#[derive(Debug, Default)]
pub struct LocalLeases {
    held: Mutex<HashMap<String, (String, Instant)>>,
}

impl LocalLeases {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut HashMap<String, (String, Instant)>) -> T) -> T {
        let mut held = self.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        held.retain(|_, (_, expiry)| *expiry > now);
        f(&mut held)
    }
}

#[async_trait]
impl Leases for LocalLeases {
    async fn acquire(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LeaseError> {
        Ok(self.with(|held| {
            if held.contains_key(name) {
                return false;
            }
            held.insert(name.to_string(), (token.to_string(), Instant::now() + ttl));
            true
        }))
    }

    async fn renew(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LeaseError> {
        Ok(self.with(|held| match held.get_mut(name) {
            Some((holder, expiry)) if holder == token => {
                *expiry = Instant::now() + ttl;
                true
            }
            _ => false,
        }))
    }

    async fn release(&self, name: &str, token: &str) -> Result<bool, LeaseError> {
        Ok(self.with(|held| {
            if held.get(name).is_some_and(|(holder, _)| holder == token) {
                held.remove(name);
                true
            } else {
                false
            }
        }))
    }

    fn backend(&self) -> &'static str {
        "in-process"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_the_holder_renews_and_releases() {
        let lock = LocalLeases::new();
        let ttl = Duration::from_secs(30);
        assert!(lock.acquire("leader", "a", ttl).await.unwrap());
        assert!(!lock.acquire("leader", "b", ttl).await.unwrap());
        assert!(!lock.renew("leader", "b", ttl).await.unwrap());
        assert!(!lock.release("leader", "b").await.unwrap());
        assert!(lock.renew("leader", "a", ttl).await.unwrap());
        assert!(lock.release("leader", "a").await.unwrap());
        assert!(lock.acquire("leader", "b", ttl).await.unwrap());
    }

    #[tokio::test]
    async fn an_expired_lock_can_be_taken() {
        let lock = LocalLeases::new();
        assert!(lock.acquire("run:rounds", "a", Duration::ZERO).await.unwrap());
        assert!(lock.acquire("run:rounds", "b", Duration::from_secs(30)).await.unwrap());
        assert!(!lock.renew("run:rounds", "a", Duration::from_secs(30)).await.unwrap());
    }
}
