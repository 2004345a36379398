//! The Jolpica syncs: each fetches everything it needs first, then returns
//! one `WriteBatchRequest` for the caller to write in one transaction, so a
//! failure at any step writes nothing. Rounds and results live here,
//! standings and seasons in [`standings`].

mod standings;

use chrono::Utc;
use protobuf::domain::utc_instant;
use protobuf::v1::{Round, Season, SeasonStatus, Session, SessionStatus, SessionType, WriteBatchRequest};
use protobuf::{RoundNumber, Year};
pub use standings::{seasons, standings};

use super::api::Api;
use super::ids::Resolver;
use super::map::{self, Numbers};
use super::parse::{ResultLine, ScheduledRound};
use crate::error::FetchError;
use crate::upstream::Fetch;
use data_client::Client;

/// What is stored about one season before the sync.
pub(super) struct Stored {
    season: Option<Season>,
    rounds: Vec<Round>,
    numbers: Numbers,
}

impl Stored {
    async fn load(client: &Client, year: i32) -> Result<Self, FetchError> {
        let season = client.season(year).await?;
        let rounds = client.rounds(year).await?;
        let mut numbers = Numbers::new();
        for s in client.standings_progression(year).await? {
            numbers.extend(
                s.drivers.iter().filter(|d| d.driver_number > 0).map(|d| (d.driver_id.clone(), d.driver_number)),
            );
        }
        for r in rounds.iter().flat_map(|r| &r.sessions).flat_map(|s| &s.results) {
            if r.driver_number > 0 {
                numbers.insert(r.driver_id.clone(), r.driver_number);
            }
        }
        Ok(Self { season, rounds, numbers })
    }

    fn round(&self, n: i32) -> Option<&Round> {
        self.rounds.iter().find(|r| r.round == n)
    }

