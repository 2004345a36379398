//! championship_drivers and championship_teams: the standings before and
//! after a race, read from our standings (kept per round) and the race's
//! results, for the race sessions whose session data is stored (their
//! `meeting_key` and `session_key` come from it).
//!
//! - `points_current`/`position_current` are the standings after the
//!   round (the race is the weekend's last scoring session);
//! - `points_start` is that minus what the race scored (so a sprint of the
//!   same weekend counts, as it had before the race started);
//!   `position_start` is the standings after the previous round where the
//!   weekend had no sprint, else the order of `points_start` (equal points
//!   in the order of the previous round's standings); before the first
//!   round's race it is null, as nobody has a place yet;
//! - `team_name` is the feed's name of the team (DriverList's `TeamName`,
//!   as OpenF1 writes it), else our constructor's name.
//!
//! Only race sessions have records, as in OpenF1 (a sprint's would need
//! standings between the two sessions, which we do not keep).
use std::collections::HashMap;

use protobuf::v1::{SessionDataSummary, SessionKey, SessionResult, SessionType, Standings, StandingsFilter};
use serde_json::{Map, Value as Json, json};

use super::schema::Endpoint;
use super::source::{self, Row};
use crate::error::ApiError;
use crate::respond::Meta;
use crate::state::AppState;

/// The records of `endpoint` (championship_drivers or _teams) for the chosen
/// sessions, with what their reads tell of freshness.
pub async fn rows(
    app: &AppState,
    endpoint: Endpoint,
    chosen: &[&SessionDataSummary],
    mut meta: Meta,
) -> Result<(Vec<Row>, Meta), ApiError> {
    let mut out = Vec::new();
    for s in chosen.iter().filter(|s| s.r#type == SessionType::Race as i32 && s.season > 0 && s.round > 0) {
        let Some((after, m)) = standings(app, s.season, Some(s.round)).await? else { continue };
        meta = meta.and(m);
        let before = match s.round {
            1 => None,
            r => standings(app, s.season, Some(r - 1)).await?.map(|(st, m)| {
                meta = meta.and(m);
                st
            }),
        };
        let race = results(app, s.season, s.round, SessionType::Race).await?;
        let sprint = !results(app, s.season, s.round, SessionType::Sprint).await?.is_empty();
        let race = Weekend { race: &race, sprint, before: before.as_ref(), first: s.round == 1 };
        let keys = (s.meeting_key, s.session_key);
        match endpoint {
            Endpoint::ChampionshipDrivers => out.extend(drivers(keys, &after, &race)),
            _ => {
                // Only the teams read the feed's names (a session's records).
                let read = source::session(app, s.session_key).await?;
                meta = meta.and(read.meta);
                out.extend(constructors(keys, &after, &race, &team_names(race.race, &read.drivers)));
            }
        }
    }
    Ok((out, meta))
}

/// What the start of the race needs of its weekend.
struct Weekend<'a> {
    race: &'a [SessionResult],
    sprint: bool,
    before: Option<&'a Standings>,
    first: bool,
}

impl Weekend<'_> {
    /// Places before the race: `(id, points_start)` in the order given are
    /// the after-race standings; `previous` is each id's place after the
    /// previous round.
    fn places(&self, starts: &[(String, f64)], previous: &HashMap<&str, i32>) -> HashMap<String, Option<i64>> {
        if self.first && !self.sprint {
            return starts.iter().map(|(id, _)| (id.clone(), None)).collect();
        }
        let mut order: Vec<&(String, f64)> = starts.iter().collect();
        if self.sprint || self.before.is_none() {
            order.sort_by(|a, b| {
                b.1.total_cmp(&a.1).then_with(|| {
                    let p = |id: &str| previous.get(id).copied().unwrap_or(i32::MAX);
                    p(&a.0).cmp(&p(&b.0))
                })
            });
            return order.iter().enumerate().map(|(i, (id, _))| (id.clone(), Some(i as i64 + 1))).collect();
        }
        starts.iter().map(|(id, _)| (id.clone(), previous.get(id.as_str()).map(|p| i64::from(*p)))).collect()
    }
}

