//! The embedded store: one redb file (pure Rust, ACID, copy-on-write B-trees)
//! under the data directory. A batch is one write transaction, committed
//! with an fsync, so a crash leaves all of it or none of it.
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, TableError};

use super::{Applied, Batch, Collection, Doc, Op, Store, StoreError};

pub const FILE_NAME: &str = "willitbemax.redb";

/// The page cache of [`EmbeddedStore::open`] (`WIBM_STORE_CACHE_MB`'s default).
pub const DEFAULT_CACHE_BYTES: usize = 16 * 1024 * 1024;

fn table(c: Collection) -> TableDefinition<'static, &'static str, &'static [u8]> {
    TableDefinition::new(c.name())
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<Database>,
}

impl EmbeddedStore {
    /// Opens (creating when absent) the store file in `dir`, with a page
    /// cache of [`DEFAULT_CACHE_BYTES`].
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        Self::open_with_cache(dir, DEFAULT_CACHE_BYTES)
    }

    /// Opens the store with at most `cache_bytes` of pages kept in memory.
    /// redb's own default is 1 GiB: pages read or written once (the whole
    /// file after an import) would stay for the life of the process. Reads
    /// are answered from data_scheduler's answer cache first, and the
    /// kernel's page cache holds the file, so a small one costs little.
    pub fn open_with_cache(dir: &Path, cache_bytes: usize) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display())))?;
        let path = dir.join(FILE_NAME);
        let db = redb::Builder::new()
            .set_cache_size(cache_bytes)
            .create(&path)
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", path.display())))?;
        let txn = db.begin_write().map_err(err)?;
        for c in Collection::ALL {
            txn.open_table(table(c)).map_err(err)?;
        }
        txn.commit().map_err(err)?;
        Ok(Self { db: Arc::new(db) })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || f(&db)).await.map_err(|e| StoreError::Other(format!("store task: {e}")))?
    }
}

/// Value layout: 8 bytes of little-endian `updated_at`, then the body.
fn encode(updated_at: i64, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(8 + body.len());
    v.extend_from_slice(&updated_at.to_le_bytes());
    v.extend_from_slice(body);
    v
}

fn decode(key: &str, raw: &[u8]) -> Result<Doc, StoreError> {
    let (stamp, body) =
        raw.split_at_checked(8).ok_or_else(|| StoreError::Other(format!("record {key} is truncated")))?;
    let updated_at = i64::from_le_bytes(stamp.try_into().map_err(err)?);
    Ok(Doc { key: key.to_string(), updated_at, body: body.to_vec() })
}

#[async_trait]
impl Store for EmbeddedStore {
    async fn apply(&self, batch: Batch, now: i64) -> Result<Applied, StoreError> {
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(err)?;
            let mut applied = Applied::default();
            {
                // Open each table once; ops keep their order within a table,
                // and tables are independent, so grouping preserves meaning.
                let mut by_table: std::collections::BTreeMap<Collection, Vec<&Op>> = Default::default();
                for op in &batch.ops {
                    by_table.entry(op.collection()).or_default().push(op);
                }
                for (c, ops) in by_table {
                    let mut t = txn.open_table(table(c)).map_err(err)?;
                    for op in ops {
                        match op {
                            Op::Put(p) => {
                                t.insert(p.key.as_str(), encode(now, &p.body).as_slice()).map_err(err)?;
                            }
                            Op::PutUnless { put: p, keep } => {
                                // The write transaction is exclusive: nothing
                                // changes between this read and the insert.
                                let stored = t.get(p.key.as_str()).map_err(err)?.map(|v| v.value().to_vec());
                                let kept = match stored {
                                    Some(raw) => keep.0(&decode(&p.key, &raw)?.body, &p.body),
                                    None => false,
                                };
                                if kept {
                                    applied.kept.push((c, p.key.clone()));
                                } else {
                                    t.insert(p.key.as_str(), encode(now, &p.body).as_slice()).map_err(err)?;
                                }
                            }
                            Op::Delete { key, .. } => {
                                t.remove(key.as_str()).map_err(err)?;
                            }
                            Op::DeletePrefix { prefix, .. } => {
                                if prefix.is_empty() {
                                    return Err(StoreError::Other("refusing to delete by an empty prefix".into()));
                                }
                                let mut doomed = Vec::new();
                                for item in t.range(prefix.as_str()..).map_err(err)? {
                                    let (k, _) = item.map_err(err)?;
                                    if !k.value().starts_with(prefix.as_str()) {
                                        break;
                                    }
                                    doomed.push(k.value().to_string());
                                }
                                for k in doomed {
                                    t.remove(k.as_str()).map_err(err)?;
                                }
                            }
                        }
                    }
                }
            }
            // Dropping `txn` without commit (any `?` above) aborts it.
            txn.commit().map_err(err)?;
            Ok(applied)
        })
        .await
    }

    async fn get(&self, collection: Collection, key: &str) -> Result<Option<Doc>, StoreError> {
        let key = key.to_string();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(err)?;
            let t = match txn.open_table(table(collection)) {
                Ok(t) => t,
                Err(TableError::TableDoesNotExist(_)) => return Ok(None),
                Err(e) => return Err(err(e)),
            };
            match t.get(key.as_str()).map_err(err)? {
                Some(v) => decode(&key, v.value()).map(Some),
                None => Ok(None),
            }
        })
        .await
    }

    async fn scan(&self, collection: Collection, prefix: &str) -> Result<Vec<Doc>, StoreError> {
        let prefix = prefix.to_string();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(err)?;
            let t = match txn.open_table(table(collection)) {
                Ok(t) => t,
                Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
                Err(e) => return Err(err(e)),
            };
            let mut out = Vec::new();
            for item in t.range(prefix.as_str()..).map_err(err)? {
                let (k, v) = item.map_err(err)?;
                let k = k.value();
                if !k.starts_with(prefix.as_str()) {
                    break;
                }
                out.push(decode(k, v.value())?);
            }
            Ok(out)
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.blocking(|db| db.begin_read().map(|_| ()).map_err(|e| StoreError::Unavailable(e.to_string()))).await
    }

    fn backend(&self) -> &'static str {
        "embedded"
    }
}
