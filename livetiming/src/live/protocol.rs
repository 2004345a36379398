//! ASP.NET Core SignalR's JSON hub protocol, as the LiveTiming hub speaks it.
//!
//! Every message is a JSON object followed by the record separator 0x1E, in
//! both directions, and one WebSocket frame may hold several messages. The
//! connection opens with the handshake `{"protocol":"json","version":1}`
//! answered by `{}` (or `{"error":...}`).
use serde_json::{Value, json};

use super::LiveError;

pub const RECORD_SEPARATOR: char = '\u{1e}';

/// The messages the client acts on; the rest are [`Message::Other`].
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// type 1: the hub calls `target` (`feed`: `[topic, payload, utc]`).
    Invocation { invocation_id: Option<String>, target: String, arguments: Vec<Value> },
    /// type 3: the answer to one of our invocations (`Subscribe`).
    Completion { invocation_id: String, result: Option<Value>, error: Option<String> },
    /// type 6
    Ping,
    /// type 7
    Close { error: Option<String> },
    /// Stream items, cancellations and types of later versions: ignored.
    Other(i64),
}

/// The messages of one frame, in order, each decoded on its own so that one
/// malformed message costs only itself.
pub fn split(frame: &str) -> impl Iterator<Item = Result<Message, LiveError>> + '_ {
    frame.split(RECORD_SEPARATOR).filter(|m| !m.trim().is_empty()).map(decode)
}

pub fn decode(text: &str) -> Result<Message, LiveError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| LiveError::Protocol(format!("not JSON ({e}): {}", excerpt(text))))?;
    let bad = |what: &str| LiveError::Protocol(format!("{what}: {}", excerpt(text)));
    let kind = value.get("type").and_then(Value::as_i64).ok_or_else(|| bad("no message type"))?;
    let string = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(match kind {
        1 => Message::Invocation {
            invocation_id: string("invocationId"),
            target: string("target").ok_or_else(|| bad("an invocation without a target"))?,
            arguments: match value.get("arguments") {
                Some(Value::Array(a)) => a.clone(),
                None => Vec::new(),
                Some(_) => return Err(bad("arguments are not a list")),
            },
        },
        3 => Message::Completion {
            invocation_id: string("invocationId").ok_or_else(|| bad("a completion without an invocation id"))?,
            result: value.get("result").cloned(),
            error: string("error"),
        },
        6 => Message::Ping,
        7 => Message::Close { error: string("error") },
        other => Message::Other(other),
    })
}

fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(120).collect();
    if cut.len() < text.len() { format!("{cut}…") } else { cut }
}

/// One message with its separator, ready to send.
pub fn frame(message: &Value) -> String {
    let mut text = message.to_string();
    text.push(RECORD_SEPARATOR);
    text
}

pub fn handshake() -> String {
    frame(&json!({"protocol": "json", "version": 1}))
}

pub fn subscribe(invocation_id: &str, topics: &[&str]) -> String {
    frame(&json!({"type": 1, "invocationId": invocation_id, "target": "Subscribe", "arguments": [topics]}))
}

pub fn ping() -> String {
    frame(&json!({"type": 6}))
}

pub fn feed(topic: &str, payload: &Value, utc: &str) -> String {
    frame(&json!({"type": 1, "target": "feed", "arguments": [topic, payload, utc]}))
}

pub fn completion(invocation_id: &str, result: &Value) -> String {
    frame(&json!({"type": 3, "invocationId": invocation_id, "result": result}))
}

pub fn close() -> String {
    frame(&json!({"type": 7}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_frame_may_hold_several_messages() {
        let frame =
            format!("{}{}{}", ping(), feed("LapCount", &json!({"CurrentLap": 3}), "2024-05-19T13:30:00Z"), close());
        let messages: Vec<_> = split(&frame).collect::<Result<_, _>>().unwrap();
        assert_eq!(messages.len(), 3);
        assert_eq!(messages[0], Message::Ping);
        assert!(matches!(&messages[1], Message::Invocation { target, arguments, .. }
            if target == "feed" && arguments[0] == "LapCount" && arguments[1]["CurrentLap"] == 3));
        assert_eq!(messages[2], Message::Close { error: None });
    }

    #[test]
    fn a_malformed_message_costs_only_itself() {
        let frame = format!("{{\"type\":1,\"target\"{}{}{{\"type\":\"x\"}}\u{1e}", '\u{1e}', ping());
        let messages: Vec<_> = split(&frame).collect();
        assert_eq!(messages.len(), 3);
        assert!(matches!(messages[0], Err(LiveError::Protocol(_))));
        assert_eq!(messages[1], Ok(Message::Ping));
        assert!(matches!(messages[2], Err(LiveError::Protocol(_))));
    }

    #[test]
    fn the_subscribe_invocation_has_the_hub_shape() {
        let text = subscribe("1", &["Heartbeat", "TimingData"]);
        assert!(text.ends_with('\u{1e}'));
        let value: Value = serde_json::from_str(text.trim_end_matches('\u{1e}')).unwrap();
        assert_eq!(
            value,
            json!({"type":1,"invocationId":"1","target":"Subscribe","arguments":[["Heartbeat","TimingData"]]})
        );
    }
}
