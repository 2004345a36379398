//! Sync run history (fetcher and scheduler record every run here).
use protobuf::v1::{Metadata, SyncOutcome, SyncRun, SyncRunFilter, SyncRunsResponse};
use protobuf::{DomainError, PageSpec};

use super::{Repo, Result, decode_all, keys, latest};
use crate::store::{Batch, Collection};

impl Repo {
    /// Creates or updates a run; a new run gets a time-ordered id.
    pub async fn write_sync_run(&self, mut run: SyncRun) -> Result<SyncRun> {
        if run.kind.trim().is_empty() {
            return Err(DomainError::invalid("kind", "must not be empty"));
        }
        if SyncOutcome::try_from(run.outcome).is_err() {
            return Err(DomainError::invalid("outcome", format!("unknown outcome {}", run.outcome)));
        }
        if run.id.is_empty() {
            run.id = uuid::Uuid::now_v7().to_string();
        }
        let mut batch = Batch::default();
        batch.put(keys::put_sync_run(&run));
        self.commit(batch, vec![]).await?;
        Ok(run)
    }

    /// Runs, newest first, optionally of one kind.
    pub async fn sync_runs(&self, filter: SyncRunFilter) -> Result<SyncRunsResponse> {
        let page = PageSpec::from_wire(filter.page.as_ref())?;
        let docs = self.store.scan(Collection::SyncRuns, "").await?;
        let mut runs: Vec<SyncRun> = decode_all(&docs)?;
        runs.retain(|r| filter.kind.is_empty() || r.kind == filter.kind);
        // UUIDv7 ids sort by creation time.
        runs.reverse();
        let total = runs.len() as i32;
        Ok(SyncRunsResponse {
            metadata: Some(Metadata { date: latest(&docs), cached: false }),
            runs: page.slice(runs),
            total,
        })
    }
}
