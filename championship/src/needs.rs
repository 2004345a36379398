//! What a contender needs at the next scoring session to clinch the title,
//! and the earliest session at which it could. Every condition is
//! sufficient under the rules whatever anyone not named in it does: rivals
//! are assumed to take the most their allowed place gives (fastest lap
//! included), the contender none of the bonus.
use super::calendar::Slot;
use super::fight::{best_counts, can_reach, gain, maxima, races, with_finish};
use super::rules::{PointsRules, Scoring, Side};
use super::table::{Entry, Table};

/// At most this many rivals are named in a condition; beyond that there is
/// "no simple condition".
const MAX_NAMED_RIVALS: usize = 2;

#[derive(Debug, Clone, PartialEq)]
pub enum Needs {
    /// Finishing `position` or better clinches, provided every rival in
    /// `rivals` finishes no higher than its bound (a bound past the scoring
    /// places means "outside the points").
    Finish { position: u32, points: f64, rivals: Vec<(String, u32)> },
    /// Constructors: scoring at least this many points clinches whatever
    /// the others score.
    Score { points: f64 },
    /// A result at that session could clinch, but only with more than
    /// [`MAX_NAMED_RIVALS`] rivals held back (or, for constructors, with
    /// rivals held back at all).
    NoSimpleCondition,
    /// No result at that session clinches.
    CannotClinch,
}

struct Fight<'t> {
    table: &'t Table,
    rules: &'t PointsRules,
    side: Side,
}

impl Fight<'_> {
    /// Whether `rival`, scoring `now` at the next session (with record
    /// `counts`) and the most possible after, can still catch a contender
    /// on `points` with record `c_counts`.
    fn catches(
        &self,
        rival: &Entry,
        now: (i32, f64),
        counts: &[u32],
        after: &[&Slot<'_>],
        target: (f64, &[u32]),
    ) -> bool {
        let mut add = vec![now];
        add.extend(maxima(self.rules, self.side, after));
        let max = rival.points + gain(self.table, rival, &add);
        let best = best_counts(self.side, counts, races(self.rules, self.side, after));
        can_reach(max, &best, target.0, target.1)
    }

    /// Whether `c` clinches at `next` in the best case: it takes the most
    /// the session gives and nobody else scores.
    fn could_clinch(&self, c: &Entry, next: &Slot<'_>, after: &[&Slot<'_>]) -> bool {
        let best = self.rules.session_max(self.side, next.kind, next.final_round);
        let points = c.points + gain(self.table, c, &[(next.round, best)]);
        let counts = self.finish(&c.counts, next, 1);
        self.table
            .ranked()
            .iter()
            .filter(|r| r.id != c.id)
            .all(|r| !self.catches(r, (next.round, 0.0), &r.counts, after, (points, &counts)))
    }

    fn finish(&self, counts: &[u32], next: &Slot<'_>, position: u32) -> Vec<u32> {
        if next.kind == Scoring::Race && self.rules.round_scores(self.side, next.round) {
            let counts = with_finish(counts, position);
            if self.side == Side::Constructors && position == 1 { with_finish(&counts, 2) } else { counts }
        } else {
            counts.to_vec()
        }
    }

    fn driver_needs(&self, c: &Entry, next: &Slot<'_>, after: &[&Slot<'_>]) -> Option<Needs> {
        let rules = self.rules;
        let scoring = rules.scoring_positions(next.kind);
        let mut best: Option<Needs> = None;
        let mut fewest = usize::MAX;
        for p in (1..=scoring).rev() {
            let own = rules.points(next.kind, p, false, next.final_round) * rules.round_factor(next.round);
            let points = c.points + gain(self.table, c, &[(next.round, own)]);
            let counts = self.finish(&c.counts, next, p);
            let mut named = Vec::new();
            let mut possible = true;
            for r in self.table.ranked().into_iter().filter(|r| r.id != c.id) {
                // The places `r` could take (past the scoring ones: outside
                // the points); the first one found that keeps `c` safe is
                // the best `r` may take.
                let mut places = (1..=scoring + 1).filter(|&q| q != p);
                let top = places.next().unwrap_or(1);
                let bound = std::iter::once(top).chain(places).find(|&q| {
                    let pts = rules.points(next.kind, q, true, next.final_round) * rules.round_factor(next.round);
                    let r_counts = self.finish(&r.counts, next, q);
                    !self.catches(r, (next.round, pts), &r_counts, after, (points, &counts))
                });
                match bound {
                    Some(q) if q == top => {}
                    Some(q) => named.push((r.id.clone(), q)),
                    None => possible = false,
                }
                if !possible || named.len() > MAX_NAMED_RIVALS {
                    break;
                }
            }
            if possible && named.len() <= MAX_NAMED_RIVALS && named.len() < fewest {
                fewest = named.len();
                best = Some(Needs::Finish { position: p, points: own, rivals: named });
                if fewest == 0 {
                    break;
                }
            }
        }
        best
    }

    fn constructor_needs(&self, c: &Entry, next: &Slot<'_>, after: &[&Slot<'_>]) -> Option<Needs> {
        let rules = self.rules;
        let rival_max = rules.session_max(self.side, next.kind, next.final_round);
        let factor = rules.round_factor(next.round);
        rules.team_totals(next.kind, next.final_round).into_iter().filter(|s| *s > 0.0).find_map(|s| {
            let points = c.points + gain(self.table, c, &[(next.round, s * factor)]);
            let clinches = self.table.ranked().iter().filter(|r| r.id != c.id).all(|r| {
                let counts = self.finish(&r.counts, next, 1);
                !self.catches(r, (next.round, rival_max * factor), &counts, after, (points, &c.counts))
            });
            clinches.then_some(Needs::Score { points: s * factor })
        })
    }
}

