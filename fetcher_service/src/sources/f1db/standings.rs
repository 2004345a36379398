//! Standings after each round: f1db's points table for the round, enriched
//! with the season's statistics up to that round (see [`crate::tally`]).
use protobuf::v1::{ConstructorStanding, DriverStanding, Provenance, ResultSource, Standings};

use super::model::{ConstructorStandingRow, DriverStandingRow};
use super::reference::Reference;
use super::results::position_text;
use crate::colours::team_colour;
use crate::tally::SeasonTally;

pub fn build(
    season: i32,
    round: i32,
    drivers: &[DriverStandingRow],
    constructors: &[ConstructorStandingRow],
    tally: &SeasonTally,
    reference: &Reference,
) -> Standings {
    let drivers = drivers
        .iter()
        .map(|row| {
            let t = tally.driver(&row.driver_id);
            let file = reference.drivers.get(&row.driver_id);
            let (team_id, number) = tally.last_team(&row.driver_id).unwrap_or_default();
            DriverStanding {
                position: row.position.number().unwrap_or(0),
                position_text: position_text(&row.position),
                driver_id: row.driver_id.clone(),
                driver_number: number,
                driver_code: file.and_then(|d| d.abbreviation.clone()).unwrap_or_default(),
                driver_name: file.map(|d| d.name.clone()).unwrap_or_else(|| row.driver_id.clone()),
                nationality: file.map(|d| reference.driver(d).nationality).unwrap_or_default(),
                constructor_id: team_id.to_string(),
                team: reference.constructor_name(team_id).unwrap_or_default().to_string(),
                team_color: if team_id.is_empty() { String::new() } else { team_colour(team_id).to_string() },
                points: row.points.unwrap_or_default(),
                wins: t.wins,
                podiums: t.podiums,
                poles: t.poles,
                fastest_laps: t.fastest_laps,
                dnfs: t.dnfs,
                races: t.races,
            }
        })
        .collect();
    let constructors = constructors
        .iter()
        .map(|row| {
            let t = tally.constructor(&row.constructor_id);
            let file = reference.constructors.get(&row.constructor_id);
            ConstructorStanding {
                position: row.position.number().unwrap_or(0),
                position_text: position_text(&row.position),
                constructor_id: row.constructor_id.clone(),
                name: file.map(|c| c.name.clone()).unwrap_or_else(|| row.constructor_id.clone()),
                nationality: file.map(|c| reference.constructor(c).nationality).unwrap_or_default(),
                points: row.points.unwrap_or_default(),
                wins: t.wins,
                podiums: t.podiums,
                poles: t.poles,
                fastest_laps: t.fastest_laps,
                dnfs: t.dnfs,
                races: t.races,
                color: team_colour(&row.constructor_id).to_string(),
            }
        })
        .collect();
    Standings { season, round, drivers, constructors, provenance: Some(Provenance::from_source(ResultSource::F1db)) }
}
