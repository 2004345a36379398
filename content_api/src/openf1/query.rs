//! An OpenF1 query string read into typed conditions.
//!
//! OpenF1 (FastAPI) splits the query on `&` and each pair on its first
//! `=`, percent-decoding both sides (`+` is a space), then glues the pair
//! back together (`name=value`, or `name` alone when the value is empty)
//! and looks for an operator in the result. So `lap_number>=10`,
//! `lap_number%3E%3D10`, `lap_number>10` and `lap_number%3E10` are all
//! read, whichever part of the text the decoder took for the name. We do
//! the same, and take the leftmost operator: `=`, or `>`/`<` with an
//! optional `=` after it. `lap_number=>10` is therefore `=` with the value
//! `>10` (OpenF1 reads it the same way, and answers an empty list; we
//! answer 400, `>10` being no number).
use std::borrow::Cow;

use super::date::{self, DateValue, MICROS_PER_DAY};
use super::error::QueryError;
use super::schema::{Endpoint, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    /// Whether `record.cmp(value)` satisfies the operator.
    pub(crate) fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Self::Eq => ord == Equal,
            Self::Gt => ord == Greater,
            Self::Ge => ord != Less,
            Self::Lt => ord == Less,
            Self::Le => ord != Greater,
        }
    }
}

/// A filter value, typed by its field's [`Kind`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Integer and number fields, and gaps given in seconds: every number
    /// compares with every other, as in OpenF1's store.
    Number(f64),
    Text(String),
    Bool(bool),
    /// Microseconds since the Unix epoch, UTC.
    Instant(i64),
    /// `session_key=latest` / `meeting_key=latest`: the caller replaces it
    /// with [`Query::resolve_latest`]; until then it matches nothing.
    Latest,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The schema's name of the field.
    pub field: &'static str,
    pub op: Op,
    pub value: Value,
}

/// A parsed OpenF1 query: its conditions (in the order given, a day alone
/// already widened to instants) and whether CSV was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub endpoint: Endpoint,
    pub csv: bool,
    conditions: Vec<Condition>,
}

impl Query {
    /// Reads `raw`, the query string exactly as sent (the bytes after `?`,
    /// not yet decoded).
    pub fn parse(endpoint: Endpoint, raw: &str) -> Result<Self, QueryError> {
        let mut query = Self { endpoint, csv: false, conditions: Vec::new() };
        let mut csv_seen = false;
        for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
            let text = glue(name, value);
            let (field, op, value) = split(&text)?;
            if field == "csv" {
                // OpenF1 reads the first `csv` only.
                if !csv_seen {
                    query.csv = match (op, boolean(value)) {
                        (Op::Eq, Some(csv)) => csv,
                        _ => return Err(bad("csv", value, Kind::Boolean)),
                    };
                    csv_seen = true;
                }
                continue;
            }
            let f = endpoint
                .field(&field)
                .ok_or_else(|| QueryError::UnknownField { endpoint: endpoint.name(), field: field.clone() })?;
            let is_key = matches!(f.name, "session_key" | "meeting_key");
            if is_key && value == "latest" {
                query.conditions.push(Condition { field: f.name, op, value: Value::Latest });
                continue;
            }
            match typed(f.kind, value).ok_or_else(|| bad(f.name, value, f.kind))? {
                Typed::One(value) => query.conditions.push(Condition { field: f.name, op, value }),
                Typed::Day(start) => query.push_day(f.name, op, start),
            }
        }
        Ok(query)
    }

    /// A day alone covers the whole UTC day, as OpenF1 widens it:
    /// `=d` is `>=d & <d+1`, `>d` is `>=d+1`, `<=d` is `<d+1`, and `>=d`
    /// and `<d` start at the day's first instant.
    fn push_day(&mut self, field: &'static str, op: Op, start: i64) {
        let next = start + MICROS_PER_DAY;
        let mut push = |op, t| self.conditions.push(Condition { field, op, value: Value::Instant(t) });
        match op {
            Op::Eq => {
                push(Op::Ge, start);
                push(Op::Lt, next);
            }
            Op::Gt => push(Op::Ge, next),
            Op::Ge => push(Op::Ge, start),
            Op::Lt => push(Op::Lt, start),
            Op::Le => push(Op::Lt, next),
        }
    }

    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }

    /// Whether `field` (`session_key` or `meeting_key`) was given as
    /// `latest`, still to be resolved.
    pub fn wants_latest(&self, field: &str) -> bool {
        self.conditions.iter().any(|c| c.field == field && c.value == Value::Latest)
    }

    /// Replaces `field=latest` (any operator) by the key the caller found.
    pub fn resolve_latest(&mut self, field: &str, key: i64) {
        for c in self.conditions.iter_mut().filter(|c| c.field == field && c.value == Value::Latest) {
            c.value = Value::Number(key as f64);
        }
    }

    /// The keys `field` must equal, when every condition on it is `=` with
    /// a whole number (`session_key=9161&session_key=9165`): what a caller
    /// can look up directly instead of scanning. `None` when the field is
    /// not constrained that way.
    pub fn keys(&self, field: &str) -> Option<Vec<i64>> {
        let mut keys = Vec::new();
        for c in self.conditions.iter().filter(|c| c.field == field) {
            match (c.op, &c.value) {
                (Op::Eq, Value::Number(n)) if n.fract() == 0.0 => keys.push(*n as i64),
                _ => return None,
            }
        }
        (!keys.is_empty()).then_some(keys)
    }
}

