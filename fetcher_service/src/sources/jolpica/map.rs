//! Parsed Ergast records to the proto model, in stable ids. What Jolpica
//! does not know (course length, official name, practice results) is kept
//! from the stored round, so a Jolpica sync never erases another source's data.
use std::collections::HashMap;

use protobuf::domain::utc_instant;
use protobuf::provenance::is_classified;
use protobuf::v1::{
    ConstructorStanding, DriverStanding, Provenance, ResultSource, Round, RoundFormat, Session, SessionResult,
    SessionStatus, SessionType, Standings,
};

use super::ids::Resolver;
use super::json::invalid;
use super::parse::{ConstructorStandingLine, DriverStandingLine, ResultLine, ScheduledRound, StandingsList};
use crate::colours::team_colour;
use crate::tally::SeasonTally;
use crate::upstream::UpstreamError;

/// Car numbers known for the season (stored results and standings), for
/// answers that lack them.
pub type Numbers = HashMap<String, i32>;

/// The stored driver's name (every source's records then agree), else Ergast's.
fn display_name(stored: Option<&protobuf::v1::Driver>, given: &str, family: &str) -> String {
    stored.map(|d| d.full_name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| format!("{given} {family}"))
}

/// One classification. `list` names the answer's list (`Results`, ...) in errors.
pub fn results(
    url: &str,
    list: &str,
    kind: SessionType,
    lines: &[ResultLine],
    resolver: &mut Resolver,
    numbers: &Numbers,
) -> Result<Vec<SessionResult>, UpstreamError> {
    let racing = kind.scores_points();
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let driver_id = resolver.driver(&l.driver);
        let constructor_id = resolver.constructor(&l.constructor);
        let stored = resolver.stored_driver(&driver_id);
        let number = l.number.or_else(|| numbers.get(&driver_id).copied()).filter(|n| *n > 0).ok_or_else(|| {
            invalid(
                url,
                format!("{list}[{i}].number"),
                format!("no car number for driver `{}`, in the answer or in the stored season", l.driver.id),
            )
        })?;
        let code = l.driver.code.clone().or_else(|| stored.map(|d| d.code.clone())).unwrap_or_default();
        let (time, gap) = if racing {
            match (&l.time, l.position) {
                (Some(t), 1) => (t.clone(), String::new()),
                (Some(t), _) => (t.clone(), t.clone()),
                // Lapped cars have no time; their status reads "+1 Lap".
                (None, _) => match l.status.as_deref() {
                    Some(s) if s.starts_with('+') => (s.to_string(), s.to_string()),
                    _ => (String::new(), String::new()),
                },
            }
        } else {
            (
                l.q3.clone()
                    .or_else(|| l.q2.clone())
                    .or_else(|| l.q1.clone())
                    .or_else(|| l.time.clone())
                    .unwrap_or_default(),
                String::new(),
            )
        };
        let fastest_lap = kind == SessionType::Race && l.fastest_lap_rank == Some(1);
        out.push(SessionResult {
            position: l.position,
            position_text: l.position_text.clone(),
            driver_number: number,
            driver_code: code,
            driver_name: display_name(stored, &l.driver.given_name, &l.driver.family_name),
            team: resolver.constructor_name(&constructor_id).unwrap_or(&l.constructor.name).to_string(),
            driver_id,
            constructor_id,
            time,
            gap,
            laps: l.laps.unwrap_or(0),
            status: if racing { l.status.clone().unwrap_or_default() } else { String::new() },
            points: if racing { l.points } else { 0.0 },
            grid: if racing { l.grid.unwrap_or(0) } else { 0 },
            q1: l.q1.clone().unwrap_or_default(),
            q2: l.q2.clone().unwrap_or_default(),
            q3: l.q3.clone().unwrap_or_default(),
            fastest_lap,
            fastest_lap_time: if fastest_lap { l.fastest_lap_time.clone().unwrap_or_default() } else { String::new() },
            interval: String::new(),
            classified: is_classified(&l.position_text),
            // Each driver's own fastest lap (its lap number is not parsed).
            best_lap_rank: if racing { l.fastest_lap_rank.unwrap_or(0) } else { 0 },
            best_lap_number: 0,
            best_lap_time: if racing { l.fastest_lap_time.clone().unwrap_or_default() } else { String::new() },
        });
    }
    Ok(out)
}

