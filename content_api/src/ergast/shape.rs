//! The Ergast JSON shapes: every scalar a string, absent values omitted.
//! Field order follows Jolpica's answers.
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Season {
    pub season: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub lat: String,
    pub long: String,
    pub locality: String,
    pub country: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Circuit {
    pub circuit_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub circuit_name: String,
    #[serde(rename = "Location")]
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub driver_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permanent_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub given_name: String,
    pub family_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Constructor {
    pub constructor_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct When {
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// The weekend's other sessions (the races list only).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Schedule {
    #[serde(rename = "FirstPractice", skip_serializing_if = "Option::is_none")]
    pub first_practice: Option<When>,
    #[serde(rename = "SecondPractice", skip_serializing_if = "Option::is_none")]
    pub second_practice: Option<When>,
    #[serde(rename = "ThirdPractice", skip_serializing_if = "Option::is_none")]
    pub third_practice: Option<When>,
    #[serde(rename = "Qualifying", skip_serializing_if = "Option::is_none")]
    pub qualifying: Option<When>,
    #[serde(rename = "Sprint", skip_serializing_if = "Option::is_none")]
    pub sprint: Option<When>,
    /// Called the sprint shootout in 2023.
    #[serde(rename = "SprintShootout", skip_serializing_if = "Option::is_none")]
    pub sprint_shootout: Option<When>,
    #[serde(rename = "SprintQualifying", skip_serializing_if = "Option::is_none")]
    pub sprint_qualifying: Option<When>,
}

impl Schedule {
    /// Each session from `self`, else from `other`.
    pub fn or(self, other: Schedule) -> Schedule {
        Schedule {
            first_practice: self.first_practice.or(other.first_practice),
            second_practice: self.second_practice.or(other.second_practice),
            third_practice: self.third_practice.or(other.third_practice),
            qualifying: self.qualifying.or(other.qualifying),
            sprint: self.sprint.or(other.sprint),
            sprint_shootout: self.sprint_shootout.or(other.sprint_shootout),
            sprint_qualifying: self.sprint_qualifying.or(other.sprint_qualifying),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Race {
    pub season: String,
    pub round: String,
    pub url: String,
    pub race_name: String,
    #[serde(rename = "Circuit")]
    pub circuit: Circuit,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    #[serde(flatten)]
    pub schedule: Schedule,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub rows: Option<RaceRows>,
}

/// What a race holds in a results-like answer.
#[derive(Debug, Clone, Serialize)]
pub enum RaceRows {
    Results(Vec<RaceResult>),
    SprintResults(Vec<RaceResult>),
    QualifyingResults(Vec<QualifyingResult>),
    Laps(Vec<Lap>),
    PitStops(Vec<PitStop>),
}

#[derive(Debug, Clone, Serialize)]
pub struct Time {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub millis: Option<String>,
    pub time: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LapTime {
    pub time: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FastestLap {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lap: Option<String>,
    #[serde(rename = "Time")]
    pub time: LapTime,
    #[serde(rename = "AverageSpeed", skip_serializing_if = "Option::is_none")]
    pub average_speed: Option<AverageSpeed>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AverageSpeed {
    pub units: &'static str,
    pub speed: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RaceResult {
    pub number: String,
    pub position: String,
    pub position_text: String,
    pub points: String,
    #[serde(rename = "Driver")]
    pub driver: Driver,
    #[serde(rename = "Constructor")]
    pub constructor: Constructor,
    pub grid: String,
    pub laps: String,
    pub status: String,
    #[serde(rename = "Time", skip_serializing_if = "Option::is_none")]
    pub time: Option<Time>,
    #[serde(rename = "FastestLap", skip_serializing_if = "Option::is_none")]
    pub fastest_lap: Option<FastestLap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualifyingResult {
    pub number: String,
    pub position: String,
    #[serde(rename = "Driver")]
    pub driver: Driver,
    #[serde(rename = "Constructor")]
    pub constructor: Constructor,
    #[serde(rename = "Q1", skip_serializing_if = "Option::is_none")]
    pub q1: Option<String>,
    #[serde(rename = "Q2", skip_serializing_if = "Option::is_none")]
    pub q2: Option<String>,
    #[serde(rename = "Q3", skip_serializing_if = "Option::is_none")]
    pub q3: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lap {
    pub number: String,
    #[serde(rename = "Timings")]
    pub timings: Vec<Timing>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timing {
    pub driver_id: String,
    pub position: String,
    pub time: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PitStop {
    pub driver_id: String,
    pub lap: String,
    pub stop: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    pub duration: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StandingsList<T> {
    pub season: String,
    pub round: String,
    #[serde(flatten)]
    pub entries: T,
}

#[derive(Debug, Clone, Serialize)]
pub enum StandingsEntries {
    DriverStandings(Vec<DriverStanding>),
    ConstructorStandings(Vec<ConstructorStanding>),
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverStanding {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    pub position_text: String,
    pub points: String,
    pub wins: String,
    #[serde(rename = "Driver")]
    pub driver: Driver,
    #[serde(rename = "Constructors")]
    pub constructors: Vec<Constructor>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConstructorStanding {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    pub position_text: String,
    pub points: String,
    pub wins: String,
    #[serde(rename = "Constructor")]
    pub constructor: Constructor,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub status_id: String,
    pub count: String,
    pub status: String,
}

/// Points as Ergast writes them: `25`, `0.5`, `0`.
pub fn points(p: f64) -> String {
    if p.fract() == 0.0 { format!("{}", p as i64) } else { format!("{p}") }
}

/// A coordinate as Ergast writes it (shortest form: `26.0325`).
pub fn coordinate(v: f64) -> String {
    format!("{v}")
}

/// Unix seconds to Ergast's time of day, `15:00:00Z`.
pub fn time_of_day(unix: i64) -> Option<String> {
    let secs = unix.rem_euclid(86_400);
    Some(format!("{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60))
}

/// Milliseconds of a race time or gap: `1:31:44.742`, `+22.457`, `+1:02.3`.
pub fn millis(time: &str) -> Option<i64> {
    let t = time.strip_prefix('+').unwrap_or(time);
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut ms: i64 = 0;
    for part in whole.split(':') {
        if part.is_empty() || part.len() > 2 && ms > 0 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        ms = ms * 60 + part.parse::<i64>().ok()?;
    }
    let frac_ms = if frac.is_empty() { 0 } else { frac.parse::<i64>().ok()? * 10_i64.pow(3 - frac.len() as u32) };
    Some(ms * 1000 + frac_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_as_ergast_writes_them() {
        assert_eq!(points(25.0), "25");
        assert_eq!(points(0.5), "0.5");
        assert_eq!(points(0.0), "0");
        assert_eq!(coordinate(26.0325), "26.0325");
        assert_eq!(time_of_day(1_678_028_400).as_deref(), Some("15:00:00Z"));
        assert_eq!(millis("1:33:56.736"), Some(5_636_736));
        assert_eq!(millis("+11.987"), Some(11_987));
        assert_eq!(millis("+1:02.3"), Some(62_300));
        assert_eq!(millis("33:17.667"), Some(1_997_667));
        assert_eq!(millis("+1 Lap"), None);
    }
}
