//! Live session state: stored (so a restart keeps it) and broadcast to
//! watchers; never cached.
use protobuf::v1::{LiveSessionState, LiveStateResponse, Metadata, SessionType};
use protobuf::{DomainError, Year};
use tokio::sync::watch;

use super::{Repo, Result, keys};
use crate::store::Batch;

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
        let mut batch = Batch::default();
        batch.put(keys::put_live(&state));
        let n = self.commit(batch, vec![]).await?;
        self.live.send_replace(Some(state));
        Ok(n)
    }

    pub fn live_state(&self) -> Result<LiveStateResponse> {
        let state = self.live.borrow().clone().ok_or_else(|| DomainError::not_found("live session"))?;
        Ok(LiveStateResponse { metadata: Some(Metadata { date: state.updated_at, cached: false }), state: Some(state) })
    }

    /// A receiver that holds the current state and sees every change.
    pub fn watch_live(&self) -> watch::Receiver<Option<LiveSessionState>> {
        self.live.subscribe()
    }
}
