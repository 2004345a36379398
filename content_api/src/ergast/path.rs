//! The Ergast path grammar:
//! `/ergast/f1[/{season}[/{round}]][/{filter}/{value}]*/{endpoint}[/{value}](.json|/)`.
//!
//! Parsing answers "does this path exist" (else 404, as Jolpica's URL
//! patterns do for a word where a number belongs); [`Query::validate`] then
//! answers "does this endpoint take these criteria" (else 400).
use crate::error::ApiError;

/// `{season}`: four digits or `current`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeasonSel {
    Year(i32),
    Current,
}

/// `{round}`: one or two digits, `last` or `next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundSel {
    Number(i32),
    Last,
    Next,
}

/// The list an answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Seasons,
    Circuits,
    Races,
    Constructors,
    Drivers,
    Results,
    Sprint,
    Qualifying,
    PitStops,
    Laps,
    DriverStandings,
    ConstructorStandings,
    Status,
}

impl Endpoint {
    pub const ALL: [Self; 13] = [
        Self::Seasons,
        Self::Circuits,
        Self::Races,
        Self::Constructors,
        Self::Drivers,
        Self::Results,
        Self::Sprint,
        Self::Qualifying,
        Self::PitStops,
        Self::Laps,
        Self::DriverStandings,
        Self::ConstructorStandings,
        Self::Status,
    ];

    fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "seasons" => Self::Seasons,
            "circuits" => Self::Circuits,
            "races" => Self::Races,
            "constructors" => Self::Constructors,
            "drivers" => Self::Drivers,
            "results" => Self::Results,
            "sprint" => Self::Sprint,
            "qualifying" => Self::Qualifying,
            "pitstops" => Self::PitStops,
            "laps" => Self::Laps,
            "driverStandings" | "driverstandings" => Self::DriverStandings,
            "constructorStandings" | "constructorstandings" => Self::ConstructorStandings,
            "status" => Self::Status,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Seasons => "seasons",
            Self::Circuits => "circuits",
            Self::Races => "races",
            Self::Constructors => "constructors",
            Self::Drivers => "drivers",
            Self::Results => "results",
            Self::Sprint => "sprint",
            Self::Qualifying => "qualifying",
            Self::PitStops => "pitstops",
            Self::Laps => "laps",
            Self::DriverStandings => "driverStandings",
            Self::ConstructorStandings => "constructorStandings",
            Self::Status => "status",
        }
    }

    /// Whether `{endpoint}/{value}` is a form of this endpoint, and whether
    /// the value is a number (else an id).
    fn value_kind(self) -> Option<ValueKind> {
        match self {
            Self::Seasons | Self::Races => None,
            Self::Circuits | Self::Constructors | Self::Drivers => Some(ValueKind::Id),
            _ => Some(ValueKind::Number),
        }
    }

    /// Whether the endpoint accepts `filter`, as Jolpica decides it: the
    /// lap filter only where laps are the rows; the standings only by their
    /// own subject.
    pub fn accepts(self, filter: Filter) -> bool {
        match self {
            Self::Laps | Self::PitStops => true,
            Self::DriverStandings => filter == Filter::Drivers,
            Self::ConstructorStandings => filter == Filter::Constructors,
            _ => filter != Filter::Laps,
        }
    }

    /// What the endpoint cannot answer without (the message names Jolpica's
    /// parameters, which clients may match on).
    fn required(self) -> (bool, bool) {
        match self {
            Self::Laps | Self::PitStops => (true, true),
            Self::DriverStandings | Self::ConstructorStandings => (true, false),
            _ => (false, false),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Id,
    Number,
}

/// A `{filter}/{value}` pair's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Filter {
    Circuits,
    Constructors,
    Drivers,
    Grid,
    Results,
    Fastest,
    Status,
    Laps,
}

impl Filter {
    pub const ALL: [Self; 8] = [
        Self::Circuits,
        Self::Constructors,
        Self::Drivers,
        Self::Grid,
        Self::Results,
        Self::Fastest,
        Self::Status,
        Self::Laps,
    ];

    fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "circuits" => Self::Circuits,
            "constructors" => Self::Constructors,
            "drivers" => Self::Drivers,
            "grid" => Self::Grid,
            "results" => Self::Results,
            "fastest" => Self::Fastest,
            "status" => Self::Status,
            "laps" => Self::Laps,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Circuits => "circuits",
            Self::Constructors => "constructors",
            Self::Drivers => "drivers",
            Self::Grid => "grid",
            Self::Results => "results",
            Self::Fastest => "fastest",
            Self::Status => "status",
            Self::Laps => "laps",
        }
    }

    fn value_kind(self) -> ValueKind {
        match self {
            Self::Circuits | Self::Constructors | Self::Drivers => ValueKind::Id,
            _ => ValueKind::Number,
        }
    }
}

