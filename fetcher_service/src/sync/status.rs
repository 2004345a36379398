//! What `/fetcher/v1/status` reports about this process's syncs: each
//! source's last success and failure, and the last fetch of each kind.
use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

use super::SyncKind;
use crate::error::FetchError;
use crate::upstream::SourceName;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SourceStatus {
    /// Unix seconds.
    pub last_success: Option<i64>,
    pub last_failure: Option<i64>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KindStatus {
    pub last_fetch: i64,
    pub source: SourceName,
    pub success: bool,
}

#[derive(Debug, Default)]
pub struct StatusBoard {
    inner: Mutex<(BTreeMap<SourceName, SourceStatus>, BTreeMap<SyncKind, KindStatus>)>,
}

impl StatusBoard {
    pub fn record(&self, kind: SyncKind, source: SourceName, at: i64, error: Option<&FetchError>) {
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = inner.0.entry(source).or_default();
        match error {
            None => s.last_success = Some(at),
            Some(e) => {
                s.last_failure = Some(at);
                s.last_error = Some(e.to_string());
            }
        }
        inner.1.insert(kind, KindStatus { last_fetch: at, source, success: error.is_none() });
    }

    /// Every source (those never used with empty entries) and every kind fetched.
    pub fn snapshot(&self) -> (BTreeMap<SourceName, SourceStatus>, BTreeMap<SyncKind, KindStatus>) {
        let inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut sources = inner.0.clone();
        for s in [SourceName::Jolpica, SourceName::Formula1, SourceName::Livetiming, SourceName::F1db] {
            sources.entry(s).or_default();
        }
        (sources, inner.1.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_keep_the_last_success() {
        let board = StatusBoard::default();
        board.record(SyncKind::Rounds, SourceName::Jolpica, 10, None);
        board.record(SyncKind::Results, SourceName::Jolpica, 20, Some(&FetchError::param("round", "0")));
        let (sources, kinds) = board.snapshot();
        let j = &sources[&SourceName::Jolpica];
        assert_eq!((j.last_success, j.last_failure), (Some(10), Some(20)));
        assert!(sources.contains_key(&SourceName::F1db));
        assert!(!kinds[&SyncKind::Results].success);
    }
}
