//! scheduler_api's integration tests: a real in-process data_scheduler, a
//! recording fake fetcher on 127.0.0.1, and a test clock the tests move.
mod api;
mod fake_fetcher;
mod faults;
mod freshness;
mod leader;
mod support;
mod weekend;
