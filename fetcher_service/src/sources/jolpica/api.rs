//! The Jolpica endpoints the syncs use, through [`Fetch`], following
//! `limit`/`offset` pagination to `total`.
use serde_json::Value;

use super::json::{self, Node};
use super::parse::{self, ConstructorStandingLine, DriverStandingLine, ResultLine, ScheduledRound, StandingsList};
use crate::upstream::{Fetch, UpstreamError};

/// Page size asked for after the first page (Jolpica's maximum).
const PAGE: i32 = 100;

/// Every page of one answer, with the path each came from.
pub type Pages = Vec<(String, Value)>;

pub struct Api<'a> {
    fetch: &'a dyn Fetch,
}

fn paging(value: &Value, path: &str) -> Result<(i32, i32, i32), UpstreamError> {
    let root = Node::root(value, path);
    let data = root.get("MRData")?;
    let limit = data.int("limit")?;
    if limit <= 0 {
        return Err(data.get("limit")?.error(format!("limit {limit} cannot make progress")));
    }
    Ok((limit, data.int("offset")?, data.int("total")?))
}

impl<'a> Api<'a> {
    pub fn new(fetch: &'a dyn Fetch) -> Self {
        Self { fetch }
    }

    /// GETs `path` (asked plainly, as Jolpica's own links are) and then
    /// `path?limit=100&offset=N` until `total` items have been served.
    pub async fn pages(&self, path: &str) -> Result<Pages, UpstreamError> {
        let first = json::parse(path, &self.fetch.get(path).await?)?;
        let (limit, offset, total) = paging(&first, path)?;
        let mut pages = vec![(path.to_string(), first)];
        let mut next = offset + limit;
        while next < total {
            let page_path = format!("{path}?limit={PAGE}&offset={next}");
            let page = json::parse(&page_path, &self.fetch.get(&page_path).await?)?;
            let (limit, offset, _) = paging(&page, &page_path)?;
            if offset != next {
                return Err(json::invalid(&page_path, "MRData.offset", format!("{offset}, asked for {next}")));
            }
            pages.push((page_path, page));
            next = offset + limit;
        }
        Ok(pages)
    }

    /// The season's calendar.
    pub async fn schedule(&self, season: i32) -> Result<Vec<ScheduledRound>, UpstreamError> {
        parse::schedule(&self.pages(&format!("/{season}.json")).await?)
    }

    pub async fn race_results(&self, season: i32, round: i32) -> Result<Vec<ResultLine>, UpstreamError> {
        parse::results(&self.pages(&format!("/{season}/{round}/results.json")).await?, "Results", season, round)
    }

    pub async fn sprint_results(&self, season: i32, round: i32) -> Result<Vec<ResultLine>, UpstreamError> {
        parse::results(&self.pages(&format!("/{season}/{round}/sprint.json")).await?, "SprintResults", season, round)
    }

    pub async fn qualifying(&self, season: i32, round: i32) -> Result<Vec<ResultLine>, UpstreamError> {
        let pages = self.pages(&format!("/{season}/{round}/qualifying.json")).await?;
        parse::results(&pages, "QualifyingResults", season, round)
    }

    /// After `round`, or after the latest round when None.
    pub async fn driver_standings(
        &self,
        season: i32,
        round: Option<i32>,
    ) -> Result<Option<StandingsList<DriverStandingLine>>, UpstreamError> {
        let path = match round {
            Some(r) => format!("/{season}/{r}/driverStandings.json"),
            None => format!("/{season}/driverStandings.json"),
        };
        parse::driver_standings(&self.pages(&path).await?)
    }

    pub async fn constructor_standings(
        &self,
        season: i32,
        round: Option<i32>,
    ) -> Result<Option<StandingsList<ConstructorStandingLine>>, UpstreamError> {
        let path = match round {
            Some(r) => format!("/{season}/{r}/constructorStandings.json"),
            None => format!("/{season}/constructorStandings.json"),
        };
        parse::constructor_standings(&self.pages(&path).await?)
    }
}