/// The criteria of a request (the last of a repeated filter wins).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Criteria {
    pub circuit: Option<String>,
    pub constructor: Option<String>,
    pub driver: Option<String>,
    pub grid: Option<u32>,
    /// Finishing position (classified rows only).
    pub position: Option<u32>,
    /// Fastest-lap rank.
    pub fastest: Option<u32>,
    pub status: Option<u32>,
    pub lap: Option<u32>,
}

/// A parsed request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub season: Option<SeasonSel>,
    pub round: Option<RoundSel>,
    pub criteria: Criteria,
    /// The filters given, in path order (to validate them per endpoint).
    pub filters: Vec<Filter>,
    pub endpoint: Endpoint,
    /// `{endpoint}/{value}`: a stop, lap, position or status number, or an id.
    pub value: Option<String>,
}

/// A path that does not exist (404).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSuchPath;

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn number(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

fn season(s: &str) -> Option<SeasonSel> {
    match s {
        "current" => Some(SeasonSel::Current),
        _ if s.len() == 4 => number(s).map(|y| SeasonSel::Year(y as i32)),
        _ => None,
    }
}

fn round(s: &str) -> Option<RoundSel> {
    match s {
        "last" => Some(RoundSel::Last),
        "next" => Some(RoundSel::Next),
        _ if s.len() <= 2 => number(s).map(|r| RoundSel::Number(r as i32)),
        _ => None,
    }
}

fn valid(kind: ValueKind, value: &str) -> bool {
    match kind {
        ValueKind::Id => is_id(value),
        ValueKind::Number => number(value).is_some(),
    }
}

impl Query {
    /// Parses the part after `/ergast/f1` (`""`, `"/2023.json"`,
    /// `"/2023/5/results/"`, ...).
    pub fn parse(rest: &str) -> Result<Self, NoSuchPath> {
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let rest = rest.strip_suffix(".json").or_else(|| rest.strip_suffix('/')).unwrap_or(rest);
        let mut segs: Vec<&str> = if rest.is_empty() { Vec::new() } else { rest.split('/').collect() };
        if segs.iter().any(|s| s.is_empty()) {
            return Err(NoSuchPath);
        }
        let mut q = Query {
            season: None,
            round: None,
            criteria: Criteria::default(),
            filters: Vec::new(),
            endpoint: Endpoint::Races,
            value: None,
        };
        if let Some(s) = segs.first().and_then(|s| season(s)) {
            q.season = Some(s);
            segs.remove(0);
            if let Some(r) = segs.first().and_then(|s| round(s)) {
                q.round = Some(r);
                segs.remove(0);
            }
        }
        // `/ergast/f1` alone, or with a season and round only: races.
        if segs.is_empty() {
            return Ok(q);
        }
        while segs.len() > 2 {
            let filter = Filter::parse(segs[0]).ok_or(NoSuchPath)?;
            q.apply(filter, segs[1])?;
            segs.drain(..2);
        }
        q.endpoint = Endpoint::parse(segs[0]).ok_or(NoSuchPath)?;
        if let Some(value) = segs.get(1) {
            let kind = q.endpoint.value_kind();
            // Seasons and races take no value; Jolpica's router still
            // matches such a path and refuses it in the view (400).
            if kind.is_some_and(|k| !valid(k, value)) || (kind.is_none() && !is_id(value)) {
                return Err(NoSuchPath);
            }
            q.value = Some((*value).to_string());
        }
        Ok(q)
    }

    fn apply(&mut self, filter: Filter, value: &str) -> Result<(), NoSuchPath> {
        if !valid(filter.value_kind(), value) {
            return Err(NoSuchPath);
        }
        let c = &mut self.criteria;
        match filter {
            Filter::Circuits => c.circuit = Some(value.into()),
            Filter::Constructors => c.constructor = Some(value.into()),
            Filter::Drivers => c.driver = Some(value.into()),
            Filter::Grid => c.grid = number(value),
            Filter::Results => c.position = number(value),
            Filter::Fastest => c.fastest = number(value),
            Filter::Status => c.status = number(value),
            Filter::Laps => c.lap = number(value),
        }
        self.filters.push(filter);
        Ok(())
    }

    /// Refuses what the endpoint does not take (400, in Jolpica's words).
    pub fn validate(&self) -> Result<(), ApiError> {
        let (need_season, need_round) = self.endpoint.required();
        if need_season && self.season.is_none() || need_round && self.round.is_none() {
            let wanted = if need_round { "['season_year', 'race_round']" } else { "['season_year']" };
            let parameter = if self.season.is_none() { "season" } else { "round" };
            return Err(ApiError::bad(
                parameter,
                format!("Bad Request: Missing one of the required parameters {wanted}."),
            ));
        }
        if let Some(f) = self.filters.iter().find(|f| !self.endpoint.accepts(**f)) {
            return Err(ApiError::bad(f.name(), "Bad Request: Unsupported filter for endpoint."));
        }
        if self.value.is_some() && self.endpoint.value_kind().is_none() {
            return Err(ApiError::bad(self.endpoint.name(), "Bad Request: Endpoint does not support final filter."));
        }
        // Standings take no round filter beyond `{season}/{round}`, and no
        // circuit or result criteria: covered by `accepts`.
        Ok(())
    }

    /// The criteria with the endpoint's own value folded in (a driver id
    /// for `drivers/{id}`, a position for `results/{n}`, ...).
    pub fn effective(&self) -> Criteria {
        let mut c = self.criteria.clone();
        let Some(v) = self.value.as_deref() else { return c };
        match self.endpoint {
            Endpoint::Circuits => c.circuit = Some(v.into()),
            Endpoint::Constructors => c.constructor = Some(v.into()),
            Endpoint::Drivers => c.driver = Some(v.into()),
            Endpoint::Status => c.status = number(v),
            Endpoint::Laps => c.lap = number(v),
            // The others' values select rows of their own list (see `rows`).
            _ => {}
        }
        c
    }

    /// The endpoint's numeric value (`results/{position}`, `pitstops/{stop}`, ...).
    pub fn value_number(&self) -> Option<u32> {
        self.value.as_deref().and_then(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(p: &str) -> Query {
        Query::parse(p).unwrap_or_else(|_| panic!("{p} should parse"))
    }

    #[test]
    fn seasons_rounds_and_the_races_default() {
        let q = parse("/2023/5.json");
        assert_eq!(
            (q.season, q.round, q.endpoint),
            (Some(SeasonSel::Year(2023)), Some(RoundSel::Number(5)), Endpoint::Races)
        );
        assert_eq!(parse("").endpoint, Endpoint::Races);
        assert_eq!(parse("/current/last/results/").round, Some(RoundSel::Last));
        assert_eq!(parse("/2024/next").round, Some(RoundSel::Next));
        assert_eq!(parse("/2023.json").season, Some(SeasonSel::Year(2023)));
    }

    #[test]
    fn filters_in_any_order_and_the_last_wins() {
        let q = parse("/2023/drivers/alonso/constructors/aston_martin/drivers/stroll/results/3.json");
        assert_eq!(q.criteria.driver.as_deref(), Some("stroll"));
        assert_eq!(q.criteria.constructor.as_deref(), Some("aston_martin"));
        assert_eq!((q.endpoint, q.value.as_deref()), (Endpoint::Results, Some("3")));
        let q = parse("/results/1/drivers.json");
        assert_eq!((q.criteria.position, q.endpoint), (Some(1), Endpoint::Drivers));
        assert_eq!(parse("/2023/driverstandings").endpoint, Endpoint::DriverStandings);
    }

    #[test]
    fn words_where_numbers_belong_do_not_exist() {
        for p in [
            "/2023/grid/first/results.json",
            "/2023/1/laps/one.json",
            "/20x3/results.json",
            "/2023/abc/results.json",
            "/2023/1/results/first.json",
            "/2023/123/results.json",
            "/2023/1/unknown.json",
            "/2023//results.json",
            "/drivers/al%20onso/results.json",
        ] {
            assert_eq!(Query::parse(p), Err(NoSuchPath), "{p}");
        }
    }

    #[test]
    fn validation_follows_jolpica() {
        assert!(parse("/laps.json").validate().is_err());
        assert!(parse("/2023/laps.json").validate().is_err());
        assert!(parse("/2023/1/laps.json").validate().is_ok());
        assert!(parse("/driverStandings.json").validate().is_err());
        assert!(parse("/2023/driverStandings.json").validate().is_ok());
        assert!(parse("/2023/constructors/ferrari/driverStandings.json").validate().is_err());
        assert!(parse("/2023/laps/1/results.json").validate().is_err());
        assert!(parse("/2023/1/laps/1/pitstops.json").validate().is_ok());
        assert!(parse("/2023/seasons/1.json").validate().is_err());
    }
}
