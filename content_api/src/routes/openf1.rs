//! `/openf1/v1/{endpoint}`: session data in OpenF1's format, so an OpenF1
//! client switches by changing its base URL (see [`crate::openf1`]).
use axum::extract::State;
use axum::http::{HeaderValue, Uri, header};
use axum::response::Response;
use common::extract::Path;

use crate::error::ApiError;
use crate::openf1::{Endpoint, Query, answer, csv_file_name};
use crate::state::AppState;

/// The path prefix of the OpenF1-compatible API.
pub const PREFIX: &str = "/openf1/v1";

/// OpenF1's records of the stored sessions (2018 on). Filters on any field
/// of the endpoint: `field=value`, `field>value`, `>=`, `<`, `<=` (raw or
/// percent-encoded); the same field repeated with `=` is OR, a `>=`/`<=`
/// pair a range; dates compare as instants (a date alone is the whole UTC
/// day); `session_key=latest` and `meeting_key=latest` name the newest
/// stored session; `csv=true` answers CSV. laps, intervals, position,
/// car_data and location need `session_key` or `meeting_key`. car_data and
/// location are read from the LiveTiming archive on the first request for
/// a session and kept in a disk cache (a live session answers `[]` until
/// the archive publishes it).
#[utoipa::path(
    get, path = "/openf1/v1/{endpoint}", operation_id = "openf1", tag = "openf1",
    params(
        ("endpoint" = String, Path, description = "car_data, championship_drivers, championship_teams, drivers, \
            intervals, laps, location, meetings, overtakes, pit, position, race_control, sessions, session_result, \
            starting_grid, stints, team_radio, weather"),
    ),
    responses(
        (status = 200, description = "A JSON array of records with OpenF1's field names, types and units \
            (`[]` when none match), or CSV with a header line", content_type = "application/json"),
        (status = 400, description = "An unknown field, a value the field cannot hold, a parameter without \
            operator, or a big endpoint without session_key", body = crate::error::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::error::ErrorBody),
        (status = 502, description = "car_data or location: the LiveTiming archive failed (retry later)",
            body = crate::error::ErrorBody),
        crate::openapi::responses::NotModified,
        crate::openapi::responses::Unavailable,
    )
)]
pub async fn endpoint(State(app): State<AppState>, Path(name): Path<String>, uri: Uri) -> Result<Response, ApiError> {
    let endpoint =
        Endpoint::from_name(&name).ok_or_else(|| ApiError::NotFound(format!("the OpenF1 endpoint `{name}`")))?;
    let query = Query::parse(endpoint, uri.query().unwrap_or_default())?;
    let csv = query.csv;
    let mut res = app.answer(&uri, answer::build(&app, query)).await?;
    if csv {
        // As OpenF1 names the file.
        let file = format!("attachment; filename={}", csv_file_name(endpoint));
        res.headers_mut().insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&file).expect("a header value"));
    }
    Ok(res)
}
