//! The title fight: points rules per season, the scoring calendar, the
//! tables after every scoring session, and the analysis of who can still
//! win. Pure functions over the proto types; the route only fetches.

pub mod calendar;
mod describe;
pub mod fight;
pub mod model;
pub mod needs;
pub mod report;
pub mod rules;
pub mod scoring;
pub mod standing_now;
pub mod table;
pub mod whatif;

pub use describe::ordinal;
pub use report::{Championship, analyse};
