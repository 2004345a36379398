//! Leases for other services (the scheduler's leadership): validated here,
//! kept by the lease backend (Redis when configured, in-process otherwise).
use std::time::Duration;

use protobuf::DomainError;
use protobuf::v1::LeaseRequest;

use super::{Repo, Result};

/// What a lease call names: the lease, its holder and, but for release, its lifetime.
fn parse(req: &LeaseRequest, needs_ttl: bool) -> Result<Duration> {
    if req.name.trim().is_empty() {
        return Err(DomainError::invalid("name", "must not be empty"));
    }
    if req.token.trim().is_empty() {
        return Err(DomainError::invalid("token", "must not be empty"));
    }
    if needs_ttl && req.ttl_ms <= 0 {
        return Err(DomainError::invalid("ttl_ms", "must be positive"));
    }
    Ok(Duration::from_millis(req.ttl_ms.max(0) as u64))
}

fn unavailable(e: crate::lease::LeaseError) -> DomainError {
    DomainError::Unavailable(e.to_string())
}

impl Repo {
    /// Takes the lease unless another token holds it. True when taken.
    pub async fn acquire_lease(&self, req: LeaseRequest) -> Result<bool> {
        let ttl = parse(&req, true)?;
        self.leases.acquire(&req.name, &req.token, ttl).await.map_err(unavailable)
    }

    /// Extends the lease if `token` holds it. True when extended.
    pub async fn renew_lease(&self, req: LeaseRequest) -> Result<bool> {
        let ttl = parse(&req, true)?;
        self.leases.renew(&req.name, &req.token, ttl).await.map_err(unavailable)
    }

    /// Frees the lease if `token` holds it. True when freed.
    pub async fn release_lease(&self, req: LeaseRequest) -> Result<bool> {
        parse(&req, false)?;
        self.leases.release(&req.name, &req.token).await.map_err(unavailable)
    }
}
