//! What-if: hypothetical finishing orders for sessions still to come,
//! played onto the season under its rules; the title fight after them and
//! who became champion or was eliminated at which of them.
use serde::{Deserialize, Serialize};

use crate::model::{Championship, ScoringSession, SessionRef};

#[cfg(feature = "proto")]
mod play;
#[cfg(feature = "proto")]
pub use play::{Invalid, what_if};

/// At most this many places in one hypothetical order.
pub const MAX_ORDER: usize = 40;

/// Hypothetical results for one or more of the season's remaining sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIfRequest {
    /// At most the season's remaining scoring sessions, each at most once.
    pub sessions: Vec<HypotheticalSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HypotheticalSession {
    pub round: i32,
    pub session: ScoringSession,
    /// Driver ids, winner first (full or partial: the rest score nothing).
    pub order: Vec<String>,
    /// The driver credited with the fastest lap, in seasons that reward it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fastest_lap: Option<String>,
}

/// One championship's news at a hypothetical session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SideOutcome {
    pub leader: Option<String>,
    /// Set at the session after which the leader can no longer be caught.
    pub champion: Option<String>,
    /// Those who could still win before this session and no longer can.
    pub eliminated: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    pub session: SessionRef,
    pub drivers: SideOutcome,
    pub constructors: Option<SideOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIf {
    pub season: i32,
    /// What happened at each hypothetical session, in calendar order.
    pub outcomes: Vec<Outcome>,
    /// The title fight after every hypothetical session.
    pub championship: Championship,
}
