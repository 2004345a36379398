//! Validation of writes: a record that cannot be right fails the whole call
//! with INVALID_ARGUMENT naming the field, before anything is written.
use std::collections::{HashMap, HashSet};

use protobuf::v1::{
    Circuit, CircuitImage, Constructor, Driver, IdAlias, Round, Season, SeasonStatus, Session, SessionStatus,
    SessionType, Standings, User, WriteBatchRequest,
};
use protobuf::{DomainError, RoundNumber, Year};

type Result<T = ()> = std::result::Result<T, DomainError>;

fn invalid(field: String, message: impl Into<String>) -> DomainError {
    DomainError::Invalid { field, message: message.into() }
}

fn non_empty(field: String, value: &str) -> Result {
    if value.trim().is_empty() { Err(invalid(field, "must not be empty")) } else { Ok(()) }
}

fn year(field: String, value: i32) -> Result {
    Year::parse_field(&field, value).map(|_| ())
}

/// Rejects a round number outside the season: below 1, above the maximum,
/// or above the season's `total_rounds` when the season is known.
fn round_in_season(field: String, season: i32, round: i32, totals: &HashMap<i32, i32>) -> Result {
    RoundNumber::parse_field(&field, round)?;
    match totals.get(&season) {
        Some(&total) if total > 0 && round > total => {
            Err(invalid(field, format!("round {round} is outside season {season}, which has {total} rounds")))
        }
        _ => Ok(()),
    }
}

pub fn season(i: usize, s: &Season) -> Result {
    year(format!("seasons[{i}].year"), s.year)?;
    if SeasonStatus::try_from(s.status).is_err() {
        return Err(invalid(format!("seasons[{i}].status"), format!("unknown status {}", s.status)));
    }
    if !(0..=protobuf::domain::MAX_ROUNDS).contains(&s.total_rounds) {
        return Err(invalid(format!("seasons[{i}].total_rounds"), format!("{} is out of range", s.total_rounds)));
    }
    Ok(())
}

