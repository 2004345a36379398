//! The JSON shapes of content_api's answers, as far as the pages read
//! them. Unknown fields are ignored and most fields default, so content_api
//! can add fields without breaking the site.

mod championship;
mod people;
mod round;
mod season;
mod standings;

pub use championship::{Championship, Contender, LeaderNeeds, SessionRef, TitleFight};
pub use people::{Constructor, Driver};
pub use round::{Circuit, Round, RoundList, Session, SessionResult};
pub use season::{Named, Season, SeasonList};
pub use standings::{
    ConstructorStanding, ConstructorStandings, DriverStanding, DriverStandings, Progression, ProgressionRound,
    ProgressionSeries,
};

/// `/content/v1/live`, reduced to what the banner shows.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Live {
    pub season: i32,
    pub round: i32,
    #[serde(rename = "type")]
    pub session_type: String,
    pub session_name: String,
    pub status: String,
    pub current_lap: i32,
    pub total_laps: i32,
}
