//! Helpers shared by the test suites of every crate: an in-process
//! data_scheduler on a free port with its own temporary store, a real
//! `redis-server` on a free port, the MongoDB server of the run, a replay server for recorded upstream
//! responses (with fault injection), an event-stream reader, and polling with a deadline (no sleeps
//! to wait for readiness).

pub mod clients;
pub mod data_scheduler;
pub mod fuzz;
pub mod mongodb;
pub mod redis;
pub mod replay;
pub mod sse;
pub mod wait;