/// `name=value` again, or `name` alone when the value is empty, as
/// OpenF1 rebuilds each pair before looking for its operator. One
/// exception: a name that ends in `>=` or `<=` (its `=` percent-encoded,
/// so not the pair's separator) is glued to the value without another `=`.
/// That is how openf1-python-client (through requests) sends
/// `{">=": 10}`, `lap_number%3E%3D=10`; OpenF1 reads its value as `=10`
/// and matches nothing, we read `lap_number>=10`.
fn glue<'a>(name: Cow<'a, str>, value: Cow<'a, str>) -> Cow<'a, str> {
    if value.is_empty() {
        name
    } else if name.ends_with(">=") || name.ends_with("<=") {
        Cow::Owned(format!("{name}{value}"))
    } else {
        Cow::Owned(format!("{name}={value}"))
    }
}

/// Field (lower-cased, as OpenF1 does), operator and value.
fn split(text: &str) -> Result<(String, Op, &str), QueryError> {
    let no_op = || QueryError::NoOperator { parameter: text.to_ascii_lowercase() };
    let at = text.find(['=', '<', '>']).ok_or_else(no_op)?;
    let rest = &text[at..];
    let (op, len) = match rest.as_bytes() {
        [b'>', b'=', ..] => (Op::Ge, 2),
        [b'<', b'=', ..] => (Op::Le, 2),
        [b'>', ..] => (Op::Gt, 1),
        [b'<', ..] => (Op::Lt, 1),
        _ => (Op::Eq, 1),
    };
    let value = &rest[len..];
    if value.is_empty() {
        return Err(no_op());
    }
    Ok((text[..at].to_ascii_lowercase(), op, value))
}

enum Typed {
    One(Value),
    Day(i64),
}

fn typed(kind: Kind, raw: &str) -> Option<Typed> {
    let value = match kind {
        Kind::Integer | Kind::Number => Value::Number(number(raw)?),
        Kind::Text => Value::Text(raw.to_owned()),
        Kind::Boolean => Value::Bool(boolean(raw)?),
        Kind::NumberOrText => number(raw).map_or_else(|| Value::Text(raw.to_owned()), Value::Number),
        Kind::Date => {
            return Some(match date::parse(raw)? {
                DateValue::Instant(t) => Typed::One(Value::Instant(t)),
                DateValue::Day(start) => Typed::Day(start),
            });
        }
    };
    Some(Typed::One(value))
}

fn number(raw: &str) -> Option<f64> {
    raw.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn boolean(raw: &str) -> Option<bool> {
    if raw.eq_ignore_ascii_case("true") {
        Some(true)
    } else if raw.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn bad(field: &str, value: &str, kind: Kind) -> QueryError {
    QueryError::BadValue { field: field.to_owned(), value: value.to_owned(), expected: kind.expected() }
}
