//! Sync run history (fetcher and scheduler record every run here).
use protobuf::v1::{CacheClass, Metadata, SyncKind, SyncOutcome, SyncRun, SyncRunFilter, SyncRunsResponse};
use protobuf::{DomainError, PageSpec};

use super::{Repo, Result, decode_all, keys, latest};
use crate::store::{Batch, Collection};

impl Repo {
    /// Creates or updates a run; a new run gets a time-ordered id.
    pub async fn write_sync_run(&self, mut run: SyncRun) -> Result<SyncRun> {
        match SyncKind::try_from(run.kind) {
            Ok(SyncKind::Unspecified) => return Err(DomainError::invalid("kind", "must be set")),
            Ok(_) => {}
            Err(_) => return Err(DomainError::invalid("kind", format!("unknown kind {}", run.kind))),
        }
        if SyncOutcome::try_from(run.outcome).is_err() {
            return Err(DomainError::invalid("outcome", format!("unknown outcome {}", run.outcome)));
        }
        if run.id.is_empty() {
            run.id = uuid::Uuid::now_v7().to_string();
        }
        run.kind_name.clear();
        let mut batch = Batch::default();
        batch.put(keys::put_sync_run(&run));
        self.commit(batch, vec![]).await?;
        Ok(run)
    }

    /// Runs, newest first, optionally of one kind and one source.
    pub async fn sync_runs(&self, filter: SyncRunFilter) -> Result<SyncRunsResponse> {
        let page = PageSpec::from_wire(filter.page.as_ref())?;
        let kind = SyncKind::try_from(filter.kind)
            .map_err(|_| DomainError::invalid("kind", format!("unknown kind {}", filter.kind)))?;
        let docs = self.store.scan(Collection::SyncRuns, "").await?;
        let mut runs: Vec<SyncRun> = decode_all(&docs)?;
        runs.iter_mut().for_each(upgrade);
        runs.retain(|r| kind == SyncKind::Unspecified || r.kind == kind as i32);
        runs.retain(|r| filter.source.is_empty() || r.source == filter.source);
        // UUIDv7 ids sort by creation time.
        runs.reverse();
        let total = runs.len() as i32;
        Ok(SyncRunsResponse {
            metadata: Some(Metadata {
                date: latest(&docs),
                cached: false,
                cache_class: CacheClass::CurrentSeason as i32,
            }),
            runs: page.slice(runs),
            total,
        })
    }
}

/// Records written before the kind was an enum carry it as text only.
fn upgrade(run: &mut SyncRun) {
    if run.kind == SyncKind::Unspecified as i32
        && let Some(kind) = SyncKind::from_name(&run.kind_name)
    {
        run.kind = kind as i32;
    }
    run.kind_name.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_recorded_with_a_text_kind_reads_as_the_enum() {
        let mut run = SyncRun { kind_name: "livetiming".into(), ..Default::default() };
        upgrade(&mut run);
        assert_eq!(run.kind, SyncKind::Livetiming as i32);
        assert!(run.kind_name.is_empty());
    }
}
