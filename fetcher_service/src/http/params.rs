//! Query parameters, validated at the edge into domain types; every error
//! names the parameter.
use axum::http::HeaderMap;
use protobuf::v1::SessionType;
use protobuf::{RoundNumber, Year};

use crate::error::FetchError;
use crate::sync::Trigger;

/// The header the scheduler sets on planned runs.
pub const TRIGGER_HEADER: &str = "x-wibm-trigger";

pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Rejects parameters outside `allowed` and repeated ones.
    pub fn new(pairs: Vec<(String, String)>, allowed: &[&str]) -> Result<Self, FetchError> {
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                return Err(FetchError::param(name, format!("unknown parameter (expected {})", allowed.join(", "))));
            }
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(FetchError::param(name, "given more than once"));
            }
        }
        Ok(Self { pairs })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim())
    }

    fn int(&self, name: &str, what: &str) -> Result<Option<i32>, FetchError> {
        self.get(name)
            .map(|v| v.parse::<i32>().map_err(|_| FetchError::param(name, format!("`{v}` is not {what}"))))
            .transpose()
    }

    pub fn year(&self, name: &str) -> Result<Option<Year>, FetchError> {
        Ok(self.int(name, "a year")?.map(|y| Year::parse_field(name, y)).transpose()?)
    }

    pub fn required_year(&self, name: &str) -> Result<Year, FetchError> {
        self.year(name)?.ok_or_else(|| FetchError::param(name, "is required (a year such as 2024)"))
    }

    pub fn round(&self, name: &str) -> Result<Option<RoundNumber>, FetchError> {
        Ok(self.int(name, "a round number")?.map(|r| RoundNumber::parse_field(name, r)).transpose()?)
    }

    pub fn required_round(&self, name: &str) -> Result<RoundNumber, FetchError> {
        self.round(name)?.ok_or_else(|| FetchError::param(name, "is required (a round number such as 5)"))
    }

    pub fn session(&self, name: &str) -> Result<Option<SessionType>, FetchError> {
        let parsed = self.get(name).map(SessionType::from_slug).transpose();
        parsed.map_err(|e| match e {
            protobuf::DomainError::Invalid { message, .. } => FetchError::param(name, message),
            other => FetchError::from(other),
        })
    }

    pub fn required_session(&self, name: &str) -> Result<SessionType, FetchError> {
        self.session(name)?.ok_or_else(|| FetchError::param(name, "is required (e.g. race, qualifying, practice_1)"))
    }
}

/// `X-Wibm-Trigger: planned` marks the scheduler's runs; anything else
/// but `manual` is refused.
pub fn trigger(headers: &HeaderMap) -> Result<Trigger, FetchError> {
    match headers.get(TRIGGER_HEADER).map(|v| v.to_str().unwrap_or("").trim().to_ascii_lowercase()).as_deref() {
        None | Some("manual") => Ok(Trigger::Manual),
        Some("planned") => Ok(Trigger::Planned),
        Some(other) => Err(FetchError::param("X-Wibm-Trigger", format!("`{other}` is neither planned nor manual"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &[(&str, &str)], allowed: &[&str]) -> Result<Params, FetchError> {
        Params::new(q.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(), allowed)
    }

    fn field(e: FetchError) -> String {
        match e {
            FetchError::Param { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let p = params(&[("season", "abc"), ("round", "0"), ("session", "warmup")], &["season", "round", "session"])
            .unwrap();
        assert_eq!(field(p.required_year("season").unwrap_err()), "season");
        assert_eq!(field(p.round("round").unwrap_err()), "round");
        assert_eq!(field(p.session("session").unwrap_err()), "session");
        assert_eq!(field(params(&[("sesion", "race")], &["session"]).err().unwrap()), "sesion");
        assert_eq!(field(params(&[("season", "1"), ("season", "2")], &["season"]).err().unwrap()), "season");
    }

    #[test]
    fn triggers() {
        let mut h = HeaderMap::new();
        assert_eq!(trigger(&h).unwrap(), Trigger::Manual);
        h.insert(TRIGGER_HEADER, "planned".parse().unwrap());
        assert_eq!(trigger(&h).unwrap(), Trigger::Planned);
        h.insert(TRIGGER_HEADER, "cron".parse().unwrap());
        assert!(trigger(&h).is_err());
    }
}
