//! `/content/v1/seasons/{year}/rounds[/{round}[/sessions/{type}]]`.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;

use crate::data;
use crate::error::{ApiError, ErrorBody};
use content_types::{Round, RoundList, Session};

use crate::model;
use crate::params::{self, QueryParams};
use crate::respond::{Envelope, Rendered};
use crate::state::AppState;

/// Every round of a season with its circuit and sessions (and their results;
/// `results=false` leaves them out: a calendar of a few kB instead of most of a MB).
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/rounds", operation_id = "list_rounds", tag = "rounds",
    params(
        ("year" = i32, Path, description = "Championship year"),
        ("results" = Option<bool>, Query, description = "false: sessions without their results (default true)"),
    ),
    responses(
        (status = 200, description = "The season's rounds", body = Envelope<RoundList>),
        (status = 404, description = "No such season", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn list(
    State(app): State<AppState>,
    uri: Uri,
    Path(year): Path<String>,
    q: QueryParams,
) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    let results = q.get("results").map(|r| params::flag("results", r)).transpose()?.unwrap_or(true);
    app.answer(&uri, async {
        let (rounds, meta) = if results { data::rounds(&app, year).await? } else { data::calendar(&app, year).await? };
        let result = RoundList { season: year.get(), rounds: rounds.into_iter().map(model::round).collect() };
        Rendered::json(&result, meta)
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
        (status = 404, description = "No such season or round", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
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
        let (round, meta) = data::round(&app, year, round).await?;
        Rendered::json(&model::round(round), meta)
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
        (status = 200, description = "The session, and whether its timing records are stored", body = Envelope<Session>),
        (status = 404, description = "No such season, round or session", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
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
        let (session, stored) =
            tokio::join!(data::session(&app, year, round, kind), data::session_data_summary(&app, year, round, kind));
        let (session, meta) = session?;
        let (summary, index_meta) = stored?;
        let answer =
            Session { session_data: Some(model::session_data::info(summary.as_ref())), ..model::session(session) };
        Rendered::json(&answer, meta.and(index_meta))
    })
    .await
}
