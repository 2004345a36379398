//! A championship table at one moment: points and countback record of
//! every driver or constructor, and the standings after each scoring
//! session of the season.
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use protobuf::v1::{SessionResult, Standings};

use super::calendar::{Slot, SlotState};
use super::rules::{Counted, PointsRules, Scoring, Side};
use super::scoring::At;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    pub id: String,
    pub name: String,
    /// Drivers: the three-letter code.
    pub code: String,
    /// Drivers: the latest team.
    pub team: String,
    /// Drivers: the latest team's constructor id.
    pub team_id: String,
    /// Counted points (after dropped scores).
    pub points: f64,
    /// Every point scored, counted or dropped.
    pub total: f64,
    /// Points scored in each round, `(round, points)`, in order.
    pub scores: Vec<(i32, f64)>,
    /// Race finishes by position: `counts[0]` wins, `counts[1]` seconds, ...
    /// (sprints do not count for countback).
    pub counts: Vec<u32>,
}

impl Entry {
    pub fn wins(&self) -> u32 {
        self.counts.first().copied().unwrap_or(0)
    }
}

/// Countback: most wins, then most second places, and so on.
pub fn countback(a: &[u32], b: &[u32]) -> Ordering {
    let n = a.len().max(b.len());
    (0..n).map(|i| a.get(i).unwrap_or(&0).cmp(b.get(i).unwrap_or(&0))).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
}

#[derive(Debug, Clone)]
pub struct Table {
    pub side: Side,
    /// Dropped scores: which results count.
    pub counted: Option<Counted>,
    /// Excluded with their points annulled: they score nothing.
    annulled: Vec<&'static str>,
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Entry {
    fn score(&mut self, round: i32, points: f64, counted: Option<Counted>) {
        match self.scores.last_mut() {
            Some((r, p)) if *r == round => *p += points,
            _ => self.scores.push((round, points)),
        }
        self.total += points;
        self.points = counted.map_or(self.total, |c| c.total(&self.scores));
    }

    fn finish(&mut self, position: i32) {
        if position > 0 {
            let i = position as usize - 1;
            if self.counts.len() <= i {
                self.counts.resize(i + 1, 0);
            }
            self.counts[i] += 1;
        }
    }
}

/// Whether a row's position text marks it unclassified (retired,
/// disqualified, not classified, did not start, excluded, withdrawn...).
pub fn unclassified(position_text: &str) -> bool {
    const CODES: [&str; 15] =
        ["R", "RET", "DNF", "D", "DQ", "DSQ", "NC", "DNS", "DNQ", "DNPQ", "DNP", "EX", "W", "WD", "F"];
    CODES.iter().any(|c| position_text.trim().eq_ignore_ascii_case(c))
}

impl Table {
    pub fn new(side: Side) -> Self {
        Self { side, counted: None, annulled: Vec::new(), entries: Vec::new(), index: HashMap::new() }
    }

