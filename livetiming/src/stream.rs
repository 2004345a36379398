//! The `*.jsonStream` format; patches merge by [`crate::merge`]'s rules.
//!
//! A stream file starts with a UTF-8 BOM; each line is an elapsed-time stamp
//! `HH:MM:SS.mmm` followed by a JSON object that patches the topic's state.
//! Patches are merged recursively; an object patch applied to an array
//! addresses its elements by index (`{"1": {...}}` patches element 1 and
//! `{"3": {...}}` on a 3-element array appends), and `"_deleted": [keys]`
//! removes keys (or indices) from the object it sits in. The `.z` topics
//! (CarData.z, Position.z) are the exception: each line holds a string, an
//! encoded batch of samples, not a patch ([`for_each_line`]).
use std::time::Duration;

use serde_json::Value;

use crate::InvalidData;
use crate::merge::merge;

const STAMP_LEN: usize = "00:00:00.000".len();

/// Replays a stream file and returns the topic's final state. `observe` sees
/// every patch, in order, before it is merged (used to keep values that the
/// feed later clears). Any malformed line is an error naming `path` and the
/// line number.
pub fn replay(bytes: &[u8], path: &str, mut observe: impl FnMut(&Value)) -> Result<Value, InvalidData> {
    replay_timed(bytes, path, |_, patch| observe(patch))
}

/// [`replay`], with each patch's time stamp given to `observe`.
pub fn replay_timed(bytes: &[u8], path: &str, mut observe: impl FnMut(Duration, &Value)) -> Result<Value, InvalidData> {
    let mut state = Value::Null;
    for_each_patch(bytes, path, |at, patch, field| {
        observe(at, &patch);
        merge(&mut state, patch).map_err(|message| InvalidData::new(path, field, message))
    })?;
    if state.is_null() {
        return Err(InvalidData::new(path, "body", "stream holds no data"));
    }
    Ok(state)
}

/// Every patch of a stream file with its time stamp (elapsed since the
/// recording began), in order; `then` gets the line as a field name for its
/// own errors. Used by the archive reader and by `wibm replay`.
pub fn for_each_patch(
    bytes: &[u8],
    path: &str,
    mut then: impl FnMut(Duration, Value, String) -> Result<(), InvalidData>,
) -> Result<(), InvalidData> {
    for_each_line(bytes, path, |at, patch, field| {
        if !patch.is_object() {
            return Err(InvalidData::new(path, field, "patch is not a JSON object"));
        }
        then(at, patch, field)
    })
}

/// [`for_each_patch`] for any JSON value after the stamp: the lines of a
/// `.z` topic's stream hold a string (base64 of raw DEFLATE'd JSON,
/// [`crate::merge::inflate`]), `00:00:12.345"7ZW9..."`.
pub fn for_each_line(
    bytes: &[u8],
    path: &str,
    mut then: impl FnMut(Duration, Value, String) -> Result<(), InvalidData>,
) -> Result<(), InvalidData> {
    let text = std::str::from_utf8(bytes).map_err(|e| InvalidData::new(path, "body", format!("not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, line) in text.split('\n').enumerate() {
        if let Some((elapsed, value)) = parse_line(line, path, index + 1)? {
            then(elapsed, value, format!("line {}", index + 1))?;
        }
    }
    Ok(())
}

/// One line of a stream file (`number` counts from 1, for errors): its
/// stamp and its JSON value, or `None` for a blank line. A trailing `\r`
/// is ignored; the file's BOM is the caller's to strip.
pub fn parse_line(line: &str, path: &str, number: usize) -> Result<Option<(Duration, Value)>, InvalidData> {
    let line = line.trim_end_matches('\r');
    if line.trim().is_empty() {
        return Ok(None);
    }
    let field = || format!("line {number}");
    let (stamp, json) =
        line.split_at_checked(STAMP_LEN).ok_or_else(|| InvalidData::new(path, field(), "shorter than a time stamp"))?;
    let elapsed = parse_stamp(stamp)
        .ok_or_else(|| InvalidData::new(path, field(), format!("`{stamp}` is not a HH:MM:SS.mmm time stamp")))?;
    let value: Value =
        serde_json::from_str(json).map_err(|e| InvalidData::new(path, field(), format!("invalid JSON: {e}")))?;
    Ok(Some((elapsed, value)))
}

fn parse_stamp(stamp: &str) -> Option<Duration> {
    if !is_stamp(stamp) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| stamp[r].parse::<u64>().ok();
    let ms = ((n(0..2)? * 60 + n(3..5)?) * 60 + n(6..8)?) * 1000 + n(9..12)?;
    Some(Duration::from_millis(ms))
}

fn is_stamp(stamp: &str) -> bool {
    stamp.bytes().enumerate().all(|(i, b)| match i {
        2 | 5 => b == b':',
        8 => b == b'.',
        _ => b.is_ascii_digit(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

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
            matches!(&err, InvalidData { path, field, .. } if path == "/static/x/SessionStatus.jsonStream" && field == "line 2"),
            "{err}"
        );
        let err = replay(b"garbage line that is long", "/p", |_| {}).unwrap_err();
        assert!(err.to_string().contains("time stamp"), "{err}");
        assert!(replay(b"\xef\xbb\xbf", "/p", |_| {}).is_err());
    }

    #[test]
    fn z_lines_hold_strings_which_only_for_each_line_reads() {
        let body = "\u{feff}01:31:01.452\"7ZW9\"\r\n";
        let mut seen = Vec::new();
        for_each_line(body.as_bytes(), "/p/CarData.z.jsonStream", |at, value, _| {
            seen.push((at, value));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [(Duration::from_millis(5_461_452), json!("7ZW9"))]);
        let err = replay(body.as_bytes(), "/p/CarData.z.jsonStream", |_| {}).unwrap_err();
        assert!(err.message.contains("not a JSON object"), "{err}");
    }
}
