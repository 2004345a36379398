//! The one place where LiveTiming patches are merged into topic state.
//!
//! Every topic (archive `*.jsonStream` lines and live `feed` messages alike)
//! publishes patches that are deep-merged into the topic's state:
//! - objects merge key by key, recursively; scalars and arrays replace;
//! - an object with numeric-string keys applied to an array updates those
//!   indexes, or appends when the index is the array's length (or beyond);
//! - `_kf` (a keyframe flag) is dropped wherever it appears;
//! - `_deleted: [keys]` removes keys (or array indexes) from the object it
//!   sits in.
//!
//! Topics whose name ends in `.z` (CarData.z, Position.z) carry base64 of raw
//! DEFLATE'd JSON instead of a patch: [`inflate`] decodes them.
use std::io::Read;

use base64::Engine;
use serde_json::{Map, Value};

/// Deep-merges `patch` into `target` (see the module docs). An error leaves
/// `target` partly patched: run [`check`] first when that matters.
pub fn merge(target: &mut Value, patch: Value) -> Result<(), String> {
    let Value::Object(mut patch) = patch else {
        *target = patch;
        return Ok(());
    };
    patch.remove("_kf");
    let deleted = patch.remove("_deleted");
    match target {
        Value::Array(items) => {
            if let Some(deleted) = deleted {
                let mut indices = deleted_keys(&deleted)?
                    .iter()
                    .map(|k| k.parse::<usize>().map_err(|_| format!("_deleted key `{k}` is not an array index")))
                    .collect::<Result<Vec<_>, _>>()?;
                indices.sort_unstable_by(|a, b| b.cmp(a));
                indices.dedup();
                for i in indices {
                    if i < items.len() {
                        items.remove(i);
                    }
                }
            }
            for (key, value) in patch {
                let index: usize = key.parse().map_err(|_| format!("key `{key}` patches an array"))?;
                if index >= items.len() {
                    items.resize(index + 1, Value::Null);
                }
                merge(&mut items[index], value)?;
            }
        }
        Value::Object(fields) => {
            if let Some(deleted) = deleted {
                for key in deleted_keys(&deleted)? {
                    fields.remove(&key);
                }
            }
            for (key, value) in patch {
                merge(fields.entry(key).or_insert(Value::Null), value)?;
            }
        }
        _ => {
            // Nothing to delete from, but a malformed `_deleted` is still an error.
            if let Some(deleted) = deleted {
                deleted_keys(&deleted)?;
            }
            let mut fields = Map::new();
            for (key, value) in patch {
                merge(fields.entry(key).or_insert(Value::Null), value)?;
            }
            *target = Value::Object(fields);
        }
    }
    Ok(())
}

/// Whether `patch` merges into `target` without error, checked without
/// changing anything (so a bad patch can be refused without copying the
/// state first).
pub fn check(target: &Value, patch: &Value) -> Result<(), String> {
    let Value::Object(patch) = patch else { return Ok(()) };
    let deleted = patch.get("_deleted").map(deleted_keys).transpose()?;
    let fields = patch.iter().filter(|(k, _)| *k != "_deleted" && *k != "_kf");
    match target {
        Value::Array(items) => {
            for key in deleted.iter().flatten() {
                key.parse::<usize>().map_err(|_| format!("_deleted key `{key}` is not an array index"))?;
            }
            for (key, value) in fields {
                let index: usize = key.parse().map_err(|_| format!("key `{key}` patches an array"))?;
                check(items.get(index).unwrap_or(&Value::Null), value)?;
            }
        }
        Value::Object(existing) => {
            for (key, value) in fields {
                check(existing.get(key).unwrap_or(&Value::Null), value)?;
            }
        }
        _ => {
            for (_, value) in fields {
                check(&Value::Null, value)?;
            }
        }
    }
    Ok(())
}

fn deleted_keys(deleted: &Value) -> Result<Vec<String>, String> {
    let Value::Array(keys) = deleted else {
        return Err("_deleted is not a list".into());
    };
    keys.iter()
        .map(|k| match k {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(format!("_deleted holds `{other}`")),
        })
        .collect()
}

/// Decodes a `.z` payload: a JSON string holding base64 of raw DEFLATE'd JSON.
pub fn inflate(payload: &Value) -> Result<Value, String> {
    let Value::String(encoded) = payload else {
        return Err("a .z payload is not a string".into());
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|e| format!("a .z payload is not base64: {e}"))?;
    let mut json = Vec::with_capacity(bytes.len() * 4);
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .read_to_end(&mut json)
        .map_err(|e| format!("a .z payload is not raw DEFLATE: {e}"))?;
    serde_json::from_slice(&json).map_err(|e| format!("a .z payload does not hold JSON: {e}"))
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
