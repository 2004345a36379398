//! The Redis lock: `SET NX PX` to take, and small Lua scripts that renew or
//! delete only while the key still holds our token (a holder whose lock
//! expired and was taken by another never frees the newcomer's).
use std::time::Duration;

use ::redis::{Script, aio::ConnectionManager};
use async_trait::async_trait;

use super::{LeaseError, Leases};

const PREFIX: &str = "wibm:lease:";

const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0";

const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0";

pub struct RedisLeases {
    conn: ConnectionManager,
    renew: Script,
    release: Script,
}

fn err(e: ::redis::RedisError) -> LeaseError {
    LeaseError(e.to_string())
}

fn millis(ttl: Duration) -> u64 {
    (ttl.as_millis() as u64).max(1)
}

impl RedisLeases {
    /// A lazily connecting lock (data_scheduler may start before Redis), with
    /// connect and response timeouts so an outage costs a call at most that.
    pub fn new(url: &str, timeout: Duration) -> Result<Self, LeaseError> {
        let (_, conn) = crate::redis_conn::connect(url, timeout).map_err(err)?;
        Ok(Self { conn, renew: Script::new(RENEW), release: Script::new(RELEASE) })
    }
}

#[async_trait]
impl Leases for RedisLeases {
    async fn acquire(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LeaseError> {
        let mut conn = self.conn.clone();
        let set: Option<String> = ::redis::cmd("SET")
            .arg(format!("{PREFIX}{name}"))
            .arg(token)
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl))
            .query_async(&mut conn)
            .await
            .map_err(err)?;
        Ok(set.is_some())
    }

    async fn renew(&self, name: &str, token: &str, ttl: Duration) -> Result<bool, LeaseError> {
        let mut conn = self.conn.clone();
        let n: i64 = self
            .renew
            .key(format!("{PREFIX}{name}"))
            .arg(token)
            .arg(millis(ttl))
            .invoke_async(&mut conn)
            .await
            .map_err(err)?;
        Ok(n == 1)
    }

    async fn release(&self, name: &str, token: &str) -> Result<bool, LeaseError> {
        let mut conn = self.conn.clone();
        let n: i64 =
            self.release.key(format!("{PREFIX}{name}")).arg(token).invoke_async(&mut conn).await.map_err(err)?;
        Ok(n == 1)
    }

    fn backend(&self) -> &'static str {
        "redis"
    }
}
