//! The title fight: points rules per season, the scoring calendar, the
//! tables after every scoring session, and the analysis of who can still
//! win. Pure functions over the proto types; the route only fetches.
//!
//! The answer's types (`model`, the what-if request and outcome, "as it
//! stands") and the points rules need neither: the website reads them with
//! serde alone. The computation over the proto records is behind the
//! `proto` feature, the OpenAPI schemas behind `openapi`.

#[cfg(feature = "proto")]
pub mod calendar;
#[cfg(feature = "proto")]
mod describe;
#[cfg(feature = "proto")]
pub mod fight;
pub mod model;
#[cfg(feature = "proto")]
pub mod needs;
#[cfg(feature = "proto")]
pub mod report;
pub mod rules;
#[cfg(feature = "proto")]
pub mod scoring;
pub mod standing_now;
#[cfg(feature = "proto")]
pub mod table;
pub mod whatif;

pub use model::{Championship, ordinal};
#[cfg(feature = "proto")]
pub use report::analyse;
