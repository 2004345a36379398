//! What the scheduler reads and writes through data_scheduler: the
//! calendar, whether a session's results are stored, and run records.
use data_scheduler::client::Client;
use protobuf::v1::{Empty, Page, SeasonKey, SessionKey, SessionType, SyncRun, SyncRunFilter};
use protobuf::{DomainError, RoundNumber, Year};

use crate::job::Kind;

/// The `source` of the scheduler's own run records, telling them apart from
/// the fetcher's records of the same kinds.
pub const SOURCE: &str = "scheduler";

/// History scans read at most this many pages of 1000 records.
const MAX_SCAN_PAGES: i32 = 20;

#[derive(Clone)]
pub struct Store {
    client: Client,
}

type Result<T> = std::result::Result<T, DomainError>;

impl Store {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// The season's rounds with their sessions; none when the season is not stored.
    pub async fn rounds(&self, season: Year) -> Result<Vec<protobuf::v1::Round>> {
        match self.client.clone().get_rounds(SeasonKey { season: season.get() }).await {
            Ok(r) => Ok(r.into_inner().rounds),
            Err(status) => match DomainError::from(status) {
                DomainError::NotFound(_) => Ok(Vec::new()),
                e => Err(e),
            },
        }
    }

    /// How many official results the session has stored (0 when the
    /// session is unknown or its results are provisional: the results plan
    /// keeps asking the official source until they are official).
    pub async fn session_results(&self, season: Year, round: RoundNumber, kind: SessionType) -> Result<usize> {
        let key = SessionKey { season: season.get(), round: round.get(), r#type: kind as i32 };
        match self.client.clone().get_session(key).await {
            Ok(r) => Ok(r
                .into_inner()
                .session
                .filter(|s| !s.provenance.as_ref().is_some_and(|p| p.is_provisional()))
                .map_or(0, |s| s.results.len())),
            Err(status) => match DomainError::from(status) {
                DomainError::NotFound(_) => Ok(0),
                e => Err(e),
            },
        }
    }

    /// Creates (empty id) or replaces a run record.
    pub async fn write_run(&self, run: SyncRun) -> Result<SyncRun> {
        let answer = self.client.clone().write_sync_run(run).await.map_err(DomainError::from)?;
        answer.into_inner().run.ok_or_else(|| DomainError::Internal("WriteSyncRun answered no run".into()))
    }

    /// The scheduler's own records (newest first), optionally of one kind.
    /// data_scheduler filters by kind only, so the source is filtered here.
    pub async fn scheduler_runs(&self, kind: Option<Kind>, limit: usize) -> Result<Vec<SyncRun>> {
        let mut out = Vec::new();
        for page in 1..=MAX_SCAN_PAGES {
            let filter = SyncRunFilter {
                kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                page: Some(Page { page, per_page: Some(1000) }),
            };
            let answer = self.client.clone().get_sync_runs(filter).await.map_err(DomainError::from)?.into_inner();
            let exhausted = answer.runs.len() < 1000;
            out.extend(answer.runs.into_iter().filter(|r| r.source == SOURCE));
            if exhausted || out.len() >= limit {
                break;
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Reachability: any answer (even "nothing live") means data_scheduler is up.
    pub async fn ping(&self) -> Result<()> {
        match self.client.clone().get_live_state(Empty {}).await {
            Ok(_) => Ok(()),
            Err(status) => match DomainError::from(status) {
                DomainError::Unavailable(e) => Err(DomainError::Unavailable(e)),
                _ => Ok(()),
            },
        }
    }
}
