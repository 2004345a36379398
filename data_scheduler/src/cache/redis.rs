//! The Redis cache, shared by every data_scheduler replica. Uses a lazy
//! connection manager (reconnects by itself; starting with Redis down is
//! fine) with connect and response timeouts, so an outage costs a read at
//! most the timeout before it falls back to the store.
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use prost::Message;
use redis::{AsyncCommands, aio::ConnectionManager};

use super::{Cache, CacheError, Entry};

const PREFIX: &str = "wibm:c:";
const TAG_PREFIX: &str = "wibm:t:";

pub struct RedisCache {
    conn: ConnectionManager,
}

fn err(e: redis::RedisError) -> CacheError {
    CacheError(e.to_string())
}

impl RedisCache {
    pub fn new(url: &str, timeout: Duration) -> Result<Self, CacheError> {
        let (_, conn) = crate::redis_conn::connect(url, timeout).map_err(err)?;
        Ok(Self { conn })
    }
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Arc<Entry>>, CacheError> {
        let mut conn = self.conn.clone();
        let raw: Option<Vec<u8>> = conn.get(format!("{PREFIX}{key}")).await.map_err(err)?;
        // Decoding from `Bytes` makes the body a view of the reply, not a copy.
        raw.map(|b| {
            Entry::decode(Bytes::from(b)).map(Arc::new).map_err(|e| CacheError(format!("corrupt entry {key}: {e}")))
        })
        .transpose()
    }

    async fn put(&self, key: &str, entry: Arc<Entry>, ttl: Duration) -> Result<(), CacheError> {
        let mut conn = self.conn.clone();
        let secs = ttl.as_secs().max(1);
        conn.set_ex::<_, _, ()>(format!("{PREFIX}{key}"), entry.encode_to_vec(), secs).await.map_err(err)
    }

    async fn versions(&self, tags: &[String]) -> Result<Vec<u64>, CacheError> {
        if tags.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.conn.clone();
        let keys: Vec<String> = tags.iter().map(|t| format!("{TAG_PREFIX}{t}")).collect();
        let values: Vec<Option<u64>> = conn.mget(keys).await.map_err(err)?;
        Ok(values.into_iter().map(Option::unwrap_or_default).collect())
    }

    async fn bump(&self, tags: &[String]) -> Result<(), CacheError> {
        if tags.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn.clone();
        let mut pipe = redis::pipe();
        pipe.atomic();
        for t in tags {
            pipe.incr(format!("{TAG_PREFIX}{t}"), 1).ignore();
        }
        pipe.query_async::<()>(&mut conn).await.map_err(err)
    }

    async fn ping(&self) -> Result<(), CacheError> {
        let mut conn = self.conn.clone();
        redis::cmd("PING").query_async::<String>(&mut conn).await.map(|_| ()).map_err(err)
    }

    fn backend(&self) -> &'static str {
        "redis"
    }
}
