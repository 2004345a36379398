//! `/drivers/{id}` and `/constructors/{id}`.
//!
//! content_api has no per-driver results endpoint, so a career is built
//! from each stored season's standings, fetched concurrently (a bounded
//! number at a time).
use axum::extract::State;
use axum::response::Response;
use common::extract::Path;
use content_types::{
    Constructor, ConstructorStandings, Driver, DriverStanding, DriverStandings, RoundList, SeasonList,
};
use futures_util::{StreamExt, TryStreamExt, stream};
use serde::de::DeserializeOwned;

use crate::client::ContentError;
use crate::error::PageError;
use crate::state::AppState;
use crate::views;
use crate::views::people::{Career, TeamHistory};

/// Season standings requests in flight at once for one page.
const CONCURRENCY: usize = 8;

/// `path(year)` for every stored season, concurrently; seasons without an
/// answer (404) are left out. Newest first.
async fn per_season<T: DeserializeOwned>(
    app: &AppState,
    years: &[i32],
    path: impl Fn(i32) -> String,
) -> Result<Vec<(i32, T)>, ContentError> {
    let calls: Vec<_> = years
        .iter()
        .map(|&y| {
            let (content, p) = (app.content.clone(), path(y));
            async move { content.get_optional::<T>(p).await.map(|v| v.map(|v| (y, v))) }
        })
        .collect();
    let found: Vec<Option<(i32, T)>> = stream::iter(calls).buffer_unordered(CONCURRENCY).try_collect().await?;
    let mut out: Vec<(i32, T)> = found.into_iter().flatten().collect();
    out.sort_by_key(|(y, _)| std::cmp::Reverse(*y));
    Ok(out)
}

async fn years(app: &AppState) -> Result<Vec<i32>, ContentError> {
    let list: SeasonList = app.content.get("/content/v1/seasons?per_page=1000").await?;
    Ok(list.seasons.iter().map(|s| s.year).collect())
}

pub async fn driver(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = super::id(&id, "driver")?;
    let what = format!("driver “{id}”");
    let err = |e| PageError::from_content(e, &what);
    let (driver, years) =
        tokio::try_join!(app.content.get::<Driver>(format!("/content/v1/drivers/{id}")), years(&app)).map_err(err)?;
    let all: Vec<(i32, DriverStandings)> =
        per_season(&app, &years, |y| format!("/content/v1/seasons/{y}/drivers")).await.map_err(err)?;
    let seasons: Vec<(i32, DriverStanding)> = all
        .into_iter()
        .filter_map(|(y, t)| t.standings.into_iter().find(|d| d.driver_id == id).map(|d| (y, d)))
        .collect();
    let latest = match seasons.first() {
        Some((y, _)) => {
            app.content.get::<RoundList>(format!("/content/v1/seasons/{y}/rounds")).await.map_err(err)?.rounds
        }
        None => Vec::new(),
    };
    Ok(super::page(views::people::driver(&Career { driver, seasons, latest })))
}

pub async fn constructor(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = super::id(&id, "constructor")?;
    let what = format!("constructor “{id}”");
    let err = |e| PageError::from_content(e, &what);
    let (constructor, years) =
        tokio::try_join!(app.content.get::<Constructor>(format!("/content/v1/constructors/{id}")), years(&app))
            .map_err(err)?;
    let (teams, drivers) = tokio::try_join!(
        per_season::<ConstructorStandings>(&app, &years, |y| format!("/content/v1/seasons/{y}/constructors")),
        per_season::<DriverStandings>(&app, &years, |y| format!("/content/v1/seasons/{y}/drivers")),
    )
    .map_err(err)?;
    let seasons = teams
        .into_iter()
        .filter_map(|(y, t)| {
            let mine = t.standings.into_iter().find(|c| c.constructor_id == id)?;
            let crew = drivers
                .iter()
                .find(|(dy, _)| *dy == y)
                .map(|(_, d)| d.standings.iter().filter(|d| d.constructor_id == id).cloned().collect())
                .unwrap_or_default();
            Some((y, mine, crew))
        })
        .collect();
    Ok(super::page(views::people::constructor(&TeamHistory { constructor, seasons })))
}