/// A session of `round`: its schedule from the calendar, its results when
/// given, else the stored session's results (another source's).
pub fn session(
    sched: &ScheduledRound,
    kind: SessionType,
    results: Vec<SessionResult>,
    stored: Option<&Session>,
) -> Session {
    let scheduled = sched.session(kind);
    let date = scheduled.map(|s| s.date.clone()).or_else(|| stored.map(|s| s.date.clone())).unwrap_or_default();
    let start_time = scheduled
        .and_then(|s| s.time.as_deref().and_then(|t| utc_instant(&s.date, t)))
        .or_else(|| stored.and_then(|s| s.start_time));
    let (results, status, provenance) = if !results.is_empty() {
        (results, SessionStatus::Finished as i32, Some(Provenance::from_source(ResultSource::Jolpica)))
    } else if let Some(s) = stored.filter(|s| !s.results.is_empty()) {
        (s.results.clone(), s.status, s.provenance)
    } else {
        (Vec::new(), SessionStatus::Scheduled as i32, None)
    };
    let finished = status == SessionStatus::Finished as i32;
    let total_laps = match stored.map(|s| s.total_laps).filter(|l| *l > 0) {
        Some(l) => l,
        None if kind.scores_points() => results.iter().map(|r| r.laps).max().unwrap_or(0),
        None => 0,
    };
    Session {
        season: sched.season,
        round: sched.round,
        r#type: kind as i32,
        date,
        start_time,
        status,
        total_laps,
        current_laps: if finished { total_laps } else { 0 },
        results,
        provenance,
    }
}

/// The round record (without sessions), keeping what only f1db knows.
pub fn round(sched: &ScheduledRound, circuit_id: String, stored: Option<&Round>) -> Round {
    let sprint = sched.session(SessionType::Sprint).is_some();
    let first_date = sched.sessions.iter().map(|s| s.date.as_str()).min().unwrap_or_default().to_string();
    let date = sched.race_date().to_string();
    let keep = |f: fn(&Round) -> String| stored.map(f).unwrap_or_default();
    Round {
        season: sched.season,
        round: sched.round,
        name: sched.name.clone(),
        official_name: keep(|r| r.official_name.clone()),
        grand_prix_id: keep(|r| r.grand_prix_id.clone()),
        circuit_id,
        circuit: None,
        format: if sprint { RoundFormat::Sprint } else { RoundFormat::Conventional } as i32,
        first_date,
        end_date: date.clone(),
        date,
        course_length_km: stored.map_or(0.0, |r| r.course_length_km),
        turns: stored.map_or(0, |r| r.turns),
        laps: stored.map_or(0, |r| r.laps),
        distance_km: stored.map_or(0.0, |r| r.distance_km),
        sessions: Vec::new(),
    }
}

/// Standings after one round, enriched with `tally` (the season's race
/// results up to that round); Ergast's own win count is kept.
pub fn standings(
    season: i32,
    drivers: StandingsList<DriverStandingLine>,
    constructors: Option<StandingsList<ConstructorStandingLine>>,
    resolver: &mut Resolver,
    tally: &SeasonTally,
) -> Standings {
    let round = drivers.round;
    let drivers = drivers
        .lines
        .iter()
        .map(|l| {
            let id = resolver.driver(&l.driver);
            let team = l.constructors.last().map(|c| resolver.constructor(c)).unwrap_or_default();
            let t = tally.driver(&id);
            let number = tally
                .last_team(&id)
                .map(|(_, n)| n)
                .or(l.driver.permanent_number)
                .or_else(|| resolver.stored_driver(&id).map(|d| d.permanent_number))
                .unwrap_or(0);
            DriverStanding {
                position: l.position.unwrap_or(0),
                position_text: l.position_text.clone(),
                driver_number: number,
                driver_code: l.driver.code.clone().unwrap_or_default(),
                driver_name: display_name(resolver.stored_driver(&id), &l.driver.given_name, &l.driver.family_name),
                nationality: l.driver.nationality.clone().unwrap_or_default(),
                team: resolver.constructor_name(&team).unwrap_or_default().to_string(),
                team_color: if team.is_empty() { String::new() } else { team_colour(&team).to_string() },
                constructor_id: team,
                driver_id: id,
                points: l.points,
                wins: l.wins,
                podiums: t.podiums,
                poles: t.poles,
                fastest_laps: t.fastest_laps,
                dnfs: t.dnfs,
                races: t.races,
            }
        })
        .collect();
    let constructors = constructors
        .map(|c| c.lines)
        .unwrap_or_default()
        .iter()
        .map(|l| {
            let id = resolver.constructor(&l.constructor);
            let t = tally.constructor(&id);
            ConstructorStanding {
                position: l.position.unwrap_or(0),
                position_text: l.position_text.clone(),
                name: resolver.constructor_name(&id).unwrap_or(&l.constructor.name).to_string(),
                nationality: l.constructor.nationality.clone().unwrap_or_default(),
                color: team_colour(&id).to_string(),
                constructor_id: id,
                points: l.points,
                wins: l.wins,
                podiums: t.podiums,
                poles: t.poles,
                fastest_laps: t.fastest_laps,
                dnfs: t.dnfs,
                races: t.races,
            }
        })
        .collect();
    Standings { season, round, drivers, constructors, provenance: Some(Provenance::from_source(ResultSource::Jolpica)) }
}
