use content_types::{CareerRace, ConstructorCareer, ConstructorSeason, DriverCareer, DriverSeason, SeasonEntry};
use protobuf::v1;

use super::{constructor, constructor_standing, driver, driver_standing, opt};

pub fn career_race(r: v1::CareerRace) -> CareerRace {
    CareerRace {
        grid: (r.grid > 0).then_some(r.grid),
        sprint_position_text: opt(&r.sprint_position_text),
        season: r.season,
        round: r.round,
        name: r.name,
        position_text: r.position_text,
        status: r.status,
        points: r.points,
    }
}

pub fn season_entry(e: v1::SeasonEntry) -> SeasonEntry {
    SeasonEntry {
        team_color: opt(&e.team_color),
        driver_id: e.driver_id,
        driver_name: e.driver_name,
        constructor_id: e.constructor_id,
        team: e.team,
        numbers: e.numbers,
        entries: e.entries,
        starts: e.starts,
        wins: e.wins,
        podiums: e.podiums,
        poles: e.poles,
        points: e.points,
    }
}

pub fn driver_career(c: v1::DriverCareerResponse) -> DriverCareer {
    DriverCareer {
        driver: c.driver.map(driver),
        seasons: c
            .seasons
            .into_iter()
            .map(|s| DriverSeason {
                season: s.season,
                standing: s.standing.map(driver_standing),
                entries: s.entries.into_iter().map(season_entry).collect(),
            })
            .collect(),
        latest_races: c.latest_races.into_iter().map(career_race).collect(),
    }
}

pub fn constructor_career(c: v1::ConstructorCareerResponse) -> ConstructorCareer {
    ConstructorCareer {
        constructor: c.constructor.map(constructor),
        seasons: c
            .seasons
            .into_iter()
            .map(|s| ConstructorSeason {
                season: s.season,
                standing: s.standing.map(constructor_standing),
                drivers: s.drivers.into_iter().map(driver_standing).collect(),
                entries: s.entries.into_iter().map(season_entry).collect(),
            })
            .collect(),
    }
}
