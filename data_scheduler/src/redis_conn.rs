//! The one Redis connection setup of the cache, the live bus and the lease:
//! a lazy connection manager (data_scheduler may start before Redis; it
//! reconnects by itself) with connect and response timeouts, so an outage
//! costs a call at most `timeout`.
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, RedisResult};

/// The client (for what needs its own connection, like pub/sub) and a
/// shared, reconnecting connection to `url`.
pub(crate) fn connect(url: &str, timeout: Duration) -> RedisResult<(Client, ConnectionManager)> {
    let client = Client::open(url)?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(timeout))
        .set_response_timeout(Some(timeout))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_secs(2));
    let conn = ConnectionManager::new_lazy_with_config(client.clone(), config)?;
    Ok((client, conn))
}
