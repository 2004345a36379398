//! The store: durable documents by collection and natural key.
//!
//! The trait is deliberately small (an atomic batch of puts and deletes, a
//! point read, an ordered prefix scan) so each backend is easy to get right;
//! the typed model lives in `repo`. Bodies are protobuf-encoded records.
//! Keys are built by `repo::keys` so that their byte order is the natural
//! order (seasons, then rounds, then sessions).

pub mod embedded;
#[cfg(feature = "mongodb")]
pub mod mongo;

use async_trait::async_trait;
use protobuf::DomainError;

/// Every kind of record, one table (embedded) or collection (MongoDB) each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    Seasons,
    Rounds,
    Sessions,
    Standings,
    Drivers,
    Constructors,
    Circuits,
    CircuitImages,
    Aliases,
    SyncRuns,
    Users,
    ApiKeys,
    RefreshTokens,
    Live,
    RaceTimings,
    /// One session's timing records, several documents per session (see
    /// `repo::session_data`), so none nears MongoDB's 16 MB document limit.
    SessionData,
    /// One summary per stored session, by F1's `session_key`.
    SessionDataIndex,
    /// Our season, round and session type to F1's `session_key`.
    SessionDataLinks,
}

impl Collection {
    pub const ALL: [Collection; 18] = [
        Self::Seasons,
        Self::Rounds,
        Self::Sessions,
        Self::Standings,
        Self::Drivers,
        Self::Constructors,
        Self::Circuits,
        Self::CircuitImages,
        Self::Aliases,
        Self::SyncRuns,
        Self::Users,
        Self::ApiKeys,
        Self::RefreshTokens,
        Self::Live,
        Self::RaceTimings,
        Self::SessionData,
        Self::SessionDataIndex,
        Self::SessionDataLinks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Seasons => "seasons",
            Self::Rounds => "rounds",
            Self::Sessions => "sessions",
            Self::Standings => "standings",
            Self::Drivers => "drivers",
            Self::Constructors => "constructors",
            Self::Circuits => "circuits",
            Self::CircuitImages => "circuit_images",
            Self::Aliases => "id_aliases",
            Self::SyncRuns => "sync_runs",
            Self::Users => "users",
            Self::ApiKeys => "api_keys",
            Self::RefreshTokens => "refresh_tokens",
            Self::Live => "live_state",
            Self::RaceTimings => "race_timings",
            Self::SessionData => "session_data",
            Self::SessionDataIndex => "session_data_index",
            Self::SessionDataLinks => "session_data_links",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The fields that form the natural key, stored beside the body in
    /// MongoDB with a unique index over them.
    pub fn key_fields(self) -> &'static [&'static str] {
        match self {
            Self::Seasons => &["season"],
            Self::Rounds | Self::Standings | Self::RaceTimings => &["season", "round"],
            Self::Sessions | Self::SessionDataLinks => &["season", "round", "session_type"],
            Self::SessionData => &["session_key", "part"],
            Self::SessionDataIndex => &["session_key"],
            Self::Drivers | Self::Constructors | Self::Circuits | Self::SyncRuns | Self::Users => &["id"],
            Self::CircuitImages => &["circuit_id"],
            Self::Aliases => &["kind", "source", "source_id"],
            Self::ApiKeys => &["key_hash"],
            Self::RefreshTokens => &["token_hash"],
            Self::Live => &["slot"],
        }
    }

    /// Further unique fields (beyond the natural key).
    pub fn unique_fields(self) -> &'static [&'static str] {
        match self {
            Self::Users => &["email"],
            Self::ApiKeys => &["id"],
            _ => &[],
        }
    }
}

/// A field value stored beside the body (natural key parts, unique fields).
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Int(i64),
    Str(String),
}

/// A stored record.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub key: String,
    /// Unix seconds of the write that stored it.
    pub updated_at: i64,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Put {
    pub collection: Collection,
    pub key: String,
    pub fields: Vec<(&'static str, Field)>,
    pub body: Vec<u8>,
}

/// Decides, inside the write transaction, whether the stored body must be
/// kept rather than replaced by the incoming one (`keep(stored, incoming)`).
/// A plain function so both backends can run it between their read and
/// their write, atomically; the rule itself lives in `repo`.
#[derive(Clone, Copy)]
pub struct KeepStored(pub fn(&[u8], &[u8]) -> bool);

impl std::fmt::Debug for KeepStored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeepStored(..)")
    }
}

impl PartialEq for KeepStored {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Put(Put),
    /// A put skipped when a stored record with the same key must be kept.
    PutUnless {
        put: Put,
        keep: KeepStored,
    },
    Delete {
        collection: Collection,
        key: String,
    },
    /// Deletes every record whose key starts with `prefix` (the documents
    /// of a record that is stored as several, before it is written again).
    DeletePrefix {
        collection: Collection,
        prefix: String,
    },
}

impl Op {
    pub fn collection(&self) -> Collection {
        match self {
            Op::Put(p) | Op::PutUnless { put: p, .. } => p.collection,
            Op::Delete { collection, .. } | Op::DeletePrefix { collection, .. } => *collection,
        }
    }
}

/// What an applied batch did besides writing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// The `PutUnless` ops skipped because the stored record was kept.
    pub kept: Vec<(Collection, String)>,
}

/// Operations applied all-or-nothing, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub ops: Vec<Op>,
}

impl Batch {
    pub fn put(&mut self, put: Put) {
        self.ops.push(Op::Put(put));
    }

    /// Puts `put` unless `keep(stored, incoming)` says the stored record stays.
    pub fn put_unless(&mut self, put: Put, keep: KeepStored) {
        self.ops.push(Op::PutUnless { put, keep });
    }

    pub fn delete(&mut self, collection: Collection, key: impl Into<String>) {
        self.ops.push(Op::Delete { collection, key: key.into() });
    }

    /// Deletes every record of `collection` whose key starts with `prefix`;
    /// an empty prefix is refused by the backends (it would empty the collection).
    pub fn delete_prefix(&mut self, collection: Collection, prefix: impl Into<String>) {
        self.ops.push(Op::DeletePrefix { collection, prefix: prefix.into() });
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    #[error("store error: {0}")]
    Other(String),
}

impl From<StoreError> for DomainError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unavailable(m) => DomainError::Unavailable(format!("store: {m}")),
            StoreError::Conflict(m) => DomainError::Conflict(m),
            StoreError::Other(m) => DomainError::Internal(m),
        }
    }
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Applies every op of `batch` or none, stamping puts with `now`. A
    /// `PutUnless` reads the stored record in the same transaction.
    async fn apply(&self, batch: Batch, now: i64) -> Result<Applied, StoreError>;
    async fn get(&self, collection: Collection, key: &str) -> Result<Option<Doc>, StoreError>;
    /// Every record whose key starts with `prefix`, in key order.
    async fn scan(&self, collection: Collection, prefix: &str) -> Result<Vec<Doc>, StoreError>;
    /// A cheap round trip proving the store answers.
    async fn ping(&self) -> Result<(), StoreError>;
    /// `embedded` or `mongodb`, for health and logs.
    fn backend(&self) -> &'static str;
}
