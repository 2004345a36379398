//! Live session state: stored (so a restart keeps it, and every replica
//! reads the same), broadcast to watchers, fanned out to the other replicas
//! through Redis when configured; never cached.
use std::sync::Arc;

use prost::Message;
use protobuf::v1::{CacheClass, LiveSessionState, LiveStateResponse, Metadata, SessionType};
use protobuf::{DomainError, Year};
use tokio::sync::watch;

use super::{Repo, Result, decode, keys};
use crate::cache::live_bus::RedisLiveBus;
use crate::store::{Batch, Collection};

impl Repo {
    pub async fn write_live(&self, mut state: LiveSessionState) -> Result<i64> {
        Year::new(state.season)?;
        if state.session_type != 0 {
            SessionType::from_wire(state.session_type)
                .map_err(|_| DomainError::invalid("session_type", "unknown session type"))?;
        }
        if state.updated_at == 0 {
            state.updated_at = protobuf::domain::now_unix();
        }
        state.version = next_version(self.live.borrow().as_ref().map_or(0, |c| c.version));
        let mut batch = Batch::default();
        batch.put(keys::put_live(&state));
        let n = self.commit(batch, vec![]).await?;
        let body = self.live_bus.get().map(|_| state.encode_to_vec());
        self.live.send_replace(Some(state));
        if let (Some(bus), Some(body)) = (self.live_bus.get(), body) {
            // Stored already: a replica that misses this catches up from the
            // store when its subscription comes back.
            if let Err(e) = bus.publish(crate::cache::live_bus::CHANNEL, &body).await {
                tracing::warn!(error = %e, "live fan-out: publishing to the other replicas failed");
            }
        }
        Ok(n)
    }

    /// The stored state, which every replica shares (the in-process copy
    /// could trail a write taken by another replica).
    pub async fn live_state(&self) -> Result<LiveStateResponse> {
        let doc = self.store.get(Collection::Live, keys::LIVE_SLOT).await?;
        let state: LiveSessionState = decode(&doc.ok_or_else(|| DomainError::not_found("live session"))?)?;
        let metadata = Metadata { date: state.updated_at, cached: false, cache_class: CacheClass::Live as i32 };
        Ok(LiveStateResponse { metadata: Some(metadata), state: Some(state) })
    }

    /// A receiver that holds the current state and sees every change.
    pub fn watch_live(&self) -> watch::Receiver<Option<LiveSessionState>> {
        self.live.subscribe()
    }

    /// Fans live writes out through `bus` and hands what other replicas
    /// write to this replica's watchers, until `stop`.
    pub fn attach_live_bus(self: &Arc<Self>, bus: Arc<RedisLiveBus>, stop: common::Shutdown) {
        if self.live_bus.set(bus.clone()).is_err() {
            return;
        }
        let repo = self.clone();
        tokio::spawn(async move {
            let catch_up = || async {
                match repo.live_state().await {
                    Ok(answer) => repo.offer_live(answer.state),
                    Err(DomainError::NotFound(_)) => {}
                    Err(e) => tracing::warn!(error = %e, "live fan-out: cannot reload the live state"),
                }
            };
            let heard = |body: &[u8]| match LiveSessionState::decode(body) {
                Ok(state) => repo.offer_live(Some(state)),
                Err(e) => tracing::warn!(error = %e, "live fan-out: skipping an undecodable message"),
            };
            bus.listen(crate::cache::live_bus::CHANNEL, stop, catch_up, heard).await;
        });
    }

    /// Hands `state` to the watchers unless they have it already (our own
    /// writes come back through Redis) or hold a newer one.
    fn offer_live(&self, state: Option<LiveSessionState>) {
        let Some(state) = state else { return };
        self.live.send_if_modified(|current| match current {
            Some(c) if *c == state || c.version > state.version => false,
            _ => {
                *current = Some(state);
                true
            }
        });
    }
}

/// The version of a board written after one at `last`: the time in unix
/// microseconds, so a restarted replica (or one that missed a write) still
/// counts on from where the others are, and never less than `last + 1`.
fn next_version(last: u64) -> u64 {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
    micros.max(last.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::next_version;

    #[test]
    fn versions_only_go_up() {
        let now = next_version(0);
        assert!(now > 1_700_000_000_000_000, "unix microseconds: {now}");
        let ahead = now + 10_000_000;
        assert_eq!(next_version(ahead), ahead + 1, "a board from a clock ahead is still followed by a greater one");
    }
}
