//! `POST /fetcher/v1/fetch/*`: validate the parameters, then run the sync
//! (recorded as a SyncRun) and write its one batch.
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use common::extract::Query;
use protobuf::v1::SessionType;

use super::params::{self, Params};
use super::{ApiError, AppState, success};
use crate::error::FetchError;
use crate::sources::jolpica::sync as jolpica;
use crate::sources::jolpica::timing;
use crate::sync::{self, Done, Run, SyncKind};
use crate::upstream::SourceName;
use protobuf::fetcher::SyncAnswer;

pub(super) type Answer = Result<Json<SyncAnswer>, ApiError>;
pub(super) type Pairs = Query<Vec<(String, String)>>;

/// Runs `work` as a recorded sync of `kind` from `source`.
pub(super) async fn execute<F>(state: &AppState, route: &'static str, run: Run, work: F) -> Answer
where
    F: Future<Output = Result<Done, FetchError>>,
{
    let source = run.source;
    let (run_id, done) =
        run.execute(state.client(), state.status(), work).await.map_err(|e| ApiError::new(route, source, e))?;
    Ok(Json(success(source, run_id, done)))
}

/// Parses the query with `allowed` names and the trigger header.
pub(super) fn parse(
    route: &'static str,
    source: SourceName,
    pairs: Vec<(String, String)>,
    allowed: &[&str],
    headers: &HeaderMap,
) -> Result<(Params, sync::Trigger), ApiError> {
    let bad = |e| ApiError::new(route, source, e);
    Ok((Params::new(pairs, allowed).map_err(bad)?, params::trigger(headers).map_err(bad)?))
}

pub async fn seasons(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Answer {
    const ROUTE: &str = "/fetcher/v1/fetch/seasons";
    let source = SourceName::Jolpica;
    let (p, trigger) = parse(ROUTE, source, q, &["from", "to"], &headers)?;
    let bad = |e| ApiError::new(ROUTE, source, e);
    let (from, to) = (p.year("from").map_err(bad)?, p.year("to").map_err(bad)?);
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) => (f, t),
        (Some(y), None) | (None, Some(y)) => (y, y),
        (None, None) => return Err(bad(FetchError::param("from", "is required (a year such as 2024)"))),
    };
    if from > to {
        return Err(bad(FetchError::param("to", format!("{to} is before from={from}"))));
    }
    let run = Run { kind: SyncKind::Seasons, source, trigger, params: format!("from={from} to={to}") };
    execute(&state, ROUTE, run, async {
        let fetch = state.inner.jolpica.sync();
        let batch = jolpica::seasons(&fetch, state.client(), from, to).await?;
        sync::write(state.client(), SyncKind::Seasons, batch).await
    })
    .await
}

