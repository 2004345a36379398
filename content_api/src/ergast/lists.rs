//! Each endpoint's rows: flattened (results, timings, stops, standings
//! entries), so paging can cut them anywhere, then grouped back per race.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use protobuf::v1::{Round, SessionType, Standings};
use serde::Serialize;
use serde_json::Value;

use super::path::{Endpoint, Query};
use super::scope::Scope;
use super::shape::{self, RaceRows, StandingsEntries, StandingsList};
use super::source;
use super::view;
use crate::error::ApiError;
use crate::state::AppState;

/// `limit` and `offset` (Jolpica: default 30, at most 100; a value that is
/// not a positive number is ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub limit: usize,
    pub offset: usize,
}

impl Paging {
    pub fn from_query(limit: Option<&str>, offset: Option<&str>) -> Self {
        let limit = limit.and_then(|l| l.parse::<usize>().ok()).filter(|l| *l > 0).map_or(30, |l| l.min(100));
        let offset = offset.and_then(|o| o.parse::<usize>().ok()).unwrap_or(0);
        Self { limit, offset }
    }

    fn cut<T>(self, items: Vec<T>) -> Vec<T> {
        items.into_iter().skip(self.offset).take(self.limit).collect()
    }
}

/// An answer's table: its names, total rows and the page's list.
pub struct Table {
    pub table: &'static str,
    pub list: &'static str,
    pub total: usize,
    pub items: Value,
    /// Criteria resolved while building (the standings' latest round).
    pub echo: Vec<(&'static str, String)>,
}

fn json<T: Serialize>(v: T) -> Result<Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::Internal(format!("serialising an Ergast list: {e}")))
}

fn table<T: Serialize>(
    table: &'static str,
    list: &'static str,
    items: Vec<T>,
    page: Paging,
) -> Result<Table, ApiError> {
    let total = items.len();
    Ok(Table { table, list, total, items: json(page.cut(items))?, echo: Vec::new() })
}

/// Rows of races, cut by `page` and grouped back into their races.
fn races_with<T>(
    s: &Scope,
    rows: Vec<(&Round, T)>,
    page: Paging,
    wrap: impl Fn(Vec<T>) -> RaceRows,
) -> Result<Table, ApiError> {
    let total = rows.len();
    let mut races: Vec<shape::Race> = Vec::new();
    let mut current: Option<(i32, i32)> = None;
    let mut pending: Vec<T> = Vec::new();
    let mut last_round: Option<&Round> = None;
    let flush = |round: Option<&Round>, pending: &mut Vec<T>, races: &mut Vec<shape::Race>| {
        if let Some(r) = round
            && !pending.is_empty()
        {
            let mut race = s.reference.race(r, false);
            race.rows = Some(wrap(std::mem::take(pending)));
            races.push(race);
        }
    };
    for (round, row) in page.cut(rows) {
        let key = (round.season, round.round);
        if current != Some(key) {
            flush(last_round, &mut pending, &mut races);
            current = Some(key);
            last_round = Some(round);
        }
        pending.push(row);
    }
    flush(last_round, &mut pending, &mut races);
    Ok(Table { table: "RaceTable", list: "Races", total, items: json(races)?, echo: Vec::new() })
}

pub async fn build(app: &AppState, q: &Query, s: &Scope, page: Paging) -> Result<Table, ApiError> {
    match q.endpoint {
        Endpoint::Seasons => seasons(app, s, page).await,
        Endpoint::Circuits => circuits(s, page),
        Endpoint::Races => races(s, page),
        Endpoint::Constructors => constructors(s, page),
        Endpoint::Drivers => drivers(s, page),
        Endpoint::Results => results(s, q, page, SessionType::Race),
        Endpoint::Sprint => results(s, q, page, SessionType::Sprint),
        Endpoint::Qualifying => qualifying(s, q, page),
        Endpoint::Laps | Endpoint::PitStops => timing(app, q, s, page).await,
        Endpoint::DriverStandings | Endpoint::ConstructorStandings => standings(app, q, s, page).await,
        Endpoint::Status => status(s, page),
    }
}

async fn seasons(app: &AppState, s: &Scope, page: Paging) -> Result<Table, ApiError> {
    let years: Vec<i32> = if s.row_criteria() {
        let years: BTreeSet<i32> = s.rounds().filter(|r| s.race_rows(r).next().is_some()).map(|r| r.season).collect();
        years.into_iter().collect()
    } else if s.season.is_some() || s.round.is_some() || s.criteria.circuit.is_some() {
        let years: BTreeSet<i32> = s.rounds().map(|r| r.season).collect();
        years.into_iter().collect()
    } else {
        source::seasons(app).await?.0.iter().map(|s| s.year).collect()
    };
    table("SeasonTable", "Seasons", years.into_iter().map(view::season).collect(), page)
}