/// What `id` needs at `next` (with `after` still to come after it) to
/// clinch the title there.
pub fn needs(table: &Table, rules: &PointsRules, id: &str, next: &Slot<'_>, after: &[&Slot<'_>]) -> Option<Needs> {
    let c = table.get(id)?;
    let f = Fight { table, rules, side: table.side };
    if !rules.round_scores(table.side, next.round) {
        return Some(Needs::CannotClinch);
    }
    let found = match table.side {
        Side::Drivers => f.driver_needs(c, next, after),
        Side::Constructors => f.constructor_needs(c, next, after),
    };
    Some(found.unwrap_or(if f.could_clinch(c, next, after) { Needs::NoSimpleCondition } else { Needs::CannotClinch }))
}

/// The earliest of `remaining` (an index into it) after which `id` could
/// have clinched, in its best case: it takes the most every session gives
/// and nobody else scores.
pub fn earliest_clinch(table: &Table, rules: &PointsRules, id: &str, remaining: &[&Slot<'_>]) -> Option<usize> {
    let c = table.get(id)?;
    let side = table.side;
    let mut add = Vec::new();
    let mut counts = c.counts.clone();
    for (k, s) in remaining.iter().enumerate() {
        if rules.round_scores(side, s.round) {
            add.push((s.round, rules.session_max(side, s.kind, s.final_round)));
            if s.kind == Scoring::Race {
                counts = best_counts(side, &counts, 1);
            }
        }
        let points = c.points + gain(table, c, &add);
        let after = &remaining[k + 1..];
        let n_races = races(rules, side, after);
        let rest = maxima(rules, side, after);
        let safe = table.ranked().iter().filter(|r| r.id != c.id).all(|r| {
            let max = r.points + gain(table, r, &rest);
            !can_reach(max, &best_counts(side, &r.counts, n_races), points, &counts)
        });
        if safe {
            return Some(k);
        }
    }
    None
}

#[cfg(test)]
#[path = "needs_tests.rs"]
mod tests;
