//! The live order played as a result (needs the proto records).
use protobuf::v1::{LiveSessionState, Round, SessionStatus, SessionType, Standings};

use super::AsItStands;
use crate::model::{Championship, ScoringSession, SessionRef};
use crate::whatif::{self, HypotheticalSession, Invalid, WhatIfRequest};

/// The live order of `round`'s `session`, driver ids leader first.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveOrder {
    pub round: i32,
    pub session: ScoringSession,
    pub order: Vec<String>,
    pub fastest_lap: Option<String>,
    pub unplaced: Vec<i32>,
    pub lap: i32,
    pub total_laps: i32,
}

/// The live order of `board` when it is a race or sprint of `year` being
/// run, its cars named by the driver ids of the season's latest standings
/// (by car number, else by code); the car with the best lap gets the
/// fastest lap. `None` when no race or sprint of `year` is live.
pub fn live_order(year: i32, board: &LiveSessionState, standings: &[Standings]) -> Option<LiveOrder> {
    let session = match SessionType::try_from(board.session_type).ok()? {
        SessionType::Race => ScoringSession::Race,
        SessionType::Sprint => ScoringSession::Sprint,
        _ => return None,
    };
    if board.season != year || board.status != SessionStatus::Live as i32 {
        return None;
    }
    let drivers = standings.iter().max_by_key(|s| s.round).map(|s| s.drivers.as_slice()).unwrap_or_default();
    let id_of = |number: i32, code: &str| {
        let by_number = drivers.iter().find(|d| d.driver_number == number && number > 0);
        let by_code = || drivers.iter().find(|d| !code.is_empty() && d.driver_code == code);
        by_number.or_else(by_code).map(|d| d.driver_id.clone())
    };
    let mut cars: Vec<_> = board.leaderboard.iter().collect();
    cars.sort_by_key(|d| d.position);
    let (mut order, mut unplaced, mut fastest): (Vec<String>, Vec<i32>, Option<(u64, String)>) = Default::default();
    for car in cars {
        let Some(id) = id_of(car.driver_number, &car.driver_code) else {
            unplaced.push(car.driver_number);
            continue;
        };
        if order.contains(&id) {
            continue;
        }
        if let Some(ms) = lap_millis(&car.best_lap)
            && fastest.as_ref().is_none_or(|(best, _)| ms < *best)
        {
            fastest = Some((ms, id.clone()));
        }
        order.push(id);
    }
    Some(LiveOrder {
        round: board.round,
        session,
        order,
        fastest_lap: fastest.map(|(_, id)| id),
        unplaced,
        lap: board.current_lap,
        total_laps: board.total_laps,
    })
}

/// `1:45.412` or `45.412` in milliseconds.
fn lap_millis(text: &str) -> Option<u64> {
    let (minutes, seconds) = text.split_once(':').unwrap_or(("0", text));
    let (whole, frac) = seconds.split_once('.')?;
    let (m, s, f): (u64, u64, u64) = (minutes.parse().ok()?, whole.parse().ok()?, frac.parse().ok()?);
    (frac.len() == 3).then_some(m * 60_000 + s * 1000 + f)
}

/// The title fight if `live` finished now, and what it says. Invalid when
/// the live session is not one still to come in the stored calendar (its
/// result is already stored) or its order names no driver of the season.
pub fn as_it_stands(
    year: i32,
    total_rounds: i32,
    rounds: &[Round],
    standings: &[Standings],
    live: LiveOrder,
) -> Result<(Championship, AsItStands), Invalid> {
    let request = WhatIfRequest {
        sessions: vec![HypotheticalSession {
            round: live.round,
            session: live.session,
            order: live.order.clone(),
            fastest_lap: live.fastest_lap,
        }],
    };
    let played = whatif::what_if(year, total_rounds, rounds, standings, &request)?;
    let outcome = played.outcomes.into_iter().next();
    let champion = outcome.as_ref().and_then(|o| o.drivers.champion.clone());
    let name_of = |id: &str| {
        let fight = played.championship.drivers.as_ref();
        fight.and_then(|f| f.standings.iter().find(|c| c.id == id)).map_or_else(|| id.to_string(), |c| c.name.clone())
    };
    let kind = match live.session {
        ScoringSession::Race => "race",
        ScoringSession::Sprint => "sprint",
    };
    let note = match (&champion, played.championship.drivers.as_ref()) {
        (Some(id), _) => format!("If the {kind} finished now, {} would be champion.", name_of(id)),
        (None, Some(f)) => match (f.standings.first(), f.standings.get(1)) {
            (Some(first), Some(second)) => format!(
                "If the {kind} finished now, {} would lead {} by {} points.",
                first.name,
                second.name,
                points(first.points - second.points)
            ),
            _ => format!("If the {kind} finished now, nobody would be champion yet."),
        },
        (None, None) => format!("If the {kind} finished now, nobody would be champion yet."),
    };
    let session = outcome.map(|o| o.session).unwrap_or(SessionRef {
        round: live.round,
        name: String::new(),
        session: live.session,
        date: None,
    });
    let stands = AsItStands {
        session,
        lap: live.lap,
        total_laps: live.total_laps,
        order: live.order,
        unplaced: live.unplaced,
        champion,
        note,
    };
    Ok((played.championship, stands))
}

/// `25`, `12.5`: points as people write them.
fn points(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") }
}
