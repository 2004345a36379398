//! Applying a [`Query`]'s conditions to records, with OpenF1's rules for
//! combining them:
//! - conditions on different fields must all hold (AND);
//! - on one field, every `=` is an alternative (OR), and so is every
//!   comparison, except that a lower bound (`>`, `>=`) and an upper bound
//!   (`<`, `<=`) are paired into a range that must hold as a whole. OpenF1
//!   pairs greedily: each lower bound, smallest first, with the smallest
//!   upper bound not below it; what is left unpaired stays an alternative.
//!   So `lap_number>=10&lap_number<=20` is 10..=20, `position>=4&
//!   position<=7&position>=10&position<=15` is 4..=7 or 10..=15, and
//!   `lap_number>20&lap_number<10` (no range possible) is either side;
//! - a record without the field, or with `null` in it, matches no
//!   condition on it; a list matches when one of its elements does;
//! - values of another type never match (a gap of `+1 LAP` is neither
//!   above nor below 5 seconds).
//!
//! Matching never allocates and never reorders: the lead runs it over a
//! whole race's laps per request.
use std::cmp::Ordering;

use serde_json::Value as Json;

use super::date;
use super::query::{Condition, Op, Query, Value};

/// Read access to a record's fields; implemented for JSON objects, the
/// shape records are kept in.
pub trait Record {
    fn field(&self, name: &str) -> Option<&Json>;
}

impl Record for serde_json::Map<String, Json> {
    fn field(&self, name: &str) -> Option<&Json> {
        self.get(name)
    }
}

impl Record for Json {
    fn field(&self, name: &str) -> Option<&Json> {
        self.get(name)
    }
}

/// The conditions of one field: any alternative, or any range, holds.
#[derive(Debug)]
struct Group {
    field: &'static str,
    alternatives: Vec<(Op, Value)>,
    ranges: Vec<[(Op, Value); 2]>,
}

/// A query's conditions, grouped per field and paired into ranges once,
/// then tested against each record.
#[derive(Debug)]
pub struct Filter {
    groups: Vec<Group>,
}

impl Filter {
    pub fn new(query: &Query) -> Self {
        let mut groups: Vec<(&'static str, Vec<(Op, Value)>)> = Vec::new();
        for Condition { field, op, value } in query.conditions() {
            let at = match groups.iter().position(|(f, _)| f == field) {
                Some(at) => at,
                None => {
                    groups.push((field, Vec::new()));
                    groups.len() - 1
                }
            };
            let conditions = &mut groups[at].1;
            // OpenF1 drops repeated conditions before pairing.
            if !conditions.iter().any(|(o, v)| *o == *op && v == value) {
                conditions.push((*op, value.clone()));
            }
        }
        Self { groups: groups.into_iter().map(|(field, conditions)| pair(field, conditions)).collect() }
    }

    pub fn matches<R: Record + ?Sized>(&self, record: &R) -> bool {
        self.groups.iter().all(|g| match record.field(g.field) {
            None => false,
            Some(have) => {
                g.alternatives.iter().any(|(op, want)| holds(have, *op, want))
                    || g.ranges.iter().any(|[lo, hi]| holds(have, lo.0, &lo.1) && holds(have, hi.0, &hi.1))
            }
        })
    }

    /// The records that match, in their order.
    pub fn apply<'r, R: Record>(&'r self, records: &'r [R]) -> impl Iterator<Item = &'r R> + 'r {
        records.iter().filter(move |r| self.matches(*r))
    }
}

/// Splits one field's conditions into alternatives and ranges, pairing
/// bounds as OpenF1 does (see the module's comment).
fn pair(field: &'static str, conditions: Vec<(Op, Value)>) -> Group {
    let mut alternatives = Vec::new();
    let (mut lower, mut upper) = (Vec::new(), Vec::new());
    for c in conditions {
        match c.0 {
            Op::Eq => alternatives.push(c),
            Op::Gt | Op::Ge => lower.push(c),
            Op::Lt | Op::Le => upper.push(c),
        }
    }
    lower.sort_by(|a, b| rank(&a.1, &b.1));
    upper.sort_by(|a, b| rank(&a.1, &b.1));
    let mut ranges = Vec::new();
    let mut lower = lower.into_iter();
    for lo in lower.by_ref() {
        let fits = upper.iter().position(|hi| matches!(compare(&lo.1, &hi.1), Some(Ordering::Less | Ordering::Equal)));
        match fits {
            Some(at) => ranges.push([lo, upper.remove(at)]),
            None => {
                alternatives.push(lo);
                break;
            }
        }
    }
    alternatives.extend(lower);
    alternatives.extend(upper);
    Group { field, alternatives, ranges }
}

/// A total order for sorting bounds: by value within a type, types apart.
fn rank(a: &Value, b: &Value) -> Ordering {
    let kind = |v: &Value| match v {
        Value::Number(_) => 0,
        Value::Text(_) => 1,
        Value::Bool(_) => 2,
        Value::Instant(_) => 3,
        Value::Latest => 4,
    };
    compare(a, b).unwrap_or_else(|| kind(a).cmp(&kind(b)))
}

/// Two filter values of one type, ordered; `None` across types.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::Text(a), Value::Text(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Instant(a), Value::Instant(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

/// Whether the record's value `have` satisfies `op want`.
fn holds(have: &Json, op: Op, want: &Value) -> bool {
    match have {
        Json::Array(items) => items.iter().any(|item| !item.is_array() && holds(item, op, want)),
        _ => order(have, want).is_some_and(|ord| op.holds(ord)),
    }
}

/// The record's value against the filter's, when both are of one type.
fn order(have: &Json, want: &Value) -> Option<Ordering> {
    match want {
        Value::Number(n) => have.as_f64()?.partial_cmp(n),
        Value::Text(t) => Some(have.as_str()?.as_bytes().cmp(t.as_bytes())),
        Value::Bool(b) => Some(have.as_bool()?.cmp(b)),
        Value::Instant(t) => Some(date::instant(have.as_str()?)?.cmp(t)),
        Value::Latest => None,
    }
}