    fn session(&self, n: i32, t: SessionType) -> Option<&Session> {
        self.round(n)?.sessions.iter().find(|s| s.r#type == t as i32)
    }
}

/// How long after its start a session is taken to be over (a race with a
/// long red flag can run longer; its results are then fetched again later).
const SESSION_LENGTH_SECS: i64 = 2 * 3600;

/// Whether `session` of `round` should be over: its start plus
/// [`SESSION_LENGTH_SECS`] is past, or, without a start time, its day is.
fn held(round: &ScheduledRound, t: SessionType) -> bool {
    let Some(s) = round.session(t) else { return false };
    match s.time.as_deref().and_then(|time| utc_instant(&s.date, time)) {
        Some(start) => start + SESSION_LENGTH_SECS <= Utc::now().timestamp(),
        None => s.date < Utc::now().format("%Y-%m-%d").to_string(),
    }
}

pub(super) fn no_calendar(year: i32) -> FetchError {
    FetchError::param("season", format!("jolpica has no calendar for {year}"))
}

/// The results of one session of `sched` from Jolpica, mapped.
async fn fetch_session(
    api: &Api<'_>,
    sched: &ScheduledRound,
    t: SessionType,
    resolver: &mut Resolver,
    numbers: &Numbers,
) -> Result<Vec<protobuf::v1::SessionResult>, FetchError> {
    let (year, n) = (sched.season, sched.round);
    let (lines, list, path): (Vec<ResultLine>, &str, String) = match t {
        SessionType::Race => (api.race_results(year, n).await?, "Results", format!("/{year}/{n}/results.json")),
        SessionType::Sprint => {
            (api.sprint_results(year, n).await?, "SprintResults", format!("/{year}/{n}/sprint.json"))
        }
        SessionType::Qualifying => {
            (api.qualifying(year, n).await?, "QualifyingResults", format!("/{year}/{n}/qualifying.json"))
        }
        other => {
            return Err(FetchError::param(
                "session",
                format!("jolpica publishes no {} results; fetch them with /fetcher/v1/fetch/livetiming", other.slug()),
            ));
        }
    };
    Ok(map::results(&path, list, t, &lines, resolver, numbers)?)
}

/// The sessions Jolpica has results for in `sched`, held ones only.
fn result_sessions(sched: &ScheduledRound) -> Vec<SessionType> {
    [SessionType::Qualifying, SessionType::Sprint, SessionType::Race]
        .into_iter()
        .filter(|t| over(sched, *t) == Some(true))
        .collect()
}

/// None when `t` is not part of the weekend; else whether it is over.
/// Qualifying always is: calendars before 2021 list only the race.
fn over(sched: &ScheduledRound, t: SessionType) -> Option<bool> {
    match (sched.session(t), t) {
        (Some(_), _) => Some(held(sched, t)),
        (None, SessionType::Qualifying) => Some(held(sched, SessionType::Race)),
        _ => None,
    }
}

/// `POST /fetch/rounds`: the calendar, and per round its circuit, sessions
/// with start times and every result Jolpica has.
pub async fn rounds(
    fetch: &dyn Fetch,
    client: &Client,
    year: Year,
    round: Option<RoundNumber>,
) -> Result<WriteBatchRequest, FetchError> {
    let api = Api::new(fetch);
    let year = year.get();
    let schedule = api.schedule(year).await?;
    if schedule.is_empty() {
        return Err(no_calendar(year));
    }
    let wanted: Vec<&ScheduledRound> = match round {
        Some(r) => vec![schedule.iter().find(|s| s.round == r.get()).ok_or_else(|| {
            FetchError::param("round", format!("season {year} has {} rounds, not {r}", schedule.len()))
        })?],
        None => schedule.iter().collect(),
    };
    let stored = Stored::load(client, year).await?;
    let mut resolver = Resolver::load(client, year).await?;
    let mut batch = WriteBatchRequest::default();
    for sched in wanted {
        let circuit = resolver.circuit(&sched.circuit);
        let mut r = map::round(sched, circuit, stored.round(sched.round));
        let fetched = result_sessions(sched);
        let mut types: Vec<SessionType> = sched.sessions.iter().map(|s| s.session).chain(fetched.clone()).collect();
        types.sort_by_key(|t| t.weekend_order());
        types.dedup();
        for t in types {
            let results = if fetched.contains(&t) {
                fetch_session(&api, sched, t, &mut resolver, &stored.numbers).await?
            } else {
                Vec::new()
            };
            // An unscheduled session without results says nothing.
            if results.is_empty() && sched.session(t).is_none() {
                continue;
            }
            r.sessions.push(map::session(sched, t, results, stored.session(sched.round, t)));
        }
        batch.rounds.push(r);
    }
    batch.seasons.push(season_from_calendar(year, &schedule, &batch.rounds, &stored));
    resolver.drain_into(&mut batch);
    Ok(batch)
}

/// The season record as the calendar and the known race results show it;
/// the champion is kept from the stored season (the seasons sync sets it).
fn season_from_calendar(year: i32, schedule: &[ScheduledRound], fresh: &[Round], stored: &Stored) -> Season {
    let race_done = |n: i32| {
        let finished = |s: &Session| s.r#type == SessionType::Race as i32 && s.status == SessionStatus::Finished as i32;
        match fresh.iter().find(|r| r.round == n) {
            Some(r) => r.sessions.iter().any(finished),
            None => stored.round(n).is_some_and(|r| r.sessions.iter().any(finished)),
        }
    };
    let done: Vec<i32> = schedule.iter().map(|s| s.round).filter(|n| race_done(*n)).collect();
    let status = match done.len() {
        0 => SeasonStatus::Upcoming,
        n if n == schedule.len() => SeasonStatus::Completed,
        _ => SeasonStatus::InProgress,
    };
    let mut season = stored.season.clone().unwrap_or_default();
    season.year = year;
    season.status = status as i32;
    season.total_rounds = schedule.len() as i32;
    season.current_round = done.iter().copied().max().unwrap_or(0);
    season.first_date = schedule.iter().flat_map(|r| &r.sessions).map(|s| s.date.clone()).min().unwrap_or_default();
    season.end_date = schedule.last().map(|r| r.race_date().to_string()).unwrap_or_default();
    if status != SeasonStatus::Completed {
        season.champion_driver_id.clear();
        season.champion_driver_name.clear();
        season.champion_constructor_id.clear();
        season.champion_constructor_name.clear();
    }
    season
}

/// `POST /fetch/results`: one round's classifications (one session, or
/// every session Jolpica publishes that has been held).
pub async fn results(
    fetch: &dyn Fetch,
    client: &Client,
    year: Year,
    round: RoundNumber,
    session: Option<SessionType>,
) -> Result<WriteBatchRequest, FetchError> {
    let api = Api::new(fetch);
    let (year, n) = (year.get(), round.get());
    // The season's calendar (one request, shared with a rounds sync's cache).
    let schedule = api.schedule(year).await?;
    let sched = schedule
        .into_iter()
        .find(|r| r.round == n)
        .ok_or_else(|| FetchError::param("round", format!("season {year} has no round {n} in jolpica's calendar")))?;
    let types = match session {
        Some(t) => {
            let Some(over) = over(&sched, t) else {
                return Err(FetchError::param("session", format!("round {n} of {year} has no {} session", t.slug())));
            };
            if !over {
                return Err(FetchError::param(
                    "session",
                    format!("{} of round {n} of {year} has not been held yet", t.slug()),
                ));
            }
            vec![t]
        }
        None => result_sessions(&sched),
    };
    if types.is_empty() {
        return Err(FetchError::param("round", format!("round {n} of {year} has not been held yet")));
    }
    let stored = Stored::load(client, year).await?;
    let mut resolver = Resolver::load(client, year).await?;
    let mut batch = WriteBatchRequest::default();
    for t in types {
        let results = fetch_session(&api, &sched, t, &mut resolver, &stored.numbers).await?;
        if results.is_empty() {
            let path = match t {
                SessionType::Race => format!("/{year}/{n}/results.json"),
                SessionType::Sprint => format!("/{year}/{n}/sprint.json"),
                _ => format!("/{year}/{n}/qualifying.json"),
            };
            return Err(super::json::invalid(
                &path,
                "MRData.RaceTable.Races",
                format!("no {} results although the session was held", t.slug()),
            )
            .into());
        }
        batch.sessions.push(map::session(&sched, t, results, stored.session(n, t)));
    }
    resolver.drain_into(&mut batch);
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::jolpica::parse::{ErgastCircuit, ScheduledSession};

    fn round(sessions: &[(SessionType, &str, Option<&str>)]) -> ScheduledRound {
        ScheduledRound {
            season: 1979,
            round: 1,
            name: "Argentine Grand Prix".into(),
            circuit: ErgastCircuit {
                id: "galvez".into(),
                name: "x".into(),
                locality: String::new(),
                country: String::new(),
                latitude: 0.0,
                longitude: 0.0,
            },
            sessions: sessions
                .iter()
                .map(|(t, d, time)| ScheduledSession {
                    session: *t,
                    date: d.to_string(),
                    time: time.map(str::to_string),
                })
                .collect(),
        }
    }

    #[test]
    fn old_calendars_still_fetch_qualifying() {
        let old = round(&[(SessionType::Race, "1979-01-21", None)]);
        assert_eq!(result_sessions(&old), [SessionType::Qualifying, SessionType::Race]);
        assert_eq!(over(&old, SessionType::Sprint), None);
        let future =
            round(&[(SessionType::Sprint, "2999-01-01", Some("12:00:00Z")), (SessionType::Race, "2999-01-02", None)]);
        assert_eq!(over(&future, SessionType::Sprint), Some(false));
        assert!(result_sessions(&future).is_empty());
    }
}
