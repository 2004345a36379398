//! `/content/v1/seasons` and `/content/v1/seasons/{year}`.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;

use crate::data;
use crate::error::{ApiError, ErrorBody};
use content_types::{Season, SeasonList};

use crate::model;
use crate::params::{self, QueryParams};
use crate::respond::{Envelope, Rendered};
use crate::state::AppState;

/// Seasons, newest first, optionally filtered by year and status.
#[utoipa::path(
    get, path = "/content/v1/seasons", operation_id = "list_seasons", tag = "seasons",
    params(
        ("year" = Option<i32>, Query, description = "Only this season"),
        ("status" = Option<String>, Query, description = "`upcoming`, `in_progress` or `completed`"),
        ("page" = Option<u32>, Query, description = "1-based page (default 1)"),
        ("per_page" = Option<u32>, Query, description = "Seasons per page, 1..=1000 (default 100)"),
    ),
    responses(
        (status = 200, description = "A page of seasons", body = Envelope<SeasonList>),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn list(State(app): State<AppState>, uri: Uri, q: QueryParams) -> Result<Response, ApiError> {
    let year = q.get("year").map(params::year).transpose()?;
    let status = q.get("status").map(params::season_status).transpose()?;
    let page = params::page(q.get("page"), q.get("per_page"))?;
    app.answer(&uri, async {
        let (found, meta) = data::seasons(&app, year, status, page).await?;
        let result = SeasonList {
            total: found.total,
            page: page.page,
            per_page: page.per_page,
            seasons: found.seasons.into_iter().map(model::season).collect(),
        };
        Rendered::json(&result, meta)
    })
    .await
}

/// One season: status, rounds, dates and champions once decided.
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}", operation_id = "get_season", tag = "seasons",
    params(("year" = i32, Path, description = "Championship year, e.g. 2024")),
    responses(
        (status = 200, description = "The season", body = Envelope<Season>),
        (status = 404, description = "No such season", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn one(State(app): State<AppState>, uri: Uri, Path(year): Path<String>) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    app.answer(&uri, async {
        let (season, meta) = data::season(&app, year).await?;
        Rendered::json(&model::season(season), meta)
    })
    .await
}
