use protobuf::v1::{Season, SeasonStatus};
use serde::Serialize;
use utoipa::ToSchema;

use super::opt;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeasonStatusJson {
    Upcoming,
    InProgress,
    Completed,
    Unknown,
}

impl From<i32> for SeasonStatusJson {
    fn from(v: i32) -> Self {
        match SeasonStatus::try_from(v).unwrap_or_default() {
            SeasonStatus::Upcoming => Self::Upcoming,
            SeasonStatus::InProgress => Self::InProgress,
            SeasonStatus::Completed => Self::Completed,
            SeasonStatus::Unspecified => Self::Unknown,
        }
    }
}

/// A driver or constructor named by id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Named {
    pub id: String,
    pub name: String,
}

fn named(id: &str, name: &str) -> Option<Named> {
    (!id.is_empty()).then(|| Named { id: id.to_string(), name: name.to_string() })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeasonJson {
    pub year: i32,
    pub status: SeasonStatusJson,
    pub total_rounds: i32,
    /// The last round whose race has finished; 0 before the first race.
    pub current_round: i32,
    pub first_date: Option<String>,
    pub end_date: Option<String>,
    /// Set once the title is decided.
    pub champion_driver: Option<Named>,
    pub champion_constructor: Option<Named>,
}

impl From<Season> for SeasonJson {
    fn from(s: Season) -> Self {
        Self {
            year: s.year,
            status: s.status.into(),
            total_rounds: s.total_rounds,
            current_round: s.current_round,
            first_date: opt(&s.first_date),
            end_date: opt(&s.end_date),
            champion_driver: named(&s.champion_driver_id, &s.champion_driver_name),
            champion_constructor: named(&s.champion_constructor_id, &s.champion_constructor_name),
        }
    }
}

/// One page of seasons, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeasonList {
    /// Seasons matching the filters, across every page.
    pub total: i32,
    pub page: u32,
    pub per_page: u32,
    pub seasons: Vec<SeasonJson>,
}
