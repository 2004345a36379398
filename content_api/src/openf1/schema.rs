//! OpenF1's endpoints and their fields, with the type each field's filter
//! values are read as. Taken from OpenF1's documentation (the attribute
//! tables of api.openf1.org/v1) and its ingest code's record types.
//!
//! Fields are listed in byte order of their names: that is the order of
//! OpenF1's CSV columns (it sorts the names), and its documentation's tables
//! are in that order too. A test holds every list to it.

/// How a field's filter values are read and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number in the records; filter values may still be decimal
    /// (`lap_number<10.5`), as OpenF1 compares all numbers as numbers.
    Integer,
    Number,
    /// Compared exactly, case-sensitive (and `>`/`<` by byte order).
    Text,
    /// `true` or `false`, in any case.
    Boolean,
    /// An instant (RFC 3339, naive = UTC) or a day alone (the whole day).
    Date,
    /// OpenF1's gaps: seconds, or text such as `+1 LAP`.
    NumberOrText,
}

impl Kind {
    /// What a value of this kind is, for error messages.
    pub fn expected(self) -> &'static str {
        match self {
            Self::Integer | Self::Number => "a number",
            Self::Text | Self::NumberOrText => "a text",
            Self::Boolean => "true or false",
            Self::Date => "a date (2023-09-16 or 2023-09-16T13:03:35[.fraction][+00:00])",
        }
    }
}

/// One field of an endpoint's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    /// The field may hold a list of values of `kind` (lap segments;
    /// session_result's qualifying parts): a condition holds when any
    /// element satisfies it, as in OpenF1's store.
    pub list: bool,
}

const fn f(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, list: false }
}

const fn list(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, list: true }
}

use Kind::{Boolean as B, Date as D, Integer as I, Number as N, NumberOrText as G, Text as T};

const CAR_DATA: &[Field] = &[
    f("brake", I),
    f("date", D),
    f("driver_number", I),
    f("drs", I),
    f("meeting_key", I),
    f("n_gear", I),
    f("rpm", I),
    f("session_key", I),
    f("speed", I),
    f("throttle", I),
];

const CHAMPIONSHIP_DRIVERS: &[Field] = &[
    f("driver_number", I),
    f("meeting_key", I),
    f("points_current", N),
    f("points_start", N),
    f("position_current", I),
    f("position_start", I),
    f("session_key", I),
];

const CHAMPIONSHIP_TEAMS: &[Field] = &[
    f("meeting_key", I),
    f("points_current", N),
    f("points_start", N),
    f("position_current", I),
    f("position_start", I),
    f("session_key", I),
    f("team_name", T),
];

const DRIVERS: &[Field] = &[
    f("broadcast_name", T),
    // deprecated by OpenF1 (to be removed after 2026), still documented
    f("country_code", T),
    f("driver_number", I),
    f("first_name", T),
    f("full_name", T),
    f("headshot_url", T),
    f("last_name", T),
    f("meeting_key", I),
    f("name_acronym", T),
    f("session_key", I),
    f("team_colour", T),
    f("team_name", T),
];

const INTERVALS: &[Field] = &[
    f("date", D),
    f("driver_number", I),
    f("gap_to_leader", G),
    f("interval", G),
    f("meeting_key", I),
    f("session_key", I),
];

const LAPS: &[Field] = &[
    f("date_start", D),
    f("driver_number", I),
    f("duration_sector_1", N),
    f("duration_sector_2", N),
    f("duration_sector_3", N),
    f("i1_speed", I),
    f("i2_speed", I),
    f("is_pit_out_lap", B),
    f("lap_duration", N),
    f("lap_number", I),
    f("meeting_key", I),
    list("segments_sector_1", I),
    list("segments_sector_2", I),
    list("segments_sector_3", I),
    f("session_key", I),
    f("st_speed", I),
];

const LOCATION: &[Field] =
    &[f("date", D), f("driver_number", I), f("meeting_key", I), f("session_key", I), f("x", I), f("y", I), f("z", I)];

const MEETINGS: &[Field] = &[
    f("circuit_image", T),
    f("circuit_info_url", T),
    f("circuit_key", I),
    f("circuit_short_name", T),
    f("circuit_type", T),
    f("country_code", T),
    f("country_flag", T),
    f("country_key", I),
    f("country_name", T),
    f("date_end", D),
    f("date_start", D),
    // `08:00:00`: text, as OpenF1 keeps it
    f("gmt_offset", T),
    f("is_cancelled", B),
    f("location", T),
    f("meeting_key", I),
    f("meeting_name", T),
    f("meeting_official_name", T),
    f("year", I),
];

const OVERTAKES: &[Field] = &[
    f("date", D),
    f("meeting_key", I),
    f("overtaken_driver_number", I),
    f("overtaking_driver_number", I),
    f("position", I),
    f("session_key", I),
];

const PIT: &[Field] = &[
    f("date", D),
    f("driver_number", I),
    f("lane_duration", N),
    f("lap_number", I),
    f("meeting_key", I),
    // deprecated alias of lane_duration, still documented
    f("pit_duration", N),
    f("session_key", I),
    f("stop_duration", N),
];

const POSITION: &[Field] =
    &[f("date", D), f("driver_number", I), f("meeting_key", I), f("position", I), f("session_key", I)];

const RACE_CONTROL: &[Field] = &[
    f("category", T),
    f("date", D),
    f("driver_number", I),
    f("flag", T),
    f("lap_number", I),
    f("meeting_key", I),
    f("message", T),
    f("qualifying_phase", I),
    f("scope", T),
    f("sector", I),
    f("session_key", I),
];

