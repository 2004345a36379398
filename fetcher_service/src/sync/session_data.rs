//! `POST /fetch/session-data`: a session's timing records (session data)
//! from the LiveTiming archive, written whole with `WriteSessionData` (a
//! re-sync replaces the stored copy, counted `replaced`). A season's sync
//! runs one recorded sync per session the archive has.
use std::collections::BTreeMap;

use livetiming::wire::Source;
use protobuf::v1::{Round, SessionType};
use protobuf::{DomainError, RoundNumber, Year};

use super::{Done, Run, StatusBoard};
use crate::error::FetchError;
use crate::sources::livetiming::records::{self, FIRST_SEASON};
use crate::sources::livetiming::{self as archive, LiveTimingError, RoundLookup, SeasonIndex};
use crate::upstream::{Fetch, UpstreamError};
use data_client::Client;

/// Refuses a season the archive does not cover, naming `season`.
pub fn check_season(season: Year) -> Result<(), FetchError> {
    if season.get() < FIRST_SEASON {
        return Err(FetchError::param(
            "season",
            format!("the LiveTiming archive starts in {FIRST_SEASON}: {season} has no session data"),
        ));
    }
    Ok(())
}

/// The stored round `n` of `year` (the calendar finds its meeting).
async fn stored_round(client: &Client, year: i32, n: i32) -> Result<Round, FetchError> {
    let rounds = client.calendar(year).await?;
    rounds.into_iter().find(|r| r.round == n).ok_or_else(|| {
        FetchError::from(DomainError::invalid(
            "round",
            format!("round {n} of {year} is not stored; fetch the calendar first (/fetcher/v1/fetch/rounds or /fetcher/v1/import/f1db)"),
        ))
    })
}

/// Syncs one session found in `index`: derives its records and writes them.
async fn sync_found(
    fetch: &dyn Fetch,
    client: &Client,
    index: &SeasonIndex,
    round: &Round,
    session: SessionType,
) -> Result<Done, FetchError> {
    let (_, found) = index.find_session(round, session).map_err(UpstreamError::from)?;
    let derived = records::session_records(fetch, &found.path).await.map_err(UpstreamError::from)?;
    let link = Some((round.season, round.round, session));
    let data = records::to_session_data(&derived, link, Source::Archive, true).ok_or_else(|| {
        let path = format!("/static/{}SessionInfo.jsonStream", found.path);
        UpstreamError::from(LiveTimingError::invalid(&path, "Key", "SessionInfo gives no meeting and session key"))
    })?;
    let counts: BTreeMap<String, i64> =
        records::counts(&data).into_iter().filter(|(_, n)| *n > 0).map(|(k, n)| (k.to_string(), n as i64)).collect();
    let answer = client.sport().write_session_data(data).await?.into_inner();
    let mut counts = counts;
    counts.insert("sessions".into(), 1);
    if answer.replaced > 0 {
        // A re-sync: the stored copy was replaced whole.
        counts.insert("replaced".into(), answer.replaced);
    }
    Ok(Done { count: 1, records: answer.records_affected, counts })
}

/// One session of a stored round, from the archive.
pub async fn sync_session(
    fetch: &dyn Fetch,
    client: &Client,
    year: Year,
    round: RoundNumber,
    session: SessionType,
) -> Result<Done, FetchError> {
    check_season(year)?;
    let stored = stored_round(client, year.get(), round.get()).await?;
    let index = archive::season_index(fetch, year.get()).await.map_err(UpstreamError::from)?;
    sync_found(fetch, client, &index, &stored, session).await
}

/// Whether an error means the archive does not hold the session (skipped
/// and counted in a season's sync) rather than a failure.
fn not_in_archive(e: &LiveTimingError) -> bool {
    matches!(e, LiveTimingError::MeetingNotFound { .. } | LiveTimingError::SessionNotFound { .. })
}

/// Every session of the stored season (of its round `only` when given)
/// that the archive has, each as its own recorded sync (`run` gives its trigger and source), so the history
/// shows the season's progress session by session. Sessions the archive
/// lacks are skipped and counted (`not_in_archive`); a session that fails
/// is counted (`failed`) and the others go on.
pub async fn sync_season(
    fetch: &dyn Fetch,
    client: &Client,
    board: &StatusBoard,
    year: Year,
    only: Option<RoundNumber>,
    run: &Run,
) -> Result<Done, FetchError> {
    check_season(year)?;
    let rounds = match only {
        Some(n) => vec![stored_round(client, year.get(), n.get()).await?],
        None => client.calendar(year.get()).await?,
    };
    let index = archive::season_index(fetch, year.get()).await.map_err(UpstreamError::from)?;
    let mut season = Done::default();
    let mut add = |key: &str, n: i64| *season.counts.entry(key.to_string()).or_default() += n;
    let mut records = 0;
    for round in &rounds {
        for session in &round.sessions {
            let Ok(kind) = SessionType::try_from(session.r#type) else { continue };
            if let Err(e) = index.find_session(round, kind)
                && not_in_archive(&e)
            {
                add("not_in_archive", 1);
                continue;
            }
            let params = format!("season={year} round={} session={}", round.round, kind.slug());
            let one = Run { params, ..run.clone() };
            match one.execute(client, board, sync_found(fetch, client, &index, round, kind)).await {
                Ok((_, done)) => {
                    records += done.records;
                    for (k, n) in done.counts {
                        add(&k, n);
                    }
                }
                Err(_) => add("failed", 1),
            }
        }
    }
    season.count = season.counts.get("sessions").copied().unwrap_or(0);
    season.records = records;
    Ok(season)
}
