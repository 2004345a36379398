//! Reading the f1db data tree: from the tarball embedded in the binary, or
//! from a directory (f1db's `src/data`). Only the files the importer maps
//! are read; season files outside the requested range are skipped unread
//! except `race.yml`, which every import needs for circuit facts.
use std::collections::BTreeMap;
use std::io::Read;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use crate::upstream::{SourceName, UpstreamError};

/// The f1db files packed into the binary (see `bundled/README.md`).
pub static BUNDLED: &[u8] = include_bytes!("../../../bundled/f1db.tar.gz");

const REFERENCE_DIRS: [&str; 5] = ["drivers", "constructors", "circuits", "grands-prix", "countries"];

/// Files of one race, by file name (`race.yml`, `race-results.yml`, ...).
pub type RaceFiles = BTreeMap<String, Vec<u8>>;

#[derive(Debug, Default)]
pub struct SeasonFiles {
    /// Season-level files (`driver-standings.yml`, ...), by file name.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Race directories (`05-china`), in round order.
    pub races: BTreeMap<String, RaceFiles>,
}

#[derive(Debug, Default)]
pub struct Tree {
    /// Reference files by path (`drivers/max-verstappen.yml`).
    pub reference: BTreeMap<String, Vec<u8>>,
    /// Every season's files; outside the range, only `race.yml`.
    pub seasons: BTreeMap<i32, SeasonFiles>,
}

pub fn err(path: &str, message: impl Into<String>) -> UpstreamError {
    UpstreamError::Invalid {
        upstream: SourceName::F1db,
        path: path.to_string(),
        field: "file".into(),
        message: message.into(),
    }
}

/// The file name is wanted for a race or a season.
fn wanted_in_season(name: &str) -> bool {
    matches!(
        name,
        "race.yml"
            | "race-results.yml"
            | "qualifying-results.yml"
            | "free-practice-1-results.yml"
            | "free-practice-2-results.yml"
            | "free-practice-3-results.yml"
            | "sprint-qualifying-results.yml"
            | "sprint-race-results.yml"
            | "fastest-laps.yml"
            | "driver-standings.yml"
            | "constructor-standings.yml"
            | "pit-stops.yml"
    )
}

impl Tree {
    /// Files the tree holds under `path` (relative, `/`-separated), if wanted.
    fn add(
        &mut self,
        path: &str,
        range: &RangeInclusive<i32>,
        read: impl FnOnce() -> std::io::Result<Vec<u8>>,
    ) -> Result<(), UpstreamError> {
        let parts: Vec<&str> = path.trim_start_matches("./").split('/').collect();
        match parts.as_slice() {
            [dir, file] if REFERENCE_DIRS.contains(dir) && file.ends_with(".yml") => {
                let bytes = read().map_err(|e| err(path, e.to_string()))?;
                self.reference.insert(format!("{dir}/{file}"), bytes);
            }
            ["seasons", year, rest @ ..] => {
                let Ok(year) = year.parse::<i32>() else { return Ok(()) };
                let in_range = range.contains(&year);
                match rest {
                    [file] if in_range && wanted_in_season(file) => {
                        let bytes = read().map_err(|e| err(path, e.to_string()))?;
                        self.seasons.entry(year).or_default().files.insert((*file).to_string(), bytes);
                    }
                    ["races", race, file] if wanted_in_season(file) && (in_range || *file == "race.yml") => {
                        let bytes = read().map_err(|e| err(path, e.to_string()))?;
                        let season = self.seasons.entry(year).or_default();
                        season.races.entry((*race).to_string()).or_default().insert((*file).to_string(), bytes);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The embedded tarball.
    pub fn bundled(range: RangeInclusive<i32>) -> Result<Self, UpstreamError> {
        let mut tree = Self::default();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(BUNDLED));
        let entries = archive.entries().map_err(|e| err("f1db.tar.gz", e.to_string()))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| err("f1db.tar.gz", e.to_string()))?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let path = entry.path().map_err(|e| err("f1db.tar.gz", e.to_string()))?.to_string_lossy().into_owned();
            let size = entry.size() as usize;
            tree.add(&path, &range, || {
                let mut bytes = Vec::with_capacity(size);
                entry.read_to_end(&mut bytes).map(|_| bytes)
            })?;
        }
        Ok(tree)
    }

    /// An f1db `src/data` directory.
    pub fn dir(root: &Path, range: RangeInclusive<i32>) -> Result<Self, UpstreamError> {
        let shown = root.display().to_string();
        if !root.join("seasons").is_dir() || !root.join("drivers").is_dir() {
            return Err(err(&shown, "not an f1db data directory (no seasons/ and drivers/ inside)"));
        }
        let mut tree = Self::default();
        for dir in REFERENCE_DIRS {
            for file in list(&root.join(dir))? {
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                tree.add(&format!("{dir}/{name}"), &range, || std::fs::read(&file))?;
            }
        }
        for year_dir in list(&root.join("seasons"))? {
            let year = name_of(&year_dir);
            for file in list(&year_dir)? {
                let name = name_of(&file);
                if file.is_dir() && name == "races" {
                    for race in list(&file)? {
                        for f in list(&race)? {
                            let path = format!("seasons/{year}/races/{}/{}", name_of(&race), name_of(&f));
                            tree.add(&path, &range, || std::fs::read(&f))?;
                        }
                    }
                } else {
                    tree.add(&format!("seasons/{year}/{name}"), &range, || std::fs::read(&file))?;
                }
            }
        }
        Ok(tree)
    }
}

fn name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The entries of `dir`, sorted; a missing directory is empty.
fn list(dir: &Path) -> Result<Vec<PathBuf>, UpstreamError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(err(&dir.display().to_string(), e.to_string())),
    };
    let mut out = Vec::new();
    for entry in entries {
        out.push(entry.map_err(|e| err(&dir.display().to_string(), e.to_string()))?.path());
    }
    out.sort();
    Ok(out)
}
