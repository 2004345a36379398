//! `/drivers`, `/constructors`, `/circuits` (content_api's indexes, a page
//! at a time), `/circuits/{id}` and `/search` (the first matches of each).
use axum::extract::State;
use axum::response::Response;
use common::extract::{Path, Query};
use content_types::CircuitRounds;
use serde::Deserialize;

use crate::client::ContentError;
use crate::error::PageError;
use crate::state::AppState;
use crate::views;
use crate::views::index::{Filter, Found};

/// How many rows an index page shows.
const PER_PAGE: u32 = 100;
/// How many matches of each kind `/search` shows before "All N →".
const SEARCH_SHOWN: u32 = 20;

/// An index's query as typed; checked by [`checked`].
#[derive(Debug, Default, Deserialize)]
pub struct IndexParams {
    q: Option<String>,
    season: Option<String>,
    page: Option<String>,
}

/// A search as content_api takes it: trimmed, at most 100 characters, and
/// none at all without a letter or digit (an empty box shows everything).
fn search_text(raw: Option<&str>) -> Option<String> {
    let q: String = raw?.trim().chars().take(100).collect();
    q.chars().any(char::is_alphanumeric).then_some(q)
}

/// The filter and page of an index, or a 404 for a season or page that
/// cannot be (the page does not exist).
fn checked(p: &IndexParams) -> Result<(Filter, u32), PageError> {
    let season = match p.season.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(super::year(raw)?),
    };
    let page = match p.page.as_deref() {
        None => 1,
        Some(raw) => {
            raw.parse::<u32>().ok().filter(|p| *p >= 1).ok_or_else(|| PageError::not_found(format!("page “{raw}”")))?
        }
    };
    Ok((Filter { q: search_text(p.q.as_deref()), season }, page))
}

/// content_api's path of an index under `f`, `per_page` rows of `page`.
fn api_path(index: &str, f: &Filter, page: u32, per_page: u32) -> String {
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    if let Some(q) = &f.q {
        pairs.append_pair("q", q);
    }
    if let Some(season) = f.season {
        pairs.append_pair("season", &season.to_string());
    }
    pairs.append_pair("page", &page.to_string()).append_pair("per_page", &per_page.to_string());
    format!("/content/v1/{index}?{}", pairs.finish())
}

fn failed(e: ContentError) -> PageError {
    PageError::from_content(e, "page")
}

pub async fn drivers(State(app): State<AppState>, Query(p): Query<IndexParams>) -> Result<Response, PageError> {
    let (f, page) = checked(&p)?;
    let list = app.content.get(api_path("drivers", &f, page, PER_PAGE)).await.map_err(failed)?;
    Ok(super::page(views::index::drivers(&list, &f)))
}

pub async fn constructors(State(app): State<AppState>, Query(p): Query<IndexParams>) -> Result<Response, PageError> {
    let (f, page) = checked(&p)?;
    let list = app.content.get(api_path("constructors", &f, page, PER_PAGE)).await.map_err(failed)?;
    Ok(super::page(views::index::constructors(&list, &f)))
}

pub async fn circuits(State(app): State<AppState>, Query(p): Query<IndexParams>) -> Result<Response, PageError> {
    let (f, page) = checked(&p)?;
    let list = app.content.get(api_path("circuits", &f, page, PER_PAGE)).await.map_err(failed)?;
    Ok(super::page(views::index::circuits(&list, &f)))
}

pub async fn circuit(State(app): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = super::id(&id, "circuit")?;
    let what = format!("circuit “{id}”");
    let (c, held) = tokio::try_join!(
        app.content.get(format!("/content/v1/circuits/{id}")),
        app.content.get::<CircuitRounds>(format!("/content/v1/circuits/{id}/rounds")),
    )
    .map_err(|e| PageError::from_content(e, &what))?;
    Ok(super::page(views::circuit::page(&c, &held.rounds)))
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
}

pub async fn search(State(app): State<AppState>, Query(p): Query<SearchParams>) -> Result<Response, PageError> {
    let Some(q) = search_text(p.q.as_deref()) else { return Ok(super::page(views::index::search(None))) };
    let f = Filter { q: Some(q.clone()), season: None };
    let (drivers, constructors, circuits) = tokio::try_join!(
        app.content.get(api_path("drivers", &f, 1, SEARCH_SHOWN)),
        app.content.get(api_path("constructors", &f, 1, SEARCH_SHOWN)),
        app.content.get(api_path("circuits", &f, 1, SEARCH_SHOWN)),
    )
    .map_err(failed)?;
    Ok(super::page(views::index::search(Some(&Found { q, drivers, constructors, circuits }))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_trimmed_bounded_and_need_a_letter() {
        assert_eq!(search_text(Some("  senna ")).as_deref(), Some("senna"));
        assert_eq!(search_text(Some(" ?! ")), None);
        assert_eq!(search_text(None), None);
        assert_eq!(search_text(Some(&"é".repeat(150))).map(|q| q.chars().count()), Some(100));
    }

    #[test]
    fn bad_seasons_and_pages_are_404s_and_empty_boxes_no_filter() {
        let p = |season: &str, page: &str| IndexParams {
            q: Some(String::new()),
            season: Some(season.into()),
            page: Some(page.into()),
        };
        assert!(checked(&p("19x4", "1")).is_err());
        assert!(checked(&p("2024", "0")).is_err());
        let (f, page) = checked(&p("", "2")).unwrap();
        assert_eq!((f.q, f.season, page), (None, None, 2));
        assert_eq!(
            api_path("drivers", &Filter { q: Some("Pérez".into()), season: Some(2024) }, 1, 20),
            "/content/v1/drivers?q=P%C3%A9rez&season=2024&page=1&per_page=20"
        );
    }
}
