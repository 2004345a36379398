//! What a store lacks of the f1db data: the resume check of an import that
//! was interrupted (SIGKILL, power loss). Each season is written in one
//! all-or-nothing batch and its pit stops in one call after it, so a store
//! holds whole seasons, some perhaps without their pit stops; the check
//! finds both, and importing them again is idempotent.
use std::collections::BTreeSet;

use data_client::{Client, Found};
use protobuf::v1::{Page, RoundKey, SeasonFilter};

use super::{F1dbSource, HeldSeason, import_into, seasons_in};
use crate::error::FetchError;

/// The seasons a source holds and which of them the store lacks (wholly,
/// or their pit stops, which are written after the season's batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lack {
    pub available: Vec<i32>,
    pub stored: usize,
    pub missing: Vec<i32>,
}

impl Lack {
    /// Contiguous runs of missing seasons, as `(from, to)`.
    pub fn runs(&self) -> Vec<(i32, i32)> {
        let mut runs: Vec<(i32, i32)> = Vec::new();
        for &y in &self.missing {
            match runs.last_mut() {
                Some((_, to)) if *to + 1 == y => *to = y,
                _ => runs.push((y, y)),
            }
        }
        runs
    }

    /// "seasons 1985–2025 (41 of 77)" or "nothing".
    pub fn describe(&self) -> String {
        if self.missing.is_empty() {
            return "nothing".into();
        }
        let runs: Vec<String> =
            self.runs().iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
        format!("seasons {} ({} of {})", runs.join(", "), self.missing.len(), self.available.len())
    }
}

/// Every season year stored, across pages.
async fn stored_seasons(client: &Client) -> Result<BTreeSet<i32>, FetchError> {
    let mut years = BTreeSet::new();
    for page in 1.. {
        let filter = SeasonFilter { page: Some(Page { page, per_page: Some(1000) }), ..Default::default() };
        let answer = client.sport().get_seasons(filter).await?.into_inner();
        let got = answer.seasons.len();
        years.extend(answer.seasons.iter().map(|s| s.year));
        if got < 1000 || years.len() >= answer.total as usize {
            break;
        }
    }
    Ok(years)
}

/// Whether the store holds the pit stops of `season`'s last timed round
/// (the import writes all of a season's in one call: one tells for all).
async fn has_pit_stops(client: &Client, season: &HeldSeason) -> Result<bool, FetchError> {
    let Some(round) = season.last_timed_round else { return Ok(true) };
    let key = RoundKey { season: season.year, round };
    let stored = client.sport().get_race_timing(key).await.found()?;
    Ok(stored.and_then(|answer| answer.timing).is_some_and(|t| !t.pit_stops.is_empty()))
}

/// What the store lacks of `source`'s seasons within `from..=to`.
pub async fn lack(
    client: &Client,
    source: &F1dbSource,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Lack, FetchError> {
    let listed = source.clone();
    let available = tokio::task::spawn_blocking(move || seasons_in(&listed))
        .await
        .map_err(|e| FetchError::Store(protobuf::DomainError::Internal(format!("f1db reader: {e}"))))??;
    let held: Vec<_> =
        available.into_iter().filter(|s| from.is_none_or(|f| s.year >= f) && to.is_none_or(|t| s.year <= t)).collect();
    let stored = stored_seasons(client).await?;
    let mut missing = Vec::new();
    for season in &held {
        let whole = stored.contains(&season.year);
        if !whole || !has_pit_stops(client, season).await? {
            missing.push(season.year);
        }
    }
    let available = held.iter().map(|s| s.year).collect();
    Ok(Lack { available, stored: stored.len(), missing })
}

/// Imports what the store lacks of the bundled seasons `from..=to` (all of
/// them into an empty store), a run of missing seasons at a time; returns
/// what was lacking.
pub async fn complete(client: &Client, from: Option<i32>, to: Option<i32>) -> Result<Lack, FetchError> {
    let lack = lack(client, &F1dbSource::Bundled, from, to).await?;
    for (a, b) in lack.runs() {
        import_into(client, F1dbSource::Bundled, Some(a), Some(b), |_| {}).await?;
    }
    Ok(lack)
}

/// Runs [`complete`] for every bundled season in the background once
/// data_scheduler answers (retrying every 5 s until it does, or until the
/// import fails: the next start tries again).
pub fn complete_in_background(client: Client) {
    tokio::spawn(async move {
        while let Err(e) = client.ready().await {
            tracing::info!(error = %e.message(), "waiting for data_scheduler before the f1db import");
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
        match complete(&client, None, None).await {
            Ok(lack) if lack.missing.is_empty() => tracing::info!("the store holds the bundled f1db history"),
            Ok(lack) => tracing::info!(imported = %lack.describe(), "bundled f1db history imported"),
            Err(e) => tracing::error!(error = %e, "the f1db import on start failed; the next start resumes it"),
        }
    });
}
