//! Reading a `text/event-stream` body in tests: events as they arrive
//! (comments counted and skipped), and the live board a client holds after
//! applying them.
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct SseEvent {
    pub id: Option<String>,
    pub kind: String,
    /// The data as JSON (a string when it is not JSON).
    pub data: Value,
}

/// Collects chunks and hands out whole events.
#[derive(Debug, Default)]
pub struct SseParser {
    buffer: String,
    /// Comment blocks seen (heartbeats).
    pub comments: usize,
}

impl SseParser {
    pub fn push(&mut self, chunk: &[u8]) {
        self.buffer.push_str(std::str::from_utf8(chunk).expect("an event stream is UTF-8"));
    }

    /// The next whole event received, if any.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        while let Some(end) = self.buffer.find("\n\n") {
            let block: String = self.buffer.drain(..end + 2).collect();
            let (mut id, mut kind, mut data) = (None, String::from("message"), String::new());
            let mut comment = true;
            for line in block.lines() {
                if line.is_empty() || line.starts_with(':') {
                    continue;
                }
                comment = false;
                match line.split_once(':') {
                    Some(("id", v)) => id = Some(v.trim().to_string()),
                    Some(("event", v)) => kind = v.trim().to_string(),
                    Some(("data", v)) => data.push_str(v.strip_prefix(' ').unwrap_or(v)),
                    _ => {}
                }
            }
            if comment {
                self.comments += 1;
                continue;
            }
            let data = serde_json::from_str(&data).unwrap_or(Value::String(data));
            return Some(SseEvent { id, kind, data });
        }
        None
    }
}

/// What a client of `/content/v1/live/stream` holds after `event`: a
/// `snapshot` or `end` replaces the board, an `update` sets the fields it
/// carries (but `sent_at_ms`, which is about the event).
pub fn apply(board: &mut Value, event: &SseEvent) {
    match event.kind.as_str() {
        "snapshot" | "end" => *board = event.data["state"].clone(),
        "update" => {
            for (field, value) in event.data.as_object().into_iter().flatten() {
                if field != "sent_at_ms" {
                    board[field] = value.clone();
                }
            }
        }
        _ => {}
    }
}
