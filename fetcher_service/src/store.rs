//! The data_scheduler reads and writes the syncs need, with "not found"
//! read as "nothing stored yet".
use protobuf::DomainError;
use protobuf::v1::{
    Circuit, Constructor, Driver, IdAlias, IdAliasFilter, IdKey, IdsFilter, Page, Round, RoundKey, Season, SeasonKey,
    Standings, WriteBatchRequest,
};

use crate::error::FetchError;
use data_scheduler::client::Client;

const PER_PAGE: i32 = 1000;

fn page(n: i32) -> Option<Page> {
    Some(Page { page: n, per_page: Some(PER_PAGE) })
}

/// None when data_scheduler answers NOT_FOUND.
fn found<T>(r: Result<T, tonic::Status>) -> Result<Option<T>, FetchError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(status) => match DomainError::from(status) {
            DomainError::NotFound(_) => Ok(None),
            other => Err(FetchError::Store(other)),
        },
    }
}

/// Writes `batch` in one transaction; returns the records written and the
/// sessions and standings kept because an official record is stored.
pub async fn write(client: &Client, batch: WriteBatchRequest) -> Result<(i64, i64), FetchError> {
    let answer = client.clone().write_batch(batch).await?.into_inner();
    Ok((answer.records_affected, answer.kept_official))
}

pub async fn drivers(client: &Client) -> Result<Vec<Driver>, FetchError> {
    let mut out = Vec::new();
    for n in 1.. {
        let r = client.clone().get_drivers(IdsFilter { ids: vec![], page: page(n) }).await?.into_inner();
        out.extend(r.drivers);
        if out.len() >= r.total as usize || n * PER_PAGE >= r.total {
            break;
        }
    }
    Ok(out)
}

pub async fn constructors(client: &Client) -> Result<Vec<Constructor>, FetchError> {
    let mut out = Vec::new();
    for n in 1.. {
        let r = client.clone().get_constructors(IdsFilter { ids: vec![], page: page(n) }).await?.into_inner();
        out.extend(r.constructors);
        if out.len() >= r.total as usize || n * PER_PAGE >= r.total {
            break;
        }
    }
    Ok(out)
}

pub async fn circuits(client: &Client) -> Result<Vec<Circuit>, FetchError> {
    let mut out = Vec::new();
    for n in 1.. {
        let r = client.clone().get_circuits(IdsFilter { ids: vec![], page: page(n) }).await?.into_inner();
        out.extend(r.circuits);
        if out.len() >= r.total as usize || n * PER_PAGE >= r.total {
            break;
        }
    }
    Ok(out)
}

pub async fn aliases(client: &Client, kind: &str, source: &str) -> Result<Vec<IdAlias>, FetchError> {
    let filter = IdAliasFilter { kind: kind.into(), source: source.into() };
    Ok(client.clone().get_id_aliases(filter).await?.into_inner().aliases)
}

pub async fn season(client: &Client, year: i32) -> Result<Option<Season>, FetchError> {
    Ok(found(client.clone().get_season(SeasonKey { season: year }).await)?.and_then(|r| r.into_inner().season))
}

/// The stored rounds of `year` with their sessions (empty when none).
pub async fn rounds(client: &Client, year: i32) -> Result<Vec<Round>, FetchError> {
    Ok(found(client.clone().get_rounds(SeasonKey { season: year }).await)?
        .map(|r| r.into_inner().rounds)
        .unwrap_or_default())
}

/// The stored round with its sessions (and its circuit joined), if any.
pub async fn round(client: &Client, year: i32, round: i32) -> Result<Option<Round>, FetchError> {
    Ok(found(client.clone().get_round(RoundKey { season: year, round }).await)?.and_then(|r| r.into_inner().round))
}

pub async fn circuit(client: &Client, id: &str) -> Result<Option<Circuit>, FetchError> {
    Ok(found(client.clone().get_circuit(IdKey { id: id.into() }).await)?.and_then(|r| r.into_inner().circuit))
}

/// The stored standings after every round of `year` (empty when none).
pub async fn standings(client: &Client, year: i32) -> Result<Vec<Standings>, FetchError> {
    let r = found(client.clone().get_standings_progression(SeasonKey { season: year }).await)?;
    Ok(r.map(|r| r.into_inner().rounds).unwrap_or_default())
}
