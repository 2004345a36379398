//! The public JSON contract of content_api's `/content/v1` answers: the one
//! definition content_api serialises and the website (and every test)
//! deserialises, so a renamed field fails loudly on both sides instead of
//! rendering empty.
//!
//! Field names and spellings are those content_api has always sent; fields
//! are only ever added. A field a reader may miss is an `Option`; every
//! other field is required. Statuses and kinds are enums with their JSON
//! spellings (`in_progress`, `practice_1`, ...), including `unspecified`
//! for a record whose value was never set.
//!
//! No tonic or axum here: content_api converts its proto records into
//! these types. With the `openapi` feature every type has a utoipa schema.

mod career;
mod championship;
mod changes;
mod entries;
mod index;
mod kinds;
mod live;
mod people;
mod round;
mod season;
mod session_data;
mod standings;

pub use career::{CareerRace, ConstructorCareer, ConstructorSeason, DriverCareer, DriverSeason, SeasonStats};
pub use championship::{
    AsItStands, Asked, Championship, ChampionshipAnswer, HypotheticalSession, MAX_ORDER, ScoringSession, WhatIf,
    WhatIfRequest,
};
pub use changes::ChangesVersion;
pub use entries::SeasonEntry;
pub use index::{ApiRoot, CircuitList, CircuitRound, CircuitRounds, Collection, ConstructorList, DriverList};
pub use kinds::{RoundFormat, SeasonStatus, SessionStatus, SessionType};
pub use live::{Live, LiveDriver, RaceControl, Weather};
pub use people::{Constructor, Driver};
pub use round::{Circuit, Provenance, Round, RoundList, Session, SessionResult, circuit_image_url};
pub use season::{Named, Season, SeasonList};
pub use session_data::{
    CarDataSample, Gap, Interval, Lap, LocationSample, PitStop, PositionChange, RaceControlMessage, SessionDataInfo,
    SessionRecordPage, SessionStatusChange, Stint, TrackStatusChange, WeatherSample,
};
pub use standings::{
    ConstructorStanding, ConstructorStandings, DriverStanding, DriverStandings, Progression, ProgressionRound,
    ProgressionSeries,
};
