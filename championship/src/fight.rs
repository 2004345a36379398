//! Who can still win, whether the leader has clinched, and what the leader
//! needs at the next session: pure functions over a [`Table`] and the
//! scoring sessions still to come.
use std::cmp::Ordering;

use super::calendar::Slot;
use super::rules::{PointsRules, Scoring, Side};
use super::table::{Entry, Table, countback};

/// The most a driver or constructor can add over `remaining`.
pub fn remaining_max(rules: &PointsRules, side: Side, remaining: &[&Slot<'_>]) -> f64 {
    remaining.iter().map(|s| rules.session_max(side, s.kind, s.final_round)).sum()
}

fn races(remaining: &[&Slot<'_>]) -> u32 {
    remaining.iter().filter(|s| s.kind == Scoring::Race).count() as u32
}

/// The countback record of `counts` after winning every one of `races`
/// (a constructor: finishing first and second in each).
fn best_counts(side: Side, counts: &[u32], races: u32) -> Vec<u32> {
    let mut out = counts.to_vec();
    out.resize(out.len().max(2), 0);
    out[0] += races;
    if side == Side::Constructors {
        out[1] += races;
    }
    out
}

fn with_finish(counts: &[u32], position: u32) -> Vec<u32> {
    let mut out = counts.to_vec();
    if position > 0 {
        let i = position as usize - 1;
        out.resize(out.len().max(i + 1), 0);
        out[i] += 1;
    }
    out
}

/// Whether a rival reaching `max` points with countback record `best` can
/// finish ahead of (or level with, undecided by countback) a competitor on
/// `points` with record `counts`. A tie on points goes to countback.
fn can_reach(max: f64, best: &[u32], points: f64, counts: &[u32]) -> bool {
    match max.total_cmp(&points) {
        Ordering::Greater => true,
        Ordering::Equal => countback(best, counts) != Ordering::Less,
        Ordering::Less => false,
    }
}

#[derive(Debug, Clone)]
pub struct Contender<'a> {
    pub entry: &'a Entry,
    pub position: usize,
    pub max_points: f64,
    pub can_win: bool,
    /// Can only win by drawing level with the leader and winning countback.
    pub needs_countback: bool,
}

#[derive(Debug, Clone)]
pub struct Assessment<'a> {
    /// Best first; the first is the leader.
    pub contenders: Vec<Contender<'a>>,
    /// No one else can still finish ahead of the leader.
    pub clinched: bool,
}

impl Assessment<'_> {
    pub fn leader(&self) -> Option<&Entry> {
        self.contenders.first().map(|c| c.entry)
    }
}

/// The title fight in `table` with `remaining` scoring sessions to come.
pub fn assess<'a>(table: &'a Table, rules: &PointsRules, remaining: &[&Slot<'_>]) -> Assessment<'a> {
    let side = table.side;
    let extra = remaining_max(rules, side, remaining);
    let n_races = races(remaining);
    let ranked = table.ranked();
    let bests: Vec<Vec<u32>> = ranked.iter().map(|e| best_counts(side, &e.counts, n_races)).collect();
    let leader = ranked.first().copied();
    let contenders: Vec<Contender<'a>> = ranked
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let max_points = e.points + extra;
            let can_win =
                ranked.iter().enumerate().all(|(j, d)| i == j || can_reach(max_points, &bests[i], d.points, &d.counts));
            let needs_countback = i > 0 && can_win && leader.is_some_and(|l| max_points == l.points);
            Contender { entry: e, position: i + 1, max_points, can_win, needs_countback }
        })
        .collect();
    let clinched = leader.is_some() && contenders.iter().skip(1).all(|c| !c.can_win_against(leader, &bests));
    Assessment { contenders, clinched }
}

impl Contender<'_> {
    fn can_win_against(&self, leader: Option<&Entry>, bests: &[Vec<u32>]) -> bool {
        let Some(l) = leader else { return false };
        can_reach(self.max_points, &bests[self.position - 1], l.points, &l.counts)
    }
}

