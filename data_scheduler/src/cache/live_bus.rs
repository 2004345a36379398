//! Fan-out across data_scheduler replicas through Redis pub/sub: the live
//! state on [`CHANNEL`], and what writes changed (`crate::changes`).
//!
//! The replica that takes a `WriteLiveState` stores it, hands it to its own
//! watchers and publishes it on [`CHANNEL`]; every replica listens and hands
//! what it hears to its watchers. A listener that lost Redis reloads the
//! state from the (shared) store each time it subscribes again, so a watcher
//! never stays behind a write it missed.
use std::time::Duration;

use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use redis::{AsyncCommands, Client};

use super::CacheError;

pub const CHANNEL: &str = "wibm:live";

pub struct RedisLiveBus {
    client: Client,
    conn: ConnectionManager,
}

fn err(e: redis::RedisError) -> CacheError {
    CacheError(e.to_string())
}

impl RedisLiveBus {
    pub fn new(url: &str, timeout: Duration) -> Result<Self, CacheError> {
        let (client, conn) = crate::redis_conn::connect(url, timeout).map_err(err)?;
        Ok(Self { client, conn })
    }

    /// Publishes `body` on `channel` (e.g. an encoded live state on
    /// [`CHANNEL`]) to every replica; says how many listeners received it.
    pub async fn publish(&self, channel: &str, body: &[u8]) -> Result<usize, CacheError> {
        self.conn.clone().publish::<_, _, usize>(channel, body).await.map_err(err)
    }

    /// Listens to `channel` until `stop`: `subscribed` runs after every
    /// (re)subscription (to catch up), `heard` for every message. Reconnects
    /// with backoff when Redis goes away.
    pub async fn listen<S, Fut>(&self, channel: &str, stop: common::Shutdown, subscribed: S, heard: impl Fn(&[u8]))
    where
        S: Fn() -> Fut,
        Fut: Future<Output = ()>,
    {
        let mut delay = Duration::from_millis(100);
        while !stop.is_triggered() {
            match self.client.get_async_pubsub().await {
                Ok(mut pubsub) => match pubsub.subscribe(channel).await {
                    Ok(()) => {
                        delay = Duration::from_millis(100);
                        subscribed().await;
                        let mut messages = pubsub.on_message();
                        loop {
                            tokio::select! {
                                message = messages.next() => match message {
                                    Some(m) => heard(m.get_payload_bytes()),
                                    None => break,
                                },
                                _ = stop.wait() => return,
                            }
                        }
                        tracing::warn!("live fan-out: Redis subscription lost; resubscribing");
                    }
                    Err(e) => tracing::warn!(error = %e, "live fan-out: cannot subscribe"),
                },
                Err(e) => tracing::warn!(error = %e, "live fan-out: Redis unreachable"),
            }
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = stop.wait() => return,
            }
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }
}
