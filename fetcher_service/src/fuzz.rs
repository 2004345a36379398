//! A mutation fuzzer for every parser of untrusted upstream input: the
//! Jolpica JSON mapper, the LiveTiming index and stream parsers, and the
//! formula1.com page parsers. It starts from the recorded answers in
//! `testdata/` (the corpus), mutates them with a fixed seed, and checks that
//! no input makes a parser panic: an upstream answer is either mapped or
//! refused with an error, never a crash.
//!
//! `cargo test -p fetcher_service fuzz` runs a quick pass (the CI run);
//! `WIBM_FUZZ_ITERATIONS=200000 WIBM_FUZZ_SEED=7 cargo test --release -p
//! fetcher_service fuzz` runs longer or from another seed. A failing input
//! is written to `target/fuzz-failures/` and named in the failure.
use std::path::{Path, PathBuf};

use serde_json::Value;
use testkit::fuzz::{corpus, fuzz};

use crate::sources::{formula1, jolpica, livetiming};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(rel)
}

fn json_pages(bytes: &[u8]) -> Vec<(String, Value)> {
    match serde_json::from_slice(bytes) {
        Ok(v) => vec![("/fuzz.json".to_string(), v)],
        Err(_) => Vec::new(),
    }
}

#[test]
fn jolpica_mapper() {
    let corpus = corpus(&testdata("jolpica"), |p| p.extension().is_none_or(|e| e != "md"));
    fuzz("jolpica", &corpus, true, |bytes| {
        let pages = json_pages(bytes);
        let _ = jolpica::parse::schedule(&pages);
        for list in ["Results", "SprintResults", "QualifyingResults"] {
            let _ = jolpica::parse::results(&pages, list, 2024, 12);
        }
        let _ = jolpica::parse::driver_standings(&pages);
        let _ = jolpica::parse::constructor_standings(&pages);
    });
}

#[test]
fn livetiming_index_and_streams() {
    let index = corpus(&testdata("livetiming"), |p| p.file_name().is_some_and(|n| n == "Index.json"));
    fuzz("livetiming-index", &index, true, |bytes| {
        let _ = livetiming::index::parse_index(bytes, 2023);
    });
    let streams = corpus(&testdata("livetiming/static/2023"), |p| p.extension().is_some_and(|e| e == "jsonStream"));
    fuzz("livetiming-stream", &streams, false, |bytes| {
        let _ = livetiming::stream::replay(bytes, "/fuzz.jsonStream", |_| {});
    });
}

#[test]
fn formula1_pages() {
    let pages = corpus(&testdata("formula1"), |p| p.extension().is_some_and(|e| e == "html"));
    fuzz("formula1", &pages, false, |bytes| {
        let html = String::from_utf8_lossy(bytes);
        let _ = formula1::parse_results_page(&html, "/en/results/2024/races/1240/great-britain/practice/1");
        let _ = formula1::parse_season_page(&html, 2024);
        let _ = formula1::parse_weekend_page(&html, "/en/racing/2024/great-britain", 2024);
        let _ = formula1::image_location(&html.chars().take(200).collect::<String>());
    });
}
