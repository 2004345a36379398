use content_types::{ConstructorStanding, DriverStanding, SeasonStats};
use protobuf::v1;

use super::opt;

pub fn driver_standing(d: v1::DriverStanding) -> DriverStanding {
    DriverStanding {
        team_color: opt(&d.team_color),
        position: d.position,
        position_text: d.position_text,
        driver_id: d.driver_id,
        driver_number: d.driver_number,
        driver_code: d.driver_code,
        driver_name: d.driver_name,
        nationality: d.nationality,
        constructor_id: d.constructor_id,
        team: d.team,
        points: d.points,
        stats: SeasonStats {
            wins: d.wins,
            podiums: d.podiums,
            poles: d.poles,
            fastest_laps: d.fastest_laps,
            dnfs: d.dnfs,
            races: d.races,
        },
    }
}

pub fn constructor_standing(c: v1::ConstructorStanding) -> ConstructorStanding {
    ConstructorStanding {
        color: opt(&c.color),
        position: c.position,
        position_text: c.position_text,
        constructor_id: c.constructor_id,
        name: c.name,
        nationality: c.nationality,
        points: c.points,
        stats: SeasonStats {
            wins: c.wins,
            podiums: c.podiums,
            poles: c.poles,
            fastest_laps: c.fastest_laps,
            dnfs: c.dnfs,
            races: c.races,
        },
    }
}
