//! Playing a what-if onto the season (needs the proto records).
use protobuf::v1::{Round, RoundFormat, Session, SessionResult, SessionStatus, SessionType, Standings};

use super::{HypotheticalSession, MAX_ORDER, Outcome, SideOutcome, WhatIf, WhatIfRequest};
use crate::calendar::{self, Slot, SlotState};
use crate::fight;
use crate::model::{ScoringSession, SessionRef};
use crate::report;
use crate::rules::{PointsRules, Scoring};
use crate::table::{self, Checkpoint, Table};

/// A request that does not fit the season, with the field that is wrong
/// (`sessions[1].order[3]`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid { field: field.into(), message: message.into() }
}

fn kind_of(s: ScoringSession) -> Scoring {
    match s {
        ScoringSession::Sprint => Scoring::Sprint,
        ScoringSession::Race => Scoring::Race,
    }
}

/// Plays `request` onto the season and analyses the outcome.
pub fn what_if(
    year: i32,
    total_rounds: i32,
    rounds: &[Round],
    standings: &[Standings],
    request: &WhatIfRequest,
) -> Result<WhatIf, Invalid> {
    let rules = PointsRules::for_season(year).ok_or_else(|| invalid("year", "no championship that year"))?;
    let slots = calendar::slots(rounds, total_rounds);
    let remaining: Vec<(i32, Scoring)> =
        slots.iter().filter(|s| s.state == SlotState::Remaining).map(|s| (s.round, s.kind)).collect();
    if request.sessions.is_empty() {
        return Err(invalid("sessions", "give at least one session"));
    }
    if request.sessions.len() > remaining.len() {
        return Err(invalid("sessions", format!("at most the {} sessions still to come", remaining.len())));
    }
    let now = table::timeline(&rules, &slots, standings).pop();
    let drivers_now = match &now {
        Some(c) => c.drivers.clone(),
        None => table::from_standings(&rules, standings.iter().max_by_key(|s| s.round)).0,
    };
    let last = slots.last().map_or(0, |s| s.round);
    let mut rounds = rounds.to_vec();
    let mut seen = Vec::new();
    for (i, h) in request.sessions.iter().enumerate() {
        let field = format!("sessions[{i}]");
        let kind = kind_of(h.session);
        if !remaining.contains(&(h.round, kind)) {
            return Err(invalid(format!("{field}.round"), "not a session still to come this season"));
        }
        if seen.contains(&(h.round, kind)) {
            return Err(invalid(format!("{field}.round"), "the same session twice"));
        }
        seen.push((h.round, kind));
        let results = hypothetical(&rules, &drivers_now, h, last, &field)?;
        place(&mut rounds, year, h.round, kind, results);
    }
    let championship = report::analyse(year, total_rounds, &rounds, standings);
    let outcomes = outcomes(&rules, &calendar::slots(&rounds, total_rounds), standings, &seen);
    Ok(WhatIf { season: year, outcomes, championship })
}

/// The results of one hypothetical session, with their points.
fn hypothetical(
    rules: &PointsRules,
    drivers: &Table,
    h: &HypotheticalSession,
    last: i32,
    field: &str,
) -> Result<Vec<SessionResult>, Invalid> {
    if h.order.is_empty() || h.order.len() > MAX_ORDER {
        return Err(invalid(format!("{field}.order"), format!("give between 1 and {MAX_ORDER} driver ids")));
    }
    let mut results = Vec::with_capacity(h.order.len());
    for (j, id) in h.order.iter().enumerate() {
        let Some(e) = drivers.get(id) else {
            return Err(invalid(format!("{field}.order[{j}]"), "not a driver of this season"));
        };
        if h.order[..j].contains(id) {
            return Err(invalid(format!("{field}.order[{j}]"), "the same driver twice"));
        }
        results.push(SessionResult {
            position: j as i32 + 1,
            position_text: (j + 1).to_string(),
            driver_id: e.id.clone(),
            driver_code: e.code.clone(),
            driver_name: e.name.clone(),
            constructor_id: e.team_id.clone(),
            team: e.team.clone(),
            fastest_lap: h.fastest_lap.as_deref() == Some(id.as_str()),
            ..Default::default()
        });
    }
    if let Some(f) = &h.fastest_lap
        && !h.order.contains(f)
    {
        return Err(invalid(format!("{field}.fastest_lap"), "must be one of the drivers in the order"));
    }
    let at = crate::scoring::At { round: h.round, kind: kind_of(h.session), final_round: h.round == last };
    let points = rules.driver_points(at, &results);
    for (r, p) in results.iter_mut().zip(points) {
        r.points = p;
    }
    Ok(results)
}

