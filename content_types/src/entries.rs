//! Race entries: what a career is made of. Counted from every stored race
//! classification, so a season or a team the standings leave out (no
//! points, no constructors' championship before 1958, a mid-season move) is
//! still there.
use serde::{Deserialize, Serialize};

/// A driver's races for one team in one season.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeasonEntry {
    pub driver_id: String,
    pub driver_name: String,
    pub constructor_id: String,
    pub team: String,
    pub team_color: Option<String>,
    /// Every car number raced with, in the order first used; `0` is a
    /// number (Damon Hill's in 1994).
    pub numbers: Vec<i32>,
    /// Races entered, including those not started or not qualified for.
    pub entries: i32,
    /// Races started.
    pub starts: i32,
    pub wins: i32,
    pub podiums: i32,
    /// Races started from pole.
    pub poles: i32,
    /// Race points scored in these races (sprint points not included).
    pub points: f64,
}
