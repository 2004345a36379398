//! Plumbing every willitbemax service shares, so each service crate holds
//! only its own routes and domain code: typed config from `WIBM_*`
//! variables, tracing set-up, graceful shutdown, Prometheus metrics,
//! request ids that cross HTTP and gRPC, health answers and the JSON error body.

pub mod client_addr;
pub mod conditional;
pub mod config;
pub mod encoding;
pub mod error;
pub mod extract;
pub mod flight;
pub mod health;
pub mod http;
pub mod internal;
pub mod metrics;
pub mod request_id;
pub mod serve;
pub mod shutdown;
pub mod streams;
pub mod telemetry;

pub use shutdown::Shutdown;
