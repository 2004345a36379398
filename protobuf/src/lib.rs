//! The willitbemax wire contract.
//!
//! This crate owns the `.proto` files, the generated messages and gRPC code,
//! the descriptor set served by gRPC reflection, the validated domain types
//! that wire values are parsed into at the edge, and the one mapping between
//! domain errors and gRPC statuses. No service writes a conversion twice.

pub mod domain;
pub mod error;
pub mod fetcher;
pub mod kinds;
pub mod names;
pub mod provenance;
pub mod raw;
pub mod slug;

/// Generated messages and the clients and servers of data_scheduler's services.
#[allow(clippy::all, clippy::pedantic)]
pub mod v1 {
    tonic::include_proto!("willitbemax.v1");
}

/// The encoded `FileDescriptorSet` of every willitbemax proto, for reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("willitbemax_descriptor");

/// Largest gRPC message accepted or sent (a full season batch with every
/// session's results is a few MB), on both ends of the connection.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

pub use domain::{PageSpec, RoundNumber, Year};
pub use error::DomainError;
