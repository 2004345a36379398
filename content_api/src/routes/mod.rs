//! One module per resource; each handler validates its parameters, asks
//! [`crate::data`] and renders the answer.

pub mod career;
pub mod championship;
pub mod changes;
pub mod circuits;
pub mod live;
pub mod openf1;
pub mod ops;
pub mod people;
pub mod root;
pub mod rounds;
pub mod seasons;
pub mod session_data;
pub mod standings;

use axum::http::Uri;
use axum::response::Response;
use protobuf::PageSpec;
use serde::Serialize;

use crate::data::{IndexPage, IndexQuery};
use crate::error::ApiError;
use crate::params::{self, QueryParams};
use crate::respond::{Meta, Rendered};
use crate::state::AppState;

/// The query parameters of the indexes (`/content/v1/drivers`,
/// `/constructors`, `/circuits`), for the OpenAPI document; they are parsed
/// by [`params::index_query`].
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct IndexParams {
    /// Only names containing this, accents and case aside (`perez` finds
    /// Pérez); circuits also by place and country.
    q: Option<String>,
    /// Only those with a race entry in this season (circuits: a round).
    season: Option<i32>,
    /// 1-based page (default 1).
    page: Option<u32>,
    /// Per page, 1..=1000 (default 100).
    per_page: Option<u32>,
}

/// Answers an index: parses its parameters, reads one page with `read`
/// and renders it with `list` (the page, its paging and its items).
async fn index<T, L, Fut>(
    app: &AppState,
    uri: &Uri,
    q: &QueryParams,
    read: impl FnOnce(IndexQuery) -> Fut,
    list: impl FnOnce(IndexPage<T>, PageSpec) -> L,
) -> Result<Response, ApiError>
where
    Fut: Future<Output = Result<(IndexPage<T>, Meta), ApiError>>,
    L: Serialize,
{
    let query = params::index_query(q)?;
    let page = query.page;
    app.answer(uri, async {
        let (found, meta) = read(query).await?;
        Rendered::json(&list(found, page), meta)
    })
    .await
}
