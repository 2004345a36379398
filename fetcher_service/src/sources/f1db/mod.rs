//! f1db source: the whole championship history (1950 on) from f1db's YAML
//! data files, bundled in the binary or read from a directory, written
//! through data_scheduler in one `WriteBatch` for the reference data
//! (drivers, constructors, circuits, Ergast id aliases) and one per season
//! (all-or-nothing per season), then the season's pit stops (1994 on) in
//! one `WriteRaceTimings` (a timing write keeps laps another source stored).
//!
//! Data from F1DB, https://github.com/f1db/f1db, CC BY 4.0.
//!
//! Parsing runs on a blocking thread one season ahead of the writes, so a
//! full-history import costs about the larger of parsing and writing.

mod files;
pub mod model;
mod reference;
mod results;
pub mod resume;
mod season;
mod standings;

use std::path::PathBuf;

use protobuf::Year;
use protobuf::domain::FIRST_SEASON;
use protobuf::v1::{RaceTiming, WriteBatchRequest, WriteRaceTimingsRequest};
use tokio::sync::mpsc;

use crate::error::FetchError;
use crate::upstream::UpstreamError;
use data_client::{Client, Found};

pub use files::BUNDLED;
pub use reference::Reference;

/// The attribution f1db's licence asks for.
pub const ATTRIBUTION: &str = "Data from F1DB, https://github.com/f1db/f1db, CC BY 4.0";

/// Where the f1db data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum F1dbSource {
    /// The tarball embedded in the binary (1950 to the bundled season).
    Bundled,
    /// An f1db `src/data` directory.
    Dir(PathBuf),
}

/// One season written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeasonImported {
    pub season: i32,
    pub rounds: usize,
    pub records: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub seasons: usize,
    /// Every record written, reference data included.
    pub records: i64,
}

enum Item {
    Reference(WriteBatchRequest),
    Season { season: i32, rounds: usize, batch: WriteBatchRequest, timings: Vec<RaceTiming> },
}

/// Validates the optional season bounds into an inclusive range.
fn range(from: Option<i32>, to: Option<i32>) -> Result<std::ops::RangeInclusive<i32>, FetchError> {
    let from = from.map(|y| Year::parse_field("from", y)).transpose()?.map_or(FIRST_SEASON, Year::get);
    let to = to.map(|y| Year::parse_field("to", y)).transpose()?.map_or(i32::MAX, Year::get);
    if from > to {
        return Err(FetchError::param("to", format!("{to} is before from={from}")));
    }
    Ok(from..=to)
}

fn open(source: &F1dbSource, range: &std::ops::RangeInclusive<i32>) -> Result<(files::Tree, Reference), UpstreamError> {
    let tree = match source {
        F1dbSource::Bundled => files::Tree::bundled(range.clone())?,
        F1dbSource::Dir(dir) => files::Tree::dir(dir, range.clone())?,
    };
    let reference = Reference::load(&tree)?;
    Ok((tree, reference))
}

fn reference_batch(reference: &Reference) -> WriteBatchRequest {
    let (drivers, constructors, circuits, aliases) = reference.records();
    WriteBatchRequest { drivers, constructors, circuits, aliases, ..Default::default() }
}

