//! What a request covers: its season and round resolved (`current`, `last`,
//! `next`), the seasons to read, and the criteria echoed in the answer.
use std::sync::Arc;

use protobuf::v1::{Round, SeasonStatus, SessionResult, SessionType};

use super::path::{Criteria, Endpoint, Query, RoundSel, SeasonSel};
use super::source::{self, Reference, SeasonData};
use super::view;
use crate::error::ApiError;
use crate::respond::{CacheKind, Meta};
use crate::state::AppState;

/// The seasons a request reads, with its round and criteria resolved.
pub struct Scope {
    pub reference: Arc<Reference>,
    pub seasons: Vec<Arc<SeasonData>>,
    /// The resolved season, when the path names one.
    pub season: Option<i32>,
    /// The resolved round, when the path names one.
    pub round: Option<i32>,
    pub criteria: Criteria,
    pub meta: Meta,
    pub kind: CacheKind,
}

/// The year of a unix instant (days to civil date, proleptic Gregorian).
fn year_of(unix: i64) -> i32 {
    let days = unix.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as i32
}

fn race_held(r: &Round) -> bool {
    view::session(r, SessionType::Race).is_some_and(|s| !s.results.is_empty())
}

/// `last` and `next` as Jolpica reads them: the first round whose race has
/// no results is next (else round 1 of the next season), the one before it
/// last (else the final round).
fn relative(rounds: &[Round], sel: RoundSel, year: i32) -> Option<(i32, i32)> {
    let next = rounds.iter().filter(|r| !race_held(r)).map(|r| r.round).min();
    let last = rounds.iter().map(|r| r.round).max();
    match (sel, next) {
        (RoundSel::Next, Some(n)) => Some((year, n)),
        (RoundSel::Next, None) => Some((year + 1, 1)),
        (RoundSel::Last, Some(n)) => Some((year, (n - 1).max(1))),
        (RoundSel::Last, None) => last.map(|l| (year, l)),
        (RoundSel::Number(n), _) => Some((year, n)),
    }
}

impl Scope {
    pub async fn load(app: &AppState, q: &Query) -> Result<Self, ApiError> {
        let reference = source::reference(app).await?;
        let mut meta = reference.meta;
        let mut season = q.season.map(|s| match s {
            SeasonSel::Year(y) => y,
            SeasonSel::Current => year_of(protobuf::domain::now_unix()),
        });
        let mut round = None;
        let mut seasons = Vec::new();
        if let Some(year) = season {
            let mut data = source::season(app, year).await?;
            if let Some(sel) = q.round {
                let rounds = data.as_ref().map_or(&[][..], |d| &d.rounds[..]);
                match relative(rounds, sel, year) {
                    Some((y, r)) if y != year => {
                        data = source::season(app, y).await?;
                        (season, round) = (Some(y), Some(r));
                    }
                    Some((_, r)) => round = Some(r),
                    None => round = Some(0),
                }
            }
            seasons.extend(data);
        } else if needs_rows(q) {
            let (all, m) = &*source::seasons(app).await?;
            meta = meta.and(*m);
            seasons = every_season(app, all.iter().map(|s| s.year).collect()).await?;
        }
        let completed = seasons.iter().all(|s| s.season.status == SeasonStatus::Completed as i32);
        let kind = match (season, completed) {
            (None, _) if seasons.is_empty() => CacheKind::Reference,
            (_, true) => CacheKind::CompletedSeason,
            _ => CacheKind::CurrentSeason,
        };
        // A season holding a provisional classification (its rounds' class
        // says so) makes the answer provisional, whatever the season's status.
        let provisional = seasons.iter().any(|s| s.meta.kind == CacheKind::Provisional);
        let kind = kind.holding_provisional(provisional);
        for s in &seasons {
            meta = meta.and(s.meta);
        }
        Ok(Self { reference, seasons, season, round, criteria: q.effective(), meta, kind })
    }

    /// The rounds in scope (season, round and circuit criteria applied).
    pub fn rounds(&self) -> impl Iterator<Item = &Round> {
        self.seasons.iter().flat_map(|s| &s.rounds).filter(|r| {
            self.round.is_none_or(|n| r.round == n)
                && self.criteria.circuit.as_deref().is_none_or(|c| self.reference.ids.circuit(&r.circuit_id) == c)
        })
    }

    /// Whether a race row meets the driver, constructor and result criteria.
    pub fn race_row(&self, round: &Round, sprint: bool, r: &SessionResult, index: usize) -> bool {
        let c = &self.criteria;
        self.entrant(r)
            && c.grid.is_none_or(|g| r.grid == g as i32)
            && c.position.is_none_or(|p| view::classified(r) && view::place(r, index) == p as usize)
            && c.fastest.is_none_or(|f| f == 0 || view::fastest_lap_rank(r) == f as i32)
            && c.status.is_none_or(|s| self.reference.status(round, sprint, r).0 == s)
    }

    /// Whether a row is of the driver and constructor asked for.
    pub fn entrant(&self, r: &SessionResult) -> bool {
        let (c, ids) = (&self.criteria, &self.reference.ids);
        c.driver.as_deref().is_none_or(|d| ids.driver(&r.driver_id) == d)
            && c.constructor.as_deref().is_none_or(|k| ids.constructor(&r.constructor_id) == k)
    }

