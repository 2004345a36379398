//! `/content/v1/seasons/{year}/championship`: the title fight.
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;

use crate::championship::{self, Championship};
use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::params;
use crate::respond::{CacheKind, Envelope, Rendered};
use crate::state::AppState;

/// The title fight, drivers and constructors: points now, the most still
/// reachable over every remaining race and sprint under the season's points
/// rules, who can still win (a tie on points goes to countback), whether and
/// where the leader clinched, and what the leader needs at the next session.
/// Seasons before 1991 answer `modelled: false`.
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/championship", operation_id = "get_championship", tag = "standings",
    params(("year" = i32, Path, description = "Championship year")),
    responses(
        (status = 200, description = "The title fight", body = Envelope<Championship>),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "A bad parameter, named", body = ErrorBody),
        (status = 404, description = "No such season", body = ErrorBody),
        (status = 503, description = "data_scheduler did not answer in time", body = ErrorBody),
    )
)]
pub async fn fight(State(app): State<AppState>, uri: Uri, Path(year): Path<String>) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    app.answer(&uri, async {
        let (season, m1) = data::season(&app, year).await?;
        let kind = CacheKind::of_season(season.status);
        if year.get() < championship::rules::FIRST_MODELLED_SEASON {
            return Rendered::json(&championship::analyse(year.get(), season.total_rounds, &[], &[]), m1, kind);
        }
        let ((rounds, m2), (standings, m3)) =
            tokio::try_join!(data::rounds(&app, year), data::progression(&app, year))?;
        let result = championship::analyse(year.get(), season.total_rounds, &rounds, &standings);
        Rendered::json(&result, m1.and(m2).and(m3), kind)
    })
    .await
}
