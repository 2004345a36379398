//! One module per page; each handler validates its path, asks content_api
//! for everything the page needs at once, and renders a view.

pub mod circuits;
pub mod home;
pub mod index;
pub mod live;
pub mod live_plus;
pub mod ops;
pub mod people;
pub mod rounds;
pub mod seasons;
pub mod sessions;
pub mod whatif;

use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;

use crate::error::PageError;

/// An HTML page; browsers and proxies may reuse it briefly, and must ask
/// again once that is over when it shows provisional results (as content_api
/// said of the answers it was built from).
pub(crate) fn page(markup: Markup) -> Response {
    let mut res = Html(markup.into_string()).into_response();
    let cache_control =
        if crate::client::shows_provisional() { "public, max-age=30, must-revalidate" } else { "public, max-age=30" };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    res
}

/// A season year from the path; anything else is a 404 (there is no such page).
pub(crate) fn year(raw: &str) -> Result<i32, PageError> {
    raw.parse::<i32>()
        .ok()
        .filter(|y| (1950..=2100).contains(y))
        .ok_or_else(|| PageError::not_found(format!("season “{raw}”")))
}

pub(crate) fn round(raw: &str, year: i32) -> Result<i32, PageError> {
    raw.parse::<i32>()
        .ok()
        .filter(|r| (1..=99).contains(r))
        .ok_or_else(|| PageError::not_found(format!("round “{raw}” in the {year} season")))
}

/// A record id as content_api accepts it.
pub(crate) fn id(raw: &str, kind: &str) -> Result<String, PageError> {
    let ok = !raw.is_empty()
        && raw.len() <= 100
        && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok { Ok(raw.to_string()) } else { Err(PageError::not_found(format!("{kind} “{raw}”"))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_validated() {
        assert_eq!(year("2024").unwrap(), 2024);
        assert!(matches!(year("20x4"), Err(PageError::NotFound(_))));
        assert!(matches!(round("0", 2024), Err(PageError::NotFound(_))));
        assert!(id("max-verstappen", "driver").is_ok());
        assert!(id("../etc", "driver").is_err());
    }
}
