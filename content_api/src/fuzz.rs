//! The seeded mutation fuzzer ([`testkit::fuzz`]) over the parsers of
//! request paths and parameters: the Ergast path grammar (with its
//! validation and paging) and every `/content/v1` parameter parser, fed
//! query strings through the same query parser the handlers use. No input
//! may panic: a request is either understood or refused with a 4xx.
//! `cargo test -p content_api fuzz` (`WIBM_FUZZ_ITERATIONS`/`WIBM_FUZZ_SEED`
//! run it longer).
use std::path::{Path, PathBuf};

use testkit::fuzz::{fuzz, lines};

use crate::ergast::{lists::Paging, path::Query};
use crate::params;

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz").join(rel)
}

#[test]
fn ergast_path_grammar() {
    let corpus = lines(&testdata("ergast-paths.txt"));
    fuzz("ergast-path", &corpus, false, |bytes| {
        let (path, query) = match String::from_utf8_lossy(bytes).split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (String::from_utf8_lossy(bytes).into_owned(), String::new()),
        };
        if let Ok(q) = Query::parse(&path) {
            let _ = q.validate();
            let _ = q.effective();
            let _ = q.value_number();
        }
        if let Ok(pairs) = common::extract::parse_query::<Vec<(String, String)>>(&query) {
            let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
            let _ = Paging::from_query(get("limit"), get("offset"));
        }
    });
}

#[test]
fn content_parameters() {
    let corpus = lines(&testdata("query.txt"));
    fuzz("content-params", &corpus, false, |bytes| {
        let Ok(pairs) = common::extract::parse_query::<Vec<(String, String)>>(&String::from_utf8_lossy(bytes)) else {
            return;
        };
        for (name, value) in &pairs {
            let _ = params::year(value);
            let _ = params::round(value);
            let _ = params::round_named(name, value);
            let _ = params::session_type(value);
            let _ = params::season_status(value);
            let _ = params::flag(name, value);
            let _ = params::id(name, value);
            let _ = params::page(Some(value), Some(value));
            let _ = params::page(None, Some(value));
        }
    });
}