/// Rounds with a row meeting the criteria, or every round in scope.
fn matching_rounds(s: &Scope) -> Vec<&Round> {
    if s.row_criteria() {
        s.rounds().filter(|r| s.race_rows(r).next().is_some()).collect()
    } else {
        s.rounds().collect()
    }
}

fn circuits(s: &Scope, page: Paging) -> Result<Table, ApiError> {
    let ids: Vec<&str> = if s.seasons.is_empty() {
        let only = s.criteria.circuit.as_deref();
        s.reference
            .circuits
            .keys()
            .map(String::as_str)
            .filter(|id| only.is_none_or(|c| s.reference.ids.circuit(id) == c))
            .collect()
    } else {
        matching_rounds(s).into_iter().map(|r| r.circuit_id.as_str()).collect()
    };
    let mut list: Vec<shape::Circuit> =
        ids.into_iter().collect::<BTreeSet<_>>().into_iter().map(|id| s.reference.circuit(id)).collect();
    list.sort_by(|a, b| a.circuit_id.cmp(&b.circuit_id));
    table("CircuitTable", "Circuits", list, page)
}

fn races(s: &Scope, page: Paging) -> Result<Table, ApiError> {
    let list: Vec<shape::Race> = matching_rounds(s).into_iter().map(|r| s.reference.race(r, true)).collect();
    table("RaceTable", "Races", list, page)
}

/// The rows whose drivers and constructors a list names: race rows, and
/// qualifying rows too when no result criteria apply (non-qualifiers).
fn entrants(s: &Scope) -> Vec<&protobuf::v1::SessionResult> {
    let result_criteria = s.criteria.grid.is_some()
        || s.criteria.position.is_some()
        || s.criteria.status.is_some()
        || s.criteria.fastest.is_some_and(|f| f > 0);
    let mut out = Vec::new();
    for r in s.rounds() {
        out.extend(s.race_rows(r).map(|(_, row)| row));
        if !result_criteria && let Some(q) = view::session(r, SessionType::Qualifying) {
            out.extend(q.results.iter().filter(|row| s.entrant(row)));
        }
    }
    out
}

fn drivers(s: &Scope, page: Paging) -> Result<Table, ApiError> {
    let ids: BTreeSet<&str> = if s.seasons.is_empty() {
        let only = s.criteria.driver.as_deref();
        s.reference
            .drivers
            .keys()
            .map(String::as_str)
            .filter(|id| only.is_none_or(|d| s.reference.ids.driver(id) == d))
            .collect()
    } else {
        entrants(s).into_iter().map(|r| r.driver_id.as_str()).collect()
    };
    let mut list: Vec<shape::Driver> = ids.into_iter().map(|id| s.reference.driver(id)).collect();
    list.sort_by(|a, b| (&a.family_name, &a.given_name).cmp(&(&b.family_name, &b.given_name)));
    table("DriverTable", "Drivers", list, page)
}

fn constructors(s: &Scope, page: Paging) -> Result<Table, ApiError> {
    let ids: BTreeSet<&str> = if s.seasons.is_empty() {
        let only = s.criteria.constructor.as_deref();
        s.reference
            .constructors
            .keys()
            .map(String::as_str)
            .filter(|id| only.is_none_or(|c| s.reference.ids.constructor(id) == c))
            .collect()
    } else {
        entrants(s).into_iter().map(|r| r.constructor_id.as_str()).collect()
    };
    let mut list: Vec<shape::Constructor> = ids.into_iter().map(|id| s.reference.constructor(id)).collect();
    list.sort_by(|a, b| a.constructor_id.cmp(&b.constructor_id));
    table("ConstructorTable", "Constructors", list, page)
}

fn results(s: &Scope, q: &Query, page: Paging, t: SessionType) -> Result<Table, ApiError> {
    let sprint = t == SessionType::Sprint;
    let wanted = q.value_number();
    let mut rows = Vec::new();
    for round in s.rounds() {
        let Some(session) = view::session(round, t) else { continue };
        let winner = view::winner_millis(&session.results);
        for (i, r) in session.results.iter().enumerate() {
            let place = view::place(r, i);
            if !s.race_row(round, sprint, r, i) || wanted.is_some_and(|w| !view::classified(r) || place != w as usize) {
                continue;
            }
            rows.push((round, s.reference.race_result(round, r, place, winner, sprint)));
        }
    }
    races_with(s, rows, page, if sprint { RaceRows::SprintResults } else { RaceRows::Results })
}

