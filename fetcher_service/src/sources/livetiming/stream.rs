//! The `*.jsonStream` format and the deep-merge state engine.
//!
//! A stream file starts with a UTF-8 BOM; each line is an elapsed-time stamp
//! `HH:MM:SS.mmm` followed by a JSON object that patches the topic's state.
//! Patches are merged recursively; an object patch applied to an array
//! addresses its elements by index (`{"1": {...}}` patches element 1 and
//! `{"3": {...}}` on a 3-element array appends), and `"_deleted": [keys]`
//! removes keys (or indices) from the object it sits in.
use serde_json::{Map, Value};

use super::LiveTimingError;

const STAMP_LEN: usize = "00:00:00.000".len();

/// Replays a stream file and returns the topic's final state. `observe` sees
/// every patch, in order, before it is merged (used to keep values that the
/// feed later clears). Any malformed line is an error naming `path` and the
/// line number.
pub(crate) fn replay(bytes: &[u8], path: &str, mut observe: impl FnMut(&Value)) -> Result<Value, LiveTimingError> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| LiveTimingError::invalid(path, "body", format!("not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut state = Value::Null;
    for (index, line) in text.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let field = || format!("line {}", index + 1);
        let (stamp, json) = line
            .split_at_checked(STAMP_LEN)
            .ok_or_else(|| LiveTimingError::invalid(path, field(), "shorter than a time stamp"))?;
        if !is_stamp(stamp) {
            return Err(LiveTimingError::invalid(path, field(), format!("`{stamp}` is not a HH:MM:SS.mmm time stamp")));
        }
        let patch: Value = serde_json::from_str(json)
            .map_err(|e| LiveTimingError::invalid(path, field(), format!("invalid JSON: {e}")))?;
        if !patch.is_object() {
            return Err(LiveTimingError::invalid(path, field(), "patch is not a JSON object"));
        }
        observe(&patch);
        merge(&mut state, patch).map_err(|message| LiveTimingError::invalid(path, field(), message))?;
    }
    if state.is_null() {
        return Err(LiveTimingError::invalid(path, "body", "stream holds no data"));
    }
    Ok(state)
}

fn is_stamp(stamp: &str) -> bool {
    stamp.bytes().enumerate().all(|(i, b)| match i {
        2 | 5 => b == b':',
        8 => b == b'.',
        _ => b.is_ascii_digit(),
    })
}

/// Deep-merges `patch` into `target`. Scalars and arrays in the patch replace
/// what is there; objects merge key by key (see the module docs).
pub(crate) fn merge(target: &mut Value, patch: Value) -> Result<(), String> {
    let Value::Object(mut patch) = patch else {
        *target = patch;
        return Ok(());
    };
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
            *target = Value::Object(Map::new());
            for (key, value) in patch {
                merge(target.as_object_mut().expect("just set").entry(key).or_insert(Value::Null), value)?;
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn merged(patches: &[Value]) -> Value {
        let mut state = Value::Null;
        for p in patches {
            merge(&mut state, p.clone()).unwrap();
        }
        state
    }

    #[test]
    fn objects_merge_deeply_and_scalars_replace() {
        let state = merged(&[
            json!({"Lines": {"1": {"Line": 2, "BestLapTime": {"Value": "1:30.000", "Lap": 3}}}}),
            json!({"Lines": {"1": {"BestLapTime": {"Value": "1:29.500"}}, "44": {"Line": 1}}}),
        ]);
        assert_eq!(
            state,
            json!({"Lines": {"1": {"Line": 2, "BestLapTime": {"Value": "1:29.500", "Lap": 3}}, "44": {"Line": 1}}})
        );
    }

    #[test]
    fn index_keyed_objects_patch_and_extend_arrays() {
        let state = merged(&[
            json!({"Messages": [{"Message": "GREEN"}]}),
            json!({"Messages": {"1": {"Message": "YELLOW"}}}),
            json!({"Messages": {"0": {"Flag": "GREEN"}, "3": {"Message": "RED"}}}),
        ]);
        assert_eq!(
            state,
            json!({"Messages": [{"Message": "GREEN", "Flag": "GREEN"}, {"Message": "YELLOW"}, null, {"Message": "RED"}]})
        );
    }

    #[test]
    fn deleted_keys_are_removed() {
        let state = merged(&[
            json!({"BestLapTimes": [{"Value": "1:19.553", "Lap": 9}, {}], "Team": "X"}),
            json!({"BestLapTimes": {"0": {"Value": "", "_deleted": ["Lap"]}, "_deleted": [1]}, "_deleted": ["Team"]}),
        ]);
        assert_eq!(state, json!({"BestLapTimes": [{"Value": ""}]}));
    }

    #[test]
    fn a_named_key_on_an_array_is_an_error() {
        let mut state = json!({"Stints": []});
        assert!(merge(&mut state, json!({"Stints": {"first": {}}})).is_err());
    }

    #[test]
    fn replay_strips_the_bom_and_crlf_and_counts_patches() {
        let body = "\u{feff}00:00:01.000{\"Status\":\"Inactive\"}\r\n00:10:00.500{\"Status\":\"Started\"}\r\n\r\n";
        let mut seen = 0;
        let state = replay(body.as_bytes(), "/static/x/SessionStatus.jsonStream", |_| seen += 1).unwrap();
        assert_eq!(state, json!({"Status": "Started"}));
        assert_eq!(seen, 2);
    }

    #[test]
    fn a_bad_line_is_an_error_naming_path_and_line() {
        let body = "00:00:01.000{\"Status\":\"Inactive\"}\n00:00:02.000{\"Status\":";
        let err = replay(body.as_bytes(), "/static/x/SessionStatus.jsonStream", |_| {}).unwrap_err();
        assert!(
            matches!(&err, LiveTimingError::Invalid { path, field, .. } if path == "/static/x/SessionStatus.jsonStream" && field == "line 2"),
            "{err}"
        );
        let err = replay(b"garbage line that is long", "/p", |_| {}).unwrap_err();
        assert!(err.to_string().contains("time stamp"), "{err}");
        assert!(replay(b"\xef\xbb\xbf", "/p", |_| {}).is_err());
    }
}
