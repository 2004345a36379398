//! The sync kinds and cache classes: one list each, with their spellings and
//! lifetimes, for every service.
use std::time::Duration;

use crate::v1::{CacheClass, SyncKind};

impl SyncKind {
    /// Every kind, in the order lists show them.
    pub const ALL: [SyncKind; 9] = [
        SyncKind::Seasons,
        SyncKind::Rounds,
        SyncKind::Results,
        SyncKind::Standings,
        SyncKind::Livetiming,
        SyncKind::Weekend,
        SyncKind::SessionData,
        SyncKind::F1db,
        SyncKind::Live,
    ];

    /// The kind's name in URLs, JSON and the run history (`results`, `f1db`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::Seasons => "seasons",
            Self::Rounds => "rounds",
            Self::Results => "results",
            Self::Standings => "standings",
            Self::Livetiming => "livetiming",
            Self::Weekend => "weekend",
            Self::F1db => "f1db",
            Self::Live => "live",
            Self::SessionData => "session-data",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for SyncKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl CacheClass {
    /// How long an answer of this class may be kept by HTTP clients and
    /// proxies (and by content_api's own answer cache).
    pub fn max_age(self) -> Duration {
        Duration::from_secs(match self {
            Self::CompletedSeason => 86_400,
            Self::CurrentSeason | Self::Unspecified => 60,
            Self::Reference => 3_600,
            Self::Provisional => 30,
            Self::Live => 0,
        })
    }

    /// Whether a kept copy must be revalidated once its max-age is over
    /// (never served stale): data that is about to be replaced.
    pub fn must_revalidate(self) -> bool {
        self == Self::Provisional
    }

    /// The class of an answer built from parts of classes `self` and `other`:
    /// live if either part is, else provisional if either is, else the one
    /// that expires first.
    pub fn and(self, other: Self) -> Self {
        let rank = |c: Self| match c {
            Self::Live => 0,
            Self::Provisional => 1,
            _ => 2,
        };
        match rank(self).cmp(&rank(other)) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal if other.max_age() < self.max_age() => other,
            std::cmp::Ordering::Equal => self,
        }
    }

    /// `self`, or provisional when the answer holds provisional results.
    pub fn holding_provisional(self, provisional: bool) -> Self {
        if provisional { self.and(Self::Provisional) } else { self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_its_name() {
        for k in SyncKind::ALL {
            assert_eq!(SyncKind::from_name(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(SyncKind::from_name("unspecified"), None);
    }

    #[test]
    fn a_mixed_answer_expires_with_its_shortest_part() {
        assert_eq!(CacheClass::CompletedSeason.and(CacheClass::CurrentSeason), CacheClass::CurrentSeason);
        assert_eq!(CacheClass::Reference.and(CacheClass::CompletedSeason), CacheClass::Reference);
        assert_eq!(CacheClass::Live.and(CacheClass::Reference), CacheClass::Live);
    }

    #[test]
    fn provisional_data_makes_the_whole_answer_provisional() {
        for other in [CacheClass::CompletedSeason, CacheClass::CurrentSeason, CacheClass::Reference] {
            assert_eq!(other.and(CacheClass::Provisional), CacheClass::Provisional);
            assert_eq!(CacheClass::Provisional.and(other), CacheClass::Provisional);
            assert_eq!(other.holding_provisional(true), CacheClass::Provisional);
            assert_eq!(other.holding_provisional(false), other);
        }
        assert_eq!(CacheClass::Provisional.and(CacheClass::Live), CacheClass::Live);
        assert!(CacheClass::Provisional.max_age() <= Duration::from_secs(60));
        assert!(CacheClass::Provisional.must_revalidate() && !CacheClass::CompletedSeason.must_revalidate());
    }
}