fn drivers(keys: (i64, i64), after: &Standings, w: &Weekend<'_>) -> Vec<Row> {
    let scored: HashMap<&str, f64> = w.race.iter().map(|r| (r.driver_id.as_str(), r.points)).collect();
    let number: HashMap<&str, i32> =
        w.race.iter().filter(|r| r.driver_number > 0).map(|r| (r.driver_id.as_str(), r.driver_number)).collect();
    let previous: HashMap<&str, i32> =
        w.before.map(|b| b.drivers.iter().map(|d| (d.driver_id.as_str(), d.position)).collect()).unwrap_or_default();
    let starts: Vec<(String, f64)> = after
        .drivers
        .iter()
        .map(|d| (d.driver_id.clone(), d.points - scored.get(d.driver_id.as_str()).copied().unwrap_or(0.0)))
        .collect();
    let places = w.places(&starts, &previous);
    after
        .drivers
        .iter()
        .zip(&starts)
        .filter_map(|(d, (id, start))| {
            let n = number.get(id.as_str()).copied().or((d.driver_number > 0).then_some(d.driver_number))?;
            Some(row(keys, ("driver_number", json!(n)), *start, places[id], d.points, d.position))
        })
        .collect()
}

fn constructors(keys: (i64, i64), after: &Standings, w: &Weekend<'_>, teams: &HashMap<&str, String>) -> Vec<Row> {
    let mut scored: HashMap<&str, f64> = HashMap::new();
    for r in w.race {
        *scored.entry(r.constructor_id.as_str()).or_default() += r.points;
    }
    let previous: HashMap<&str, i32> = w
        .before
        .map(|b| b.constructors.iter().map(|c| (c.constructor_id.as_str(), c.position)).collect())
        .unwrap_or_default();
    let starts: Vec<(String, f64)> = after
        .constructors
        .iter()
        .map(|c| (c.constructor_id.clone(), c.points - scored.get(c.constructor_id.as_str()).copied().unwrap_or(0.0)))
        .collect();
    let places = w.places(&starts, &previous);
    after
        .constructors
        .iter()
        .zip(&starts)
        .map(|(c, (id, start))| {
            let name = teams.get(id.as_str()).cloned().unwrap_or_else(|| c.name.clone());
            row(keys, ("team_name", json!(name)), *start, places[id], c.points, c.position)
        })
        .collect()
}

fn row(keys: (i64, i64), who: (&str, Json), start: f64, start_place: Option<i64>, points: f64, place: i32) -> Row {
    let mut r = Map::new();
    r.insert(who.0.to_owned(), who.1);
    r.insert("meeting_key".into(), json!(keys.0));
    r.insert("points_current".into(), json!(points));
    r.insert("points_start".into(), json!(start));
    r.insert("position_current".into(), if place > 0 { json!(place) } else { Json::Null });
    r.insert("position_start".into(), start_place.map_or(Json::Null, |p| json!(p)));
    r.insert("session_key".into(), json!(keys.1));
    r
}

/// Constructor id -> the feed's team name, through the race's car numbers.
fn team_names<'a>(race: &'a [SessionResult], feed: &[Row]) -> HashMap<&'a str, String> {
    let by_number: HashMap<i64, &str> = feed
        .iter()
        .filter_map(|d| Some((d.get("driver_number")?.as_i64()?, d.get("team_name")?.as_str()?)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    race.iter()
        .filter_map(|r| Some((r.constructor_id.as_str(), by_number.get(&i64::from(r.driver_number))?.to_string())))
        .collect()
}

async fn standings(app: &AppState, season: i32, round: Option<i32>) -> Result<Option<(Standings, Meta)>, ApiError> {
    match app.call(app.client().get_standings(StandingsFilter { season, after_round: round })).await {
        Ok(res) => Ok(res.standings.map(|s| (s, Meta::of(res.metadata)))),
        Err(ApiError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn results(app: &AppState, season: i32, round: i32, t: SessionType) -> Result<Vec<SessionResult>, ApiError> {
    match app.call(app.client().get_session(SessionKey { season, round, r#type: t as i32 })).await {
        Ok(res) => Ok(res.session.map(|s| s.results).unwrap_or_default()),
        Err(ApiError::NotFound(_)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}
