//! Time-stamped topic messages, from either source:
//! - the archive: each `{Topic}.jsonStream` line is `HH:MM:SS.mmm{json}`,
//!   an offset from when the recording began; [`archive_start`] finds that
//!   instant in UTC so every line gets a date;
//! - the live hub: each `feed` invocation carries `[topic, payload, utc]`.
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde_json::Value;

use crate::InvalidData;
use crate::live::protocol::{self, Message};
use crate::stream::{for_each_line, for_each_patch};
use crate::topics::{items, text};

/// One topic message: a patch of `topic` published at `date`.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicMessage {
    pub date: DateTime<Utc>,
    pub topic: String,
    pub payload: Value,
}

/// One archive stream: its topic and its patches with their offsets.
pub struct ArchiveStream {
    pub topic: String,
    pub patches: Vec<(Duration, Value)>,
}

impl ArchiveStream {
    /// Reads a `{Topic}.jsonStream` body; `path` names it in errors. A
    /// `.z` topic's lines are encoded strings (kept as they are), every
    /// other topic's are patches.
    pub fn read(topic: &str, bytes: &[u8], path: &str) -> Result<Self, InvalidData> {
        let mut patches = Vec::new();
        let keep = |at, patch, _| {
            patches.push((at, patch));
            Ok(())
        };
        if topic.ends_with(".z") { for_each_line(bytes, path, keep) } else { for_each_patch(bytes, path, keep) }?;
        Ok(Self { topic: topic.to_string(), patches })
    }
}

/// When the archive recording began, in UTC. Messages that carry their
/// own UTC time (race control messages, heartbeats) are published at or
/// after it, so `utc - offset` is at most the start and the largest such
/// value is the tightest bound; the archive writes race control times to
/// the second, so the result is within a second. A session with neither
/// falls back to SessionInfo's `StartDate` less `GmtOffset`.
pub fn archive_start(streams: &[ArchiveStream]) -> Result<DateTime<Utc>, InvalidData> {
    let mut best: Option<DateTime<Utc>> = None;
    for stream in streams {
        for (at, patch) in &stream.patches {
            let stamps: Vec<String> = match stream.topic.as_str() {
                "RaceControlMessages" => items(patch.get("Messages")).into_iter().map(|m| text(m, "Utc")).collect(),
                "Heartbeat" => vec![text(patch, "Utc")],
                _ => continue,
            };
            let offset = TimeDelta::from_std(*at).unwrap_or_default();
            for utc in stamps.iter().filter_map(|s| parse_utc(s)) {
                let start = utc - offset;
                best = Some(best.map_or(start, |b| b.max(start)));
            }
        }
    }
    if let Some(best) = best {
        return Ok(best);
    }
    let info = streams
        .iter()
        .find(|s| s.topic == "SessionInfo")
        .and_then(|s| s.patches.first())
        .map(|(_, p)| p)
        .ok_or_else(|| InvalidData::new("SessionInfo", "body", "no SessionInfo to date the recording"))?;
    session_start(info).ok_or_else(|| InvalidData::new("SessionInfo", "StartDate", "not a date-time"))
}

/// SessionInfo's `StartDate` (local time) less `GmtOffset`, in UTC.
pub fn session_start(info: &Value) -> Option<DateTime<Utc>> {
    local_to_utc(&text(info, "StartDate"), &text(info, "GmtOffset"))
}

pub(crate) fn local_to_utc(local: &str, offset: &str) -> Option<DateTime<Utc>> {
    let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S").ok()?;
    Some(local.and_utc() - offset_delta(offset)?)
}

/// `04:00:00`, `-03:00:00` or `+05:30:00` as a signed duration.
pub(crate) fn offset_delta(offset: &str) -> Option<TimeDelta> {
    let (sign, rest) = match offset.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, offset.strip_prefix('+').unwrap_or(offset)),
    };
    let mut parts = rest.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m) = (parts.next()??, parts.next().flatten().unwrap_or(0));
    let s = parts.next().flatten().unwrap_or(0);
    Some(TimeDelta::seconds(sign * (h * 3600 + m * 60 + s)))
}

/// A UTC time as the feed writes it: with or without fraction and `Z`.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    let text = text.trim_end_matches('Z');
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|d| d.and_utc())
}

/// Every patch of the streams as a dated message, in time order (a
/// topic's own order kept for equal times), dated from `start`.
pub fn archive_messages(streams: Vec<ArchiveStream>, start: DateTime<Utc>) -> Vec<TopicMessage> {
    let mut out: Vec<(Duration, TopicMessage)> = Vec::new();
    for stream in streams {
        for (at, payload) in stream.patches {
            let date = start + TimeDelta::from_std(at).unwrap_or_default();
            out.push((at, TopicMessage { date, topic: stream.topic.clone(), payload }));
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, m)| m).collect()
}

/// The `feed` messages of hub frames (text as received over the WebSocket,
/// several messages per frame allowed), in order. Other messages are
/// skipped; a malformed message or a feed without a UTC time is an error.
pub fn hub_messages<'a>(frames: impl IntoIterator<Item = &'a str>) -> Result<Vec<TopicMessage>, InvalidData> {
    let mut out = Vec::new();
    for (index, frame) in frames.into_iter().enumerate() {
        let bad = |message: String| InvalidData::new("hub", format!("frame {}", index + 1), message);
        for message in protocol::split(frame) {
            let Message::Invocation { target, arguments, .. } = message.map_err(|e| bad(e.to_string()))? else {
                continue;
            };
            if target != "feed" {
                continue;
            }
            let [Value::String(topic), payload, Value::String(utc)] = arguments.as_slice() else {
                return Err(bad("a feed message is not [topic, payload, utc]".into()));
            };
            let date = parse_utc(utc).ok_or_else(|| bad(format!("`{utc}` is not a UTC time")))?;
            out.push(TopicMessage { date, topic: topic.clone(), payload: payload.clone() });
        }
    }
    Ok(out)
}

/// A Subscribe result (`{topic: state}`) as messages at `date` (the
/// snapshot's time, e.g. its Heartbeat `Utc`): the state of each topic is
/// one patch. `.z` topics keep their encoded payload.
pub fn snapshot_messages(result: &Value, date: DateTime<Utc>) -> Vec<TopicMessage> {
    let Some(topics) = result.as_object() else { return Vec::new() };
    topics
        .iter()
        .map(|(topic, payload)| TopicMessage { date, topic: topic.clone(), payload: payload.clone() })
        .collect()
}
