//! The first-start import of the bundled history, made resumable: each
//! season is written in one all-or-nothing batch, so a store whose import
//! was interrupted (SIGKILL, power loss) holds whole seasons and lacks the
//! rest. Every start compares the store with the bundled data (within the
//! configured `WIBM_IMPORT_FROM`/`WIBM_IMPORT_TO`) and imports what is
//! missing; `wibm import-f1db --check` reports the same comparison.
use anyhow::Context;
use fetcher_service::f1db::{self, F1dbSource};
pub use fetcher_service::f1db::{Lack, lack};

use crate::progress;

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

/// Imports with a progress bar on a terminal (the importer logs each season too).
pub async fn import_with_progress(
    client: &data_client::Client,
    source: F1dbSource,
    from: Option<i32>,
    to: Option<i32>,
) -> anyhow::Result<()> {
    let first = from.unwrap_or(protobuf::domain::FIRST_SEASON);
    let last = to.unwrap_or(chrono_year() + 1);
    let bar = progress::bar((last - first + 1).max(1) as u64, "f1db");
    let report = f1db::import_into(client, source, from, to, |s| {
        bar.set_position((s.season - first + 1).max(0) as u64);
        bar.set_message(format!("{} ({} rounds)", s.season, s.rounds));
    })
    .await
    .context("importing f1db")?;
    bar.finish_and_clear();
    tracing::info!(seasons = report.seasons, records = report.records, "f1db import done");
    eprintln!("imported {} seasons, {} records", report.seasons, report.records);
    Ok(())
}

fn chrono_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}
