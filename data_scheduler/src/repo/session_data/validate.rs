//! What a bad writer would trip: keys, the link to our calendar, and the
//! numbers every record is found by (driver, lap, position). Not every
//! field: the records are the feed's, and a missing time is a fact.
use protobuf::v1::{SessionData, SessionDataFilter, SessionDataKey, SessionType};
use protobuf::{DomainError, RoundNumber, Year};

use super::parts;
use crate::repo::Result;

/// Where the records came from (`SessionData.source`).
pub const SOURCES: [&str; 2] = ["archive", "live"];

fn invalid(field: impl Into<String>, message: impl Into<String>) -> DomainError {
    DomainError::invalid(field, message)
}

fn positive(field: &str, value: i64) -> Result<()> {
    if value > 0 { Ok(()) } else { Err(invalid(field, format!("must be at least 1, not {value}"))) }
}

/// Each record of `records` (named `kind[i]`) passes `check`, which names
/// the failing field (`driver_number`) and says why.
fn each<T>(
    kind: &str,
    records: &[T],
    check: impl Fn(&T) -> std::result::Result<(), (&'static str, String)>,
) -> Result<()> {
    for (i, r) in records.iter().enumerate() {
        check(r).map_err(|(field, message)| invalid(format!("{kind}[{i}].{field}"), message))?;
    }
    Ok(())
}

fn at_least(field: &'static str, value: i64, min: i64) -> std::result::Result<(), (&'static str, String)> {
    if value >= min { Ok(()) } else { Err((field, format!("must be at least {min}, not {value}"))) }
}

fn driver(n: i32) -> std::result::Result<(), (&'static str, String)> {
    at_least("driver_number", i64::from(n), 1)
}

/// Our season, round and type: all three or none.
fn link(season: i32, round: i32, r#type: i32) -> Result<Option<(i32, i32, SessionType)>> {
    let given = [("season", season != 0), ("round", round != 0), ("type", r#type != 0)];
    if given.iter().all(|(_, set)| !set) {
        return Ok(None);
    }
    if let Some((missing, _)) = given.iter().find(|(_, set)| !set) {
        return Err(invalid(*missing, "season, round and type are given together or not at all"));
    }
    let season = Year::parse_field("season", season)?.get();
    let round = RoundNumber::parse_field("round", round)?.get();
    Ok(Some((season, round, SessionType::from_wire(r#type)?)))
}

/// A write's records; returns the year its answers are filed under.
pub fn session_data(d: &SessionData) -> Result<i32> {
    positive("session_key", d.session_key)?;
    positive("meeting_key", d.meeting_key)?;
    link(d.season, d.round, d.r#type)?;
    if !SOURCES.contains(&d.source.as_str()) {
        return Err(invalid("source", format!("`{}` is not one of {}", d.source, SOURCES.join(", "))));
    }
    let year = parts::year_of(d.season, d.session.as_ref().map(|s| s.year), d.meeting.as_ref().map(|m| m.year));
    if d.season == 0 {
        // Not one of our sessions: its own year files it.
        Year::parse_field("session.year", year)?;
    }
    each("drivers", &d.drivers, |r| driver(r.driver_number))?;
    each("laps", &d.laps, |r| driver(r.driver_number).and(at_least("lap_number", r.lap_number.into(), 1)))?;
    each("stints", &d.stints, |r| driver(r.driver_number).and(at_least("stint_number", r.stint_number.into(), 1)))?;
    each("pit", &d.pit, |r| driver(r.driver_number).and(at_least("lap_number", r.lap_number.into(), 1)))?;
    each("race_control", &d.race_control, |r| r.driver_number.map_or(Ok(()), driver))?;
    each("intervals", &d.intervals, |r| driver(r.driver_number))?;
    each("position", &d.position, |r| driver(r.driver_number).and(at_least("position", r.position.into(), 1)))?;
    each("session_result", &d.session_result, |r| driver(r.driver_number))?;
    each("starting_grid", &d.starting_grid, |r| {
        driver(r.driver_number).and(at_least("position", r.position.into(), 1))
    })?;
    each("overtakes", &d.overtakes, |r| {
        at_least("overtaking_driver_number", r.overtaking_driver_number.into(), 1).and(at_least(
            "overtaken_driver_number",
            r.overtaken_driver_number.into(),
            1,
        ))
    })?;
    each("team_radio", &d.team_radio, |r| {
        driver(r.driver_number)?;
        if r.recording_url.is_empty() { Err(("recording_url", "must not be empty".to_string())) } else { Ok(()) }
    })?;
    Ok(year)
}

/// A read's key: F1's `session_key`, or our season, round and type.
pub enum Key {
    SessionKey(i64),
    Link(i32, i32, SessionType),
}

pub fn key(k: &SessionDataKey) -> Result<Key> {
    if k.session_key != 0 {
        positive("session_key", k.session_key)?;
        return Ok(Key::SessionKey(k.session_key));
    }
    match link(k.season, k.round, k.r#type)? {
        Some((season, round, t)) => Ok(Key::Link(season, round, t)),
        None => Err(invalid("session_key", "give a session_key, or a season, round and type")),
    }
}

pub fn filter(f: &SessionDataFilter) -> Result<(Option<i32>, Option<i64>)> {
    let season = f.season.map(|y| Year::parse_field("season", y).map(Year::get)).transpose()?;
    if let Some(m) = f.meeting_key {
        positive("meeting_key", m)?;
    }
    Ok((season, f.meeting_key))
}
