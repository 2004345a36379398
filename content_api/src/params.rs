//! Request parameters parsed into types that cannot be invalid; every
//! failure names the parameter (`year`, `round`, `per_page`, `type`, ...).
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use protobuf::names::NameQuery;
use protobuf::v1::{SeasonStatus, SessionType};
use protobuf::{DomainError, PageSpec, RoundNumber, Year};

use crate::error::ApiError;

/// Names the parameter in a validation failure from the protobuf crate.
fn named(parameter: &str, e: DomainError) -> ApiError {
    match e {
        DomainError::Invalid { message, .. } => ApiError::bad(parameter, message),
        other => other.into(),
    }
}

fn integer(parameter: &str, raw: &str) -> Result<i64, ApiError> {
    raw.trim().parse::<i64>().map_err(|_| ApiError::bad(parameter, format!("`{raw}` is not a whole number")))
}

fn int32(parameter: &str, raw: &str) -> Result<i32, ApiError> {
    let n = integer(parameter, raw)?;
    i32::try_from(n).map_err(|_| ApiError::bad(parameter, format!("{n} is out of range")))
}

pub fn year(raw: &str) -> Result<Year, ApiError> {
    Year::parse_field("year", int32("year", raw)?).map_err(|e| named("year", e))
}

/// A championship year named `parameter` (`season` in the indexes' filter).
pub fn year_named(parameter: &str, raw: &str) -> Result<Year, ApiError> {
    Year::parse_field(parameter, int32(parameter, raw)?).map_err(|e| named(parameter, e))
}

/// A name search (`?q=`), accent-folded.
pub fn name_query(raw: &str) -> Result<NameQuery, ApiError> {
    NameQuery::parse_field("q", raw).map_err(|e| named("q", e))
}

pub fn round(raw: &str) -> Result<RoundNumber, ApiError> {
    round_named("round", raw)
}

pub fn round_named(parameter: &str, raw: &str) -> Result<RoundNumber, ApiError> {
    RoundNumber::parse_field(parameter, int32(parameter, raw)?).map_err(|e| named(parameter, e))
}

/// A session type slug (`race`, `qualifying`, ...), the path's `{type}`.
pub fn session_type(raw: &str) -> Result<SessionType, ApiError> {
    SessionType::from_slug(raw).map_err(|e| named("type", e))
}

/// A car number (1..=999), as `?driver=44`.
pub fn car_number(parameter: &str, raw: &str) -> Result<i32, ApiError> {
    let n = int32(parameter, raw)?;
    if (1..=999).contains(&n) { Ok(n) } else { Err(ApiError::bad(parameter, format!("{n} is not a car number"))) }
}

/// `?delay=`: whole seconds from 0 to [`MAX_DELAY_SECS`] (the live board
/// as it was that long ago).
pub fn delay(raw: &str) -> Result<std::time::Duration, ApiError> {
    let n = integer("delay", raw)?;
    let max = crate::live_stream::history::MAX_DELAY_SECS;
    u64::try_from(n)
        .ok()
        .filter(|n| *n <= max)
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| ApiError::bad("delay", format!("{n} is not a delay from 0 to {max} seconds")))
}

pub fn season_status(raw: &str) -> Result<SeasonStatus, ApiError> {
    SeasonStatus::from_slug(raw).map_err(|e| named("status", e))
}

pub fn page(page: Option<&str>, per_page: Option<&str>) -> Result<PageSpec, ApiError> {
    let p = page.map(|raw| integer("page", raw)).transpose()?;
    if p.is_some_and(|p| p < 1) {
        return Err(ApiError::bad("page", "must be at least 1"));
    }
    let per = per_page.map(|raw| integer("per_page", raw)).transpose()?;
    PageSpec::new(p.unwrap_or(1), per).map_err(|e| match e {
        DomainError::Invalid { field, message } => ApiError::bad(field, message),
        other => other.into(),
    })
}

/// An index's `?q=`, `?season=`, `?page=` and `?per_page=`.
pub fn index_query(q: &QueryParams) -> Result<crate::data::IndexQuery, ApiError> {
    Ok(crate::data::IndexQuery {
        q: q.get("q").map(name_query).transpose()?,
        season: q.get("season").map(|raw| year_named("season", raw)).transpose()?,
        page: page(q.get("page"), q.get("per_page"))?,
    })
}

/// A `true`/`false` query parameter.
pub fn flag(parameter: &str, raw: &str) -> Result<bool, ApiError> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(ApiError::bad(parameter, format!("`{raw}` is not true or false"))),
    }
}

/// A record id (`max-verstappen`, `red-bull`, `monza`): lower-case letters,
/// digits, `-` and `_`.
pub fn id(parameter: &str, raw: &str) -> Result<String, ApiError> {
    let ok = !raw.is_empty()
        && raw.len() <= 100
        && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok { Ok(raw.to_string()) } else { Err(ApiError::bad(parameter, format!("`{raw}` is not a valid id"))) }
}

/// The query string as name/value pairs; a malformed one is a 400 in our
/// JSON shape rather than axum's plain-text rejection.
#[derive(Debug, Default)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(common::extract::parse_query(parts.uri.query().unwrap_or_default())?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameter(e: ApiError) -> String {
        match e {
            ApiError::BadParameter { parameter, .. } => parameter,
            other => panic!("expected a bad parameter, got {other:?}"),
        }
    }

    #[test]
    fn each_failure_names_its_parameter() {
        assert_eq!(parameter(year("abc").unwrap_err()), "year");
        assert_eq!(parameter(year("1800").unwrap_err()), "year");
        assert_eq!(parameter(round("0").unwrap_err()), "round");
        assert_eq!(parameter(round_named("after_round", "x").unwrap_err()), "after_round");
        assert_eq!(parameter(page(None, Some("5000")).unwrap_err()), "per_page");
        assert_eq!(parameter(page(Some("0"), None).unwrap_err()), "page");
        assert_eq!(parameter(session_type("warmup").unwrap_err()), "type");
        assert_eq!(parameter(season_status("done").unwrap_err()), "status");
        assert_eq!(parameter(id("driver", "Max Verstappen").unwrap_err()), "driver");
        assert_eq!(parameter(year_named("season", "1900").unwrap_err()), "season");
        assert_eq!(parameter(name_query("?!").unwrap_err()), "q");
        for bad in ["301", "-1", "abc", "1.5", ""] {
            assert_eq!(parameter(delay(bad).unwrap_err()), "delay", "{bad:?}");
        }
        assert_eq!(delay("0").unwrap(), std::time::Duration::ZERO);
        assert_eq!(delay("300").unwrap(), std::time::Duration::from_secs(300));
    }

    #[test]
    fn good_values() {
        assert_eq!(year("2024").unwrap().get(), 2024);
        assert_eq!(round("3").unwrap().get(), 3);
        assert_eq!(page(Some("2"), Some("10")).unwrap(), PageSpec { page: 2, per_page: 10 });
        assert_eq!(session_type("sprint_shootout").unwrap(), SessionType::SprintQualifying);
    }
}
