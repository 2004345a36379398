//! F1 LiveTiming, apart from our storage: the archive's `*.jsonStream`
//! files ([`stream`]) and season indexes ([`index`]), the one set of patch
//! rules every topic follows ([`merge`]), typed views of merged topics
//! ([`topics`]), the SignalR Core hub client ([`live`]), the session's
//! records in OpenF1's shape derived from time-stamped topic messages
//! ([`openf1`]), and one session's telemetry read from the archive over
//! HTTP ([`archive`]).
//!
//! fetcher_service maps what it needs of these into our protobuf model; this
//! crate knows nothing of that model, except for [`wire`] (the `proto`
//! feature): the session records to and from `SessionData`, written once.
pub mod archive;
mod error;
pub mod index;
pub mod live;
pub mod merge;
pub mod openf1;
pub mod stream;
pub mod topics;
#[cfg(feature = "proto")]
pub mod wire;

pub use error::InvalidData;
