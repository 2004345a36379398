//! `/content/v1/circuits/{id}` and its image.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;
use content_types::Circuit;

use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::model;
use crate::params;
use crate::respond::{self, CacheKind, Envelope, Rendered};
use crate::state::AppState;

/// A circuit; `image_url` points at its image when one is stored.
#[utoipa::path(
    get, path = "/content/v1/circuits/{id}", operation_id = "get_circuit", tag = "reference",
    params(("id" = String, Path, description = "Circuit id, e.g. `monza`")),
    responses(
        (status = 200, description = "The circuit", body = Envelope<Circuit>),
        (status = 404, description = "No such circuit", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn circuit(State(app): State<AppState>, uri: Uri, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("id", &id)?;
    app.answer(&uri, async {
        let (c, meta) = data::circuit(&app, id).await?;
        Rendered::json(&model::circuit(c), meta)
    })
    .await
}

/// The circuit's image, as stored (its own content type).
#[utoipa::path(
    get, path = "/content/v1/circuits/{id}/image", operation_id = "get_circuit_image", tag = "reference",
    params(("id" = String, Path, description = "Circuit id")),
    responses(
        (status = 200, description = "The image bytes", content_type = "image/*", body = Vec<u8>),
        (status = 404, description = "No such circuit or no image", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn image(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("id", &id)?;
    let img = data::circuit_image(&app, id).await?;
    respond::bytes(&img.content_type, img.data, CacheKind::Reference)
}
