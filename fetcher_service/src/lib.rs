//! fetcher_service: gathers F1 data from Jolpica, formula1.com, the F1
//! LiveTiming archive and f1db data files, maps it to the proto model and
//! writes it all-or-nothing through data_scheduler.

pub mod client;
pub(crate) mod colours;
pub mod config;
pub(crate) mod error;
pub(crate) mod http;
pub mod ids;
pub mod live;
pub mod sources;
pub mod sync;
pub(crate) mod tally;
pub mod upstream;

#[cfg(test)]
mod fuzz;

pub use error::FetchError;
pub use http::{AppState, router};

/// The f1db import as the `wibm` commands use it (`import-f1db`, the
/// first-start import): what to read, what the store lacks, and the import.
pub mod f1db {
    pub use crate::sources::f1db::resume::{Lack, lack};
    pub use crate::sources::f1db::{ATTRIBUTION, F1dbSource, ImportReport, SeasonImported, import_into};
}
