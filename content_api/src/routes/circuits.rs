//! `/content/v1/circuits`, one circuit and its image.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;
use content_types::{Circuit, CircuitList, CircuitRounds};

use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::model;
use crate::params::{self, QueryParams};
use crate::respond::{self, CacheKind, Envelope, Rendered};
use crate::state::AppState;

/// Circuits in id order, optionally those whose name, place or country
/// matches `q` or that held a round in `season`.
#[utoipa::path(
    get, path = "/content/v1/circuits", operation_id = "list_circuits", tag = "reference",
    params(super::IndexParams),
    responses(
        (status = 200, description = "A page of circuits", body = Envelope<CircuitList>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A bad parameter, named", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn list(State(app): State<AppState>, uri: Uri, q: QueryParams) -> Result<Response, ApiError> {
    let reader = app.clone();
    let read = |query| async move { data::circuits(&reader, &query).await };
    super::index(&app, &uri, &q, read, |found, page| CircuitList {
        total: found.total,
        page: page.page,
        per_page: page.per_page,
        circuits: found.items.into_iter().map(model::circuit).collect(),
    })
    .await
}

/// Every stored round held at the circuit, newest first, with its race
/// winner and the winner's team once known.
#[utoipa::path(
    get, path = "/content/v1/circuits/{id}/rounds", operation_id = "get_circuit_rounds", tag = "reference",
    params(("id" = String, Path, description = "Circuit id, e.g. `monza`")),
    responses(
        (status = 200, description = "The rounds held there", body = Envelope<CircuitRounds>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A bad parameter, named", body = ErrorBody),
        (status = 404, description = "No such circuit", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn rounds(State(app): State<AppState>, uri: Uri, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("id", &id)?;
    app.answer(&uri, async {
        let (held, meta) = data::circuit_rounds(&app, id).await?;
        Rendered::json(&model::circuit_rounds(held), meta)
    })
    .await
}

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
