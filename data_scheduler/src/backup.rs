//! Whole-store export and import as JSON lines, for backups and for moving
//! between the embedded store and MongoDB (`wibm export FILE` / `wibm
//! import FILE`).
//!
//! One line per record: `{"collection":"rounds","key":"2024/05",
//! "updated_at":1713700000,"body":"<base64 protobuf>"}`. Import decodes each
//! body with its collection's type (so a corrupt line is an error naming the
//! line, and the natural-key fields MongoDB indexes are rebuilt), and writes
//! in batches, keeping each record's `updated_at`. Importing the same file
//! twice leaves the same data (records are replaced by natural key).
use std::io::{BufRead, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use prost::Message;
use protobuf::v1::*;
use serde::{Deserialize, Serialize};

use crate::repo::keys;
use crate::store::{Batch, Collection, Put, Store, StoreError};

/// Records written per batch on import.
const IMPORT_BATCH: usize = 1000;

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    collection: String,
    key: String,
    updated_at: i64,
    body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("line {line}: {message}")]
    Invalid { line: usize, message: String },
}

/// Writes every record of every collection to `out`; returns the count.
/// `progress` is called after each collection with (collection, records so far).
pub async fn export(
    store: &dyn Store,
    out: &mut dyn Write,
    mut progress: impl FnMut(&str, u64),
) -> Result<u64, BackupError> {
    let mut count = 0;
    for c in Collection::ALL {
        for doc in store.scan(c, "").await? {
            let line = Line {
                collection: c.name().to_string(),
                key: doc.key,
                updated_at: doc.updated_at,
                body: STANDARD.encode(&doc.body),
            };
            serde_json::to_writer(&mut *out, &line).map_err(std::io::Error::other)?;
            out.write_all(b"\n")?;
            count += 1;
        }
        progress(c.name(), count);
    }
    out.flush()?;
    Ok(count)
}

/// Reads JSON lines written by [`export`] into `store`; returns the count.
/// `progress` is called after each batch with the records written so far.
pub async fn import(store: &dyn Store, input: impl BufRead, mut progress: impl FnMut(u64)) -> Result<u64, BackupError> {
    let mut pending: Vec<(i64, Put)> = Vec::with_capacity(IMPORT_BATCH);
    let mut count = 0;
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        let invalid = |message: String| BackupError::Invalid { line: n, message };
        let parsed: Line = serde_json::from_str(&line).map_err(|e| invalid(e.to_string()))?;
        let collection = Collection::from_name(&parsed.collection)
            .ok_or_else(|| invalid(format!("unknown collection `{}`", parsed.collection)))?;
        let body = STANDARD.decode(&parsed.body).map_err(|e| invalid(format!("body: {e}")))?;
        let put = rebuild(collection, &parsed.key, body).map_err(|e| invalid(e.to_string()))?;
        if put.key != parsed.key {
            return Err(invalid(format!("key `{}` does not match its record (`{}`)", parsed.key, put.key)));
        }
        pending.push((parsed.updated_at, put));
        if pending.len() == IMPORT_BATCH {
            count += flush(store, &mut pending).await?;
            progress(count);
        }
    }
    count += flush(store, &mut pending).await?;
    progress(count);
    Ok(count)
}

/// Writes `pending`, one batch per distinct `updated_at` so stamps survive.
async fn flush(store: &dyn Store, pending: &mut Vec<(i64, Put)>) -> Result<u64, BackupError> {
    let n = pending.len() as u64;
    pending.sort_by_key(|(at, _)| *at);
    let mut batch = Batch::default();
    let mut stamp = None;
    for (at, put) in pending.drain(..) {
        if stamp.is_some_and(|s| s != at) {
            store.apply(std::mem::take(&mut batch), stamp.unwrap_or_default()).await?;
        }
        stamp = Some(at);
        batch.put(put);
    }
    if let Some(at) = stamp {
        store.apply(batch, at).await?;
    }
    Ok(n)
}

/// Decodes `body` as its collection's record and rebuilds the put (key and
/// natural-key fields) from it. A session's records are kept in parts whose
/// name is only in the key (`000000009158/laps/0001`): that key is checked
/// against the body's `session_key` instead.
fn rebuild(c: Collection, key: &str, body: Vec<u8>) -> Result<Put, String> {
    if let Some(put) = decode_and_key(c, &body).map_err(|e| e.to_string())? {
        return Ok(put);
    }
    let records = SessionData::decode(body.as_slice()).map_err(|e| e.to_string())?;
    match key.strip_prefix(&keys::session_data_prefix(records.session_key)) {
        Some(part) if !part.is_empty() => Ok(keys::put_session_data_part(records.session_key, part, body)),
        _ => Err(format!("key `{key}` is not a part of session {}", records.session_key)),
    }
}

/// The put of a record that names its own key; None for a session's parts.
fn decode_and_key(c: Collection, body: &[u8]) -> Result<Option<Put>, prost::DecodeError> {
    Ok(Some(match c {
        Collection::Seasons => keys::put_season(&Season::decode(body)?),
        Collection::Rounds => keys::put_round(&Round::decode(body)?),
        Collection::Sessions => keys::put_session(&Session::decode(body)?),
        Collection::Standings => keys::put_standings(&Standings::decode(body)?),
        Collection::Drivers => keys::put_driver(&Driver::decode(body)?),
        Collection::Constructors => keys::put_constructor(&Constructor::decode(body)?),
        Collection::Circuits => keys::put_circuit(&Circuit::decode(body)?),
        Collection::CircuitImages => keys::put_circuit_image(&CircuitImage::decode(body)?),
        Collection::Aliases => keys::put_alias(&IdAlias::decode(body)?),
        Collection::SyncRuns => keys::put_sync_run(&SyncRun::decode(body)?),
        Collection::Users => keys::put_user(&User::decode(body)?),
        Collection::ApiKeys => keys::put_api_key(&ApiKey::decode(body)?),
        Collection::RefreshTokens => keys::put_refresh_token(&RefreshToken::decode(body)?),
        Collection::Live => keys::put_live(&LiveSessionState::decode(body)?),
        Collection::RaceTimings => keys::put_race_timing(&protobuf::v1::RaceTiming::decode(body)?),
        Collection::SessionDataIndex => keys::put_session_data_summary(&SessionDataSummary::decode(body)?),
        Collection::SessionDataLinks => keys::put_session_data_link(&SessionDataKey::decode(body)?),
        Collection::SessionData => return Ok(None),
    }))
}
