//! `/content/v1/seasons/{year}/rounds[/{round}[/sessions/{type}]]`.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;

use crate::data;
use crate::error::{ApiError, ErrorBody};
use content_types::{Round, RoundList, Session};

use crate::model;
use crate::params;
use crate::respond::{CacheKind, Envelope, Rendered};
use crate::state::AppState;

/// Every round of a season with its circuit and sessions (and their results).
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/rounds", operation_id = "list_rounds", tag = "rounds",
    params(("year" = i32, Path, description = "Championship year")),
    responses(
        (status = 200, description = "The season's rounds", body = Envelope<RoundList>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A bad parameter, named", body = ErrorBody),
        (status = 404, description = "No such season", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn list(State(app): State<AppState>, uri: Uri, Path(year): Path<String>) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    app.answer(&uri, async {
        let ((season, m1), (rounds, m2)) = tokio::try_join!(data::season(&app, year), data::rounds(&app, year))?;
        let result = RoundList { season: year.get(), rounds: rounds.into_iter().map(model::round).collect() };
        Rendered::json(&result, m1.and(m2), CacheKind::of_season(season.status))
    })
    .await
}

/// One round: the seed's shape (`round_id, name, season, circuit, first_date,
/// end_date, sessions[...]`) plus added fields.
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/rounds/{round}", operation_id = "get_round", tag = "rounds",
    params(
        ("year" = i32, Path, description = "Championship year"),
        ("round" = i32, Path, description = "Round number, 1-based"),
    ),
    responses(
        (status = 200, description = "The round", body = Envelope<Round>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A bad parameter, named", body = ErrorBody),
        (status = 404, description = "No such season or round", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn one(
    State(app): State<AppState>,
    uri: Uri,
    Path((year, round)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    let round = params::round(&round)?;
    app.answer(&uri, async {
        let ((season, m1), (round, m2)) = tokio::try_join!(data::season(&app, year), data::round(&app, year, round))?;
        Rendered::json(&model::round(round), m1.and(m2), CacheKind::of_season(season.status))
    })
    .await
}

/// One session of a round with its results.
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/rounds/{round}/sessions/{type}", operation_id = "get_session", tag = "rounds",
    params(
        ("year" = i32, Path, description = "Championship year"),
        ("round" = i32, Path, description = "Round number, 1-based"),
        ("type" = String, Path, description = "`practice_1`, `practice_2`, `practice_3`, `qualifying`, `sprint_qualifying` (or `sprint_shootout`), `sprint` or `race`"),
    ),
    responses(
        (status = 200, description = "The session", body = Envelope<Session>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A bad parameter, named", body = ErrorBody),
        (status = 404, description = "No such season, round or session", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn session(
    State(app): State<AppState>,
    uri: Uri,
    Path((year, round, kind)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    let round = params::round(&round)?;
    let kind = params::session_type(&kind)?;
    app.answer(&uri, async {
        let ((season, m1), (session, m2)) =
            tokio::try_join!(data::season(&app, year), data::session(&app, year, round, kind))?;
        Rendered::json(&model::session(session), m1.and(m2), CacheKind::of_season(season.status))
    })
    .await
}
