//! content_api's integration tests: the router in-process (`oneshot`) over
//! a data_scheduler holding real seasons imported from the bundled f1db
//! data (see `support::fixture`), plus fresh data_schedulers for the cases
//! that write or break things.

mod support;

mod careers;
mod championship;
mod encoding;
mod ergast;
mod ergast_jolpica;
mod ergast_session_data;
mod ergast_words;
mod errors;
mod fastf1;
mod freshness;
mod http;
mod indexes;
mod live;
mod live_delay;
mod live_resume;
mod openapi;
mod openf1;
mod openf1_client;
mod ops;
mod ratelimit;
mod reference;
mod rounds;
mod seasons;
mod session_data;
mod standings;
mod streams;
mod telemetry;
