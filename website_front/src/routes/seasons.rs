//! `/seasons` and `/seasons/{year}`.
use axum::extract::State;
use axum::response::Response;
use championship::Championship;
use common::extract::Path;
use content_types::{ConstructorStandings, DriverStandings, Progression, RoundList, Season, SeasonList};

use crate::error::PageError;
use crate::state::AppState;
use crate::views;
use crate::views::season::SeasonData;

pub async fn list(State(app): State<AppState>) -> Result<Response, PageError> {
    let seasons: SeasonList = app
        .content
        .get("/content/v1/seasons?per_page=1000")
        .await
        .map_err(|e| PageError::from_content(e, "seasons"))?;
    Ok(super::page(views::seasons::list(&seasons.seasons)))
}

pub async fn fetch(app: &AppState, year: i32) -> Result<SeasonData, PageError> {
    let c = &app.content;
    let base = format!("/content/v1/seasons/{year}");
    let what = format!("{year} season");
    let (season, rounds, drivers, constructors, progression, championship, all) = tokio::try_join!(
        c.get::<Season>(&base),
        c.get::<RoundList>(format!("{base}/rounds")),
        // A season without results yet has no standings: those parts are optional.
        c.get_extra::<DriverStandings>(format!("{base}/drivers")),
        c.get_extra::<ConstructorStandings>(format!("{base}/constructors")),
        c.get_extra::<Progression>(format!("{base}/standings/progression")),
        c.get_extra::<Championship>(format!("{base}/championship")),
        c.get::<SeasonList>("/content/v1/seasons?per_page=1000"),
    )
    .map_err(|e| PageError::from_content(e, &what))?;
    let years = all.seasons.iter().map(|s| s.year).collect();
    let now = chrono::Utc::now().timestamp();
    Ok(SeasonData { season, rounds, drivers, constructors, progression, championship, years, now })
}

pub async fn one(State(app): State<AppState>, Path(year): Path<String>) -> Result<Response, PageError> {
    let year = super::year(&year)?;
    let data = fetch(&app, year).await?;
    Ok(super::page(views::season::page(&data)))
}
