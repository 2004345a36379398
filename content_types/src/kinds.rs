//! The enums of the contract with their JSON spellings. `unspecified` (or
//! `unknown` for a season) names a record whose value was never set; the
//! spellings match the slugs of the proto enums in `protobuf::slug`.
use serde::{Deserialize, Serialize};

macro_rules! spelled {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// The JSON spelling, e.g. for a CSS class or a URL.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

spelled!(
    /// Where a season stands.
    SeasonStatus {
        Upcoming => "upcoming",
        InProgress => "in_progress",
        Completed => "completed",
        Unknown => "unknown",
    }
);

spelled!(
    /// A session of a race weekend (`sprint_qualifying` was called the
    /// sprint shootout in 2023).
    SessionType {
        Practice1 => "practice_1",
        Practice2 => "practice_2",
        Practice3 => "practice_3",
        Qualifying => "qualifying",
        SprintQualifying => "sprint_qualifying",
        Sprint => "sprint",
        Race => "race",
        Unspecified => "unspecified",
    }
);

spelled!(
    /// Where a session stands.
    SessionStatus {
        Scheduled => "scheduled",
        Live => "live",
        Finished => "finished",
        Cancelled => "cancelled",
        Unspecified => "unspecified",
    }
);

spelled!(
    /// A weekend's format.
    RoundFormat {
        Conventional => "conventional",
        Sprint => "sprint",
        Unspecified => "unspecified",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_spellings() {
        assert_eq!(serde_json::to_string(&SeasonStatus::InProgress).unwrap(), "\"in_progress\"");
        assert_eq!(serde_json::to_string(&SessionType::Practice1).unwrap(), "\"practice_1\"");
        assert_eq!(
            serde_json::from_str::<SessionType>("\"sprint_qualifying\"").unwrap(),
            SessionType::SprintQualifying
        );
        assert_eq!(SessionStatus::Cancelled.as_str(), "cancelled");
        assert_eq!(RoundFormat::Sprint.to_string(), "sprint");
        assert!(serde_json::from_str::<SessionStatus>("\"postponed\"").is_err(), "an unknown status is an error");
    }
}
