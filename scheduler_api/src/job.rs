//! What a run does: its kind, how it was triggered, and the fetch it asks
//! for (validated at the edge into types that cannot be wrong).
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use protobuf::v1::SessionType;
use protobuf::{DomainError, RoundNumber, Year};
use serde::Serialize;

/// A run's kind, as recorded in the sync history: the contract's one list.
pub use protobuf::v1::SyncKind as Kind;

/// The kinds the scheduler runs.
pub const ALL: [Kind; 7] =
    [Kind::Seasons, Kind::Rounds, Kind::Results, Kind::Standings, Kind::Livetiming, Kind::SessionData, Kind::Live];
/// The kinds that have a plan, in the order `status` lists them.
pub const PLANNED: [Kind; 6] =
    [Kind::Seasons, Kind::Rounds, Kind::Results, Kind::Standings, Kind::SessionData, Kind::Live];

/// Parses one of the scheduler's kinds, naming `field` in the error.
pub fn parse_kind(field: &str, s: &str) -> Result<Kind, DomainError> {
    ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
        DomainError::invalid(
            field,
            format!("unknown kind `{s}` (expected one of seasons, rounds, results, standings, livetiming, session-data, live)"),
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Planned,
    Manual,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Planned => "planned",
            Trigger::Manual => "manual",
        }
    }
}

/// A fetcher call, with the fetcher's own query parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetch {
    Seasons {
        from: Option<Year>,
        to: Option<Year>,
    },
    Rounds {
        season: Year,
        round: Option<RoundNumber>,
    },
    Results {
        season: Year,
        round: RoundNumber,
        session: Option<SessionType>,
    },
    Standings {
        season: Year,
    },
    Livetiming {
        season: Year,
        round: RoundNumber,
        session: SessionType,
    },
    /// A session's (or a round's, or a season's) timing records from the archive.
    SessionData {
        season: Year,
        round: Option<RoundNumber>,
        session: Option<SessionType>,
    },
}

impl Fetch {
    pub fn kind(&self) -> Kind {
        match self {
            Fetch::Seasons { .. } => Kind::Seasons,
            Fetch::Rounds { .. } => Kind::Rounds,
            Fetch::Results { .. } => Kind::Results,
            Fetch::Standings { .. } => Kind::Standings,
            Fetch::Livetiming { .. } => Kind::Livetiming,
            Fetch::SessionData { .. } => Kind::SessionData,
        }
    }

    /// The query string pairs, in a stable order.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                q.push((k, v));
            }
        };
        match self {
            Fetch::Seasons { from, to } => {
                push("from", from.map(|y| y.to_string()));
                push("to", to.map(|y| y.to_string()));
            }
            Fetch::Rounds { season, round } => {
                push("season", Some(season.to_string()));
                push("round", round.map(|r| r.to_string()));
            }
            Fetch::Results { season, round, session } => {
                push("season", Some(season.to_string()));
                push("round", Some(round.to_string()));
                push("session", session.map(|s| s.slug().to_string()));
            }
            Fetch::Standings { season } => push("season", Some(season.to_string())),
            Fetch::Livetiming { season, round, session } => {
                push("season", Some(season.to_string()));
                push("round", Some(round.to_string()));
                push("session", Some(session.slug().to_string()));
            }
            Fetch::SessionData { season, round, session } => {
                push("season", Some(season.to_string()));
                push("round", round.map(|r| r.to_string()));
                push("session", session.map(|s| s.slug().to_string()));
            }
        }
        q
    }

    /// Parses a manual trigger's query parameters for `kind`; an error names
    /// the offending parameter.
    pub fn from_query(kind: Kind, params: &BTreeMap<String, String>) -> Result<Self, DomainError> {
        let allowed: &[&str] = match kind {
            Kind::Seasons => &["from", "to"],
            Kind::Rounds => &["season", "round"],
            Kind::Results | Kind::Livetiming | Kind::SessionData => &["season", "round", "session"],
            Kind::Standings => &["season"],
            Kind::Live => return Err(DomainError::invalid("kind", "live signals are planned only")),
            Kind::Weekend | Kind::F1db | Kind::Unspecified => {
                return Err(DomainError::invalid("kind", format!("{kind} is not a scheduler kind")));
            }
        };
        if let Some(unknown) = params.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(DomainError::invalid(
                unknown.as_str(),
                format!("unknown parameter for {kind} (expected {})", allowed.join(", ")),
            ));
        }
        let p = Params(params);
        Ok(match kind {
            Kind::Seasons => {
                let (from, to) = (p.year("from")?, p.year("to")?);
                if let (Some(f), Some(t)) = (from, to)
                    && f > t
                {
                    return Err(DomainError::invalid("to", format!("{t} is before from={f}")));
                }
                Fetch::Seasons { from, to }
            }
            Kind::Rounds => Fetch::Rounds { season: p.required(p.year("season")?, "season")?, round: p.round()? },
            Kind::Results => Fetch::Results {
                season: p.required(p.year("season")?, "season")?,
                round: p.required(p.round()?, "round")?,
                session: p.session()?,
            },
            Kind::Standings => Fetch::Standings { season: p.required(p.year("season")?, "season")? },
            Kind::Livetiming => Fetch::Livetiming {
                season: p.required(p.year("season")?, "season")?,
                round: p.required(p.round()?, "round")?,
                session: p.required(p.session()?, "session")?,
            },
            Kind::SessionData => {
                let (round, session) = (p.round()?, p.session()?);
                if session.is_some() && round.is_none() {
                    return Err(DomainError::invalid("round", "is required with session"));
                }
                Fetch::SessionData { season: p.required(p.year("season")?, "season")?, round, session }
            }
            Kind::Live | Kind::Weekend | Kind::F1db | Kind::Unspecified => {
                return Err(DomainError::invalid("kind", format!("{kind} cannot be triggered")));
            }
        })
    }
}

