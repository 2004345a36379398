//! The MongoDB store: one collection per kind, `_id` the natural key string,
//! the key's parts as fields with a unique index over them, the record as
//! protobuf bytes in `body`. A batch is one multi-document transaction, so
//! MongoDB must run as a replica set (a single-node one is enough); against
//! a standalone server we refuse to start rather than lose atomicity.
use std::time::{Duration, Instant};

use async_trait::async_trait;
use mongodb::{
    Client, ClientSession, Database, IndexModel,
    bson::{Binary, Bson, Document, doc, spec::BinarySubtype},
    error::{ErrorKind, TRANSIENT_TRANSACTION_ERROR, UNKNOWN_TRANSACTION_COMMIT_RESULT, WriteFailure},
    options::{ClientOptions, IndexOptions, ReadConcern, WriteConcern},
};

use super::{Applied, Batch, Collection, Doc, Field, Op, Put, Store, StoreError};

/// Tries of a commit whose outcome is unknown
/// (<https://www.mongodb.com/docs/manual/core/transactions-in-applications/>).
const ATTEMPTS: u32 = 3;

/// How long a batch is run again after transient transaction errors. The
/// loser of a write conflict with a concurrent batch is aborted at once
/// (MongoDB does not wait for the winner), and the documentation above has
/// the application run the whole transaction again: the drivers' callback
/// API does so for up to 120 s; ours stays within callers' deadlines.
const TRANSIENT_RETRY_FOR: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct MongoStore {
    client: Client,
    db: Database,
}

fn classify(e: mongodb::error::Error) -> StoreError {
    match *e.kind {
        ErrorKind::Write(WriteFailure::WriteError(ref w)) if w.code == 11000 => StoreError::Conflict(w.message.clone()),
        ErrorKind::ServerSelection { .. } | ErrorKind::Io(_) | ErrorKind::ConnectionPoolCleared { .. } => {
            StoreError::Unavailable(e.to_string())
        }
        _ if e.contains_label(TRANSIENT_TRANSACTION_ERROR) => StoreError::Unavailable(e.to_string()),
        _ => StoreError::Other(e.to_string()),
    }
}

impl MongoStore {
    /// Connects, checks that transactions are available, and creates indexes.
    pub async fn connect(uri: &str, db_name: &str) -> Result<Self, StoreError> {
        let mut options = ClientOptions::parse(uri).await.map_err(classify)?;
        options.app_name.get_or_insert_with(|| "willitbemax".to_string());
        options.server_selection_timeout.get_or_insert(Duration::from_secs(5));
        let client = Client::with_options(options).map_err(classify)?;
        let db = client.database(db_name);
        let hello = db.run_command(doc! { "hello": 1 }).await.map_err(classify)?;
        let replica_set = hello.get_str("setName").is_ok();
        let mongos = hello.get_str("msg").is_ok_and(|m| m == "isdbgrid");
        if !replica_set && !mongos {
            return Err(StoreError::Unavailable(
                "MongoDB at WIBM_MONGODB_URI is a standalone server: willitbemax writes every batch in a \
                 multi-document transaction, which needs a replica set. Start mongod with --replSet rs0 and run \
                 rs.initiate() (a single-node replica set is enough; docker-compose.yml does this)."
                    .to_string(),
            ));
        }
        let store = Self { client, db };
        store.create_indexes().await?;
        Ok(store)
    }

    async fn create_indexes(&self) -> Result<(), StoreError> {
        for c in Collection::ALL {
            let coll = self.db.collection::<Document>(c.name());
            let mut keys = Document::new();
            for f in c.key_fields() {
                keys.insert(*f, 1);
            }
            let natural = IndexModel::builder()
                .keys(keys)
                .options(IndexOptions::builder().unique(true).name(format!("{}_natural_key", c.name())).build())
                .build();
            coll.create_index(natural).await.map_err(classify)?;
            for f in c.unique_fields() {
                let model = IndexModel::builder()
                    .keys(doc! { *f: 1 })
                    .options(IndexOptions::builder().unique(true).name(format!("{}_{f}_unique", c.name())).build())
                    .build();
                coll.create_index(model).await.map_err(classify)?;
            }
        }
        Ok(())
    }

    async fn run_batch(
        &self,
        session: &mut ClientSession,
        batch: &Batch,
        now: i64,
    ) -> Result<Applied, mongodb::error::Error> {
        // Majority: what snapshot reads (scan) need to see a batch whole
        // (<https://www.mongodb.com/docs/manual/reference/read-concern-snapshot/>).
        session.start_transaction().write_concern(WriteConcern::majority()).await?;
        let mut applied = Applied::default();
        for op in &batch.ops {
            let result = match op {
                Op::Put(p) => self.replace(session, p, now).await,
                Op::PutUnless { put: p, keep } => {
                    // Read inside the transaction: a concurrent write to the
                    // same record makes one of the two transactions fail with
                    // a transient write conflict, and the retry reads again.
                    match self.stored_body(session, p).await {
                        Ok(Some(stored)) if keep.0(&stored, &p.body) => {
                            applied.kept.push((p.collection, p.key.clone()));
                            Ok(())
                        }
                        Ok(_) => self.replace(session, p, now).await,
                        Err(e) => Err(e),
                    }
                }
                Op::Delete { collection, key } => self
                    .db
                    .collection::<Document>(collection.name())
                    .delete_one(doc! { "_id": key })
                    .session(&mut *session)
                    .await
                    .map(|_| ()),
                // Anchored on `_id`, so the index bounds it; never empty
                // (`apply` refuses that before the transaction starts).
                Op::DeletePrefix { collection, prefix } => self
                    .db
                    .collection::<Document>(collection.name())
                    .delete_many(doc! { "_id": { "$regex": regex_prefix(prefix) } })
                    .session(&mut *session)
                    .await
                    .map(|_| ()),
            };
            if let Err(e) = result {
                let _ = session.abort_transaction().await;
                return Err(e);
            }
        }
        // A commit whose outcome is unknown (a lost connection, an election)
        // may be committed again; bounded, so a server that stays away ends
        // in an error instead of an endless loop.
        let mut commits = 0;
        loop {
            commits += 1;
            match session.commit_transaction().await {
                Err(e) if e.contains_label(UNKNOWN_TRANSACTION_COMMIT_RESULT) && commits < ATTEMPTS => continue,
                other => return other.map(|()| applied),
            }
        }
    }

