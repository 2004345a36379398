//! `/content/v1/drivers`, `/content/v1/constructors` and one of each.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;
use content_types::{Constructor, ConstructorList, Driver, DriverList};

use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::model;
use crate::params::{self, QueryParams};
use crate::respond::{Envelope, Rendered};
use crate::state::AppState;

/// Drivers in id order, optionally those whose name matches `q` or who
/// took part in `season`.
#[utoipa::path(
    get, path = "/content/v1/drivers", operation_id = "list_drivers", tag = "reference",
    params(super::IndexParams),
    responses(
        (status = 200, description = "A page of drivers", body = Envelope<DriverList>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A bad parameter, named", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn drivers(State(app): State<AppState>, uri: Uri, q: QueryParams) -> Result<Response, ApiError> {
    let reader = app.clone();
    let read = |query| async move { data::drivers(&reader, &query).await };
    super::index(&app, &uri, &q, read, |found, page| DriverList {
        total: found.total,
        page: page.page,
        per_page: page.per_page,
        drivers: found.items.into_iter().map(model::driver).collect(),
    })
    .await
}

/// Constructors in id order, optionally those whose name matches `q` or
/// who took part in `season`.
#[utoipa::path(
    get, path = "/content/v1/constructors", operation_id = "list_constructors", tag = "reference",
    params(super::IndexParams),
    responses(
        (status = 200, description = "A page of constructors", body = Envelope<ConstructorList>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A bad parameter, named", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn constructors(State(app): State<AppState>, uri: Uri, q: QueryParams) -> Result<Response, ApiError> {
    let reader = app.clone();
    let read = |query| async move { data::constructors(&reader, &query).await };
    super::index(&app, &uri, &q, read, |found, page| ConstructorList {
        total: found.total,
        page: page.page,
        per_page: page.per_page,
        constructors: found.items.into_iter().map(model::constructor).collect(),
    })
    .await
}

/// A driver.
#[utoipa::path(
    get, path = "/content/v1/drivers/{id}", operation_id = "get_driver", tag = "reference",
    params(("id" = String, Path, description = "Driver id, e.g. `max-verstappen`")),
    responses(
        (status = 200, description = "The driver", body = Envelope<Driver>),
        (status = 404, description = "No such driver", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn driver(State(app): State<AppState>, uri: Uri, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("id", &id)?;
    app.answer(&uri, async {
        let (d, meta) = data::driver(&app, id).await?;
        Rendered::json(&model::driver(d), meta)
    })
    .await
}

/// A constructor (team).
#[utoipa::path(
    get, path = "/content/v1/constructors/{id}", operation_id = "get_constructor", tag = "reference",
    params(("id" = String, Path, description = "Constructor id, e.g. `red-bull`")),
    responses(
        (status = 200, description = "The constructor", body = Envelope<Constructor>),
        (status = 404, description = "No such constructor", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn constructor(State(app): State<AppState>, uri: Uri, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("id", &id)?;
    app.answer(&uri, async {
        let (c, meta) = data::constructor(&app, id).await?;
        Rendered::json(&model::constructor(c), meta)
    })
    .await
}
