//! `/drivers/{id}` and `/constructors/{id}`: one content_api career call
//! each (`/content/v1/drivers/{id}/seasons`, `/content/v1/constructors/{id}/seasons`),
//! which data_scheduler builds and keeps as one answer.
use axum::extract::State;
use axum::response::Response;
use common::extract::Path;
use content_types::{ConstructorCareer, DriverCareer};

use crate::error::PageError;
use crate::state::AppState;
use crate::views;
use crate::views::people::{Career, TeamHistory};

pub async fn driver(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = super::id(&id, "driver")?;
    let what = format!("driver “{id}”");
    let career: DriverCareer = app
        .content
        .get(format!("/content/v1/drivers/{id}/seasons"))
        .await
        .map_err(|e| PageError::from_content(e, &what))?;
    let driver = career.driver.ok_or_else(|| PageError::not_found(what.clone()))?;
    Ok(super::page(views::people::driver(&Career { driver, seasons: career.seasons, latest: career.latest_races })))
}

pub async fn constructor(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = super::id(&id, "constructor")?;
    let what = format!("constructor “{id}”");
    let career: ConstructorCareer = app
        .content
        .get(format!("/content/v1/constructors/{id}/seasons"))
        .await
        .map_err(|e| PageError::from_content(e, &what))?;
    let constructor = career.constructor.ok_or_else(|| PageError::not_found(what.clone()))?;
    Ok(super::page(views::people::constructor(&TeamHistory { constructor, seasons: career.seasons })))
}
