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
use data_client::Client;

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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sources::jolpica::parse::ErgastDriver;

    fn resolver() -> Resolver {
        let mut r = Resolver::empty(2023);
        let gasly = ErgastDriver {
            id: "gasly".into(),
            code: None,
            permanent_number: None,
            given_name: "Pierre".into(),
            family_name: "Gasly".into(),
            date_of_birth: Some("1996-02-07".into()),
            nationality: None,
        };
        assert_eq!(r.driver(&gasly), "pierre-gasly");
        r
    }

    fn page(race: serde_json::Value) -> Pages {
        vec![("/2023/1/x.json".into(), json!({"MRData": {"RaceTable": {"Races": [race]}}}))]
    }

    #[test]
    fn laps_and_stops_in_stable_ids() {
        let r = resolver();
        let laps = page(
            json!({"Laps": [{"number": "1", "Timings": [{"driverId": "gasly", "position": "9", "time": "1:44.0"}]}]}),
        );
        assert_eq!(
            parse_laps(&laps, &r).unwrap(),
            [LapTiming { lap: 1, driver_id: "pierre-gasly".into(), position: 9, time: "1:44.0".into() }]
        );
        let stops = page(
            json!({"PitStops": [{"driverId": "gasly", "lap": "9", "stop": "1", "time": "15:14:01", "duration": "25.885"}]}),
        );
        let parsed = parse_stops(&stops, &r).unwrap();
        assert_eq!(
            (parsed[0].driver_id.as_str(), parsed[0].duration.as_str(), parsed[0].time.as_str()),
            ("pierre-gasly", "25.885", "15:14:01")
        );
    }

    #[test]
    fn unknown_drivers_and_bad_numbers_are_named() {
        let r = resolver();
        let laps = page(
            json!({"Laps": [{"number": "1", "Timings": [{"driverId": "nobody", "position": "1", "time": "1:44.0"}]}]}),
        );
        let e = parse_laps(&laps, &r).unwrap_err().to_string();
        assert!(e.contains("Timings[0]") && e.contains("nobody"), "{e}");
        let stops = page(json!({"PitStops": [{"driverId": "gasly", "lap": "0", "stop": "1", "duration": "25.885"}]}));
        assert!(parse_stops(&stops, &r).unwrap_err().to_string().contains("lap 0"));
    }
}