struct Params<'a>(&'a BTreeMap<String, String>);

impl Params<'_> {
    fn int(&self, field: &str) -> Result<Option<i32>, DomainError> {
        self.0
            .get(field)
            .map(|v| v.trim().parse::<i32>().map_err(|_| DomainError::invalid(field, format!("`{v}` is not a number"))))
            .transpose()
    }

    fn year(&self, field: &str) -> Result<Option<Year>, DomainError> {
        self.int(field)?.map(|y| Year::parse_field(field, y)).transpose()
    }

    fn round(&self) -> Result<Option<RoundNumber>, DomainError> {
        self.int("round")?.map(|r| RoundNumber::parse_field("round", r)).transpose()
    }

    fn session(&self) -> Result<Option<SessionType>, DomainError> {
        self.0.get("session").map(|s| SessionType::from_slug(s.trim())).transpose()
    }

    fn required<T>(&self, value: Option<T>, field: &str) -> Result<T, DomainError> {
        value.ok_or_else(|| DomainError::invalid(field, "is required"))
    }
}

/// The live signal for one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveSignal {
    /// `start` or `stop`.
    pub action: &'static str,
    pub season: i32,
    pub round: i32,
    pub session: &'static str,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What a run does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    Fetch(Fetch),
    Live(LiveSignal),
}

impl Work {
    pub fn kind(&self) -> Kind {
        match self {
            Work::Fetch(f) => f.kind(),
            Work::Live(_) => Kind::Live,
        }
    }

    /// Human-readable parameters for the history, e.g. `season=2024 round=5`.
    pub fn params(&self) -> String {
        match self {
            Work::Fetch(f) => f.query().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" "),
            Work::Live(s) => {
                format!("action={} season={} round={} session={}", s.action, s.season, s.round, s.session)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn field(r: Result<Fetch, DomainError>) -> String {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected an invalid field, got {other:?}"),
        }
    }

    #[test]
    fn bad_parameters_are_named() {
        assert_eq!(field(Fetch::from_query(Kind::Rounds, &query(&[]))), "season");
        assert_eq!(field(Fetch::from_query(Kind::Rounds, &query(&[("season", "abc")]))), "season");
        assert_eq!(field(Fetch::from_query(Kind::Results, &query(&[("season", "2024"), ("round", "0")]))), "round");
        assert_eq!(
            field(Fetch::from_query(
                Kind::Results,
                &query(&[("season", "2024"), ("round", "5"), ("session", "warmup")])
            )),
            "session"
        );
        assert_eq!(field(Fetch::from_query(Kind::Seasons, &query(&[("from", "2024"), ("to", "2020")]))), "to");
        assert_eq!(field(Fetch::from_query(Kind::Standings, &query(&[("season", "2024"), ("x", "1")]))), "x");
        assert_eq!(
            field(Fetch::from_query(Kind::Livetiming, &query(&[("season", "2024"), ("round", "5")]))),
            "session"
        );
    }

    #[test]
    fn good_parameters_round_trip_to_the_query() {
        let f = Fetch::from_query(Kind::Results, &query(&[("season", "2024"), ("round", "5"), ("session", "sprint")]))
            .unwrap();
        assert_eq!(Work::Fetch(f).params(), "season=2024 round=5 session=sprint");
        let f = Fetch::from_query(Kind::Seasons, &query(&[])).unwrap();
        assert!(f.query().is_empty());
    }
}
