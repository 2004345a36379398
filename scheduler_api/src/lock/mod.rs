//! Locks with expiry: one for leadership (only one replica runs the plans)
//! and one per run kind (a kind already running is skipped). They are
//! data_scheduler's leases ([`lease::LeaseLock`]), so every replica sees them
//! and the scheduler links no storage client.
//!
//! A holder is identified by a token; only the holder renews or releases,
//! and a holder that dies stops renewing, so its lock expires.
use std::time::Duration;

use async_trait::async_trait;

pub mod lease;

#[derive(Debug, Clone, thiserror::Error)]
#[error("lock backend unavailable: {0}")]
pub struct LockError(pub String);

#[async_trait]
pub trait Lock: Send + Sync + 'static {
    /// Takes `name` for `ttl` unless someone holds it. True when taken.
    async fn acquire(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LockError>;
    /// Extends `name` to `ttl` from now if `token` holds it. True when extended.
    async fn renew(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LockError>;
    /// Frees `name` if `token` holds it. True when freed.
    async fn release(&self, name: &str, token: &str) -> Result<bool, LockError>;
    /// Whether the backend answers (for readiness).
    async fn ping(&self) -> Result<(), LockError>;
    fn backend(&self) -> &'static str;

    /// Keeps `name` if `token` holds it, else tries to take it.
    async fn hold(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LockError> {
        Ok(self.renew(name, token, ttl).await? || self.acquire(name, token, ttl).await?)
    }
}
