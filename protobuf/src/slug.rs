//! The URL and JSON spellings of the model's enums (`practice_1`, `race`,
//! `in_progress`, ...), shared by every HTTP service.
use crate::DomainError;
use crate::v1::{ResultSource, ResultStatus, RoundFormat, SeasonStatus, SessionStatus, SessionType, SyncOutcome};

/// Every session type in weekend order, with its slug.
pub const SESSION_TYPES: [(SessionType, &str); 7] = [
    (SessionType::Practice1, "practice_1"),
    (SessionType::Practice2, "practice_2"),
    (SessionType::Practice3, "practice_3"),
    (SessionType::SprintQualifying, "sprint_qualifying"),
    (SessionType::Sprint, "sprint"),
    (SessionType::Qualifying, "qualifying"),
    (SessionType::Race, "race"),
];

impl SessionType {
    pub fn slug(self) -> &'static str {
        SESSION_TYPES.iter().find(|(t, _)| *t == self).map_or("unspecified", |(_, s)| s)
    }

    /// Parses a slug; `sprint_shootout` (2023's name) is accepted too.
    pub fn from_slug(slug: &str) -> Result<Self, DomainError> {
        if slug == "sprint_shootout" {
            return Ok(Self::SprintQualifying);
        }
        SESSION_TYPES.iter().find(|(_, s)| *s == slug).map(|(t, _)| *t).ok_or_else(|| {
            DomainError::invalid(
                "session",
                format!("unknown session type `{slug}` (expected one of practice_1, practice_2, practice_3, qualifying, sprint_qualifying, sprint, race)"),
            )
        })
    }

    /// Validates a wire value: unspecified and unknown numbers are rejected.
    pub fn from_wire(value: i32) -> Result<Self, DomainError> {
        match Self::try_from(value) {
            Ok(Self::Unspecified) | Err(_) => {
                Err(DomainError::invalid("type", format!("unknown session type {value}")))
            }
            Ok(t) => Ok(t),
        }
    }

    /// Position in the weekend, for ordering sessions (sprint weekends run
    /// sprint qualifying and the sprint before qualifying since 2024; the
    /// sort uses the scheduled start when known, this as a fallback).
    pub fn weekend_order(self) -> usize {
        SESSION_TYPES.iter().position(|(t, _)| *t == self).unwrap_or(usize::MAX)
    }

    /// Races and sprints award championship points.
    pub fn scores_points(self) -> bool {
        matches!(self, Self::Race | Self::Sprint)
    }
}

macro_rules! slugs {
    ($ty:ident { $($variant:ident => $slug:literal),+ $(,)? }, $field:literal) => {
        impl $ty {
            pub fn slug(self) -> &'static str {
                match self {
                    $($ty::$variant => $slug,)+
                    #[allow(unreachable_patterns)]
                    _ => "unspecified",
                }
            }

            pub fn from_slug(slug: &str) -> Result<Self, DomainError> {
                match slug {
                    $($slug => Ok($ty::$variant),)+
                    other => Err(DomainError::invalid(
                        $field,
                        format!("unknown value `{other}` (expected one of {})", [$($slug),+].join(", ")),
                    )),
                }
            }
        }
    };
}

slugs!(SeasonStatus { Upcoming => "upcoming", InProgress => "in_progress", Completed => "completed" }, "status");
slugs!(SessionStatus { Scheduled => "scheduled", Live => "live", Finished => "finished", Cancelled => "cancelled" }, "status");
slugs!(
    ResultSource {
        F1db => "f1db",
        Jolpica => "jolpica",
        Formula1 => "formula1",
        LivetimingArchive => "livetiming_archive",
        LivetimingLive => "livetiming_live",
    },
    "source"
);
slugs!(ResultStatus { Provisional => "provisional", Official => "official" }, "status");
slugs!(RoundFormat { Conventional => "conventional", Sprint => "sprint" }, "format");
slugs!(
    SyncOutcome { Running => "running", Success => "success", Failed => "failed", Skipped => "skipped", Overdue => "overdue", Interrupted => "interrupted" },
    "outcome"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_slugs_round_trip() {
        for (t, s) in SESSION_TYPES {
            assert_eq!(t.slug(), s);
            assert_eq!(SessionType::from_slug(s).unwrap(), t);
        }
        assert_eq!(SessionType::from_slug("sprint_shootout").unwrap(), SessionType::SprintQualifying);
        assert!(SessionType::from_slug("warmup").is_err());
        assert!(SessionType::from_wire(0).is_err());
        assert!(SessionType::from_wire(99).is_err());
    }

    #[test]
    fn status_slugs() {
        assert_eq!(SeasonStatus::from_slug("in_progress").unwrap(), SeasonStatus::InProgress);
        assert_eq!(SeasonStatus::Completed.slug(), "completed");
        assert!(SeasonStatus::from_slug("done").is_err());
    }
}
