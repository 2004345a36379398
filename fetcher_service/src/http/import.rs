//! `POST /fetcher/v1/import/f1db[?path=DIR&from=YYYY&to=YYYY]`: bulk import
//! from f1db data files, the bundled copy when no path is given.
use std::path::PathBuf;

use axum::extract::State;
use axum::http::HeaderMap;
use common::extract::Query;

use super::fetch::{Answer, Pairs, execute, parse};
use super::{ApiError, AppState};
use crate::error::FetchError;
use crate::sources::f1db::{F1dbSource, import_into};
use crate::sync::{Done, Run, SyncKind};
use crate::upstream::SourceName;

pub async fn f1db(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Answer {
    const ROUTE: &str = "/fetcher/v1/import/f1db";
    let source = SourceName::F1db;
    let (p, trigger) = parse(ROUTE, source, q, &["path", "from", "to"], &headers)?;
    let bad = |e| ApiError::new(ROUTE, source, e);
    let (from, to) = (p.year("from").map_err(bad)?, p.year("to").map_err(bad)?);
    let data = match p.get("path").filter(|p| !p.is_empty()) {
        None => F1dbSource::Bundled,
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if !dir.join("seasons").is_dir() {
                return Err(bad(FetchError::param(
                    "path",
                    format!("`{}` is not an f1db data directory (no seasons/ inside)", dir.display()),
                )));
            }
            F1dbSource::Dir(dir)
        }
    };
    let mut params = match &data {
        F1dbSource::Bundled => "bundled".to_string(),
        F1dbSource::Dir(d) => format!("path={}", d.display()),
    };
    for (name, year) in [("from", from), ("to", to)] {
        if let Some(y) = year {
            params.push_str(&format!(" {name}={y}"));
        }
    }
    let run = Run { kind: SyncKind::F1db, source, trigger, params };
    execute(&state, ROUTE, run, async {
        let report = import_into(state.client(), data, from.map(|y| y.get()), to.map(|y| y.get()), |_| {}).await?;
        let counts = [("seasons".to_string(), report.seasons as i64)].into_iter().collect();
        Ok(Done { count: report.seasons as i64, records: report.records, counts })
    })
    .await
}