    async fn replace(&self, session: &mut ClientSession, p: &Put, now: i64) -> Result<(), mongodb::error::Error> {
        let mut d = doc! {
            "_id": &p.key,
            "updated_at": now,
            "body": Binary { subtype: BinarySubtype::Generic, bytes: p.body.clone() },
        };
        for (name, value) in &p.fields {
            let v = match value {
                Field::Int(i) => Bson::Int64(*i),
                Field::Str(s) => Bson::String(s.clone()),
            };
            d.insert(*name, v);
        }
        self.db
            .collection::<Document>(p.collection.name())
            .replace_one(doc! { "_id": &p.key }, d)
            .upsert(true)
            .session(&mut *session)
            .await
            .map(|_| ())
    }

    async fn stored_body(
        &self,
        session: &mut ClientSession,
        p: &Put,
    ) -> Result<Option<Vec<u8>>, mongodb::error::Error> {
        let found = self
            .db
            .collection::<Document>(p.collection.name())
            .find_one(doc! { "_id": &p.key })
            .session(&mut *session)
            .await?;
        Ok(found.and_then(|d| match d.get("body") {
            Some(Bson::Binary(b)) => Some(b.bytes.clone()),
            _ => None,
        }))
    }
}

fn to_doc(d: Document) -> Result<Doc, StoreError> {
    let key = d.get_str("_id").map_err(|e| StoreError::Other(e.to_string()))?.to_string();
    let updated_at = d.get_i64("updated_at").unwrap_or_default();
    let body = match d.get("body") {
        Some(Bson::Binary(b)) => b.bytes.clone(),
        _ => return Err(StoreError::Other(format!("record {key} has no body"))),
    };
    Ok(Doc { key, updated_at, body })
}

/// Escapes a literal for use in an anchored prefix regex (uses the `_id` index).
fn regex_prefix(prefix: &str) -> String {
    let mut out = String::from("^");
    for ch in prefix.chars() {
        if "\\^$.|?*+()[]{}".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[async_trait]
impl Store for MongoStore {
    async fn apply(&self, batch: Batch, now: i64) -> Result<Applied, StoreError> {
        if batch.ops.iter().any(|op| matches!(op, Op::DeletePrefix { prefix, .. } if prefix.is_empty())) {
            return Err(StoreError::Other("refusing to delete by an empty prefix".into()));
        }
        let mut session = self.client.start_session().await.map_err(classify)?;
        let deadline = Instant::now() + TRANSIENT_RETRY_FOR;
        let mut backoff = Duration::from_millis(2);
        loop {
            match self.run_batch(&mut session, &batch, now).await {
                Ok(applied) => return Ok(applied),
                Err(e) if e.contains_label(TRANSIENT_TRANSACTION_ERROR) && Instant::now() + backoff < deadline => {
                    // Jittered, so writers that collided do not collide again in step.
                    tokio::time::sleep(backoff.mul_f64(rand::random_range(0.5..1.5))).await;
                    backoff = (backoff * 2).min(Duration::from_millis(250));
                }
                Err(e) => return Err(classify(e)),
            }
        }
    }

    async fn get(&self, collection: Collection, key: &str) -> Result<Option<Doc>, StoreError> {
        let found =
            self.db.collection::<Document>(collection.name()).find_one(doc! { "_id": key }).await.map_err(classify)?;
        found.map(to_doc).transpose()
    }

    async fn scan(&self, collection: Collection, prefix: &str) -> Result<Vec<Doc>, StoreError> {
        use futures_util::TryStreamExt;
        let filter = if prefix.is_empty() {
            doc! {}
        } else {
            doc! { "_id": { "$regex": regex_prefix(prefix) } }
        };
        // A scan spans several round trips (getMore); with the default read
        // concern each may see another batch's commit, so a page could show
        // half of a write. A snapshot read is one point in time
        // (<https://www.mongodb.com/docs/manual/core/read-isolation-consistency-recency/>).
        let cursor = self
            .db
            .collection::<Document>(collection.name())
            .find(filter)
            .sort(doc! { "_id": 1 })
            .read_concern(ReadConcern::snapshot())
            .await
            .map_err(classify)?;
        let docs: Vec<Document> = cursor.try_collect().await.map_err(classify)?;
        docs.into_iter().map(to_doc).collect()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.db.run_command(doc! { "ping": 1 }).await.map(|_| ()).map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    fn backend(&self) -> &'static str {
        "mongodb"
    }
}

#[cfg(test)]
mod tests {
    use super::regex_prefix;

    #[test]
    fn prefix_regex_escapes_metacharacters() {
        assert_eq!(regex_prefix("2024/05/"), "^2024/05/");
        assert_eq!(regex_prefix("a.b*"), "^a\\.b\\*");
    }
}
