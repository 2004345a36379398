//! Validated domain types: wire values are parsed into these at the edge, so
//! code further in cannot see an impossible season, round or page.
use chrono::{Datelike, NaiveDate, NaiveTime, Utc};

use crate::DomainError;
use crate::v1::Page;

/// The first Formula 1 world championship season.
pub const FIRST_SEASON: i32 = 1950;
/// No season has had more rounds than this (24 in 2024); leaves room to grow.
/// Stored seasons are checked against it.
pub const MAX_ROUNDS: i32 = 30;
/// The largest round number a request may name. Looser than [`MAX_ROUNDS`]
/// on purpose: a well-formed round that does not exist (round 99) is for the
/// store to answer "not found", not a malformed request.
pub const MAX_ROUND_NUMBER: i32 = 255;
pub const DEFAULT_PER_PAGE: u32 = 100;
pub const MAX_PER_PAGE: u32 = 1000;

/// A championship year: 1950 up to next year (calendars are published ahead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(i32);

impl Year {
    pub fn new(year: i32) -> Result<Self, DomainError> {
        Self::parse_field("season", year)
    }

    /// Validates `year`, naming `field` in the error.
    pub fn parse_field(field: &str, year: i32) -> Result<Self, DomainError> {
        let last = Self::last();
        if (FIRST_SEASON..=last).contains(&year) {
            Ok(Self(year))
        } else {
            Err(DomainError::invalid(field, format!("{year} is outside {FIRST_SEASON}..={last}")))
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }

    /// The last valid year: next year (calendars are published ahead).
    pub fn last() -> i32 {
        Utc::now().year() + 1
    }
}

impl std::fmt::Display for Year {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A round number within a season: 1..=255 (whether it exists is the store's answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoundNumber(i32);

impl RoundNumber {
    pub fn new(round: i32) -> Result<Self, DomainError> {
        Self::parse_field("round", round)
    }

    pub fn parse_field(field: &str, round: i32) -> Result<Self, DomainError> {
        if (1..=MAX_ROUND_NUMBER).contains(&round) {
            Ok(Self(round))
        } else {
            Err(DomainError::invalid(field, format!("{round} is outside 1..={MAX_ROUND_NUMBER}")))
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl std::fmt::Display for RoundNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A validated page request: `page` is 1-based, `per_page` in 1..=1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSpec {
    pub page: u32,
    pub per_page: u32,
}

impl Default for PageSpec {
    fn default() -> Self {
        Self { page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl PageSpec {
    pub fn new(page: i64, per_page: Option<i64>) -> Result<Self, DomainError> {
        if page < 0 {
            return Err(DomainError::invalid("page", "must be at least 1"));
        }
        let per_page = match per_page {
            None => DEFAULT_PER_PAGE,
            Some(n) if (1..=i64::from(MAX_PER_PAGE)).contains(&n) => n as u32,
            Some(n) => return Err(DomainError::invalid("per_page", format!("{n} is outside 1..={MAX_PER_PAGE}"))),
        };
        let page = u32::try_from(page.max(1)).map_err(|_| DomainError::invalid("page", "too large"))?;
        Ok(Self { page, per_page })
    }

    pub fn from_wire(page: Option<&Page>) -> Result<Self, DomainError> {
        match page {
            None => Ok(Self::default()),
            Some(p) => Self::new(i64::from(p.page), p.per_page.map(i64::from)),
        }
    }

    pub fn to_wire(self) -> Page {
        Page { page: self.page as i32, per_page: Some(self.per_page as i32) }
    }

    /// The slice of `items` this page covers.
    pub fn slice<T>(self, items: Vec<T>) -> Vec<T> {
        let start = (self.page as usize - 1).saturating_mul(self.per_page as usize);
        items.into_iter().skip(start).take(self.per_page as usize).collect()
    }
}

/// Unix seconds of a UTC `date` (`YYYY-MM-DD`) and `time` (`HH:MM` or
/// `HH:MM:SS`, optionally with a trailing `Z`).
pub fn utc_instant(date: &str, time: &str) -> Option<i64> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let time = time.trim_end_matches('Z');
    let time =
        NaiveTime::parse_from_str(time, "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(time, "%H:%M")).ok()?;
    Some(date.and_time(time).and_utc().timestamp())
}

/// Seconds since the epoch, now.
pub fn now_unix() -> i64 {
    Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_outside_the_championship_are_rejected() {
        assert!(Year::new(1949).is_err());
        assert!(Year::new(1950).is_ok());
        assert!(Year::new(Utc::now().year() + 1).is_ok());
        let err = Year::new(Utc::now().year() + 2).unwrap_err();
        assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "season"));
    }

    #[test]
    fn round_zero_and_negative_are_rejected() {
        assert!(RoundNumber::new(0).is_err());
        assert!(RoundNumber::new(-3).is_err());
        assert_eq!(RoundNumber::new(24).unwrap().get(), 24);
        // Well-formed but absent rounds are the store's to refuse (404), not a 400.
        assert_eq!(RoundNumber::new(99).unwrap().get(), 99);
        assert!(RoundNumber::new(256).is_err());
    }

    #[test]
    fn page_size_bounds() {
        assert!(
            matches!(PageSpec::new(1, Some(0)), Err(DomainError::Invalid { ref field, .. }) if field == "per_page")
        );
        assert!(PageSpec::new(1, Some(1001)).is_err());
        assert_eq!(PageSpec::new(0, None).unwrap(), PageSpec { page: 1, per_page: 100 });
        assert_eq!(PageSpec::new(2, Some(2)).unwrap().slice(vec![1, 2, 3, 4, 5]), vec![3, 4]);
    }

    #[test]
    fn instants_from_date_and_time() {
        assert_eq!(utc_instant("2024-04-21", "07:00"), Some(1_713_682_800));
        assert_eq!(utc_instant("2024-04-21", "07:00:00Z"), Some(1_713_682_800));
        assert_eq!(utc_instant("2024-04-21", ""), None);
    }
}
