//! A race's lap timings and pit stops from Jolpica (`laps`, from 1996;
//! `pitstops`, from 2011), for the Ergast API. Fetched with a round's
//! results sync only: a season of laps is hundreds of pages, beyond
//! Jolpica's 500 requests an hour.
use protobuf::v1::{LapTiming, PitStop, RaceTiming};

use super::api::{Api, Pages};
use super::ids::Resolver;
use super::json::Node;
use crate::error::FetchError;
use crate::upstream::{Fetch, UpstreamError};
use data_scheduler::client::Client;

/// The race's timing, with driver ids resolved through the stored aliases
/// (the drivers are known from the race's results).
pub async fn race_timing(
    fetch: &dyn Fetch,
    client: &Client,
    season: i32,
    round: i32,
) -> Result<RaceTiming, FetchError> {
    let api = Api::new(fetch);
    let laps_path = format!("/{season}/{round}/laps.json");
    let stops_path = format!("/{season}/{round}/pitstops.json");
    let laps = api.pages(&laps_path).await?;
    let stops = api.pages(&stops_path).await?;
    let resolver = Resolver::load(client, season).await?;
    Ok(RaceTiming { season, round, laps: parse_laps(&laps, &resolver)?, pit_stops: parse_stops(&stops, &resolver)? })
}

fn driver(node: &Node<'_>, resolver: &Resolver) -> Result<String, UpstreamError> {
    let id = node.str("driverId")?;
    resolver.known_driver(&id).ok_or_else(|| node.error(format!("driver `{id}` is not in the race's results")))
}

fn number(node: &Node<'_>, field: &str) -> Result<i32, UpstreamError> {
    let n = node.int(field)?;
    if n < 1 {
        return Err(node.error(format!("{field} {n} is not a number from 1")));
    }
    Ok(n)
}

pub fn parse_laps(pages: &Pages, resolver: &Resolver) -> Result<Vec<LapTiming>, UpstreamError> {
    let mut out = Vec::new();
    for (path, value) in pages {
        let root = Node::root(value, path);
        let data = root.get("MRData")?;
        let table = data.get("RaceTable")?;
        for race in table.items("Races")? {
            for lap in race.items("Laps")? {
                let n = number(&lap, "number")?;
                for t in lap.items("Timings")? {
                    let time = t.str("time")?;
                    out.push(LapTiming {
                        lap: n,
                        driver_id: driver(&t, resolver)?,
                        position: number(&t, "position")?,
                        time,
                    });
                }
            }
        }
    }
    Ok(out)
}

pub fn parse_stops(pages: &Pages, resolver: &Resolver) -> Result<Vec<PitStop>, UpstreamError> {
    let mut out = Vec::new();
    for (path, value) in pages {
        let root = Node::root(value, path);
        let data = root.get("MRData")?;
        let table = data.get("RaceTable")?;
        for race in table.items("Races")? {
            for p in race.items("PitStops")? {
                out.push(PitStop {
                    driver_id: driver(&p, resolver)?,
                    lap: number(&p, "lap")?,
                    stop: number(&p, "stop")?,
                    time: p.opt_str("time")?.unwrap_or_default(),
                    duration: p.str("duration")?,
                });
            }
        }
    }
    Ok(out)
}
