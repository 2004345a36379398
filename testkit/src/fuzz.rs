//! A seeded mutation fuzzer for the parsers of untrusted input (upstream
//! answers in fetcher_service, request paths and parameters in
//! content_api): start from a corpus of real inputs, mutate them with a
//! fixed seed (bytes, and JSON structure where the input is JSON), and fail
//! on the first input that makes a parser panic. Quick by default, for
//! every test run; `WIBM_FUZZ_ITERATIONS` and `WIBM_FUZZ_SEED` run it longer
//! or from another seed. A failing input is saved and named in the failure.
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

const DEFAULT_ITERATIONS: usize = 300;
const DEFAULT_SEED: u64 = 0x005e_edf1;

/// Every file under `dir` that `keep` accepts, as (name, bytes), sorted.
pub fn corpus(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
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
    assert!(!out.is_empty(), "no corpus under {}", dir.display());
    out
}

/// Iterations and seed: `WIBM_FUZZ_ITERATIONS`, `WIBM_FUZZ_SEED`.
pub fn settings() -> (usize, u64) {
    let number = |name: &str| common::config::env_var(name).and_then(|v| v.parse().ok());
    (
        number("WIBM_FUZZ_ITERATIONS").map_or(DEFAULT_ITERATIONS, |n: u64| n as usize),
        number("WIBM_FUZZ_SEED").unwrap_or(DEFAULT_SEED),
    )
}

/// Byte-level mutations: flips, cuts, splices, repeats and hostile tokens.
pub fn mutate_bytes(rng: &mut StdRng, input: &[u8], other: &[u8]) -> Vec<u8> {
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
pub fn mutate_json(rng: &mut StdRng, value: &mut Value) {
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

/// Every non-empty line of `file` that is not a `#` comment, as one input.
pub fn lines(file: &Path) -> Vec<(String, Vec<u8>)> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let out: Vec<_> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (format!("{}:{}", file.display(), i + 1), l.as_bytes().to_vec()))
        .collect();
    assert!(!out.is_empty(), "no corpus in {}", file.display());
    out
}

/// Runs `parse` on every corpus entry and on mutations of it (JSON-aware
/// when `json`); a panic fails the test with the input saved under
/// `target/fuzz-failures/`.
pub fn fuzz(name: &str, corpus: &[(String, Vec<u8>)], json: bool, parse: impl Fn(&[u8])) {
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
