//! Ergast-format answers to plain records, still in Ergast ids. Each parser
//! takes every page of one answer (see `api::pages`) and validates what the
//! model needs: a missing field, a bad number or a position listed twice
//! is an error naming the URL path and the field.
use std::collections::HashSet;

use protobuf::v1::SessionType;
use serde::Serialize;
use serde_json::Value;

use super::json::Node;
use crate::upstream::UpstreamError;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErgastDriver {
    pub id: String,
    pub code: Option<String>,
    pub permanent_number: Option<i32>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErgastConstructor {
    pub id: String,
    pub name: String,
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErgastCircuit {
    pub id: String,
    pub name: String,
    pub locality: String,
    pub country: String,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduledSession {
    #[serde(serialize_with = "slug")]
    pub session: SessionType,
    pub date: String,
    pub time: Option<String>,
}

fn slug<S: serde::Serializer>(t: &SessionType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.slug())
}

/// One round of a season's calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduledRound {
    pub season: i32,
    pub round: i32,
    pub name: String,
    pub circuit: ErgastCircuit,
    /// Every session with its day (and UTC time when published), race included.
    pub sessions: Vec<ScheduledSession>,
}

impl ScheduledRound {
    pub fn session(&self, t: SessionType) -> Option<&ScheduledSession> {
        self.sessions.iter().find(|s| s.session == t)
    }

    pub fn race_date(&self) -> &str {
        self.session(SessionType::Race).map_or("", |s| s.date.as_str())
    }
}

/// One line of a race, sprint or qualifying classification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultLine {
    pub number: Option<i32>,
    pub position: i32,
    pub position_text: String,
    pub points: f64,
    pub driver: ErgastDriver,
    pub constructor: ErgastConstructor,
    pub grid: Option<i32>,
    pub laps: Option<i32>,
    pub status: Option<String>,
    pub time: Option<String>,
    pub fastest_lap_rank: Option<i32>,
    pub fastest_lap_time: Option<String>,
    pub q1: Option<String>,
    pub q2: Option<String>,
    pub q3: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverStandingLine {
    pub position: Option<i32>,
    pub position_text: String,
    pub points: f64,
    pub wins: i32,
    pub driver: ErgastDriver,
    /// The constructors driven for this season, the latest last.
    pub constructors: Vec<ErgastConstructor>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstructorStandingLine {
    pub position: Option<i32>,
    pub position_text: String,
    pub points: f64,
    pub wins: i32,
    pub constructor: ErgastConstructor,
}

/// Standings after `round` of `season`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandingsList<T> {
    pub season: i32,
    pub round: i32,
    pub lines: Vec<T>,
}

fn driver(n: &Node<'_>) -> Result<ErgastDriver, UpstreamError> {
    let d = n.get("Driver")?;
    Ok(ErgastDriver {
        id: d.str("driverId")?,
        code: d.opt_str("code")?,
        permanent_number: d.opt_int("permanentNumber")?,
        given_name: d.str("givenName")?,
        family_name: d.str("familyName")?,
        date_of_birth: d.opt_str("dateOfBirth")?,
        nationality: d.opt_str("nationality")?,
    })
}

fn constructor(c: &Node<'_>) -> Result<ErgastConstructor, UpstreamError> {
    Ok(ErgastConstructor { id: c.str("constructorId")?, name: c.str("name")?, nationality: c.opt_str("nationality")? })
}

fn circuit(race: &Node<'_>) -> Result<ErgastCircuit, UpstreamError> {
    let c = race.get("Circuit")?;
    let l = c.get("Location")?;
    Ok(ErgastCircuit {
        id: c.str("circuitId")?,
        name: c.str("circuitName")?,
        locality: l.opt_str("locality")?.unwrap_or_default(),
        country: l.opt_str("country")?.unwrap_or_default(),
        latitude: l.float("lat")?,
        longitude: l.float("long")?,
    })
}

/// Runs `each` on every `MRData.<table>.<list>[i]` node of every page.
fn for_each<F>(
    pages: &[(String, Value)],
    table: &'static str,
    list: &'static str,
    mut each: F,
) -> Result<(), UpstreamError>
where
    F: FnMut(&Node<'_>) -> Result<(), UpstreamError>,
{
    for (url, value) in pages {
        let root = Node::root(value, url);
        let data = root.get("MRData")?;
        let table = data.get(table)?;
        for item in table.items(list)? {
            each(&item)?;
        }
    }
    Ok(())
}

const SESSION_KEYS: [(&str, SessionType); 7] = [
    ("FirstPractice", SessionType::Practice1),
    ("SecondPractice", SessionType::Practice2),
    ("ThirdPractice", SessionType::Practice3),
    ("SprintQualifying", SessionType::SprintQualifying),
    ("SprintShootout", SessionType::SprintQualifying),
    ("Sprint", SessionType::Sprint),
    ("Qualifying", SessionType::Qualifying),
];

/// `/{season}.json` (or `/{season}/{round}.json`): the calendar.
pub fn schedule(pages: &[(String, Value)]) -> Result<Vec<ScheduledRound>, UpstreamError> {
    let mut rounds: Vec<ScheduledRound> = Vec::new();
    for_each(pages, "RaceTable", "Races", |race| {
        let mut sessions = Vec::new();
        for (key, session) in SESSION_KEYS {
            if let Some(s) = race.opt(key) {
                sessions.push(ScheduledSession { session, date: s.str("date")?, time: s.opt_str("time")? });
            }
        }
        sessions.push(ScheduledSession {
            session: SessionType::Race,
            date: race.str("date")?,
            time: race.opt_str("time")?,
        });
        let round = race.int("round")?;
        if rounds.iter().any(|r| r.round == round) {
            return Err(race.get("round")?.error(format!("round {round} is listed twice")));
        }
        rounds.push(ScheduledRound {
            season: race.int("season")?,
            round,
            name: race.str("raceName")?,
            circuit: circuit(race)?,
            sessions,
        });
        Ok(())
    })?;
    Ok(rounds)
}

/// Ergast's one-letter position codes to the published text. Ergast marks
/// a car that did not start `W` with status "Did not start" (Gasly at
/// Silverstone 2024); the classification (and f1db) says DNS.
fn position_text(text: &str, status: Option<&str>) -> String {
    let numeric = text.bytes().all(|b| b.is_ascii_digit());
    match text {
        _ if !numeric && status == Some("Did not start") => "DNS".into(),
        "D" => "DQ".into(),
        "E" => "EX".into(),
        "F" => "DNQ".into(),
        "N" => "NC".into(),
        other => other.to_string(),
    }
}

/// A round's classification: `list` is `Results`, `SprintResults` or
/// `QualifyingResults`. Answers for other rounds are an error.
pub fn results(
    pages: &[(String, Value)],
    list: &'static str,
    season: i32,
    round: i32,
) -> Result<Vec<ResultLine>, UpstreamError> {
    let mut lines = Vec::new();
    let mut positions = HashSet::new();
    for_each(pages, "RaceTable", "Races", |race| {
        let (s, r) = (race.int("season")?, race.int("round")?);
        if (s, r) != (season, round) {
            return Err(race
                .get("round")?
                .error(format!("answer is for round {r} of {s}, not round {round} of {season}")));
        }
        for line in race.items(list)? {
            let text = line.opt_str("positionText")?.unwrap_or(line.str("position")?);
            // Ergast numbers every row, retirements and non-starters included.
            let position = line.int("position")?;
            if !positions.insert(position) {
                return Err(line.get("position")?.error(format!("position {position} is listed twice")));
            }
            let fastest = line.opt("FastestLap");
            lines.push(ResultLine {
                number: line.opt_int("number")?,
                position,
                position_text: position_text(&text, line.opt_str("status")?.as_deref()),
                points: if line.opt("points").is_some() { line.float("points")? } else { 0.0 },
                driver: driver(&line)?,
                constructor: constructor(&line.get("Constructor")?)?,
                grid: line.opt_int("grid")?,
                laps: line.opt_int("laps")?,
                status: line.opt_str("status")?,
                time: line.opt("Time").map(|t| t.opt_str("time")).transpose()?.flatten(),
                fastest_lap_rank: fastest.as_ref().map(|f| f.opt_int("rank")).transpose()?.flatten(),
                fastest_lap_time: fastest
                    .as_ref()
                    .and_then(|f| f.opt("Time"))
                    .map(|t| t.opt_str("time"))
                    .transpose()?
                    .flatten(),
                q1: line.opt_str("Q1")?,
                q2: line.opt_str("Q2")?,
                q3: line.opt_str("Q3")?,
            });
        }
        Ok(())
    })?;
    Ok(lines)
}

/// `/{season}/{round}/driverStandings.json` (or the season's latest);
/// None when the season has no standings yet.
pub fn driver_standings(pages: &[(String, Value)]) -> Result<Option<StandingsList<DriverStandingLine>>, UpstreamError> {
    let mut out: Option<StandingsList<DriverStandingLine>> = None;
    for_each(pages, "StandingsTable", "StandingsLists", |list| {
        let target =
            out.get_or_insert(StandingsList { season: list.int("season")?, round: list.int("round")?, lines: vec![] });
        for line in list.items("DriverStandings")? {
            let mut constructors = Vec::new();
            for c in line.items("Constructors")? {
                constructors.push(constructor(&c)?);
            }
            target.lines.push(DriverStandingLine {
                position: line.opt_int("position")?,
                position_text: position_text(&line.str("positionText")?, None),
                points: line.float("points")?,
                wins: line.int("wins")?,
                driver: driver(&line)?,
                constructors,
            });
        }
        Ok(())
    })?;
    Ok(out)
}

/// `/{season}/{round}/constructorStandings.json`; None before 1958 or
/// before the first race.
pub fn constructor_standings(
    pages: &[(String, Value)],
) -> Result<Option<StandingsList<ConstructorStandingLine>>, UpstreamError> {
    let mut out: Option<StandingsList<ConstructorStandingLine>> = None;
    for_each(pages, "StandingsTable", "StandingsLists", |list| {
        let target =
            out.get_or_insert(StandingsList { season: list.int("season")?, round: list.int("round")?, lines: vec![] });
        for line in list.items("ConstructorStandings")? {
            target.lines.push(ConstructorStandingLine {
                position: line.opt_int("position")?,
                position_text: position_text(&line.str("positionText")?, None),
                points: line.float("points")?,
                wins: line.int("wins")?,
                constructor: constructor(&line.get("Constructor")?)?,
            });
        }
        Ok(())
    })?;
    Ok(out)
}
