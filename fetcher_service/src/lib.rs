//! fetcher_service: gathers F1 data from Jolpica, formula1.com, the F1
//! LiveTiming archive and f1db data files, maps it to the proto model and
//! writes it all-or-nothing through data_scheduler.

pub mod client;
pub mod colours;
pub mod config;
pub mod error;
pub mod http;
pub mod ids;
pub mod live;
pub mod sources;
pub mod sync;
pub mod tally;
pub mod upstream;

#[cfg(test)]
mod fuzz;

pub use error::FetchError;
pub use http::{AppState, router};
