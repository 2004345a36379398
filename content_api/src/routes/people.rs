//! `/content/v1/drivers/{id}` and `/content/v1/constructors/{id}`.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;
use content_types::{Constructor, Driver};

use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::model;
use crate::params;
use crate::respond::{Envelope, Rendered};
use crate::state::AppState;

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