pub fn session(field: &str, s: &Session, totals: &HashMap<i32, i32>) -> Result {
    year(format!("{field}.season"), s.season)?;
    round_in_season(format!("{field}.round"), s.season, s.round, totals)?;
    SessionType::from_wire(s.r#type)
        .map_err(|_| invalid(format!("{field}.type"), format!("unknown session type {}", s.r#type)))?;
    if SessionStatus::try_from(s.status).is_err() {
        return Err(invalid(format!("{field}.status"), format!("unknown status {}", s.status)));
    }
    // Every row has its place, 1..N, retirements and non-starters included.
    let mut positions = HashSet::new();
    let n = s.results.len() as i32;
    for (j, r) in s.results.iter().enumerate() {
        let f = format!("{field}.results[{j}]");
        non_empty(format!("{f}.driver_name"), &r.driver_name)?;
        if !(1..=n).contains(&r.position) {
            return Err(invalid(
                format!("{f}.position"),
                format!("{} is not between 1 and {n} (the number of rows)", r.position),
            ));
        }
        if !positions.insert(r.position) {
            return Err(invalid(
                format!("{f}.position"),
                format!("position {} appears twice in one session", r.position),
            ));
        }
    }
    Ok(())
}

pub fn round(i: usize, r: &Round, totals: &HashMap<i32, i32>) -> Result {
    let field = format!("rounds[{i}]");
    year(format!("{field}.season"), r.season)?;
    round_in_season(format!("{field}.round"), r.season, r.round, totals)?;
    non_empty(format!("{field}.name"), &r.name)?;
    non_empty(format!("{field}.circuit_id"), &r.circuit_id)?;
    let mut types = HashSet::new();
    for (j, s) in r.sessions.iter().enumerate() {
        let f = format!("{field}.sessions[{j}]");
        if s.season != r.season || s.round != r.round {
            return Err(invalid(format!("{f}.round"), "a round's session must belong to that round"));
        }
        session(&f, s, totals)?;
        if !types.insert(s.r#type) {
            return Err(invalid(format!("{f}.type"), "session type appears twice in one round"));
        }
    }
    Ok(())
}

pub fn standings(i: usize, s: &Standings, totals: &HashMap<i32, i32>) -> Result {
    let field = format!("standings[{i}]");
    year(format!("{field}.season"), s.season)?;
    round_in_season(format!("{field}.round"), s.season, s.round, totals)?;
    for (j, d) in s.drivers.iter().enumerate() {
        non_empty(format!("{field}.drivers[{j}].driver_id"), &d.driver_id)?;
    }
    for (j, c) in s.constructors.iter().enumerate() {
        non_empty(format!("{field}.constructors[{j}].constructor_id"), &c.constructor_id)?;
    }
    Ok(())
}

pub fn driver(i: usize, d: &Driver) -> Result {
    non_empty(format!("drivers[{i}].id"), &d.id)?;
    non_empty(format!("drivers[{i}].full_name"), &d.full_name)
}

pub fn constructor(i: usize, c: &Constructor) -> Result {
    non_empty(format!("constructors[{i}].id"), &c.id)?;
    non_empty(format!("constructors[{i}].name"), &c.name)?;
    if !c.color.is_empty() && !is_hex_colour(&c.color) {
        return Err(invalid(format!("constructors[{i}].color"), format!("`{}` is not a #rrggbb colour", c.color)));
    }
    Ok(())
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

pub fn circuit(i: usize, c: &Circuit) -> Result {
    non_empty(format!("circuits[{i}].id"), &c.id)?;
    non_empty(format!("circuits[{i}].name"), &c.name)
}

pub fn circuit_image(i: usize, img: &CircuitImage) -> Result {
    non_empty(format!("circuit_images[{i}].circuit_id"), &img.circuit_id)?;
    if img.data.is_empty() {
        return Err(invalid(format!("circuit_images[{i}].data"), "must not be empty"));
    }
    if !img.content_type.starts_with("image/") {
        return Err(invalid(
            format!("circuit_images[{i}].content_type"),
            format!("`{}` is not an image type", img.content_type),
        ));
    }
    Ok(())
}

pub fn alias(i: usize, a: &IdAlias) -> Result {
    for (name, v) in [("kind", &a.kind), ("source", &a.source), ("source_id", &a.source_id), ("id", &a.id)] {
        non_empty(format!("aliases[{i}].{name}"), v)?;
    }
    Ok(())
}

pub fn user(u: &User) -> Result {
    non_empty("id".into(), &u.id)?;
    non_empty("email".into(), &u.email)?;
    if !u.email.contains('@') {
        return Err(invalid("email".into(), "is not an email address"));
    }
    if u.email != u.email.to_lowercase() {
        return Err(invalid("email".into(), "must be lower-case"));
    }
    non_empty("password_hash".into(), &u.password_hash)?;
    if !matches!(u.role.as_str(), "viewer" | "admin") {
        return Err(invalid("role".into(), format!("unknown role `{}` (expected viewer or admin)", u.role)));
    }
    Ok(())
}

/// Every record of a batch; `totals` holds the known `total_rounds` of the
/// seasons its rounds, sessions and standings belong to.
pub fn batch(req: &WriteBatchRequest, totals: &HashMap<i32, i32>) -> Result {
    for (i, s) in req.seasons.iter().enumerate() {
        season(i, s)?;
    }
    for (i, r) in req.rounds.iter().enumerate() {
        round(i, r, totals)?;
    }
    let mut seen = HashSet::new();
    for (i, s) in req.sessions.iter().enumerate() {
        session(&format!("sessions[{i}]"), s, totals)?;
        if !seen.insert((s.season, s.round, s.r#type)) {
            return Err(invalid(format!("sessions[{i}]"), "the same session appears twice in one write"));
        }
    }
    for (i, s) in req.standings.iter().enumerate() {
        standings(i, s, totals)?;
    }
    for (i, d) in req.drivers.iter().enumerate() {
        driver(i, d)?;
    }
    for (i, c) in req.constructors.iter().enumerate() {
        constructor(i, c)?;
    }
    for (i, c) in req.circuits.iter().enumerate() {
        circuit(i, c)?;
    }
    for (i, img) in req.circuit_images.iter().enumerate() {
        circuit_image(i, img)?;
    }
    for (i, a) in req.aliases.iter().enumerate() {
        alias(i, a)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use protobuf::v1::SessionResult;

    fn result(pos: i32, name: &str) -> SessionResult {
        SessionResult { position: pos, driver_name: name.into(), ..Default::default() }
    }

    fn race(results: Vec<SessionResult>) -> Session {
        Session { season: 2024, round: 1, r#type: SessionType::Race as i32, results, ..Default::default() }
    }

    fn field_of(e: DomainError) -> String {
        match e {
            DomainError::Invalid { field, .. } => field,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn duplicate_position_names_the_result() {
        let req =
            WriteBatchRequest { sessions: vec![race(vec![result(1, "A"), result(1, "B")])], ..Default::default() };
        assert_eq!(field_of(batch(&req, &HashMap::new()).unwrap_err()), "sessions[0].results[1].position");
    }

    #[test]
    fn every_row_has_a_position_from_one_to_n() {
        let ok = WriteBatchRequest { sessions: vec![race(vec![result(2, "A"), result(1, "B")])], ..Default::default() };
        assert!(batch(&ok, &HashMap::new()).is_ok());
        for bad in [0, 3] {
            let req = WriteBatchRequest {
                sessions: vec![race(vec![result(1, "A"), result(bad, "B")])],
                ..Default::default()
            };
            assert_eq!(field_of(batch(&req, &HashMap::new()).unwrap_err()), "sessions[0].results[1].position");
        }
    }

    #[test]
    fn empty_driver_name_is_rejected() {
        let req = WriteBatchRequest { sessions: vec![race(vec![result(1, " ")])], ..Default::default() };
        assert_eq!(field_of(batch(&req, &HashMap::new()).unwrap_err()), "sessions[0].results[0].driver_name");
    }

    #[test]
    fn round_beyond_a_known_season_is_rejected() {
        let r = Round { season: 2024, round: 25, name: "X".into(), circuit_id: "c".into(), ..Default::default() };
        let req = WriteBatchRequest { rounds: vec![r], ..Default::default() };
        assert!(batch(&req, &HashMap::new()).is_ok());
        assert_eq!(field_of(batch(&req, &HashMap::from([(2024, 24)])).unwrap_err()), "rounds[0].round");
    }
}
