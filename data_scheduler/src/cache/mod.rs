//! The cache: cache-aside reads with exact invalidation through versioned tags.
//!
//! Every cached answer records the tags it was built from (`round:2024:5`,
//! `circuit:shanghai`, ...) with each tag's version at build time. A write
//! bumps the versions of the tags it touches; an entry whose recorded
//! versions no longer match is a miss. So a write invalidates exactly the
//! answers that depend on what it changed, and an answer built while a
//! write was landing can never be served after it (versions are read before
//! the store is).

pub mod live_bus;
pub mod memory;
pub mod redis;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

/// A cached answer.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Entry {
    /// The encoded answer without its metadata, sent as it is (shared, so
    /// a hit copies no bytes).
    #[prost(bytes = "bytes", tag = "1")]
    pub body: Bytes,
    /// When its data was last written (unix seconds).
    #[prost(int64, tag = "2")]
    pub written_at: i64,
    #[prost(message, repeated, tag = "3")]
    pub tags: Vec<TagVersion>,
    /// The answer's `protobuf::v1::CacheClass`.
    #[prost(int32, tag = "4")]
    pub cache_class: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TagVersion {
    #[prost(string, tag = "1")]
    pub tag: String,
    #[prost(uint64, tag = "2")]
    pub version: u64,
}

#[derive(Debug, thiserror::Error)]
#[error("cache: {0}")]
pub struct CacheError(pub String);

#[async_trait]
pub trait Cache: Send + Sync + 'static {
    async fn get(&self, key: &str) -> Result<Option<Arc<Entry>>, CacheError>;
    async fn put(&self, key: &str, entry: Arc<Entry>, ttl: Duration) -> Result<(), CacheError>;
    /// Current versions of `tags` (0 for a tag never bumped), in order.
    async fn versions(&self, tags: &[String]) -> Result<Vec<u64>, CacheError>;
    /// Invalidates every entry built from any of `tags`.
    async fn bump(&self, tags: &[String]) -> Result<(), CacheError>;
    async fn ping(&self) -> Result<(), CacheError>;
    /// `memory` or `redis`, for health and logs.
    fn backend(&self) -> &'static str;
}
