use content_types::{CareerRace, ConstructorCareer, ConstructorSeason, DriverCareer, DriverSeason};
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

/// Seasons without a standing for the driver are left out.
pub fn driver_career(c: v1::DriverCareerResponse) -> DriverCareer {
    DriverCareer {
        driver: c.driver.map(driver),
        seasons: c
            .seasons
            .into_iter()
            .filter_map(|s| Some(DriverSeason { season: s.season, standing: driver_standing(s.standing?) }))
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
            .filter_map(|s| {
                Some(ConstructorSeason {
                    season: s.season,
                    standing: constructor_standing(s.standing?),
                    drivers: s.drivers.into_iter().map(driver_standing).collect(),
                })
            })
            .collect(),
    }
}
