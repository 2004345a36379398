//! Running a sync: every fetch is recorded as a `SyncRun` (kind, trigger,
//! params, start and end, outcome, counts, error) through data_scheduler,
//! and reported to the process's [`StatusBoard`].

pub(crate) mod livetiming;
mod practice;
mod provisional;
pub mod session_data;
pub mod status;
mod weekend;

use std::collections::BTreeMap;

use protobuf::domain::now_unix;
use protobuf::v1::{RaceTiming, SyncOutcome, SyncRun, WriteBatchRequest, WriteRaceTimingsRequest};

pub use livetiming::sync_livetiming;
pub use practice::sync_practice;
pub use status::StatusBoard;
pub use weekend::sync_weekend;

use crate::error::FetchError;
use crate::upstream::SourceName;
use data_client::Client;

/// What a sync fetches (the `kind` of its SyncRun): the contract's one list.
pub use protobuf::v1::SyncKind;

/// Who asked: a person (or a script) or the scheduler's plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Manual,
    Planned,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Planned => "planned",
        }
    }
}

/// What a finished sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Done {
    /// The main count of the kind (seasons, rounds, sessions, standings).
    pub count: i64,
    /// Records data_scheduler wrote.
    pub records: i64,
    pub counts: BTreeMap<String, i64>,
}

/// Counts of each record kind in `batch` (results count classification lines).
pub fn counts(batch: &WriteBatchRequest) -> BTreeMap<String, i64> {
    let sessions = batch.sessions.iter().chain(batch.rounds.iter().flat_map(|r| &r.sessions));
    let results: usize = sessions.clone().map(|s| s.results.len()).sum();
    let all = [
        ("seasons", batch.seasons.len()),
        ("rounds", batch.rounds.len()),
        ("sessions", sessions.count()),
        ("results", results),
        ("standings", batch.standings.len()),
        ("drivers", batch.drivers.len()),
        ("constructors", batch.constructors.len()),
        ("circuits", batch.circuits.len()),
        ("circuit_images", batch.circuit_images.len()),
        ("aliases", batch.aliases.len()),
    ];
    all.into_iter().filter(|(_, n)| *n > 0).map(|(k, n)| (k.to_string(), n as i64)).collect()
}

/// Writes one sync's batch in one transaction.
pub async fn write(client: &Client, kind: SyncKind, batch: WriteBatchRequest) -> Result<Done, FetchError> {
    let counts = counts(&batch);
    let main = match kind {
        SyncKind::Seasons => "seasons",
        SyncKind::Rounds | SyncKind::Weekend => "rounds",
        SyncKind::Results | SyncKind::Livetiming | SyncKind::SessionData => "sessions",
        SyncKind::Standings => "standings",
        SyncKind::F1db | SyncKind::Live | SyncKind::Unspecified => "seasons",
    };
    let count = counts.get(main).copied().unwrap_or(0);
    let answer = client.sport().write_batch(batch).await?.into_inner();
    let (records, kept_official) = (answer.records_affected, answer.kept_official);
    let mut counts = counts;
    if kept_official > 0 {
        // Sessions (and standings) left as they were: an official record is stored.
        counts.insert("kept_official".into(), kept_official);
    }
    Ok(Done { count, records, counts })
}

/// Writes a race's lap timings and pit stops after the sync's batch
/// (`done`), adding them to its counts.
pub async fn write_timing(client: &Client, mut done: Done, timing: RaceTiming) -> Result<Done, FetchError> {
    let (laps, stops) = (timing.laps.len() as i64, timing.pit_stops.len() as i64);
    let req = WriteRaceTimingsRequest { races: vec![timing] };
    done.records += client.sport().write_race_timings(req).await?.into_inner().records_affected;
    done.counts.insert("lap_timings".into(), laps);
    done.counts.insert("pit_stops".into(), stops);
    Ok(done)
}

/// One sync to run and record.
#[derive(Debug, Clone)]
pub struct Run {
    pub kind: SyncKind,
    pub source: SourceName,
    pub trigger: Trigger,
    /// Human-readable, e.g. `season=2024 round=5`.
    pub params: String,
}

impl Run {
    /// Records the run as running, runs `work`, records the outcome. When
    /// data_scheduler cannot take the first record, `work` does not run.
    pub async fn execute<F>(self, client: &Client, board: &StatusBoard, work: F) -> Result<(String, Done), FetchError>
    where
        F: Future<Output = Result<Done, FetchError>>,
    {
        let started_at = now_unix();
        let mut record = SyncRun {
            kind: self.kind as i32,
            trigger: self.trigger.as_str().into(),
            source: self.source.as_str().into(),
            params: self.params.clone(),
            started_at,
            outcome: SyncOutcome::Running as i32,
            ..Default::default()
        };
        record = client.history().write_sync_run(record).await?.into_inner().run.unwrap_or_default();
        let result = work.await;
        record.finished_at = now_unix();
        match &result {
            Ok(done) => {
                record.outcome = SyncOutcome::Success as i32;
                record.records_written = done.records;
                record.counts = done.counts.clone().into_iter().collect();
                tracing::info!(kind = self.kind.as_str(), source = %self.source, params = %self.params, count = done.count, records = done.records, "sync succeeded");
            }
            Err(e) => {
                record.outcome = SyncOutcome::Failed as i32;
                record.error = e.to_string();
                tracing::warn!(kind = self.kind.as_str(), source = %self.source, params = %self.params, error = %e, "sync failed; nothing written");
            }
        }
        board.record(self.kind, self.source, record.finished_at, result.as_ref().err());
        if let Err(e) = client.history().write_sync_run(record.clone()).await {
            tracing::warn!(run = %record.id, error = %e, "could not record the sync's outcome");
        }
        result.map(|done| (record.id, done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protobuf::v1::{Round, Season, Session, SessionResult};

    #[test]
    fn counts_include_round_sessions_and_results() {
        let session = Session { results: vec![SessionResult::default(); 3], ..Default::default() };
        let batch = WriteBatchRequest {
            seasons: vec![Season::default()],
            rounds: vec![Round { sessions: vec![session.clone(), session.clone()], ..Default::default() }],
            sessions: vec![session],
            ..Default::default()
        };
        let c = counts(&batch);
        assert_eq!(c.get("sessions"), Some(&3));
        assert_eq!(c.get("results"), Some(&9));
        assert_eq!(c.get("standings"), None);
    }
}
