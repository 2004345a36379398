//! Who can still win and whether the leader has clinched: pure functions
//! over a [`Table`] and the scoring sessions still to come. With dropped
//! scores a result only helps as far as it would count, so every gain is
//! measured on the counted total (see [`gain`]).
use std::cmp::Ordering;

use super::calendar::Slot;
use super::rules::{PointsRules, Scoring, Side};
use super::table::{Entry, Table, countback};

/// How much `e`'s counted points grow when it adds the per-round scores
/// `add` (with dropped scores, less than their sum once its worst results
/// stop counting).
pub fn gain(table: &Table, e: &Entry, add: &[(i32, f64)]) -> f64 {
    match table.counted {
        None => add.iter().map(|(_, p)| p).sum(),
        Some(c) => {
            let mut scores = e.scores.clone();
            scores.extend_from_slice(add);
            c.total(&scores) - c.total(&e.scores)
        }
    }
}

/// The most one entry can score in each of `remaining`, by round.
pub fn maxima(rules: &PointsRules, side: Side, remaining: &[&Slot<'_>]) -> Vec<(i32, f64)> {
    remaining
        .iter()
        .filter(|s| rules.round_scores(side, s.round))
        .map(|s| (s.round, rules.session_max(side, s.kind, s.final_round)))
        .collect()
}

pub fn races(rules: &PointsRules, side: Side, remaining: &[&Slot<'_>]) -> u32 {
    remaining.iter().filter(|s| s.kind == Scoring::Race && rules.round_scores(side, s.round)).count() as u32
}

/// The countback record of `counts` after winning every one of `races`
/// (a constructor: finishing first and second in each).
pub fn best_counts(side: Side, counts: &[u32], races: u32) -> Vec<u32> {
    let mut out = counts.to_vec();
    out.resize(out.len().max(2), 0);
    out[0] += races;
    if side == Side::Constructors {
        out[1] += races;
    }
    out
}

pub fn with_finish(counts: &[u32], position: u32) -> Vec<u32> {
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
pub fn can_reach(max: f64, best: &[u32], points: f64, counts: &[u32]) -> bool {
    // Fractions (shared drives, shared fastest laps) are compared to the
    // hundredth, as they were published.
    let (max, points) = ((max * 100.0).round(), (points * 100.0).round());
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
    /// The most its counted points can reach.
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
    let add = maxima(rules, side, remaining);
    let n_races = races(rules, side, remaining);
    let ranked = table.ranked();
    let bests: Vec<Vec<u32>> = ranked.iter().map(|e| best_counts(side, &e.counts, n_races)).collect();
    let maxes: Vec<f64> = ranked.iter().map(|e| e.points + gain(table, e, &add)).collect();
    let leader = ranked.first().copied();
    let contenders: Vec<Contender<'a>> = ranked
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let can_win =
                ranked.iter().enumerate().all(|(j, d)| i == j || can_reach(maxes[i], &bests[i], d.points, &d.counts));
            let needs_countback = i > 0 && can_win && leader.is_some_and(|l| (maxes[i] - l.points).abs() < 0.005);
            Contender { entry: e, position: i + 1, max_points: maxes[i], can_win, needs_countback }
        })
        .collect();
    let clinched =
        leader.is_some_and(|l| (1..ranked.len()).all(|i| !can_reach(maxes[i], &bests[i], l.points, &l.counts)));
    Assessment { contenders, clinched }
}

#[cfg(test)]
#[path = "fight_tests.rs"]
pub(crate) mod tests;