    /// Whether criteria on race rows are given (beyond season, round, circuit).
    pub fn row_criteria(&self) -> bool {
        let c = &self.criteria;
        c.driver.is_some()
            || c.constructor.is_some()
            || c.grid.is_some()
            || c.position.is_some()
            || c.fastest.is_some_and(|f| f > 0)
            || c.status.is_some()
    }

    /// The race rows of `round` meeting the criteria, with their places.
    pub fn race_rows<'a>(&'a self, round: &'a Round) -> impl Iterator<Item = (usize, &'a SessionResult)> {
        view::session(round, SessionType::Race)
            .into_iter()
            .flat_map(|s| s.results.iter().enumerate())
            .filter(|(i, r)| self.race_row(round, false, r, *i))
            .map(|(i, r)| (view::place(r, i), r))
    }

    /// The criteria as Jolpica echoes them in the table.
    pub fn echo(&self, q: &Query) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(s) = self.season {
            out.push(("season", s.to_string()));
        }
        if let Some(r) = self.round {
            out.push(("round", r.to_string()));
        }
        let c = &self.criteria;
        let mut push = |k: &'static str, v: Option<String>| out.extend(v.map(|v| (k, v)));
        push("circuitId", c.circuit.clone());
        push("constructorId", c.constructor.clone());
        push("driverId", c.driver.clone());
        push("grid", c.grid.map(|v| v.to_string()));
        push("position", c.position.map(|v| v.to_string()));
        push("fastest", c.fastest.map(|v| v.to_string()));
        push("status", c.status.map(|v| v.to_string()));
        if q.endpoint != Endpoint::Laps {
            push("lap", c.lap.map(|v| v.to_string()));
        }
        let value = q.value.clone();
        match q.endpoint {
            Endpoint::Results => push("position", value),
            Endpoint::PitStops => push("stop", value),
            Endpoint::DriverStandings => push("driverStandings", value),
            Endpoint::ConstructorStandings => push("constructorStandings", value),
            _ => {}
        }
        out
    }
}

/// Every stored season's data, read a few at a time (a cold cache costs
/// one whole-season read per season), in year order.
async fn every_season(app: &AppState, years: Vec<i32>) -> Result<Vec<Arc<SeasonData>>, ApiError> {
    const AT_ONCE: usize = 4;
    let mut out = Vec::with_capacity(years.len());
    for chunk in years.chunks(AT_ONCE) {
        let mut set = tokio::task::JoinSet::new();
        for (i, year) in chunk.iter().copied().enumerate() {
            let app = app.clone();
            set.spawn(async move { (i, source::season(&app, year).await) });
        }
        let mut got: Vec<(usize, Option<Arc<SeasonData>>)> = Vec::with_capacity(chunk.len());
        while let Some(joined) = set.join_next().await {
            let (i, r) = joined.map_err(|e| ApiError::Internal(format!("reading a season: {e}")))?;
            got.push((i, r?));
        }
        got.sort_by_key(|(i, _)| *i);
        out.extend(got.into_iter().filter_map(|(_, s)| s));
    }
    Ok(out)
}

/// Whether the answer needs rows of every season when none is named.
fn needs_rows(q: &Query) -> bool {
    let c = q.effective();
    let criteria = c.circuit.is_some()
        || c.constructor.is_some()
        || c.driver.is_some()
        || c.grid.is_some()
        || c.position.is_some()
        || c.fastest.is_some()
        || c.status.is_some();
    match q.endpoint {
        Endpoint::Circuits | Endpoint::Drivers | Endpoint::Constructors | Endpoint::Seasons => {
            criteria && !(only_own_id(q))
        }
        _ => true,
    }
}

/// `drivers/{id}`, `constructors/{id}`, `circuits/{id}` alone: one
/// reference record, no rows needed.
fn only_own_id(q: &Query) -> bool {
    q.criteria == Criteria::default() && q.value.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_of_instants() {
        assert_eq!(year_of(0), 1970);
        assert_eq!(year_of(1_704_067_199), 2023);
        assert_eq!(year_of(1_704_067_200), 2024);
    }

    #[test]
    fn last_and_next() {
        let round = |n: i32, held: bool| Round {
            round: n,
            sessions: vec![protobuf::v1::Session {
                r#type: SessionType::Race as i32,
                results: if held { vec![SessionResult::default()] } else { vec![] },
                ..Default::default()
            }],
            ..Default::default()
        };
        let mid = [round(1, true), round(2, true), round(3, false)];
        assert_eq!(relative(&mid, RoundSel::Last, 2026), Some((2026, 2)));
        assert_eq!(relative(&mid, RoundSel::Next, 2026), Some((2026, 3)));
        let done = [round(1, true), round(2, true)];
        assert_eq!(relative(&done, RoundSel::Last, 2025), Some((2025, 2)));
        assert_eq!(relative(&done, RoundSel::Next, 2025), Some((2026, 1)));
        assert_eq!(relative(&[], RoundSel::Last, 2025), None);
    }
}
