//! The merged state of every topic of one connection.
use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::LiveError;
use crate::merge::{check, inflate, merge};
use crate::topics::{Moved, PartBests, has_started};

/// Every topic the hub publishes. The last three are sent only to
/// connections that present an F1TV token; without one they are absent.
pub const TOPICS: [&str; 20] = [
    "Heartbeat",
    "TimingData",
    "TimingAppData",
    "TimingStats",
    "DriverList",
    "TopThree",
    "TrackStatus",
    "LapCount",
    "SessionInfo",
    "SessionStatus",
    "SessionData",
    "ExtrapolatedClock",
    "RaceControlMessages",
    "WeatherData",
    "TeamRadio",
    "PitLaneTimeCollection",
    "TyreStintSeries",
    "ChampionshipPrediction",
    "CarData.z",
    "Position.z",
];

/// The topics that need an F1TV subscription.
pub const SUBSCRIBER_TOPICS: [&str; 3] = ["ChampionshipPrediction", "CarData.z", "Position.z"];

/// The topics to subscribe to: all of them with a token, the free ones without.
pub fn subscription(with_token: bool) -> Vec<&'static str> {
    TOPICS.into_iter().filter(|t| with_token || !SUBSCRIBER_TOPICS.contains(t)).collect()
}

/// The merged state of each topic, keyed by topic name without `.z`
/// (a `CarData.z` payload is stored, decoded, as `CarData`).
///
/// It also keeps what the final classification needs that the merged
/// TimingData forgets (qualifying times of earlier parts, whether a car ever
/// moved), seen in every TimingData payload. Two states are equal when their
/// topics are: those observations depend on how the patches were cut (a
/// snapshot or a stream of them), not on what the state is.
#[derive(Debug, Clone, Default)]
pub struct TopicState {
    topics: BTreeMap<String, Value>,
    observed: Arc<Observed>,
}

/// What TimingData payloads showed over the connection.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    pub parts: PartBests,
    pub moved: Moved,
}

impl PartialEq for TopicState {
    fn eq(&self, other: &Self) -> bool {
        self.topics == other.topics
    }
}

impl TopicState {
    /// The state a `Subscribe` completion describes (`{topic: state}`).
    /// Topics that are unknown or fail to decode are skipped and returned as
    /// errors, so one bad topic does not cost the rest.
    pub fn from_snapshot(result: Value) -> (Self, Vec<LiveError>) {
        let mut state = Self::default();
        let mut skipped = Vec::new();
        let Value::Object(topics) = result else {
            skipped.push(LiveError::Protocol("the Subscribe result is not an object".into()));
            return (state, skipped);
        };
        // SessionStatus first: whether the session has started decides how
        // TimingData is read (see `Moved`).
        let (status, rest): (Vec<_>, Vec<_>) = topics.into_iter().partition(|(t, _)| t == "SessionStatus");
        for (topic, value) in status.into_iter().chain(rest) {
            if let Err(e) = state.apply(&topic, value) {
                skipped.push(e);
            }
        }
        (state, skipped)
    }

    /// Merges one `feed` payload into its topic; returns the topic's stored
    /// name. Nothing changes when the topic is unknown or the payload bad.
    pub fn apply(&mut self, topic: &str, payload: Value) -> Result<&'static str, LiveError> {
        let known = TOPICS.iter().find(|t| **t == topic).ok_or_else(|| LiveError::UnknownTopic(topic.into()))?;
        let bad = |message: String| LiveError::BadPayload { topic: topic.into(), message };
        if let Some(name) = known.strip_suffix(".z") {
            // Each .z message is a complete batch of samples, not a patch.
            self.topics.insert(name.to_string(), inflate(&payload).map_err(bad)?);
            return Ok(name);
        }
        check(self.topics.get(*known).unwrap_or(&Value::Null), &payload).map_err(bad)?;
        if *known == "TimingData" {
            let observed = Arc::make_mut(&mut self.observed);
            observed.parts.observe(&payload);
            observed.moved.observe(&payload);
        }
        merge(self.topics.entry(known.to_string()).or_insert(Value::Null), payload).map_err(bad)?;
        if *known == "SessionStatus" && !self.observed.moved.started() && has_started(&self.topics[*known]) {
            Arc::make_mut(&mut self.observed).moved.start();
        }
        Ok(known)
    }

    /// What the TimingData payloads showed (see the type's comment).
    pub fn observed(&self) -> &Observed {
        &self.observed
    }

    pub fn get(&self, topic: &str) -> Option<&Value> {
        self.topics.get(topic)
    }

    /// The names of the topics that hold state.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.topics.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }

    /// The session's archive folder from SessionInfo (`2024/..._Qualifying/`),
    /// which names a session uniquely; `None` before SessionInfo arrives.
    pub fn session_key(&self) -> Option<String> {
        let info = self.topics.get("SessionInfo")?;
        let path = info.get("Path").and_then(Value::as_str).filter(|p| !p.is_empty());
        path.map(str::to_string).or_else(|| info.get("Key").filter(|k| !k.is_null()).map(|k| format!("key:{k}")))
    }
}
