//! What the scheduler reads and writes through data_scheduler (the calendar,
//! whether a session's results are stored, run records), in the scheduler's
//! validated types; the plumbing is the shared client's.
use data_client::{Client, Found};
use protobuf::v1::{SessionKey, SessionType, SyncKind, SyncRun};
use protobuf::{DomainError, RoundNumber, Year};

use crate::job::Kind;

/// The `source` of the scheduler's own run records, telling them apart from
/// the fetcher's records of the same kinds.
pub const SOURCE: &str = "scheduler";

#[derive(Clone)]
pub struct Store {
    client: Client,
}

type Result<T> = std::result::Result<T, DomainError>;

impl Store {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The season's rounds with their sessions; none when the season is not stored.
    pub async fn rounds(&self, season: Year) -> Result<Vec<protobuf::v1::Round>> {
        Ok(self.client.rounds(season.get()).await?)
    }

    /// How many official results the session has stored (0 when the
    /// session is unknown or its results are provisional: the results plan
    /// keeps asking the official source until they are official).
    pub async fn session_results(&self, season: Year, round: RoundNumber, kind: SessionType) -> Result<usize> {
        let key = SessionKey { season: season.get(), round: round.get(), r#type: kind as i32 };
        let answer = self.client.sport().get_session(key).await.found()?;
        Ok(answer
            .and_then(|r| r.session)
            .filter(|s| !s.provenance.as_ref().is_some_and(|p| p.is_provisional()))
            .map_or(0, |s| s.results.len()))
    }

    /// Creates (empty id) or replaces a run record.
    pub async fn write_run(&self, run: SyncRun) -> Result<SyncRun> {
        let answer = self.client.history().write_sync_run(run).await?;
        answer.into_inner().run.ok_or_else(|| DomainError::Internal("WriteSyncRun answered no run".into()))
    }

    /// The scheduler's own records (newest first), optionally of one kind.
    pub async fn scheduler_runs(&self, kind: Option<Kind>, limit: usize) -> Result<Vec<SyncRun>> {
        Ok(self.client.sync_runs(kind.unwrap_or(SyncKind::Unspecified), SOURCE, limit).await?)
    }

    /// data_scheduler's health check.
    pub async fn ping(&self) -> Result<()> {
        Ok(self.client.ready().await?)
    }
}
