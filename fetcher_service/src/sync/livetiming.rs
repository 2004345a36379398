//! `POST /fetch/livetiming`: one finished session from the LiveTiming
//! static archive, its drivers identified from the stored season.
use protobuf::v1::{SessionType, WriteBatchRequest};
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
pub async fn sync_livetiming(
    fetch: &dyn Fetch,
    client: &Client,
    year: Year,
    round: RoundNumber,
    session: SessionType,
) -> Result<WriteBatchRequest, FetchError> {
    let (year, n) = (year.get(), round.get());
    let rounds = client.rounds(year).await?;
    let stored = rounds.iter().find(|r| r.round == n).ok_or_else(|| {
        FetchError::from(DomainError::invalid(
            "round",
            format!("round {n} of {year} is not stored; fetch the calendar first (/fetcher/v1/fetch/rounds or /fetcher/v1/import/f1db)"),
        ))
    })?;
    let archived = livetiming::archived_session(fetch, year, stored, session).await.map_err(UpstreamError::from)?;
    let mut found = archived.session;
    let standings = client.standings_progression(year).await?;
    let path = format!("/static/{}", archived.path);
    Entrants::new(n, &rounds, &standings).identify(SourceName::Livetiming, &path, &mut found.results)?;
    let total_rounds = client.season(year).await?.map_or(0, |s| s.total_rounds);
    provisional::score(year, &mut found, total_rounds == n);
    let provenance = found.provenance.unwrap_or_default();
    let after = provisional::standings(&provenance, stored, &found, &standings);
    Ok(WriteBatchRequest { sessions: vec![found], standings: after.into_iter().collect(), ..Default::default() })
}