/// What the leader needs at the next scoring session to clinch whatever
/// the others do.
#[derive(Debug, Clone, PartialEq)]
pub enum Needs {
    /// Drivers: finishing this position or better clinches.
    Finish { position: u32, points: f64 },
    /// Constructors: scoring at least this many points clinches (assuming
    /// the best-placed rival takes the most the session allows).
    Score { points: f64 },
    /// No result at that session is enough on its own.
    CannotClinch,
}

/// The leader's needs at `next`, with `after` still to come after it.
pub fn leader_needs(table: &Table, rules: &PointsRules, next: &Slot<'_>, after: &[&Slot<'_>]) -> Option<Needs> {
    let ranked = table.ranked();
    let (leader, rivals) = ranked.split_first()?;
    let side = table.side;
    let extra_after = remaining_max(rules, side, after);
    let races_after = races(after);
    let is_race = next.kind == Scoring::Race;
    Some(match side {
        Side::Drivers => {
            let clinches_at = |p: u32| {
                let l_points = leader.points + rules.points(next.kind, p, false, next.final_round);
                let l_counts = if is_race { with_finish(&leader.counts, p) } else { leader.counts.clone() };
                let rival_position = if p == 1 { 2 } else { 1 };
                rivals.iter().all(|r| {
                    let max = r.points + rules.rival_best(next.kind, p, next.final_round) + extra_after;
                    let counts = if is_race { with_finish(&r.counts, rival_position) } else { r.counts.clone() };
                    !can_reach(max, &best_counts(side, &counts, races_after), l_points, &l_counts)
                })
            };
            let worst = (1..=rules.scoring_positions(next.kind)).rev().find(|&p| clinches_at(p));
            match worst {
                Some(position) => {
                    Needs::Finish { position, points: rules.points(next.kind, position, false, next.final_round) }
                }
                None => Needs::CannotClinch,
            }
        }
        Side::Constructors => {
            let session_max = rules.session_max(side, next.kind, next.final_round);
            let races_incl = races_after + u32::from(is_race);
            let enough = |s: f64| {
                rivals.iter().all(|r| {
                    let max = r.points + session_max + extra_after;
                    !can_reach(max, &best_counts(side, &r.counts, races_incl), leader.points + s, &leader.counts)
                })
            };
            match rules.team_totals(next.kind, next.final_round).into_iter().find(|&s| s > 0.0 && enough(s)) {
                Some(points) => Needs::Score { points },
                None => Needs::CannotClinch,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::SlotState;
    use protobuf::v1::SessionResult;

    fn slot(round: i32, kind: Scoring) -> Slot<'static> {
        Slot {
            round,
            round_name: format!("R{round}"),
            kind,
            state: SlotState::Remaining,
            final_round: false,
            date: String::new(),
            session: None,
        }
    }

    fn table(side: Side, rows: &[(&str, f64, u32)]) -> Table {
        let mut t = Table::new(side);
        let results: Vec<SessionResult> = rows
            .iter()
            .map(|(id, points, _)| SessionResult {
                driver_id: id.to_string(),
                driver_name: id.to_string(),
                constructor_id: id.to_string(),
                points: *points,
                ..Default::default()
            })
            .collect();
        t.add_session(Scoring::Sprint, &results);
        for (id, _, wins) in rows {
            for _ in 0..*wins {
                let r = SessionResult {
                    position: 1,
                    driver_id: id.to_string(),
                    constructor_id: id.to_string(),
                    ..Default::default()
                };
                t.add_session(Scoring::Race, &[r]);
            }
        }
        t
    }

    fn rules(year: i32) -> PointsRules {
        PointsRules::for_season(year).unwrap()
    }

    #[test]
    fn qatar_2023_sprint_needs_sixth_thanks_to_countback() {
        // Before the 2023 Qatar sprint: VER 400 (13 wins), PER 223 (2 wins);
        // six races and two more sprints after it.
        let t = table(Side::Drivers, &[("ver", 400.0, 13), ("per", 223.0, 2)]);
        let next = slot(17, Scoring::Sprint);
        let after: Vec<Slot> = vec![
            slot(17, Scoring::Race),
            slot(18, Scoring::Sprint),
            slot(18, Scoring::Race),
            slot(19, Scoring::Race),
            slot(20, Scoring::Sprint),
            slot(20, Scoring::Race),
            slot(21, Scoring::Race),
            slot(22, Scoring::Race),
        ];
        let after_refs: Vec<&Slot> = after.iter().collect();
        let mut all = vec![&next];
        all.extend(after_refs.iter().copied());
        let a = assess(&t, &rules(2023), &all);
        assert!(!a.clinched);
        assert_eq!(a.contenders[1].max_points, 403.0);
        // 3 points (6th) ties PER's maximum of 403, and VER wins countback.
        assert_eq!(
            leader_needs(&t, &rules(2023), &next, &after_refs),
            Some(Needs::Finish { position: 6, points: 3.0 })
        );
        // After the sprint (VER +7, PER 0) it is over.
        let t = table(Side::Drivers, &[("ver", 407.0, 13), ("per", 223.0, 2)]);
        assert!(assess(&t, &rules(2023), &after_refs).clinched);
    }

    #[test]
    fn a_tie_at_the_maximum_is_possible_when_countback_favours_the_rival() {
        let t = table(Side::Drivers, &[("a", 50.0, 0), ("b", 25.0, 1)]);
        let rest = [slot(2, Scoring::Race)];
        let rest: Vec<&Slot> = rest.iter().collect();
        let a = assess(&t, &rules(2025), &rest);
        let b = &a.contenders[1];
        assert_eq!(b.max_points, 50.0);
        assert!(b.can_win && b.needs_countback);
        assert!(!a.clinched);
        // With the countback the other way, the leader has clinched.
        let t = table(Side::Drivers, &[("a", 50.0, 3), ("b", 25.0, 1)]);
        let a = assess(&t, &rules(2025), &rest);
        assert!(!a.contenders[1].can_win);
        assert!(a.clinched);
    }

    #[test]
    fn constructors_need_points_against_a_one_two() {
        let t = table(Side::Constructors, &[("x", 100.0, 0), ("y", 60.0, 0)]);
        let next = slot(9, Scoring::Race);
        // Rival max after: 60 + 43 = 103; 103 < 100 + s needs s > 3 -> 4.
        assert_eq!(leader_needs(&t, &rules(2025), &next, &[]), Some(Needs::Score { points: 4.0 }));
        let far = table(Side::Constructors, &[("x", 100.0, 0), ("y", 10.0, 0)]);
        let rest = [slot(9, Scoring::Race), slot(10, Scoring::Race), slot(11, Scoring::Race)];
        let rest_refs: Vec<&Slot> = rest.iter().collect();
        // Rival max after: 10 + 43 * 3 = 139; 100 + 40 (first and third) beats it.
        assert_eq!(leader_needs(&far, &rules(2025), &rest[0], &rest_refs[1..]), Some(Needs::Score { points: 40.0 }));
        let rest = [slot(9, Scoring::Race), slot(10, Scoring::Race), slot(11, Scoring::Race), slot(12, Scoring::Race)];
        let rest_refs: Vec<&Slot> = rest.iter().collect();
        assert_eq!(leader_needs(&far, &rules(2025), &rest[0], &rest_refs[1..]), Some(Needs::CannotClinch));
    }

    #[test]
    fn nobody_can_pass_at_the_end_of_a_season() {
        let t = table(Side::Drivers, &[("a", 10.0, 0), ("b", 9.0, 5)]);
        let a = assess(&t, &rules(2010), &[]);
        assert!(a.clinched);
        assert!(a.contenders[0].can_win && !a.contenders[1].can_win);
    }
}
