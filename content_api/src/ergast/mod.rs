//! The Ergast-compatible API at `/ergast/f1`: Jolpica's paths and JSON, so
//! Ergast clients (FastF1, the R and JS packages, dashboards) switch by
//! changing their base URL.
//!
//! [`path`] parses the grammar, [`scope`] resolves the season and round and
//! reads the data ([`source`]: a few whole-season reads, kept briefly),
//! [`lists`] makes each endpoint's rows and pages them, [`view`] and
//! [`shape`] turn records into Ergast's shapes with Ergast ids ([`ids`]).
//! Answers carry an ETag, Cache-Control and compressed forms like every
//! `/content/v1` answer.

pub mod ids;
pub mod lists;
pub mod path;
pub mod scope;
pub mod shape;
pub mod source;
pub mod timing;
pub mod view;
pub mod words;

use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::Response;
use serde_json::{Map, Value};

pub use source::Sources;

use self::lists::Paging;
use self::path::Query;
use self::scope::Scope;
use crate::error::ApiError;
use crate::params::QueryParams;
use crate::respond::Rendered;
use crate::state::AppState;

/// The path prefix every Ergast route shares.
pub const PREFIX: &str = "/ergast/f1";

/// `GET /ergast/f1/...`: every Ergast path.
#[utoipa::path(
    get, path = "/ergast/f1/{path}", operation_id = "ergast", tag = "ergast",
    params(
        ("path" = String, Path, description = "`[{season}[/{round}]][/{filter}/{value}]*/{endpoint}[/{value}](.json|/)`, \
            e.g. `2023/22/results.json`, `drivers/hamilton/results/1.json`, `2024/driverStandings.json`"),
        ("limit" = Option<u32>, Query, description = "Rows per page, at most 100 (default 30)"),
        ("offset" = Option<u32>, Query, description = "Rows to skip (default 0)"),
    ),
    responses(
        (status = 200, description = "`{\"MRData\":{\"xmlns\",\"series\",\"url\",\"limit\",\"offset\",\"total\",\"<X>Table\":{...}}}`; \
            every scalar is a string", content_type = "application/json"),
        (status = 400, description = "A filter the endpoint does not take, or a missing season or round", body = crate::error::ErrorBody),
        (status = 404, description = "No such path (a word where a number belongs)", body = crate::error::ErrorBody),
        crate::openapi::responses::NotModified,
        crate::openapi::responses::Unavailable,
    )
)]
pub async fn handle(
    State(app): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    params: QueryParams,
) -> Result<Response, ApiError> {
    let rest = uri.path().strip_prefix(PREFIX).unwrap_or_default();
    let q = Query::parse(rest).map_err(|_| ApiError::NotFound(format!("the Ergast path {}", uri.path())))?;
    q.validate()?;
    let page = Paging::from_query(params.get("limit"), params.get("offset"));
    let url = absolute_url(&headers, uri.path());
    let key = format!("{url}?limit={}&offset={}", page.limit, page.offset);
    app.answer_keyed(key, async {
        let scope = Scope::load(&app, &q).await?;
        let table = lists::build(&app, &q, &scope, page).await?;
        let body = envelope(&url, page, &scope.echo(&q), table)?;
        Ok(Rendered::bare(body, scope.meta, scope.kind))
    })
    .await
}

/// The answer's `url`: the request's, lower-cased as Jolpica writes it.
fn absolute_url(headers: &HeaderMap, path: &str) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    format!("{scheme}://{host}{path}").to_lowercase()
}

/// `{"MRData":{"xmlns","series","url","limit","offset","total","<X>Table":{criteria..., "<List>":[...]}}}`.
fn envelope(url: &str, page: Paging, echo: &[(&str, String)], table: lists::Table) -> Result<Vec<u8>, ApiError> {
    let mut t = Map::new();
    for (k, v) in echo.iter().chain(&table.echo) {
        t.insert((*k).to_string(), Value::String(v.clone()));
    }
    t.insert(table.list.to_string(), table.items);
    let mut m = Map::new();
    m.insert("xmlns".into(), "".into());
    m.insert("series".into(), "f1".into());
    m.insert("url".into(), url.into());
    m.insert("limit".into(), page.limit.to_string().into());
    m.insert("offset".into(), page.offset.to_string().into());
    m.insert("total".into(), table.total.to_string().into());
    m.insert(table.table.to_string(), Value::Object(t));
    let mut root = Map::new();
    root.insert("MRData".into(), Value::Object(m));
    serde_json::to_vec(&Value::Object(root))
        .map_err(|e| ApiError::Internal(format!("serialising an Ergast answer: {e}")))
}