fn qualifying(s: &Scope, q: &Query, page: Paging) -> Result<Table, ApiError> {
    let wanted = q.value_number();
    let mut rows = Vec::new();
    for round in s.rounds() {
        let Some(session) = view::session(round, SessionType::Qualifying) else { continue };
        // Result criteria are about the same driver's race.
        let raced: HashMap<&str, bool> = view::session(round, SessionType::Race)
            .map(|race| {
                race.results
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.driver_id.as_str(), s.race_row(round, false, r, i)))
                    .collect()
            })
            .unwrap_or_default();
        let by_race = s.row_criteria()
            && (s.criteria.grid.is_some()
                || s.criteria.position.is_some()
                || s.criteria.status.is_some()
                || s.criteria.fastest.is_some_and(|f| f > 0));
        for (i, r) in session.results.iter().enumerate() {
            let place = view::place(r, i);
            if !s.entrant(r)
                || by_race && !raced.get(r.driver_id.as_str()).copied().unwrap_or(false)
                || wanted.is_some_and(|w| place != w as usize)
            {
                continue;
            }
            rows.push((round, s.reference.qualifying_result(r, place)));
        }
    }
    races_with(s, rows, page, RaceRows::QualifyingResults)
}

async fn standings(app: &AppState, q: &Query, s: &Scope, page: Paging) -> Result<Table, ApiError> {
    let drivers = q.endpoint == Endpoint::DriverStandings;
    let (year, wanted) = (s.season.unwrap_or_default(), q.value_number());
    let (all, _) = &*source::standings(app, year).await?;
    let chosen: Option<&Standings> = match s.round {
        Some(n) => all.iter().find(|st| st.round == n),
        None => all.iter().max_by_key(|st| st.round),
    };
    let Some(st) = chosen else {
        return table::<StandingsList<StandingsEntries>>("StandingsTable", "StandingsLists", Vec::new(), page);
    };
    let ids = &s.reference.ids;
    let position = |p: i32| (p > 0).then(|| p.to_string());
    let text = |t: &str, p: i32| if t.is_empty() { p.to_string() } else { t.to_string() };
    let (total, entries) = if drivers {
        let teams = teams_by_driver(s, st.round);
        let list: Vec<shape::DriverStanding> = st
            .drivers
            .iter()
            .filter(|d| s.criteria.driver.as_deref().is_none_or(|x| ids.driver(&d.driver_id) == x))
            .filter(|d| wanted.is_none_or(|w| d.position == w as i32))
            .map(|d| shape::DriverStanding {
                position: position(d.position),
                position_text: text(&d.position_text, d.position),
                points: shape::points(d.points),
                wins: d.wins.to_string(),
                driver: s.reference.driver(&d.driver_id),
                constructors: teams
                    .get(d.driver_id.as_str())
                    .cloned()
                    .unwrap_or_else(|| vec![d.constructor_id.as_str()])
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| s.reference.constructor(c))
                    .collect(),
            })
            .collect();
        (list.len(), StandingsEntries::DriverStandings(page.cut(list)))
    } else {
        let list: Vec<shape::ConstructorStanding> = st
            .constructors
            .iter()
            .filter(|c| s.criteria.constructor.as_deref().is_none_or(|x| ids.constructor(&c.constructor_id) == x))
            .filter(|c| wanted.is_none_or(|w| c.position == w as i32))
            .map(|c| shape::ConstructorStanding {
                position: position(c.position),
                position_text: text(&c.position_text, c.position),
                points: shape::points(c.points),
                wins: c.wins.to_string(),
                constructor: s.reference.constructor(&c.constructor_id),
            })
            .collect();
        (list.len(), StandingsEntries::ConstructorStandings(page.cut(list)))
    };
    let empty = match &entries {
        StandingsEntries::DriverStandings(l) => l.is_empty(),
        StandingsEntries::ConstructorStandings(l) => l.is_empty(),
    };
    let lists = if empty && total == 0 {
        Vec::new()
    } else {
        vec![StandingsList { season: year.to_string(), round: st.round.to_string(), entries }]
    };
    let echo = vec![("round", st.round.to_string())];
    Ok(Table { table: "StandingsTable", list: "StandingsLists", total, items: json(lists)?, echo })
}

/// Each driver's constructors in the season up to `round`, in the order
/// first driven for (Ergast lists every one).
fn teams_by_driver(s: &Scope, round: i32) -> HashMap<&str, Vec<&str>> {
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in s.seasons.iter().flat_map(|d| &d.rounds).filter(|r| r.round <= round) {
        for row in view::session(r, SessionType::Race).into_iter().flat_map(|x| &x.results) {
            let teams = out.entry(row.driver_id.as_str()).or_default();
            if !teams.contains(&row.constructor_id.as_str()) {
                teams.push(row.constructor_id.as_str());
            }
        }
    }
    out
}

