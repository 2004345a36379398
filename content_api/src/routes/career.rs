//! `/content/v1/drivers/{id}/seasons` and `/content/v1/constructors/{id}/seasons`.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;
use content_types::{ConstructorCareer, DriverCareer};

use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::model;
use crate::params;
use crate::respond::{Envelope, Rendered};
use crate::state::AppState;

/// A driver's career from every race entry: each season they raced in
/// (newest first, a season without points too) with every team they raced
/// for and the numbers they raced with, their final standing where the
/// standings list them, and their races of the latest season.
#[utoipa::path(
    get, path = "/content/v1/drivers/{id}/seasons", operation_id = "get_driver_career", tag = "reference",
    params(("id" = String, Path, description = "Driver id, e.g. `max-verstappen`")),
    responses(
        (status = 200, description = "The driver's seasons", body = Envelope<DriverCareer>),
        (status = 404, description = "No such driver", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn driver(State(app): State<AppState>, uri: Uri, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("id", &id)?;
    app.answer(&uri, async {
        let (career, meta) = data::driver_career(&app, id).await?;
        Rendered::json(&model::driver_career(career), meta)
    })
    .await
}

/// A constructor's history from every race entry: each season it raced in
/// (newest first, before the constructors' title too) with every driver
/// who raced for it, its final standing where there is one, and its
/// drivers' standings.
#[utoipa::path(
    get, path = "/content/v1/constructors/{id}/seasons", operation_id = "get_constructor_career", tag = "reference",
    params(("id" = String, Path, description = "Constructor id, e.g. `red-bull`")),
    responses(
        (status = 200, description = "The constructor's seasons", body = Envelope<ConstructorCareer>),
        (status = 404, description = "No such constructor", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn constructor(State(app): State<AppState>, uri: Uri, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("id", &id)?;
    app.answer(&uri, async {
        let (career, meta) = data::constructor_career(&app, id).await?;
        Rendered::json(&model::constructor_career(career), meta)
    })
    .await
}
