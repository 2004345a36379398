//! The first-start import of the bundled history, made resumable: each
//! season is written in one all-or-nothing batch, so a store whose import
//! was interrupted (SIGKILL, power loss) holds whole seasons and lacks the
//! rest. Every start compares the store with the bundled data (within the
//! configured `WIBM_IMPORT_FROM`/`WIBM_IMPORT_TO`) and imports what is
//! missing; `wibm import-f1db --check` reports the same comparison.
use std::collections::BTreeSet;

use anyhow::Context;
use data_client::Found;
use fetcher_service::sources::f1db::{self, F1dbSource};
use protobuf::v1::{Page, RoundKey, SeasonFilter};

use crate::cli::import_with_progress;

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
async fn stored_seasons(client: &data_client::Client) -> anyhow::Result<BTreeSet<i32>> {
    let mut years = BTreeSet::new();
    for page in 1.. {
        let filter = SeasonFilter { page: Some(Page { page, per_page: Some(1000) }), ..Default::default() };
        let answer = client.grpc().get_seasons(filter).await.context("reading the stored seasons")?.into_inner();
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
async fn has_pit_stops(client: &data_client::Client, season: &f1db::HeldSeason) -> anyhow::Result<bool> {
    let Some(round) = season.last_timed_round else { return Ok(true) };
    let key = RoundKey { season: season.year, round };
    let stored = client.grpc().get_race_timing(key).await.found().context("reading the stored pit stops")?;
    Ok(stored.and_then(|answer| answer.timing).is_some_and(|t| !t.pit_stops.is_empty()))
}

/// What the store lacks of `source`'s seasons within `from..=to`.
pub async fn lack(
    client: &data_client::Client,
    source: &F1dbSource,
    from: Option<i32>,
    to: Option<i32>,
) -> anyhow::Result<Lack> {
    let listed = source.clone();
    let available = tokio::task::spawn_blocking(move || f1db::seasons_in(&listed))
        .await
        .context("reading the f1db data")?
        .context("reading the f1db data")?;
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

/// Imports the bundled seasons the store lacks (all of them on a first start).
pub async fn complete(
    ds_url: &str,
    token: &common::internal::InternalToken,
    from: Option<i32>,
    to: Option<i32>,
) -> anyhow::Result<()> {
    let client = data_client::Client::connect_lazy_with(ds_url, std::time::Duration::from_secs(60), Some(token))?;
    let lack = lack(&client, &F1dbSource::Bundled, from, to).await?;
    if lack.missing.is_empty() {
        return Ok(());
    }
    if lack.stored == 0 {
        tracing::info!("empty store: importing the bundled f1db data (first start)");
    } else {
        tracing::warn!(missing = %lack.describe(), "the store lacks bundled seasons (an interrupted first start?): importing them");
    }
    for (a, b) in lack.runs() {
        import_with_progress(&client, F1dbSource::Bundled, Some(a), Some(b)).await?;
    }
    Ok(())
}
