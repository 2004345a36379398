//! The locks as data_scheduler leases (`AcquireLease`, `RenewLease`,
//! `ReleaseLease`): data_scheduler keeps them in Redis when it has one,
//! in-process otherwise.
use std::time::Duration;

use async_trait::async_trait;
use data_client::Client;
use protobuf::v1::LeaseRequest;

use super::{Lock, LockError};

pub struct LeaseLock {
    client: Client,
}

impl LeaseLock {
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

fn request(name: &str, token: &str, ttl: Duration) -> LeaseRequest {
    // At least 1 ms: data_scheduler refuses a lease without a lifetime.
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1);
    LeaseRequest { name: name.to_string(), token: token.to_string(), ttl_ms }
}

fn err(status: tonic::Status) -> LockError {
    LockError(format!("data_scheduler: {}", status.message()))
}

#[async_trait]
impl Lock for LeaseLock {
    async fn acquire(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LockError> {
        let answer = self.client.leases().acquire_lease(request(name, token, ttl)).await.map_err(err)?;
        Ok(answer.into_inner().held)
    }

    async fn renew(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LockError> {
        let answer = self.client.leases().renew_lease(request(name, token, ttl)).await.map_err(err)?;
        Ok(answer.into_inner().held)
    }

    async fn release(&self, name: &str, token: &str) -> Result<bool, LockError> {
        let answer = self.client.leases().release_lease(request(name, token, Duration::ZERO)).await.map_err(err)?;
        Ok(answer.into_inner().held)
    }

    async fn ping(&self) -> Result<(), LockError> {
        self.client.ready().await.map_err(err)
    }

    fn backend(&self) -> &'static str {
        "data_scheduler"
    }
}
