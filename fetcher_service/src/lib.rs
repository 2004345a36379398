//! fetcher_service: gathers F1 data from Jolpica, formula1.com, the F1
//! LiveTiming archive and f1db data files, maps it to the proto model and
//! writes it all-or-nothing through data_scheduler.

pub mod sources;
pub mod upstream;
