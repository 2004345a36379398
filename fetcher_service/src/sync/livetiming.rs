//! `POST /fetch/livetiming`: one finished session from the LiveTiming
//! static archive, its drivers identified from the stored season.
use protobuf::v1::{LapTiming, RaceTiming, Round, RoundKey, Session, SessionType, WriteBatchRequest};
use protobuf::{DomainError, RoundNumber, Year};

use super::provisional;
use crate::error::FetchError;
use crate::sources::identify::Entrants;
use crate::sources::livetiming;
use crate::upstream::{Fetch, SourceName, UpstreamError};
use data_client::Client;

/// Reads `session` of `round` from the archive (the stored round's dates
/// find its meeting) and returns the batch replacing that session: a
/// provisional classification scored by the season's rules and, for a race
/// or sprint, the provisional standings after the round. data_scheduler
/// keeps an official classification (or official standings) already stored.
/// For a race, also its lap timings when none are stored (Jolpica's, with
/// lap 1 timed, are kept).
pub async fn sync_livetiming(
    fetch: &dyn Fetch,
    client: &Client,
    year: Year,
    round: RoundNumber,
    session: SessionType,
) -> Result<(WriteBatchRequest, Option<RaceTiming>), FetchError> {
    let (year, n) = (year.get(), round.get());
    let rounds = client.rounds(year).await?;
    let stored = rounds.iter().find(|r| r.round == n).ok_or_else(|| {
        FetchError::from(DomainError::invalid(
            "round",
            format!("round {n} of {year} is not stored; fetch the calendar first (/fetcher/v1/fetch/rounds or /fetcher/v1/import/f1db)"),
        ))
    })?;
    let archived = livetiming::archived_session(fetch, year, stored, session).await.map_err(UpstreamError::from)?;
    let path = format!("/static/{}", archived.path);
    let batch = provisional_batch(client, &rounds, archived.session, &path).await?;
    let timing = match batch.sessions.first() {
        Some(found) if !archived.laps.is_empty() && !has_laps(client, year, n).await? => {
            Some(race_timing(year, n, found, &archived.laps))
        }
        _ => None,
    };
    Ok((batch, timing))
}

/// The batch writing `found`, a provisional classification (the order at
/// the flag, from the archive or the live feed) of a stored round's
/// session: its drivers identified from the stored season (an unknown one
/// is an error naming `path`, and nothing is written), scored by the
/// season's rules, with the provisional standings after the round.
/// data_scheduler keeps an official classification (or official standings)
/// already stored.
pub(crate) async fn provisional_batch(
    client: &Client,
    rounds: &[Round],
    mut found: Session,
    path: &str,
) -> Result<WriteBatchRequest, FetchError> {
    let (year, n) = (found.season, found.round);
    let stored = rounds
        .iter()
        .find(|r| r.round == n)
        .ok_or_else(|| FetchError::from(DomainError::invalid("round", format!("round {n} of {year} is not stored"))))?;
    let standings = client.standings_progression(year).await?;
    Entrants::new(n, rounds, &standings).identify(SourceName::Livetiming, path, &mut found.results)?;
    let total_rounds = client.season(year).await?.map_or(0, |s| s.total_rounds);
    provisional::score(year, &mut found, total_rounds == n);
    let provenance = found.provenance.unwrap_or_default();
    let after = provisional::standings(&provenance, stored, &found, &standings);
    Ok(WriteBatchRequest { sessions: vec![found], standings: after.into_iter().collect(), ..Default::default() })
}

async fn has_laps(client: &Client, season: i32, round: i32) -> Result<bool, FetchError> {
    match client.sport().get_race_timing(RoundKey { season, round }).await {
        Ok(r) => Ok(r.into_inner().timing.is_some_and(|t| !t.laps.is_empty())),
        Err(s) if s.code() == tonic::Code::NotFound => Ok(false),
        Err(s) => Err(s.into()),
    }
}

/// The laps with car numbers resolved through the identified results.
fn race_timing(season: i32, round: i32, race: &protobuf::v1::Session, laps: &[livetiming::CarLap]) -> RaceTiming {
    let driver = |car: i32| race.results.iter().find(|r| r.driver_number == car).map(|r| r.driver_id.clone());
    let laps = laps
        .iter()
        .filter_map(|l| {
            let driver_id = driver(l.car).filter(|d| !d.is_empty())?;
            Some(LapTiming { lap: l.lap, driver_id, position: l.position, time: l.time.clone() })
        })
        .collect();
    RaceTiming { season, round, laps, pit_stops: Vec::new() }
}
