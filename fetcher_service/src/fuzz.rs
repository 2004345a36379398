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
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::sources::{formula1, jolpica, livetiming};

const DEFAULT_ITERATIONS: usize = 300;
const DEFAULT_SEED: u64 = 0x005e_edf1;

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(rel)
}

fn corpus(dir: &str, keep: impl Fn(&Path) -> bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![testdata(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if keep(&path) {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no corpus under {dir}");
    out
}

fn settings() -> (usize, u64) {
    let number = |name: &str| common::config::env_var(name).and_then(|v| v.parse().ok());
    (
        number("WIBM_FUZZ_ITERATIONS").map_or(DEFAULT_ITERATIONS, |n: u64| n as usize),
        number("WIBM_FUZZ_SEED").unwrap_or(DEFAULT_SEED),
    )
}

/// Byte-level mutations: flips, cuts, splices, repeats and hostile tokens.
fn mutate_bytes(rng: &mut StdRng, input: &[u8], other: &[u8]) -> Vec<u8> {
    const TOKENS: &[&[u8]] = &[
        b"\"",
        b"{",
        b"}",
        b"[",
        b"]",
        b"null",
        b"-1",
        b"1e308",
        b"99999999999",
        b"\\u0000",
        b":",
        b",",
        b"<",
        b"</td>",
        b"\n",
        b"\xff\xfe",
        b"00:00:00.000",
    ];
    let mut out = input.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let len = out.len().max(1);
        let at = rng.random_range(0..len).min(out.len());
        match rng.random_range(0..6) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.random_range(0..8);
            }
            1 => out.truncate(at),
            2 => {
                let end = (at + rng.random_range(0..64)).min(out.len());
                out.drain(at..end);
            }
            3 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            4 if !other.is_empty() => {
                let from = rng.random_range(0..other.len());
                let end = (from + rng.random_range(1..256)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let end = (at + rng.random_range(1..32)).min(out.len());
                let piece: Vec<u8> = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
        }
    }
    out
}

/// Structure-aware mutations of JSON: a random node replaced by a value of
/// another type, removed, or emptied, so the mapper (not only the JSON
/// parser) meets odd shapes.
fn mutate_json(rng: &mut StdRng, value: &mut Value) {
    fn nodes(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(nodes).sum(),
            Value::Object(o) => o.values().map(nodes).sum(),
            _ => 0,
        }
    }
    fn pick(rng: &mut StdRng) -> Value {
        match rng.random_range(0..9) {
            0 => Value::Null,
            1 => Value::Bool(rng.random()),
            2 => serde_json::json!(-1),
            3 => serde_json::json!(1e300),
            4 => Value::String(String::new()),
            5 => Value::String("9999999999".into()),
            6 => Value::String("x\u{0}y".into()),
            7 => Value::Array(vec![]),
            _ => Value::Object(Default::default()),
        }
    }
    fn visit(v: &mut Value, target: &mut usize, rng: &mut StdRng) -> bool {
        if *target == 0 {
            *v = pick(rng);
            return true;
        }
        *target -= 1;
        match v {
            Value::Array(a) => {
                for i in 0..a.len() {
                    if *target == 0 && rng.random_range(0..4) == 0 {
                        a.remove(i);
                        return true;
                    }
                    if visit(&mut a[i], target, rng) {
                        return true;
                    }
                }
            }
            Value::Object(o) => {
                let keys: Vec<String> = o.keys().cloned().collect();
                for k in keys {
                    if *target == 0 && rng.random_range(0..4) == 0 {
                        o.remove(&k);
                        return true;
                    }
                    if visit(o.get_mut(&k).expect("key listed"), target, rng) {
                        return true;
                    }
                }
            }
            _ => {}
        }
        false
    }
    for _ in 0..rng.random_range(1..=3) {
        let mut target = rng.random_range(0..nodes(value));
        visit(value, &mut target, rng);
    }
}

/// Runs `parse` on every corpus entry and on mutations of it; a panic fails
/// the test with the input saved to a file.
fn fuzz(name: &str, corpus: &[(String, Vec<u8>)], json: bool, parse: impl Fn(&[u8])) {
    let (iterations, seed) = settings();
    let mut rng =
        StdRng::seed_from_u64(seed ^ name.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)));
    let run = |input: &[u8]| catch_unwind(AssertUnwindSafe(|| parse(input)));
    for (file, bytes) in corpus {
        assert!(run(bytes).is_ok(), "{name}: the recorded input {file} panics");
    }
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failure = None;
    for i in 0..iterations {
        let (_, base) = &corpus[rng.random_range(0..corpus.len())];
        let (_, other) = &corpus[rng.random_range(0..corpus.len())];
        let input = match serde_json::from_slice::<Value>(base) {
            Ok(mut v) if json && rng.random_range(0..3) > 0 => {
                mutate_json(&mut rng, &mut v);
                serde_json::to_vec(&v).expect("a Value always serialises")
            }
            _ => mutate_bytes(&mut rng, base, other),
        };
        if run(&input).is_err() {
            failure = Some((i, input));
            break;
        }
    }
    std::panic::set_hook(hook);
    if let Some((i, input)) = failure {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}-{seed}-{i}"));
        std::fs::write(&file, &input).unwrap();
        // Run it once more outside catch_unwind, so the panic message shows.
        parse(&input);
        panic!("{name}: iteration {i} panicked; input saved to {}", file.display());
    }
}

fn json_pages(bytes: &[u8]) -> Vec<(String, Value)> {
    match serde_json::from_slice(bytes) {
        Ok(v) => vec![("/fuzz.json".to_string(), v)],
        Err(_) => Vec::new(),
    }
}

#[test]
fn jolpica_mapper() {
    let corpus = corpus("jolpica", |p| p.extension().is_none_or(|e| e != "md"));
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
    let index = corpus("livetiming", |p| p.file_name().is_some_and(|n| n == "Index.json"));
    fuzz("livetiming-index", &index, true, |bytes| {
        let _ = livetiming::index::parse_index(bytes, 2023);
    });
    let streams = corpus("livetiming/static/2023", |p| p.extension().is_some_and(|e| e == "jsonStream"));
    fuzz("livetiming-stream", &streams, false, |bytes| {
        let _ = livetiming::stream::replay(bytes, "/fuzz.jsonStream", |_| {});
    });
}

#[test]
fn formula1_pages() {
    let pages = corpus("formula1", |p| p.extension().is_some_and(|e| e == "html"));
    fuzz("formula1", &pages, false, |bytes| {
        let html = String::from_utf8_lossy(bytes);
        let _ = formula1::parse_results_page(&html, "/en/results/2024/races/1240/great-britain/practice/1");
        let _ = formula1::parse_season_page(&html, 2024);
        let _ = formula1::parse_weekend_page(&html, "/en/racing/2024/great-britain", 2024);
        let _ = formula1::image_location(&html.chars().take(200).collect::<String>());
    });
}
