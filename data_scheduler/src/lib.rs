//! data_scheduler: the only service that touches storage.
//!
//! It serves the gRPC services of `services.proto` (sport data, accounts, leases, live state, sync history) over a [`store::Store`] (embedded
//! redb by default, MongoDB when configured) and a [`cache::Cache`]
//! (in-process by default, Redis when configured). See `server` for the
//! assembly and `repo` for the model.

pub mod backup;
pub mod cache;
pub(crate) mod changes;
pub(crate) mod config;
pub(crate) mod grpc;
pub mod lease;
mod redis_conn;
pub mod repo;
pub mod server;
pub mod store;

pub use config::Config;