fn status(s: &Scope, page: Paging) -> Result<Table, ApiError> {
    let mut counts: BTreeMap<(&str, u32), usize> = BTreeMap::new();
    for round in s.rounds() {
        for (_, r) in s.race_rows(round) {
            let (id, text) = s.reference.status(round, false, r);
            if !text.is_empty() {
                *counts.entry((text, id)).or_default() += 1;
            }
        }
    }
    // Jolpica's order: most frequent first, then by text.
    let mut list: Vec<((&str, u32), usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.0.cmp(b.0.0)));
    let list: Vec<shape::Status> = list
        .into_iter()
        .map(|((text, id), n)| shape::Status {
            status_id: id.to_string(),
            count: n.to_string(),
            status: text.to_string(),
        })
        .collect();
    table("StatusTable", "Status", list, page)
}

/// Laps (rows: one driver's lap, grouped by lap number) or pit stops of the
/// one race in scope (season and round are required).
async fn timing(app: &AppState, q: &Query, s: &Scope, page: Paging) -> Result<Table, ApiError> {
    let Some(round) = s.rounds().next() else {
        return races_with(s, Vec::<(&Round, shape::Lap)>::new(), page, RaceRows::Laps);
    };
    let data = source::timing(app, round).await?;
    let (t, _) = &*data;
    let ids = &s.reference.ids;
    // The driver's constructor in this race, for the constructor filter.
    let team: HashMap<&str, &str> = view::session(round, SessionType::Race)
        .map(|r| r.results.iter().map(|x| (x.driver_id.as_str(), x.constructor_id.as_str())).collect())
        .unwrap_or_default();
    let c = &s.criteria;
    let keep = |driver: &str| {
        c.driver.as_deref().is_none_or(|d| ids.driver(driver) == d)
            && c.constructor.as_deref().is_none_or(|k| team.get(driver).is_some_and(|t| ids.constructor(t) == k))
    };
    // Result criteria select drivers by their race row.
    let by_race: Option<BTreeSet<&str>> =
        s.row_criteria().then(|| s.race_rows(round).map(|(_, r)| r.driver_id.as_str()).collect());
    let in_race = |driver: &str| by_race.as_ref().is_none_or(|set| set.contains(driver));
    if q.endpoint == Endpoint::PitStops {
        let wanted = q.value_number();
        // Ergast orders a race's stops by the time of day they were made.
        let mut stops: Vec<&protobuf::v1::PitStop> = t.pit_stops.iter().collect();
        let of_day = |p: &protobuf::v1::PitStop| {
            let secs = p.time.split(':').try_fold(0_u32, |acc, part| part.parse::<u32>().ok().map(|n| acc * 60 + n));
            (secs.is_none(), secs, p.lap)
        };
        stops.sort_by_key(|p| of_day(p));
        let rows: Vec<(&Round, shape::PitStop)> = stops
            .into_iter()
            .filter(|p| keep(&p.driver_id) && in_race(&p.driver_id))
            .filter(|p| c.lap.is_none_or(|l| p.lap == l as i32) && wanted.is_none_or(|w| p.stop == w as i32))
            .map(|p| {
                (
                    round,
                    shape::PitStop {
                        driver_id: ids.driver(&p.driver_id),
                        lap: p.lap.to_string(),
                        stop: p.stop.to_string(),
                        time: (!p.time.is_empty()).then(|| p.time.clone()),
                        duration: p.duration.clone(),
                    },
                )
            })
            .collect();
        return races_with(s, rows, page, RaceRows::PitStops);
    }
    let rows: Vec<(i32, shape::Timing)> = t
        .laps
        .iter()
        .filter(|l| keep(&l.driver_id) && in_race(&l.driver_id) && c.lap.is_none_or(|n| l.lap == n as i32))
        .map(|l| {
            (
                l.lap,
                shape::Timing {
                    driver_id: ids.driver(&l.driver_id),
                    position: l.position.to_string(),
                    time: l.time.clone(),
                },
            )
        })
        .collect();
    // Paging cuts timings; the page's timings are grouped by lap.
    let total = rows.len();
    let mut laps: Vec<shape::Lap> = Vec::new();
    for (n, timing) in page.cut(rows) {
        match laps.last_mut() {
            Some(l) if l.number == n.to_string() => l.timings.push(timing),
            _ => laps.push(shape::Lap { number: n.to_string(), timings: vec![timing] }),
        }
    }
    let mut races = Vec::new();
    if !laps.is_empty() {
        let mut race = s.reference.race(round, false);
        race.rows = Some(RaceRows::Laps(laps));
        races.push(race);
    }
    Ok(Table { table: "RaceTable", list: "Races", total, items: json(races)?, echo: Vec::new() })
}
