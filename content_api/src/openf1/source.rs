//! The records `/openf1/v1` answers from: the index of stored sessions
//! (`GetSessionDataIndex`) and each session's records (`GetSessionData`
//! through [`livetiming::wire::from_wire`]) as JSON objects, one list per
//! endpoint, made once and kept in-process ([`crate::kept`]): a request
//! on a kept session only filters and writes.
use std::sync::Arc;
use std::time::Duration;

use livetiming::openf1::SessionRecords;
use protobuf::v1::{SessionData, SessionDataFilter, SessionDataKey, SessionDataSummary};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::schema::Endpoint;
use crate::error::ApiError;
use crate::kept::{Copies, cache, kept};
use crate::respond::{CacheKind, Meta};
use crate::state::AppState;

/// A record as the filter and the writers read it.
pub type Row = Map<String, Json>;

/// Sessions whose records are kept at once: a race's records as JSON
/// objects are large (every interval and position sample of every car).
const SESSIONS_KEPT: u64 = 8;

/// Every stored session, newest first (by its start), as data_scheduler
/// orders its index.
#[derive(Debug)]
pub struct Index {
    pub sessions: Vec<SessionDataSummary>,
    pub meta: Meta,
}

/// One session's records, per endpoint, in the order derived.
#[derive(Debug, Default)]
pub struct SessionRows {
    pub drivers: Vec<Row>,
    pub laps: Vec<Row>,
    pub stints: Vec<Row>,
    pub pit: Vec<Row>,
    pub race_control: Vec<Row>,
    pub weather: Vec<Row>,
    pub intervals: Vec<Row>,
    pub position: Vec<Row>,
    pub session_result: Vec<Row>,
    pub starting_grid: Vec<Row>,
    pub overtakes: Vec<Row>,
    pub team_radio: Vec<Row>,
    pub meta: Meta,
}

impl SessionRows {
    /// The records of `endpoint` (none for the endpoints not read from a
    /// session's records).
    pub fn of(&self, endpoint: Endpoint) -> &[Row] {
        match endpoint {
            Endpoint::Drivers => &self.drivers,
            Endpoint::Laps => &self.laps,
            Endpoint::Stints => &self.stints,
            Endpoint::Pit => &self.pit,
            Endpoint::RaceControl => &self.race_control,
            Endpoint::Weather => &self.weather,
            Endpoint::Intervals => &self.intervals,
            Endpoint::Position => &self.position,
            Endpoint::SessionResult => &self.session_result,
            Endpoint::StartingGrid => &self.starting_grid,
            Endpoint::Overtakes => &self.overtakes,
            Endpoint::TeamRadio => &self.team_radio,
            _ => &[],
        }
    }

    fn from_records(r: &SessionRecords, meta: Meta) -> Result<Self, ApiError> {
        Ok(Self {
            drivers: rows(&r.drivers)?,
            laps: rows(&r.laps)?,
            stints: rows(&r.stints)?,
            pit: rows(&r.pit)?,
            race_control: rows(&r.race_control)?,
            weather: rows(&r.weather)?,
            intervals: rows(&r.intervals)?,
            position: rows(&r.position)?,
            session_result: rows(&r.session_result)?,
            starting_grid: rows(&r.starting_grid)?,
            overtakes: rows(&r.overtakes)?,
            team_radio: rows(&r.team_radio)?,
            meta,
        })
    }
}

/// Each record as a JSON object, with OpenF1's field names.
pub fn rows<T: Serialize>(records: &[T]) -> Result<Vec<Row>, ApiError> {
    records
        .iter()
        .map(|r| match serde_json::to_value(r) {
            Ok(Json::Object(m)) => Ok(m),
            Ok(other) => Err(ApiError::Internal(format!("a record serialised as {other}"))),
            Err(e) => Err(ApiError::Internal(format!("serialising a record: {e}"))),
        })
        .collect()
}

/// One record as a JSON object, with OpenF1's field names; `None` if it
/// does not serialise as an object (it always does).
pub fn row<T: Serialize>(record: &T) -> Option<Row> {
    match serde_json::to_value(record) {
        Ok(Json::Object(m)) => Some(m),
        _ => None,
    }
}

/// The session and meeting records a summary holds (its head), without
/// reading the session's records.
pub fn head(s: &SessionDataSummary) -> Result<SessionRecords, ApiError> {
    let shell = SessionData {
        meeting_key: s.meeting_key,
        session_key: s.session_key,
        meeting: s.meeting.clone(),
        session: s.session.clone(),
        ..SessionData::default()
    };
    livetiming::wire::from_wire(&shell).map_err(|e| ApiError::Internal(format!("session {}: {e}", s.session_key)))
}

/// The kept copies; a zero lifetime reads through every time.
#[derive(Clone)]
pub struct Sources {
    index: Copies<(), Index>,
    sessions: Copies<i64, SessionRows>,
}

impl Sources {
    pub fn new(ttl: Duration) -> Self {
        let ttl = ttl.min(Duration::from_secs(60));
        let n = |cap: u64| if ttl.is_zero() { 0 } else { cap };
        Self { index: cache(ttl, n(1)), sessions: cache(ttl, n(SESSIONS_KEPT)) }
    }
}

impl AppState {
    pub(crate) fn openf1_sources(&self) -> &Sources {
        self.openf1.get_or_init(|| Sources::new(self.response_cache))
    }
}

/// Every stored session's summary, newest first.
pub async fn index(app: &AppState) -> Result<Arc<Index>, ApiError> {
    kept(app, &app.openf1_sources().index, (), || async {
        let res = app.call(app.client().get_session_data_index(SessionDataFilter::default())).await?;
        Ok(Arc::new(Index { sessions: res.sessions, meta: Meta::of(res.metadata) }))
    })
    .await
}

/// One session's records; empty when none are stored (a session listed in
/// the index a moment ago may have been removed since).
pub async fn session(app: &AppState, session_key: i64) -> Result<Arc<SessionRows>, ApiError> {
    kept(app, &app.openf1_sources().sessions, session_key, || async {
        let key = SessionDataKey { session_key, ..SessionDataKey::default() };
        match app.call(app.client().get_session_data(key)).await {
            Ok(res) => {
                let data = res.data.unwrap_or_default();
                let records = livetiming::wire::from_wire(&data)
                    .map_err(|e| ApiError::Internal(format!("session {session_key}: {e}")))?;
                Ok(Arc::new(SessionRows::from_records(&records, Meta::of(res.metadata))?))
            }
            Err(ApiError::NotFound(_)) => {
                let meta = Meta { date: 0, cached: false, kind: CacheKind::CurrentSeason };
                Ok(Arc::new(SessionRows { meta, ..SessionRows::default() }))
            }
            Err(e) => Err(e),
        }
    })
    .await
}
