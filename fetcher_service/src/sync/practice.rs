//! Practice classifications from formula1.com (Jolpica publishes none):
//! the season page finds the round's weekend page, which links its results.
use protobuf::v1::{SessionType, WriteBatchRequest};
use protobuf::{RoundNumber, Year};

use crate::error::FetchError;
use crate::sources::formula1;
use crate::sources::identify::Entrants;
use crate::upstream::{Fetch, SourceName, UpstreamError};
use data_client::Client;

pub async fn sync_practice(
    fetch: &dyn Fetch,
    client: &Client,
    year: Year,
    round: RoundNumber,
    session: SessionType,
) -> Result<WriteBatchRequest, FetchError> {
    let (year, n) = (year.get(), round.get());
    let practice = match session {
        SessionType::Practice1 => 1,
        SessionType::Practice2 => 2,
        SessionType::Practice3 => 3,
        other => return Err(FetchError::param("session", format!("{} is not a practice session", other.slug()))),
    };
    let rounds = formula1::season_rounds(fetch, year).await.map_err(UpstreamError::from)?;
    let listed = rounds.iter().find(|r| r.round == n).ok_or_else(|| {
        FetchError::param("round", format!("formula1.com lists {} rounds for {year}, not round {n}", rounds.len()))
    })?;
    let weekend = formula1::weekend(fetch, year, &listed.slug).await.map_err(UpstreamError::from)?;
    let scheduled = weekend.sessions.iter().find(|s| s.session_type == session).ok_or_else(|| {
        FetchError::param("session", format!("round {n} of {year} has no {} session", session.slug()))
    })?;
    let results_path = weekend.results_path.clone().ok_or_else(|| {
        FetchError::param("session", format!("formula1.com has no results for round {n} of {year} yet"))
    })?;
    let path = formula1::practice_results_path(&results_path, practice);
    let mut found = formula1::practice_results(fetch, &path, year, n, session).await.map_err(UpstreamError::from)?;
    found.date = scheduled.date.clone();
    found.start_time = Some(scheduled.start_time);
    let stored = client.rounds(year).await?;
    let standings = client.standings_progression(year).await?;
    Entrants::new(n, &stored, &standings).identify(SourceName::Formula1, &path, &mut found.results)?;
    Ok(WriteBatchRequest { sessions: vec![found], ..Default::default() })
}