const SESSIONS: &[Field] = &[
    f("circuit_key", I),
    f("circuit_short_name", T),
    f("country_code", T),
    f("country_key", I),
    f("country_name", T),
    f("date_end", D),
    f("date_start", D),
    f("gmt_offset", T),
    f("is_cancelled", B),
    f("location", T),
    f("meeting_key", I),
    f("session_key", I),
    f("session_name", T),
    f("session_type", T),
    f("year", I),
];

const SESSION_RESULT: &[Field] = &[
    f("dnf", B),
    f("dns", B),
    f("driver_number", I),
    f("dsq", B),
    // one value, or one per qualifying part (Q1, Q2, Q3)
    list("duration", N),
    list("gap_to_leader", G),
    f("meeting_key", I),
    f("number_of_laps", I),
    f("position", I),
    f("session_key", I),
];

const STARTING_GRID: &[Field] =
    &[f("driver_number", I), f("lap_duration", N), f("meeting_key", I), f("position", I), f("session_key", I)];

const STINTS: &[Field] = &[
    f("compound", T),
    f("driver_number", I),
    f("lap_end", I),
    f("lap_start", I),
    f("meeting_key", I),
    f("session_key", I),
    f("stint_number", I),
    f("tyre_age_at_start", I),
];

const TEAM_RADIO: &[Field] =
    &[f("date", D), f("driver_number", I), f("meeting_key", I), f("recording_url", T), f("session_key", I)];

const WEATHER: &[Field] = &[
    f("air_temperature", N),
    f("date", D),
    f("humidity", N),
    f("meeting_key", I),
    f("pressure", N),
    f("rainfall", I),
    f("session_key", I),
    f("track_temperature", N),
    f("wind_direction", I),
    f("wind_speed", N),
];

/// One of OpenF1's endpoints, `/v1/{name}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    CarData,
    ChampionshipDrivers,
    ChampionshipTeams,
    Drivers,
    Intervals,
    Laps,
    Location,
    Meetings,
    Overtakes,
    Pit,
    Position,
    RaceControl,
    Sessions,
    SessionResult,
    StartingGrid,
    Stints,
    TeamRadio,
    Weather,
}

impl Endpoint {
    pub const ALL: [Endpoint; 18] = [
        Self::CarData,
        Self::ChampionshipDrivers,
        Self::ChampionshipTeams,
        Self::Drivers,
        Self::Intervals,
        Self::Laps,
        Self::Location,
        Self::Meetings,
        Self::Overtakes,
        Self::Pit,
        Self::Position,
        Self::RaceControl,
        Self::Sessions,
        Self::SessionResult,
        Self::StartingGrid,
        Self::Stints,
        Self::TeamRadio,
        Self::Weather,
    ];

    /// The endpoint named by the path's last segment (`laps`). OpenF1
    /// lower-cases the path first, so `Laps` names it too.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name().eq_ignore_ascii_case(name))
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::CarData => "car_data",
            Self::ChampionshipDrivers => "championship_drivers",
            Self::ChampionshipTeams => "championship_teams",
            Self::Drivers => "drivers",
            Self::Intervals => "intervals",
            Self::Laps => "laps",
            Self::Location => "location",
            Self::Meetings => "meetings",
            Self::Overtakes => "overtakes",
            Self::Pit => "pit",
            Self::Position => "position",
            Self::RaceControl => "race_control",
            Self::Sessions => "sessions",
            Self::SessionResult => "session_result",
            Self::StartingGrid => "starting_grid",
            Self::Stints => "stints",
            Self::TeamRadio => "team_radio",
            Self::Weather => "weather",
        }
    }

    /// The endpoint's fields, in byte order of their names.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Self::CarData => CAR_DATA,
            Self::ChampionshipDrivers => CHAMPIONSHIP_DRIVERS,
            Self::ChampionshipTeams => CHAMPIONSHIP_TEAMS,
            Self::Drivers => DRIVERS,
            Self::Intervals => INTERVALS,
            Self::Laps => LAPS,
            Self::Location => LOCATION,
            Self::Meetings => MEETINGS,
            Self::Overtakes => OVERTAKES,
            Self::Pit => PIT,
            Self::Position => POSITION,
            Self::RaceControl => RACE_CONTROL,
            Self::Sessions => SESSIONS,
            Self::SessionResult => SESSION_RESULT,
            Self::StartingGrid => STARTING_GRID,
            Self::Stints => STINTS,
            Self::TeamRadio => TEAM_RADIO,
            Self::Weather => WEATHER,
        }
    }

    /// The field named `name` (already lower-cased), if the endpoint has it.
    pub fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_in_openf1_csv_order_and_unique() {
        for e in Endpoint::ALL {
            let names: Vec<&str> = e.fields().iter().map(|f| f.name).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(names, sorted, "{} fields out of byte order or repeated", e.name());
        }
    }

    #[test]
    fn every_endpoint_is_named_once_and_round_trips() {
        for e in Endpoint::ALL {
            assert_eq!(Endpoint::from_name(e.name()), Some(e));
            assert_eq!(Endpoint::from_name(&e.name().to_uppercase()), Some(e));
        }
        assert_eq!(Endpoint::from_name("track_status"), None);
    }

    #[test]
    fn every_session_endpoint_is_keyed_by_meeting_and_session() {
        for e in Endpoint::ALL {
            let key = |name| e.field(name).map(|f| f.kind);
            assert_eq!(key("meeting_key"), Some(Kind::Integer), "{}", e.name());
            if e != Endpoint::Meetings {
                assert_eq!(key("session_key"), Some(Kind::Integer), "{}", e.name());
            }
        }
    }
}
