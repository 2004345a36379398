//! The fetcher's HTTP contract (`POST /fetcher/v1/fetch/{kind}`): the kinds
//! a sync can be asked for and the answer to one. The fetcher writes the
//! answer; the scheduler and `wibm sync` read it, with this one type, so a
//! renamed field fails to compile instead of reading as zero.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::v1::SyncKind;

/// The kinds a sync can be asked for, one route each: the first seven of
/// `SyncKind::ALL` (the others are the f1db import and the scheduler's live
/// signal).
pub const FETCH_KINDS: &[SyncKind] = SyncKind::ALL.as_slice().split_at(7).0;

/// The route of a sync of `kind`, e.g. `/fetcher/v1/fetch/results`.
pub fn fetch_path(kind: SyncKind) -> String {
    format!("/fetcher/v1/fetch/{kind}")
}

/// A fetch kind by its name in the route (`results`), `None` for any other.
pub fn fetch_kind(name: &str) -> Option<SyncKind> {
    FETCH_KINDS.iter().copied().find(|k| k.as_str() == name)
}

/// The answer to a sync that succeeded:
/// `{"success":true,"source":...,"count":...,"timestamp":...}` plus the
/// records written, counts per record kind and the sync run's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncAnswer {
    /// Always true (a failed sync answers an error body).
    pub success: bool,
    /// The upstream the data came from (`jolpica`, `formula1`, `livetiming`, `f1db`).
    pub source: String,
    /// The records of the sync's own kind (seasons for `seasons`, sessions for `results`).
    pub count: i64,
    /// Every record the write touched.
    pub records: i64,
    /// Records written per record kind (`rounds`, `sessions`, `lap_timings`, ...).
    pub counts: BTreeMap<String, i64>,
    /// The sync run recorded in the history.
    pub run_id: String,
    /// Unix seconds.
    pub timestamp: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fetch_kind_has_its_route() {
        for &k in FETCH_KINDS {
            assert_eq!(fetch_kind(k.as_str()), Some(k));
            assert_eq!(fetch_path(k), format!("/fetcher/v1/fetch/{}", k.as_str()));
        }
        assert_eq!(FETCH_KINDS.last(), Some(&SyncKind::SessionData));
        assert_eq!(fetch_path(SyncKind::SessionData), "/fetcher/v1/fetch/session-data");
        assert_eq!(fetch_kind("live"), None);
        assert_eq!(fetch_kind("f1db"), None);
    }
}
