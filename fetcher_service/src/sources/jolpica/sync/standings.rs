//! The standings and seasons syncs: standings lists from Jolpica, enriched
//! with statistics counted from the stored race classifications.
use protobuf::Year;
use protobuf::v1::{Round, Season, SeasonStatus, SessionType, Standings, WriteBatchRequest};

use super::{Stored, no_calendar};
use crate::error::FetchError;
use crate::sources::jolpica::api::Api;
use crate::sources::jolpica::ids::Resolver;
use crate::sources::jolpica::json;
use crate::sources::jolpica::map;
use crate::sources::jolpica::parse::{ConstructorStandingLine, DriverStandingLine, StandingsList};
use crate::tally::SeasonTally;
use crate::upstream::Fetch;
use data_client::Client;

/// The season's stats from the stored race classifications up to `round`.
fn tally_until(stored: &Stored, round: i32) -> SeasonTally {
    let mut tally = SeasonTally::default();
    let mut rounds: Vec<&Round> = stored.rounds.iter().filter(|r| r.round <= round).collect();
    rounds.sort_by_key(|r| r.round);
    for r in rounds {
        if let Some(s) = r.sessions.iter().find(|s| s.r#type == SessionType::Race as i32) {
            tally.add_race(&s.results);
        }
    }
    tally
}

/// `POST /fetch/standings`: driver and constructor standings after every
/// completed round, enriched with the stored race results.
pub async fn standings(fetch: &dyn Fetch, client: &Client, year: Year) -> Result<WriteBatchRequest, FetchError> {
    let api = Api::new(fetch);
    let year = year.get();
    let latest = api
        .driver_standings(year, None)
        .await?
        .ok_or_else(|| FetchError::param("season", format!("jolpica has no standings for {year} yet")))?;
    let latest_constructors = api.constructor_standings(year, None).await?;
    let stored = Stored::load(client, year).await?;
    let mut resolver = Resolver::load(client, year).await?;
    let mut batch = WriteBatchRequest::default();
    for r in 1..latest.round {
        let drivers = api.driver_standings(year, Some(r)).await?.ok_or_else(|| missing_standings(year, r))?;
        let constructors = api.constructor_standings(year, Some(r)).await?;
        batch.standings.push(checked(year, r, drivers, constructors, &mut resolver, &stored)?);
    }
    let last = latest.round;
    batch.standings.push(checked(year, last, latest, latest_constructors, &mut resolver, &stored)?);
    resolver.drain_into(&mut batch);
    Ok(batch)
}

fn missing_standings(year: i32, round: i32) -> FetchError {
    json::invalid(
        &format!("/{year}/{round}/driverStandings.json"),
        "MRData.StandingsTable.StandingsLists",
        "no standings after a completed round",
    )
    .into()
}

fn checked(
    year: i32,
    round: i32,
    drivers: StandingsList<DriverStandingLine>,
    constructors: Option<StandingsList<ConstructorStandingLine>>,
    resolver: &mut Resolver,
    stored: &Stored,
) -> Result<Standings, FetchError> {
    if drivers.round != round || drivers.season != year {
        return Err(json::invalid(
            &format!("/{year}/{round}/driverStandings.json"),
            "MRData.StandingsTable.StandingsLists[0].round",
            format!("answer is for round {} of {}, not round {round} of {year}", drivers.round, drivers.season),
        )
        .into());
    }
    if let Some(c) = constructors.as_ref().filter(|c| c.round != round) {
        return Err(json::invalid(
            &format!("/{year}/{round}/constructorStandings.json"),
            "MRData.StandingsTable.StandingsLists[0].round",
            format!("answer is for round {}, not round {round}", c.round),
        )
        .into());
    }
    Ok(map::standings(year, drivers, constructors, resolver, &tally_until(stored, round)))
}

/// `POST /fetch/seasons`: each season's record with its final or current
/// standings (and the champion once the last round is done).
pub async fn seasons(
    fetch: &dyn Fetch,
    client: &Client,
    from: Year,
    to: Year,
) -> Result<WriteBatchRequest, FetchError> {
    let api = Api::new(fetch);
    let mut batch = WriteBatchRequest::default();
    let mut resolver = Resolver::load(client, from.get()).await?;
    for year in from.get()..=to.get() {
        resolver.set_season(year);
        let schedule = api.schedule(year).await?;
        if schedule.is_empty() {
            if from == to {
                return Err(no_calendar(year));
            }
            continue;
        }
        let drivers = api.driver_standings(year, None).await?;
        let constructors = api.constructor_standings(year, None).await?;
        let stored = Stored::load(client, year).await?;
        let current = drivers.as_ref().map_or(0, |d| d.round);
        let total = schedule.len() as i32;
        let status = match current {
            0 => SeasonStatus::Upcoming,
            c if c >= total => SeasonStatus::Completed,
            _ => SeasonStatus::InProgress,
        };
        let mut season = Season {
            year,
            status: status as i32,
            total_rounds: total,
            current_round: current,
            first_date: schedule.iter().flat_map(|r| &r.sessions).map(|s| s.date.clone()).min().unwrap_or_default(),
            end_date: schedule.last().map(|r| r.race_date().to_string()).unwrap_or_default(),
            ..Default::default()
        };
        if let Some(drivers) = drivers {
            let standings = checked(year, current, drivers, constructors, &mut resolver, &stored)?;
            if status == SeasonStatus::Completed {
                if let Some(d) = standings.drivers.iter().find(|d| d.position == 1) {
                    season.champion_driver_id = d.driver_id.clone();
                    season.champion_driver_name = d.driver_name.clone();
                }
                if let Some(c) = standings.constructors.iter().find(|c| c.position == 1) {
                    season.champion_constructor_id = c.constructor_id.clone();
                    season.champion_constructor_name = c.name.clone();
                }
            }
            batch.standings.push(standings);
        }
        batch.seasons.push(season);
    }
    if batch.seasons.is_empty() {
        return Err(FetchError::param("from", format!("jolpica has no season between {from} and {to}")));
    }
    resolver.drain_into(&mut batch);
    Ok(batch)
}