pub async fn rounds(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Answer {
    const ROUTE: &str = "/fetcher/v1/fetch/rounds";
    let source = SourceName::Jolpica;
    let (p, trigger) = parse(ROUTE, source, q, &["season", "round"], &headers)?;
    let bad = |e| ApiError::new(ROUTE, source, e);
    let season = p.required_year("season").map_err(bad)?;
    let round = p.round("round").map_err(bad)?;
    let params = match round {
        Some(r) => format!("season={season} round={r}"),
        None => format!("season={season}"),
    };
    let run = Run { kind: SyncKind::Rounds, source, trigger, params };
    execute(&state, ROUTE, run, async {
        let fetch = state.inner.jolpica.sync();
        let batch = jolpica::rounds(&fetch, state.client(), season, round).await?;
        sync::write(state.client(), SyncKind::Rounds, batch).await
    })
    .await
}

pub async fn results(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Answer {
    const ROUTE: &str = "/fetcher/v1/fetch/results";
    let (p, trigger) = parse(ROUTE, SourceName::Jolpica, q, &["season", "round", "session"], &headers)?;
    let bad = |e| ApiError::new(ROUTE, SourceName::Jolpica, e);
    let season = p.required_year("season").map_err(bad)?;
    let round = p.required_round("round").map_err(bad)?;
    let session = p.session("session").map_err(bad)?;
    let practice = matches!(session, Some(SessionType::Practice1 | SessionType::Practice2 | SessionType::Practice3));
    if session == Some(SessionType::SprintQualifying) {
        return Err(bad(FetchError::param(
            "session",
            "jolpica and formula1.com publish no sprint_qualifying results; use /fetcher/v1/fetch/livetiming",
        )));
    }
    let source = if practice { SourceName::Formula1 } else { SourceName::Jolpica };
    let mut params = format!("season={season} round={round}");
    if let Some(s) = session {
        params.push_str(&format!(" session={}", s.slug()));
    }
    let run = Run { kind: SyncKind::Results, source, trigger, params };
    execute(&state, ROUTE, run, async {
        let batch = match session {
            Some(t) if practice => {
                let fetch = state.inner.formula1.site().sync();
                sync::sync_practice(&fetch, state.client(), season, round, t).await?
            }
            _ => {
                let fetch = state.inner.jolpica.sync();
                let batch = jolpica::results(&fetch, state.client(), season, round, session).await?;
                let race = batch.sessions.iter().any(|s| s.r#type == SessionType::Race as i32);
                let done = sync::write(state.client(), SyncKind::Results, batch).await?;
                // The race's laps and pit stops, once its drivers are stored:
                // the results are written already, so a failure here is
                // logged and leaves them (the counts show no timings).
                if race {
                    match timing::race_timing(&fetch, state.client(), season.get(), round.get()).await {
                        Ok(timing) => return sync::write_timing(state.client(), done, timing).await,
                        Err(e) => tracing::warn!(error = %e, season = season.get(), round = round.get(),
                            "laps and pit stops not synced"),
                    }
                }
                return Ok(done);
            }
        };
        sync::write(state.client(), SyncKind::Results, batch).await
    })
    .await
}

pub async fn standings(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Answer {
    const ROUTE: &str = "/fetcher/v1/fetch/standings";
    let source = SourceName::Jolpica;
    let (p, trigger) = parse(ROUTE, source, q, &["season"], &headers)?;
    let season = p.required_year("season").map_err(|e| ApiError::new(ROUTE, source, e))?;
    let run = Run { kind: SyncKind::Standings, source, trigger, params: format!("season={season}") };
    execute(&state, ROUTE, run, async {
        let fetch = state.inner.jolpica.sync();
        let batch = jolpica::standings(&fetch, state.client(), season).await?;
        sync::write(state.client(), SyncKind::Standings, batch).await
    })
    .await
}

pub async fn livetiming(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Answer {
    const ROUTE: &str = "/fetcher/v1/fetch/livetiming";
    let source = SourceName::Livetiming;
    let (p, trigger) = parse(ROUTE, source, q, &["season", "round", "session"], &headers)?;
    let bad = |e| ApiError::new(ROUTE, source, e);
    let season = p.required_year("season").map_err(bad)?;
    let round = p.required_round("round").map_err(bad)?;
    let session = p.required_session("session").map_err(bad)?;
    let params = format!("season={season} round={round} session={}", session.slug());
    let run = Run { kind: SyncKind::Livetiming, source, trigger, params };
    execute(&state, ROUTE, run, async {
        let fetch = state.inner.livetiming.sync();
        let (batch, timing) = sync::sync_livetiming(&fetch, state.client(), season, round, session).await?;
        let done = sync::write(state.client(), SyncKind::Livetiming, batch).await?;
        match timing {
            Some(timing) => sync::write_timing(state.client(), done, timing).await,
            None => Ok(done),
        }
    })
    .await
}

pub async fn weekend(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Answer {
    const ROUTE: &str = "/fetcher/v1/fetch/weekend";
    let source = SourceName::Formula1;
    let (p, trigger) = parse(ROUTE, source, q, &["season", "round"], &headers)?;
    let bad = |e| ApiError::new(ROUTE, source, e);
    let season = p.required_year("season").map_err(bad)?;
    let round = p.required_round("round").map_err(bad)?;
    let run = Run { kind: SyncKind::Weekend, source, trigger, params: format!("season={season} round={round}") };
    execute(&state, ROUTE, run, async {
        let hosts = &state.inner.formula1;
        let site = hosts.site().sync();
        let now = protobuf::domain::now_unix();
        let batch = sync::sync_weekend(&site, hosts, state.client(), season, round, now).await?;
        sync::write(state.client(), SyncKind::Weekend, batch).await
    })
    .await
}

/// One session (`season`, `round`, `session`), every session of a round
/// (`season`, `round`) or of a season (`season`) that the archive has: one
/// recorded run per session, and the round's or season's own run with the
/// totals.
pub async fn session_data(State(state): State<AppState>, headers: HeaderMap, Query(q): Pairs) -> Answer {
    const ROUTE: &str = "/fetcher/v1/fetch/session-data";
    let source = SourceName::Livetiming;
    let (p, trigger) = parse(ROUTE, source, q, &["season", "round", "session"], &headers)?;
    let bad = |e| ApiError::new(ROUTE, source, e);
    let season = p.required_year("season").map_err(bad)?;
    let round = p.round("round").map_err(bad)?;
    let session = p.session("session").map_err(bad)?;
    sync::session_data::check_season(season).map_err(bad)?;
    let kind = SyncKind::SessionData;
    match (round, session) {
        (Some(round), Some(session)) => {
            let params = format!("season={season} round={round} session={}", session.slug());
            let run = Run { kind, source, trigger, params };
            execute(&state, ROUTE, run, async {
                let fetch = state.inner.livetiming.sync();
                sync::session_data::sync_session(&fetch, state.client(), season, round, session).await
            })
            .await
        }
        (round, None) => {
            let params = match round {
                Some(r) => format!("season={season} round={r}"),
                None => format!("season={season}"),
            };
            let run = Run { kind, source, trigger, params };
            let each = run.clone();
            execute(&state, ROUTE, run, async {
                let fetch = state.inner.livetiming.sync();
                let client = state.client();
                sync::session_data::sync_season(&fetch, client, state.status(), season, round, &each).await
            })
            .await
        }
        (None, Some(_)) => Err(bad(FetchError::param("round", "is required with session (a round number such as 5)"))),
    }
}
