//! The what-if body: the shared `WhatIfRequest` read by serde, then the
//! limits it cannot express; a 400 names the field in our words (not the
//! parser's).
use content_types::{HypotheticalSession, MAX_ORDER, WhatIfRequest};

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
    let request: WhatIfRequest =
        common::extract::parse_json_fields(raw).map_err(|e| ApiError::bad(e.field, e.message))?;
    if request.sessions.len() > MAX_SESSIONS {
        return Err(ApiError::bad("sessions", format!("at most {MAX_SESSIONS}")));
    }
    for (i, s) in request.sessions.iter().enumerate() {
        session(&format!("sessions[{i}]"), s)?;
    }
    Ok(request)
}

fn session(field: &str, s: &HypotheticalSession) -> Result<(), ApiError> {
    if !(1..=99).contains(&s.round) {
        return Err(ApiError::bad(format!("{field}.round"), "required: a round number from 1"));
    }
    if s.order.is_empty() || s.order.len() > MAX_ORDER {
        return Err(ApiError::bad(format!("{field}.order"), format!("give between 1 and {MAX_ORDER} driver ids")));
    }
    for (j, id) in s.order.iter().enumerate() {
        id_of(&format!("{field}.order[{j}]"), id)?;
    }
    if let Some(id) = &s.fastest_lap {
        id_of(&format!("{field}.fastest_lap"), id)?;
    }
    Ok(())
}

fn id_of(field: &str, id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > MAX_ID {
        return Err(ApiError::bad(field, format!("a driver id (1 to {MAX_ID} characters)")));
    }
    Ok(())
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