    /// An empty table counting results under `rules`.
    pub fn with_rules(side: Side, rules: &PointsRules) -> Self {
        Self { counted: rules.counted(side), annulled: rules.annulled(side), ..Self::new(side) }
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    fn entry(&mut self, id: &str) -> &mut Entry {
        let i = *self.index.entry(id.to_string()).or_insert_with(|| {
            self.entries.push(Entry { id: id.to_string(), ..Default::default() });
            self.entries.len() - 1
        });
        &mut self.entries[i]
    }

    /// Every entry, best first: points, then countback, then id (stable).
    pub fn ranked(&self) -> Vec<&Entry> {
        let mut v: Vec<&Entry> = self.entries.iter().collect();
        v.sort_by(|a, b| {
            b.points.total_cmp(&a.points).then_with(|| countback(&b.counts, &a.counts)).then_with(|| a.id.cmp(&b.id))
        });
        v
    }

    /// Final positions: ranked as [`Table::ranked`], with entries level on
    /// points and on countback over the first `depth` places (all places
    /// when None) sharing a position.
    /// `excluded` ids are placed last, at position 0.
    pub fn positions(&self, depth: Option<usize>, excluded: &[&str]) -> Vec<(u32, &Entry)> {
        let is_excluded = |e: &Entry| excluded.iter().any(|x| same_id(&e.id, x));
        let (out_of_it, ranked): (Vec<&Entry>, Vec<&Entry>) = self.ranked().into_iter().partition(|e| is_excluded(e));
        let cut = |c: &[u32]| -> Vec<u32> { c.iter().take(depth.unwrap_or(usize::MAX)).copied().collect() };
        let mut out: Vec<(u32, &Entry)> = Vec::with_capacity(ranked.len());
        for (i, e) in ranked.iter().enumerate() {
            let tied = i > 0 && {
                let p = ranked[i - 1];
                (p.points - e.points).abs() < 0.005 && countback(&cut(&p.counts), &cut(&e.counts)).is_eq()
            };
            let position = if tied { out[i - 1].0 } else { i as u32 + 1 };
            out.push((position, e));
        }
        out.extend(out_of_it.into_iter().map(|e| (0, e)));
        out
    }

    /// Takes `points` off `id`'s counted points (a penalty after the fact).
    pub fn deduct(&mut self, id: &str, points: f64) {
        for e in self.entries.iter_mut().filter(|e| same_id(&e.id, id)) {
            e.points -= points;
        }
    }

    fn key(&self, r: &SessionResult) -> String {
        let candidates = match self.side {
            Side::Drivers => [&r.driver_id, &r.driver_code, &r.driver_name],
            Side::Constructors => [&r.constructor_id, &r.team, &r.team],
        };
        candidates.into_iter().find(|s| !s.is_empty()).cloned().unwrap_or_default()
    }

    /// Adds one session's results: each row's stored points for drivers
    /// (the constructors' under `rules`), and for races the finishing
    /// positions (countback).
    pub fn add_session(&mut self, rules: &PointsRules, at: At, results: &[SessionResult]) {
        let counted = self.counted;
        let places = rules.places(at, results);
        for (r, place) in results.iter().zip(places) {
            let key = self.key(r);
            if key.is_empty() {
                continue;
            }
            let annulled = self.annulled.iter().any(|a| same_id(&key, a));
            let side = self.side;
            let e = self.entry(&key);
            match side {
                Side::Drivers => {
                    fill(&mut e.name, &r.driver_name);
                    fill(&mut e.code, &r.driver_code);
                    fill_latest(&mut e.team, &r.team);
                    fill_latest(&mut e.team_id, &r.constructor_id);
                    e.score(at.round, if annulled { 0.0 } else { r.points }, counted);
                }
                Side::Constructors => {
                    fill(&mut e.name, &r.team);
                    e.score(at.round, 0.0, counted);
                }
            }
            if at.kind == Scoring::Race && (side == Side::Drivers || rules.round_scores(side, at.round)) {
                // Countback counts finishes only: every row has a place
                // (1..N), and R, DQ, DNS... in its text mark the unclassified
                // (read from the text so results stored before `classified`
                // existed count too).
                e.finish(if unclassified(&r.position_text) { 0 } else { place });
            }
        }
        if self.side == Side::Constructors {
            let points: Vec<f64> = results.iter().map(|r| r.points).collect();
            for (key, p) in rules.constructor_points(at, results, &points) {
                let annulled = self.annulled.iter().any(|a| same_id(&key, a));
                self.entry(&key).score(at.round, if annulled { 0.0 } else { p }, counted);
            }
        }
    }

    /// Replaces points with the official standings (they include penalties
    /// and exclusions that results alone do not show).
    pub fn apply_standings(&mut self, standings: &Standings) {
        match self.side {
            Side::Drivers => {
                for d in &standings.drivers {
                    let e = self.entry(&d.driver_id);
                    e.points = d.points;
                    fill_latest(&mut e.name, &d.driver_name);
                    fill_latest(&mut e.code, &d.driver_code);
                    fill_latest(&mut e.team, &d.team);
                    fill_latest(&mut e.team_id, &d.constructor_id);
                }
            }
            Side::Constructors => {
                for c in &standings.constructors {
                    let e = self.entry(&c.constructor_id);
                    e.points = c.points;
                    fill_latest(&mut e.name, &c.name);
                }
            }
        }
    }
}

/// Ids match exactly or as the constructor of a `constructor/engine` pair.
fn same_id(id: &str, wanted: &str) -> bool {
    id == wanted || id.strip_prefix(wanted).is_some_and(|rest| rest.starts_with('/'))
}

fn fill(target: &mut String, value: &str) {
    if target.is_empty() && !value.is_empty() {
        *target = value.to_string();
    }
}

fn fill_latest(target: &mut String, value: &str) {
    if !value.is_empty() {
        *target = value.to_string();
    }
}

/// The tables after one done scoring session (`slot` indexes the calendar).
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub slot: usize,
    pub drivers: Table,
    pub constructors: Table,
}

/// The tables after every done scoring session, in order. Points come from
/// results within a round and from the official standings once a round is
/// over (when they are stored); countback records come from race results.
pub fn timeline(rules: &PointsRules, slots: &[Slot<'_>], standings: &[Standings]) -> Vec<Checkpoint> {
    let by_round: BTreeMap<i32, &Standings> = standings.iter().map(|s| (s.round, s)).collect();
    let mut drivers = Table::with_rules(Side::Drivers, rules);
    let mut constructors = Table::with_rules(Side::Constructors, rules);
    let mut out = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        if slot.state != SlotState::Done {
            continue;
        }
        if let Some(session) = slot.session {
            drivers.add_session(rules, slot.at(), &session.results);
            constructors.add_session(rules, slot.at(), &session.results);
        }
        let round_over = !slots[i + 1..].iter().any(|s| s.round == slot.round && s.state == SlotState::Done);
        if round_over && let Some(s) = by_round.get(&slot.round) {
            drivers.apply_standings(s);
            constructors.apply_standings(s);
        }
        out.push(Checkpoint { slot: i, drivers: drivers.clone(), constructors: constructors.clone() });
    }
    out
}

/// The tables as the latest standings give them, for a season with no
/// scoring session done yet.
pub fn from_standings(rules: &PointsRules, latest: Option<&Standings>) -> (Table, Table) {
    let mut drivers = Table::with_rules(Side::Drivers, rules);
    let mut constructors = Table::with_rules(Side::Constructors, rules);
    if let Some(s) = latest {
        drivers.apply_standings(s);
        constructors.apply_standings(s);
    }
    (drivers, constructors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countback_compares_wins_then_seconds() {
        assert_eq!(countback(&[2, 1], &[2, 0, 5]), Ordering::Greater);
        assert_eq!(countback(&[1], &[2]), Ordering::Less);
        assert_eq!(countback(&[1, 0], &[1]), Ordering::Equal);
    }

    fn result(pos: i32, id: &str, team: &str, points: f64) -> SessionResult {
        SessionResult {
            position: pos,
            driver_id: id.into(),
            driver_name: id.into(),
            constructor_id: team.into(),
            team: team.into(),
            points,
            ..Default::default()
        }
    }

    #[test]
    fn sprints_add_points_but_no_countback() {
        let rules = PointsRules::for_season(2023).unwrap();
        let mut t = Table::with_rules(Side::Constructors, &rules);
        let at = |kind| At { round: 1, kind, final_round: false };
        t.add_session(&rules, at(Scoring::Sprint), &[result(1, "a", "x", 8.0), result(2, "b", "x", 7.0)]);
        t.add_session(&rules, at(Scoring::Race), &[result(1, "a", "x", 25.0), result(2, "c", "y", 18.0)]);
        let ranked = t.ranked();
        assert_eq!(ranked[0].id, "x");
        assert_eq!(ranked[0].points, 40.0);
        assert_eq!(ranked[0].counts, vec![1]);
        assert_eq!(ranked[1].counts, vec![0, 1]);
    }
}