/// Reads the f1db data and maps every season in `from..=to` (both
/// optional) to batches, sending them down `tx` as they are ready.
fn produce(
    source: F1dbSource,
    range: std::ops::RangeInclusive<i32>,
    tx: &mpsc::Sender<Result<Item, UpstreamError>>,
) -> Result<(), UpstreamError> {
    let (tree, reference) = open(&source, &range)?;
    if tx.blocking_send(Ok(Item::Reference(reference_batch(&reference)))).is_err() {
        return Ok(());
    }
    for (year, files) in tree.seasons.iter().filter(|(y, _)| range.contains(y)) {
        let built = season::build(*year, files, &reference)?;
        let item = Item::Season { season: *year, rounds: built.rounds, batch: built.batch, timings: built.timings };
        if tx.blocking_send(Ok(item)).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// Writes the bundled track maps ([`crate::sources::layouts`]) of circuits
/// with no image stored; returns the records written.
async fn draw_track_maps(client: &Client) -> Result<i64, FetchError> {
    let mut missing = Vec::new();
    for image in crate::sources::layouts::circuit_images()? {
        let key = protobuf::v1::IdKey { id: image.circuit_id.clone() };
        if client.sport().get_circuit_image(key).await.found()?.is_none() {
            missing.push(image);
        }
    }
    if missing.is_empty() {
        return Ok(0);
    }
    Ok(client.write(WriteBatchRequest { circuit_images: missing, ..Default::default() }).await?)
}

/// Imports f1db seasons `from..=to` (default: all) into data_scheduler.
/// Reference data is written first, then one batch per season in order;
/// `progress` is called after each season is written. A season that fails
/// to parse or write stops the import; seasons written before it stay.
pub async fn import_into(
    client: &Client,
    source: F1dbSource,
    from: Option<i32>,
    to: Option<i32>,
    mut progress: impl FnMut(&SeasonImported) + Send,
) -> Result<ImportReport, FetchError> {
    let range = range(from, to)?;
    tracing::info!(source = ?source, "f1db import starting; {ATTRIBUTION}");
    let (tx, mut rx) = mpsc::channel(2);
    let producer = {
        let range = range.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = produce(source, range, &tx) {
                let _ = tx.blocking_send(Err(e));
            }
        })
    };
    let mut report = ImportReport::default();
    while let Some(item) = rx.recv().await {
        match item? {
            Item::Reference(batch) => {
                let written = client.write(batch).await?;
                tracing::info!(
                    records = written,
                    "f1db reference data imported (drivers, constructors, circuits, aliases)"
                );
                report.records += written + draw_track_maps(client).await?;
            }
            Item::Season { season, rounds, batch, timings } => {
                let mut records = client.write(batch).await?;
                if !timings.is_empty() {
                    let races = WriteRaceTimingsRequest { races: timings };
                    records += client.sport().write_race_timings(races).await?.into_inner().records_affected;
                }
                tracing::info!(season, rounds, records, "f1db season imported");
                report.seasons += 1;
                report.records += records;
                progress(&SeasonImported { season, rounds, records });
            }
        }
    }
    producer.await.map_err(|e| FetchError::Store(protobuf::DomainError::Internal(format!("f1db reader: {e}"))))?;
    if report.seasons == 0 {
        let to = if *range.end() == i32::MAX { "the last season".to_string() } else { range.end().to_string() };
        return Err(FetchError::param(
            "from",
            format!("the f1db data has no season between {} and {to}", range.start()),
        ));
    }
    Ok(report)
}

/// A season the f1db data holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldSeason {
    pub year: i32,
    /// The last round with pit stops: the import writes a season's pit stops
    /// in a second call after its batch, so a store holding the season but
    /// not this round's pit stops was interrupted between the two.
    pub last_timed_round: Option<i32>,
}

/// The seasons `source` holds, in order (to tell what a store lacks).
pub fn seasons_in(source: &F1dbSource) -> Result<Vec<HeldSeason>, FetchError> {
    let range = FIRST_SEASON..=i32::MAX;
    let tree = match source {
        F1dbSource::Bundled => files::Tree::bundled(range)?,
        F1dbSource::Dir(dir) => files::Tree::dir(dir, range)?,
    };
    let held = tree.seasons.iter().map(|(year, season)| {
        // Race folders are `05-china`: the round, then the name.
        let round = |name: &str| name.split('-').next().and_then(|n| n.parse::<i32>().ok());
        // (Some files are empty: a race whose stops f1db does not have.)
        let stops = |files: &files::RaceFiles| {
            files.get("pit-stops.yml").is_some_and(|b| b.iter().any(|c| !c.is_ascii_whitespace()))
        };
        let timed = season.races.iter().filter(|(_, files)| stops(files));
        HeldSeason { year: *year, last_timed_round: timed.filter_map(|(name, _)| round(name)).max() }
    });
    Ok(held.collect())
}

/// The f1db data of one source mapped to batches without writing them:
/// the reference batch and each season's batch (for tests and tools).
pub fn load(
    source: F1dbSource,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<(WriteBatchRequest, Vec<WriteBatchRequest>), FetchError> {
    let range = range(from, to)?;
    let (tree, reference) = open(&source, &range)?;
    let mut seasons = Vec::new();
    for (year, files) in tree.seasons.iter().filter(|(y, _)| range.contains(y)) {
        seasons.push(season::build(*year, files, &reference)?.batch);
    }
    Ok((reference_batch(&reference), seasons))
}

#[cfg(test)]
mod tests;
