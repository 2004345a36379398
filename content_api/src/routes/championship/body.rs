//! The what-if body, checked field by field so a 400 names the field in
//! our words (not the parser's).
use serde_json::{Map, Value};

use crate::championship::report::ScoringSession;
use crate::championship::whatif::{HypotheticalSession, MAX_ORDER, WhatIfRequest};
use crate::error::ApiError;

/// A body larger than this is refused before parsing.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// No season has more scoring sessions than this.
const MAX_SESSIONS: usize = 64;
const MAX_ID: usize = 64;

pub fn parse(raw: &[u8]) -> Result<WhatIfRequest, ApiError> {
    if raw.len() > MAX_BODY_BYTES {
        return Err(ApiError::bad("body", format!("at most {MAX_BODY_BYTES} bytes")));
    }
    let value: Value = serde_json::from_slice(raw).map_err(|_| ApiError::bad("body", "not a JSON document"))?;
    let Value::Object(top) = value else { return Err(ApiError::bad("body", "must be a JSON object")) };
    let Some(Value::Array(list)) = top.get("sessions") else {
        return Err(ApiError::bad("sessions", "required: a list of sessions"));
    };
    if list.len() > MAX_SESSIONS {
        return Err(ApiError::bad("sessions", format!("at most {MAX_SESSIONS}")));
    }
    let sessions =
        list.iter().enumerate().map(|(i, s)| session(&format!("sessions[{i}]"), s)).collect::<Result<_, _>>()?;
    Ok(WhatIfRequest { sessions })
}

fn session(field: &str, v: &Value) -> Result<HypotheticalSession, ApiError> {
    let Value::Object(o) = v else { return Err(ApiError::bad(field, "must be an object")) };
    let round = o
        .get("round")
        .and_then(Value::as_i64)
        .filter(|r| (1..=99).contains(r))
        .ok_or_else(|| ApiError::bad(format!("{field}.round"), "required: a round number from 1"))?;
    let session = match o.get("session").and_then(Value::as_str) {
        Some("race") => ScoringSession::Race,
        Some("sprint") => ScoringSession::Sprint,
        _ => return Err(ApiError::bad(format!("{field}.session"), "required: \"race\" or \"sprint\"")),
    };
    let Some(Value::Array(order)) = o.get("order") else {
        return Err(ApiError::bad(format!("{field}.order"), "required: driver ids, winner first"));
    };
    if order.is_empty() || order.len() > MAX_ORDER {
        return Err(ApiError::bad(format!("{field}.order"), format!("give between 1 and {MAX_ORDER} driver ids")));
    }
    let order = order
        .iter()
        .enumerate()
        .map(|(j, id)| id_of(&format!("{field}.order[{j}]"), Some(id)))
        .collect::<Result<Vec<_>, _>>()?;
    let fastest_lap = match o.get("fastest_lap") {
        None | Some(Value::Null) => None,
        v => Some(id_of(&format!("{field}.fastest_lap"), v)?),
    };
    unknown_fields(field, o)?;
    Ok(HypotheticalSession { round: round as i32, session, order, fastest_lap })
}

fn id_of(field: &str, v: Option<&Value>) -> Result<String, ApiError> {
    match v.and_then(Value::as_str) {
        Some(s) if !s.is_empty() && s.len() <= MAX_ID => Ok(s.to_string()),
        _ => Err(ApiError::bad(field, format!("a driver id (1 to {MAX_ID} characters)"))),
    }
}

fn unknown_fields(field: &str, o: &Map<String, Value>) -> Result<(), ApiError> {
    match o.keys().find(|k| !["round", "session", "order", "fastest_lap"].contains(&k.as_str())) {
        Some(k) => Err(ApiError::bad(format!("{field}.{k}"), "unknown field")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(raw: &str) -> String {
        match parse(raw.as_bytes()) {
            Err(ApiError::BadParameter { parameter, .. }) => parameter,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_mistake_names_its_field() {
        assert_eq!(field("nope"), "body");
        assert_eq!(field("[]"), "body");
        assert_eq!(field("{}"), "sessions");
        assert_eq!(field(r#"{"sessions":[{"session":"race","order":["a"]}]}"#), "sessions[0].round");
        assert_eq!(field(r#"{"sessions":[{"round":1,"session":"quali","order":["a"]}]}"#), "sessions[0].session");
        assert_eq!(field(r#"{"sessions":[{"round":1,"session":"race","order":["a",3]}]}"#), "sessions[0].order[1]");
        assert_eq!(field(r#"{"sessions":[{"round":1,"session":"race","order":[]}]}"#), "sessions[0].order");
        assert_eq!(field(r#"{"sessions":[{"round":1,"session":"race","order":["a"],"x":1}]}"#), "sessions[0].x");
    }

    #[test]
    fn a_good_body() {
        let r = parse(br#"{"sessions":[{"round":3,"session":"sprint","order":["a","b"],"fastest_lap":"b"}]}"#).unwrap();
        assert_eq!(r.sessions[0].order, ["a", "b"]);
        assert_eq!(r.sessions[0].fastest_lap.as_deref(), Some("b"));
    }
}
