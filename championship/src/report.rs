//! The `/championship` answer: assembles the calendar, the tables and the
//! analysis into what a reader wants to know.
use protobuf::v1::{Round, Standings};

use super::calendar::{self, Slot, SlotState};
use super::describe;
use super::fight;
use super::needs;
use super::rules::{FIRST_SEASON, PointsRules, Scoring};
use super::table::{self, Checkpoint, Table};
pub use crate::model::*;

fn not_modelled(year: i32) -> Championship {
    Championship {
        season: year,
        modelled: false,
        note: Some(format!("there was no world championship before {FIRST_SEASON}")),
        rules: None,
        after: None,
        next_session: None,
        remaining: None,
        drivers: None,
        constructors: None,
    }
}

/// The scoring sessions still to come as seen after `done` (an index into
/// `slots`; None before any): later ones not cancelled, and earlier ones
/// still outstanding (postponed).
pub(crate) fn remaining_after<'s, 'a>(slots: &'s [Slot<'a>], done: Option<usize>) -> Vec<&'s Slot<'a>> {
    slots
        .iter()
        .enumerate()
        .filter(|(i, s)| match done {
            Some(d) if *i < d => s.state == SlotState::Remaining,
            Some(d) if *i == d => false,
            _ => s.state != SlotState::Cancelled,
        })
        .map(|(_, s)| s)
        .collect()
}

/// The title fight of season `year`, from its rounds (with sessions and
/// results) and its standings after each round.
pub fn analyse(year: i32, total_rounds: i32, rounds: &[Round], standings: &[Standings]) -> Championship {
    let Some(rules) = PointsRules::for_season(year) else { return not_modelled(year) };
    let slots = calendar::slots(rounds, total_rounds);
    let checkpoints = table::timeline(&rules, &slots, standings);
    let last_done = checkpoints.last().map(|c| c.slot);
    let remaining: Vec<&Slot> = slots.iter().filter(|s| s.state == SlotState::Remaining).collect();
    let (drivers_now, constructors_now) = match checkpoints.last() {
        Some(c) => (c.drivers.clone(), c.constructors.clone()),
        None => table::from_standings(&rules, standings.iter().max_by_key(|s| s.round)),
    };
    let fight_of =
        |now: &Table, pick: fn(&Checkpoint) -> &Table| title_fight(now, &rules, &slots, &remaining, &checkpoints, pick);
    Championship {
        season: year,
        modelled: true,
        note: rules
            .constructors
            .is_none()
            .then(|| format!("no constructors' championship before {}", super::rules::FIRST_CONSTRUCTORS_SEASON)),
        after: last_done.map(|i| SessionRef::of(&slots[i])),
        next_session: remaining.first().map(|s| SessionRef::of(s)),
        remaining: Some(RemainingSessions {
            races: remaining.iter().filter(|s| s.kind == Scoring::Race).count() as u32,
            sprints: remaining.iter().filter(|s| s.kind == Scoring::Sprint).count() as u32,
        }),
        drivers: Some(fight_of(&drivers_now, |c| &c.drivers)),
        constructors: rules.constructors.is_some().then(|| fight_of(&constructors_now, |c| &c.constructors)),
        rules: Some(rules.clone()),
    }
}

fn title_fight(
    now: &Table,
    rules: &PointsRules,
    slots: &[Slot<'_>],
    remaining: &[&Slot<'_>],
    checkpoints: &[Checkpoint],
    pick: fn(&Checkpoint) -> &Table,
) -> TitleFight {
    let assessment = fight::assess(now, rules, remaining);
    let leader = assessment.leader();
    let clinched_at = if assessment.clinched {
        leader.and_then(|l| clinch_point(rules, slots, checkpoints, pick, &l.id)).map(|i| SessionRef::of(&slots[i]))
    } else {
        None
    };
    // An entry known only by id (no name stored) is called by its id.
    let name_of =
        |id: &str| now.get(id).map(|e| e.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| id.to_string());
    let contender_needs = |id: &str| -> Option<ContenderNeeds> {
        let (next, after) = remaining.split_first()?;
        let n = needs::needs(now, rules, id, next, after)?;
        Some(describe::contender_needs(&name_of(id), SessionRef::of(next), n, rules, next.kind, &name_of))
    };
    let leader_needs = match leader {
        Some(l) if !assessment.clinched => contender_needs(&l.id).map(|n| describe::leader_needs(&name_of(&l.id), n)),
        _ => None,
    };
    let leader_points = leader.map_or(0.0, |l| l.points);
    let standings = assessment
        .contenders
        .iter()
        .map(|c| {
            let open = c.can_win && !assessment.clinched;
            Contender {
                position: c.position as u32,
                id: c.entry.id.clone(),
                name: c.entry.name.clone(),
                code: Some(c.entry.code.clone()).filter(|s| !s.is_empty()),
                team: Some(c.entry.team.clone()).filter(|s| !s.is_empty()),
                points: c.entry.points,
                total_points: c.entry.total.max(c.entry.points),
                max_points: c.max_points,
                gap_to_leader: leader_points - c.entry.points,
                wins: c.entry.wins(),
                can_win: c.can_win,
                needs_countback: c.needs_countback,
                needs: if open { contender_needs(&c.entry.id) } else { None },
                earliest_clinch: if open {
                    needs::earliest_clinch(now, rules, &c.entry.id, remaining).map(|k| SessionRef::of(remaining[k]))
                } else {
                    None
                },
                margin_to_leader: match remaining.split_first() {
                    Some((_, after)) if open && c.position > 1 => {
                        let most_after = fight::gain(now, c.entry, &fight::maxima(rules, now.side, after));
                        Some(most_after - (leader_points - c.entry.points))
                    }
                    _ => None,
                },
            }
        })
        .collect();
    TitleFight {
        leader: leader.map(|l| l.id.clone()),
        leader_name: leader.map(|l| l.name.clone()),
        clinched: assessment.clinched,
        clinched_at,
        dropped_scores_note: describe::dropped_scores(rules, now),
        leader_needs,
        standings,
    }
}

/// The slot of the earliest checkpoint from which `leader` led with the
/// title clinched at every later checkpoint.
fn clinch_point(
    rules: &PointsRules,
    slots: &[Slot<'_>],
    checkpoints: &[Checkpoint],
    pick: fn(&Checkpoint) -> &Table,
    leader: &str,
) -> Option<usize> {
    let mut earliest = None;
    for c in checkpoints.iter().rev() {
        let remaining = remaining_after(slots, Some(c.slot));
        let a = fight::assess(pick(c), rules, &remaining);
        if a.clinched && a.leader().is_some_and(|l| l.id == leader) {
            earliest = Some(c.slot);
        } else {
            break;
        }
    }
    earliest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_1950_there_was_no_championship() {
        let c = analyse(1949, 0, &[], &[]);
        assert!(!c.modelled);
        assert!(c.drivers.is_none());
    }

    #[test]
    fn an_empty_season_has_everything_to_come() {
        let c = analyse(2026, 24, &[], &[]);
        assert_eq!(c.remaining, Some(RemainingSessions { races: 24, sprints: 0 }));
        assert_eq!(c.next_session.unwrap().round, 1);
        assert_eq!(c.drivers.unwrap().leader, None);
    }
}
