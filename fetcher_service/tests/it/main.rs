//! fetcher_service integration tests: one binary, one module per concern.
mod f1db_import;
mod faults;
mod http_routes;
mod jolpica_parse;
mod jolpica_sync;
mod live;
mod live_links;
mod live_records;
mod livetiming_sync;
mod positions;
mod session_data;
mod support;
mod weekend;
