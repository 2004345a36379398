use serde::{Deserialize, Serialize};

use crate::SeasonStatus;

/// A driver or constructor named by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// `/content/v1/seasons/{year}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Season {
    pub year: i32,
    pub status: SeasonStatus,
    pub total_rounds: i32,
    /// The last round whose race has finished; 0 before the first race.
    pub current_round: i32,
    pub first_date: Option<String>,
    pub end_date: Option<String>,
    /// Set once the title is decided.
    pub champion_driver: Option<Named>,
    pub champion_constructor: Option<Named>,
}

impl Season {
    pub fn completed(&self) -> bool {
        self.status == SeasonStatus::Completed
    }
}

/// One page of seasons, newest first (`/content/v1/seasons`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeasonList {
    /// Seasons matching the filters, across every page.
    pub total: i32,
    pub page: u32,
    pub per_page: u32,
    pub seasons: Vec<Season>,
}
