//! One `/openf1/v1/{endpoint}` answer: `latest` resolved from the index,
//! the sessions the query touches chosen by its `session_key` /
//! `meeting_key` conditions, their records filtered (car_data and location
//! as they are read from the telemetry cache, [`crate::telemetry`]),
//! written as a JSON array or CSV.
use std::collections::HashSet;
use std::sync::Arc;

use livetiming::archive::TelemetryKind;
use protobuf::v1::SessionDataSummary;

use super::query::Query;
use super::schema::Endpoint;
use super::source::{self, Index, Row};
use super::{Filter, championship, csv};
use crate::error::ApiError;
use crate::respond::Rendered;
use crate::state::AppState;
use crate::telemetry::{Sample, SessionRef};

/// Endpoints with thousands of records per session: read one session (or
/// meeting) at a time, never every stored session.
pub const BIG: [Endpoint; 5] =
    [Endpoint::Laps, Endpoint::Intervals, Endpoint::Position, Endpoint::CarData, Endpoint::Location];

/// An endpoint in [`BIG`] is read only for the sessions the query names
/// (after `latest` is resolved).
fn check(query: &Query) -> Result<(), ApiError> {
    if BIG.contains(&query.endpoint) && query.keys("session_key").is_none() && query.keys("meeting_key").is_none() {
        return Err(ApiError::bad(
            "session_key",
            format!(
                "{} is read one session at a time: give session_key=K (or latest), or meeting_key=K",
                query.endpoint.name()
            ),
        ));
    }
    Ok(())
}

/// Builds the answer to `query`.
pub async fn build(app: &AppState, mut query: Query) -> Result<Rendered, ApiError> {
    let index = source::index(app).await?;
    resolve_latest(&mut query, &index);
    check(&query)?;
    let chosen = choose(&query, &index);
    let filter = Filter::new(&query);
    let mut meta = index.meta;
    let endpoint = query.endpoint;
    let mut rows: Vec<Row> = Vec::new();
    let kept;
    let matching: Vec<&Row> = match endpoint {
        Endpoint::Sessions | Endpoint::Meetings => {
            rows = heads(endpoint, &chosen)?;
            filter.apply(&rows).collect()
        }
        Endpoint::ChampionshipDrivers | Endpoint::ChampionshipTeams => {
            let (read, m) = championship::rows(app, endpoint, &chosen, meta).await?;
            (rows, meta) = (read, m);
            filter.apply(&rows).collect()
        }
        Endpoint::CarData | Endpoint::Location => {
            for s in &chosen {
                rows.extend(telemetry(app, s, &query).await?);
            }
            rows.iter().collect()
        }
        _ => {
            let mut sessions = Vec::with_capacity(chosen.len());
            for s in &chosen {
                let read = source::session(app, s.session_key).await?;
                meta = meta.and(read.meta);
                sessions.push(read);
            }
            kept = sessions;
            kept.iter().flat_map(|s| filter.apply(s.of(endpoint))).collect()
        }
    };
    if query.csv {
        let body = csv::write(endpoint, matching).into_bytes();
        return Ok(Rendered::bare_as(body, meta, meta.kind, csv::CONTENT_TYPE));
    }
    Ok(Rendered::bare(json_array(&matching)?, meta, meta.kind))
}

/// The car_data or location records of one stored session that match
/// `query`, read through the telemetry cache: only the files of the cars
/// `driver_number=` names, when it names them.
async fn telemetry(app: &AppState, s: &SessionDataSummary, query: &Query) -> Result<Vec<Row>, ApiError> {
    let kind = match query.endpoint {
        Endpoint::CarData => TelemetryKind::CarData,
        _ => TelemetryKind::Location,
    };
    let session =
        SessionRef { year: s.season, meeting_key: s.meeting_key, session_key: s.session_key, complete: s.complete };
    let drivers = query.keys("driver_number").map(|keys| keys.into_iter().map(|k| k as i32).collect());
    let filter = Arc::new(Filter::new(query));
    let keep = move |sample: Sample| {
        let row = match &sample {
            Sample::Car(c) => source::row(c),
            Sample::Place(l) => source::row(l),
        }?;
        filter.matches(&row).then_some(row)
    };
    app.telemetry.read(&session, kind, drivers, keep).await
}

/// `session_key=latest` is the newest stored session, `meeting_key=latest`
/// its meeting; with nothing stored, a key no session has.
fn resolve_latest(query: &mut Query, index: &Index) {
    let newest = index.sessions.first();
    if query.wants_latest("session_key") {
        query.resolve_latest("session_key", newest.map_or(0, |s| s.session_key));
    }
    if query.wants_latest("meeting_key") {
        query.resolve_latest("meeting_key", newest.map_or(0, |s| s.meeting_key));
    }
}

/// The stored sessions the query may touch, oldest first: those its
/// `session_key=` / `meeting_key=` conditions name, else every one.
fn choose<'i>(query: &Query, index: &'i Index) -> Vec<&'i SessionDataSummary> {
    let sessions = query.keys("session_key");
    let meetings = query.keys("meeting_key");
    let mut chosen: Vec<_> = index
        .sessions
        .iter()
        .filter(|s| sessions.as_ref().is_none_or(|k| k.contains(&s.session_key)))
        .filter(|s| meetings.as_ref().is_none_or(|k| k.contains(&s.meeting_key)))
        .collect();
    chosen.reverse();
    chosen
}

/// The `sessions` or `meetings` records of the chosen sessions: a meeting
/// once, from its first stored session.
fn heads(endpoint: Endpoint, chosen: &[&SessionDataSummary]) -> Result<Vec<Row>, ApiError> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for s in chosen {
        let head = source::head(s)?;
        match endpoint {
            Endpoint::Sessions => out.extend(source::rows(head.session.as_slice())?),
            _ if seen.insert(s.meeting_key) => out.extend(source::rows(head.meeting.as_slice())?),
            _ => {}
        }
    }
    Ok(out)
}

fn json_array(rows: &[&Row]) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::with_capacity(rows.len() * 320 + 2);
    out.push(b'[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, row).map_err(|e| ApiError::Internal(format!("serialising: {e}")))?;
    }
    out.push(b']');
    Ok(out)
}
