//! "As it stands": while a race or sprint is live, the title fight as if it
//! finished now, i.e. the what-if of that one session with the live order
//! (provisional points by the season's rules).
use serde::{Deserialize, Serialize};

use crate::model::SessionRef;

#[cfg(feature = "proto")]
mod live;
#[cfg(feature = "proto")]
pub use live::{LiveOrder, as_it_stands, live_order};

/// The live session as it was played.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AsItStands {
    pub session: SessionRef,
    /// The lap being run, and the laps of the race (0 when not told).
    pub lap: i32,
    pub total_laps: i32,
    /// The live order as placed, driver ids, leader first.
    pub order: Vec<String>,
    /// Cars on the live board that are not drivers of this season's
    /// standings (a newcomer): left out of the order, so they score nothing here.
    pub unplaced: Vec<i32>,
    /// Who would be champion after this session, if it finished now.
    pub champion: Option<String>,
    /// In a sentence: "If the race finished now, Max Verstappen would be champion."
    pub note: String,
}
