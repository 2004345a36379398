//! The records derived from recorded sessions, checked against an
//! independent reading of the same recording (plain JSON, line by line).
mod archive;
mod telemetry;
#[cfg(feature = "proto")]
mod wire;

use std::path::PathBuf;

use serde_json::Value;

/// `fetcher_service/testdata/{rel}` (see `testdata/SOURCES.md`).
pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fetcher_service/testdata").join(rel)
}

/// The patches of one stream file as plain JSON, in order (the test's own
/// reading, not the crate's).
pub fn raw_lines(folder: &str, topic: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(testdata(folder).join(format!("{topic}.jsonStream"))).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| l.len() > 12)
        .map(|l| serde_json::from_str(&l[12..]).unwrap())
        .collect()
}