/// Stores `results` as the finished session `kind` of `round`.
fn place(rounds: &mut Vec<Round>, year: i32, round: i32, kind: Scoring, results: Vec<SessionResult>) {
    let i = match rounds.iter().position(|r| r.round == round) {
        Some(i) => i,
        None => {
            rounds.push(Round { season: year, round, name: format!("Round {round}"), ..Default::default() });
            rounds.len() - 1
        }
    };
    let r = &mut rounds[i];
    let t = if kind == Scoring::Race { SessionType::Race } else { SessionType::Sprint };
    if kind == Scoring::Sprint {
        r.format = RoundFormat::Sprint as i32;
    }
    let session = Session {
        season: year,
        round,
        r#type: t as i32,
        status: SessionStatus::Finished as i32,
        results,
        ..Default::default()
    };
    match r.sessions.iter_mut().find(|s| s.r#type == t as i32) {
        Some(s) => *s = Session { date: s.date.clone(), start_time: s.start_time, ..session },
        None => r.sessions.push(session),
    }
}

/// Who became champion or was eliminated at each of the `played` sessions.
fn outcomes(
    rules: &PointsRules,
    slots: &[Slot<'_>],
    standings: &[Standings],
    played: &[(i32, Scoring)],
) -> Vec<Outcome> {
    let checkpoints = table::timeline(rules, slots, standings);
    // Seen from a checkpoint, later hypothetical sessions are still to come.
    let remaining_after = |slot: usize| report::remaining_after(slots, Some(slot));
    let mut out = Vec::new();
    for (k, c) in checkpoints.iter().enumerate() {
        let slot = &slots[c.slot];
        if !played.contains(&(slot.round, slot.kind)) {
            continue;
        }
        let before = k.checked_sub(1).map(|p| &checkpoints[p]);
        let side = |pick: fn(&Checkpoint) -> &Table| -> SideOutcome {
            let now = fight::assess(pick(c), rules, &remaining_after(c.slot));
            let earlier = before.map(|b| (fight::assess(pick(b), rules, &remaining_after(b.slot)), b));
            let was_clinched = earlier.as_ref().is_some_and(|(a, _)| a.clinched);
            let could: Vec<&str> = match &earlier {
                Some((a, _)) => a.contenders.iter().filter(|x| x.can_win).map(|x| x.entry.id.as_str()).collect(),
                None => pick(c).ranked().iter().map(|e| e.id.as_str()).collect(),
            };
            let eliminated = now
                .contenders
                .iter()
                .filter(|x| !x.can_win && could.contains(&x.entry.id.as_str()))
                .map(|x| x.entry.id.clone())
                .collect();
            SideOutcome {
                leader: now.leader().map(|l| l.id.clone()),
                champion: (now.clinched && !was_clinched).then(|| now.leader().map(|l| l.id.clone())).flatten(),
                eliminated,
            }
        };
        out.push(Outcome {
            session: SessionRef::of(slot),
            drivers: side(|c| &c.drivers),
            constructors: rules.constructors.is_some().then(|| side(|c| &c.constructors)),
        });
    }
    out
}
