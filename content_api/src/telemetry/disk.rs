//! The bounded on-disk cache of decoded sessions, under the configured
//! directory (`WIBM_TELEMETRY_CACHE_DIR`):
//! - `v1/{session_key}/`: a complete session, one file per car and kind
//!   ([`format::file_name`]) and `session`, the marker whose modification
//!   time is when the session was last read (touched on every read, so the
//!   order of use survives a restart);
//! - `v1/.tmp-{session_key}-{nonce}/`: a session being written. Every file
//!   is written and synced, then the folder is renamed into place whole,
//!   so a crash never leaves a half session; leftovers are removed at the
//!   first use after a start.
//!
//! When the files of every session add up to more than the bound, the
//! least recently read sessions are removed, never the one just written (a
//! session larger than the whole bound stays until the next one comes).
//! One process per directory: the sizes are counted in memory.
use std::collections::HashMap;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use livetiming::archive::TelemetryKind;
use tokio::io::{AsyncWriteExt, BufWriter};

use super::format::{self, Sample};

/// The marker of a complete session.
const MARKER: &str = "session";
const TMP_PREFIX: &str = ".tmp-";

/// Samples read back, with their date (Unix microseconds) and car.
pub type Found<T> = Vec<(i64, i32, T)>;

pub struct Disk {
    root: PathBuf,
    bound: u64,
    state: Mutex<State>,
    scanned: tokio::sync::OnceCell<()>,
}

#[derive(Default)]
struct State {
    sessions: HashMap<i64, Entry>,
    total: u64,
    /// Counts reads and writes: a session's `used` is the count at its last.
    clock: u64,
}

struct Entry {
    bytes: u64,
    used: u64,
}

impl Disk {
    /// A cache under `dir`, holding at most `bound` bytes of files.
    pub fn new(dir: &Path, bound: u64) -> Self {
        Self { root: dir.join("v1"), bound, state: Mutex::default(), scanned: tokio::sync::OnceCell::new() }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads what a previous run left (once): complete sessions are kept,
    /// in the order their markers were touched, half-written ones removed.
    async fn scan(&self) -> io::Result<()> {
        self.scanned
            .get_or_try_init(|| async {
                let root = self.root.clone();
                let found = blocking(move || scan(&root)).await?;
                {
                    let mut state = self.state();
                    for (key, bytes) in found {
                        state.clock += 1;
                        let used = state.clock;
                        state.total += bytes;
                        state.sessions.insert(key, Entry { bytes, used });
                    }
                }
                self.evict(None).await;
                Ok(())
            })
            .await
            .map(|_| ())
    }

    /// Whether the session is kept.
    pub async fn has(&self, key: i64) -> io::Result<bool> {
        self.scan().await?;
        Ok(self.state().sessions.contains_key(&key))
    }

    /// Whether the session is kept, as far as this process knows (after
    /// [`Self::has`] has scanned the folder once).
    pub fn contains(&self, key: i64) -> bool {
        self.state().sessions.contains_key(&key)
    }

    /// Bytes of every kept session's files (what the bound applies to).
    #[cfg(test)]
    pub fn bytes(&self) -> u64 {
        self.state().total
    }

    /// Starts writing session `key` in a folder of its own.
    pub async fn writer(&self, key: i64) -> io::Result<Writer> {
        self.scan().await?;
        let nonce: u64 = rand::random();
        let tmp = self.root.join(format!("{TMP_PREFIX}{key}-{nonce:016x}"));
        tokio::fs::create_dir_all(&tmp).await?;
        Ok(Writer { key, tmp, files: HashMap::new(), line: String::new(), bytes: 0, committed: false })
    }

    /// Syncs the writer's files and moves its folder into place, then
    /// removes the least recently read sessions while over the bound.
    pub async fn commit(&self, mut w: Writer) -> io::Result<()> {
        for file in w.files.values_mut() {
            file.flush().await?;
            file.get_ref().sync_all().await?;
        }
        w.files.clear();
        let marker = format!("{}\n", w.key);
        let mut file = tokio::fs::File::create(w.tmp.join(MARKER)).await?;
        file.write_all(marker.as_bytes()).await?;
        file.sync_all().await?;
        w.bytes += marker.len() as u64;
        let dest = self.root.join(w.key.to_string());
        if let Err(e) = tokio::fs::rename(&w.tmp, &dest).await {
            // Already there (written by an earlier run this one has not
            // scanned): ours is dropped with the writer.
            if !tokio::fs::try_exists(dest.join(MARKER)).await.unwrap_or(false) {
                return Err(e);
            }
        } else {
            w.committed = true;
        }
        {
            let mut state = self.state();
            state.clock += 1;
            let used = state.clock;
            if let Some(old) = state.sessions.insert(w.key, Entry { bytes: w.bytes, used }) {
                state.total -= old.bytes;
            }
            state.total += w.bytes;
        }
        self.evict(Some(w.key)).await;
        Ok(())
    }

    /// Removes the least recently used sessions, all but `keep`, while the
    /// total is over the bound.
    async fn evict(&self, keep: Option<i64>) {
        let victims: Vec<i64> = {
            let mut state = self.state();
            let mut order: Vec<(u64, i64)> =
                state.sessions.iter().filter(|(key, _)| Some(**key) != keep).map(|(key, e)| (e.used, *key)).collect();
            order.sort_unstable();
            let mut victims = Vec::new();
            for (_, key) in order {
                if state.total <= self.bound {
                    break;
                }
                if let Some(e) = state.sessions.remove(&key) {
                    state.total -= e.bytes;
                    victims.push(key);
                }
            }
            victims
        };
        metrics::gauge!("content_telemetry_cache_bytes").set(self.state().total as f64);
        for key in victims {
            tracing::info!(session_key = key, "telemetry cache: evicting the least recently read session");
            metrics::counter!("content_telemetry_cache_evictions_total").increment(1);
            self.remove(key).await;
        }
    }

    /// Forgets session `key` and removes its folder.
    pub async fn forget(&self, key: i64) {
        {
            let mut state = self.state();
            if let Some(e) = state.sessions.remove(&key) {
                state.total -= e.bytes;
            }
            metrics::gauge!("content_telemetry_cache_bytes").set(state.total as f64);
        }
        self.remove(key).await;
    }

    async fn remove(&self, key: i64) {
        let dir = self.root.join(key.to_string());
        if let Err(e) = tokio::fs::remove_dir_all(&dir).await
            && e.kind() != ErrorKind::NotFound
        {
            tracing::warn!(error = %e, dir = %dir.display(), "telemetry cache: cannot remove a session");
        }
    }

    /// The samples of car `drivers` (every car when `None`) of `kind` in
    /// session `key` that `keep` keeps, ordered by date then car; `None`
    /// when the session is not kept (or was evicted meanwhile). `keys` are
    /// the meeting and session keys stamped on each sample.
    pub async fn read<T, K>(
        &self,
        key: i64,
        kind: TelemetryKind,
        drivers: Option<Vec<i32>>,
        keys: (i64, i64),
        keep: K,
    ) -> io::Result<Option<Found<T>>>
    where
        T: Send + 'static,
        K: FnMut(Sample) -> Option<T> + Send + 'static,
    {
        self.scan().await?;
        {
            let mut state = self.state();
            state.clock += 1;
            let now = state.clock;
            match state.sessions.get_mut(&key) {
                Some(e) => e.used = now,
                None => return Ok(None),
            }
        }
        let dir = self.root.join(key.to_string());
        let read = blocking(move || read_session(&dir, kind, drivers, keys, keep)).await;
        if read.as_ref().is_err_and(|e| e.kind() == ErrorKind::InvalidData) {
            // Damaged on disk: the next request downloads it again.
            self.forget(key).await;
        }
        read
    }
}

/// A session being written ([`Disk::writer`]); its folder is removed
/// unless committed.
pub struct Writer {
    key: i64,
    tmp: PathBuf,
    files: HashMap<(TelemetryKind, i32), BufWriter<tokio::fs::File>>,
    line: String,
    bytes: u64,
    committed: bool,
}

impl Writer {
    /// Appends samples of `kind`, each to its car's file.
    pub async fn add(&mut self, kind: TelemetryKind, samples: impl IntoIterator<Item = Sample>) -> io::Result<()> {
        for sample in samples {
            self.line.clear();
            format::write(&sample, &mut self.line);
            let car = sample.driver_number();
            let file = match self.files.entry((kind, car)) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    let file = tokio::fs::File::create(self.tmp.join(format::file_name(kind, car))).await?;
                    v.insert(BufWriter::with_capacity(64 * 1024, file))
                }
            };
            file.write_all(self.line.as_bytes()).await?;
            self.bytes += self.line.len() as u64;
        }
        Ok(())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> io::Result<T> + Send + 'static) -> io::Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| io::Error::other(format!("telemetry cache task: {e}")))?
}

/// The complete sessions under `root` and their sizes, least recently
/// read first; half-written folders are removed.
fn scan(root: &Path) -> io::Result<Vec<(i64, u64)>> {
    std::fs::create_dir_all(root)?;
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(TMP_PREFIX) {
            let _ = std::fs::remove_dir_all(&path);
            continue;
        }
        let Ok(key) = name.parse::<i64>() else { continue };
        let Ok(touched) = std::fs::metadata(path.join(MARKER)).and_then(|m| m.modified()) else {
            let _ = std::fs::remove_dir_all(&path);
            continue;
        };
        let mut bytes = 0;
        for file in std::fs::read_dir(&path)? {
            bytes += file?.metadata()?.len();
        }
        found.push((touched, key, bytes));
    }
    found.sort();
    Ok(found.into_iter().map(|(_, key, bytes)| (key, bytes)).collect())
}

fn read_session<T>(
    dir: &Path,
    kind: TelemetryKind,
    drivers: Option<Vec<i32>>,
    keys: (i64, i64),
    mut keep: impl FnMut(Sample) -> Option<T>,
) -> io::Result<Option<Found<T>>> {
    // Touched, so the order of use survives a restart.
    match std::fs::OpenOptions::new().write(true).open(dir.join(MARKER)) {
        Ok(marker) => {
            let _ = marker.set_modified(SystemTime::now());
        }
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut cars = match drivers {
        Some(cars) => cars,
        None => {
            let mut cars = Vec::new();
            for entry in std::fs::read_dir(dir)? {
                let name = entry?.file_name();
                if let Some((k, car)) = name.to_str().and_then(format::parse_file_name)
                    && k == kind
                {
                    cars.push(car);
                }
            }
            cars
        }
    };
    cars.sort_unstable();
    cars.dedup();
    let mut out = Vec::new();
    for car in cars {
        let text = match std::fs::read_to_string(dir.join(format::file_name(kind, car))) {
            Ok(text) => text,
            // No such car in the session, or the session was evicted.
            Err(e) if e.kind() == ErrorKind::NotFound => {
                if dir.join(MARKER).exists() {
                    continue;
                }
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        for line in text.lines() {
            let sample = format::read(line, kind, keys, car).ok_or_else(|| {
                io::Error::new(ErrorKind::InvalidData, format!("{}: a damaged line `{line}`", dir.display()))
            })?;
            let micros = sample.micros();
            if let Some(kept) = keep(sample) {
                out.push((micros, car, kept));
            }
        }
    }
    out.sort_by_key(|(micros, car, _)| (*micros, *car));
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use livetiming::openf1::Location;

    use super::*;

    fn place(car: i32, micros: i64, keys: (i64, i64)) -> Sample {
        Sample::Place(Location {
            meeting_key: keys.0,
            session_key: keys.1,
            driver_number: car,
            date: DateTime::from_timestamp_micros(1_716_129_061_000_000 + micros).unwrap(),
            x: micros,
            y: -micros,
            z: 7,
        })
    }

    async fn write(disk: &Disk, key: i64, n: i64) {
        let mut w = disk.writer(key).await.unwrap();
        let samples = (0..n).flat_map(|i| [place(44, i, (1, key)), place(1, i, (1, key))]);
        w.add(TelemetryKind::Location, samples).await.unwrap();
        disk.commit(w).await.unwrap();
    }

    async fn read(disk: &Disk, key: i64, cars: Option<Vec<i32>>) -> Option<Found<Sample>> {
        disk.read(key, TelemetryKind::Location, cars, (1, key), Some).await.unwrap()
    }

    #[tokio::test]
    async fn the_least_recently_read_session_goes_first() {
        let dir = tempfile::tempdir().unwrap();
        let probe = Disk::new(&dir.path().join("probe"), u64::MAX);
        write(&probe, 1, 100).await;
        let one = probe.bytes();
        assert!(one > 100 * 2 * 20, "{one} bytes");

        let disk = Disk::new(dir.path(), one * 5 / 2);
        write(&disk, 1, 100).await;
        write(&disk, 2, 100).await;
        assert!(read(&disk, 1, None).await.is_some(), "session 1 read: session 2 is now the least recent");
        write(&disk, 3, 100).await;
        assert!(disk.contains(1) && !disk.contains(2) && disk.contains(3));
        assert!(!dir.path().join("v1/2").exists(), "its folder is removed");
        assert_eq!(disk.bytes(), 2 * one);
        assert_eq!(read(&disk, 2, None).await, None);
    }

    #[tokio::test]
    async fn reads_keep_the_cars_asked_for_in_date_order() {
        let dir = tempfile::tempdir().unwrap();
        let disk = Disk::new(dir.path(), u64::MAX);
        write(&disk, 9, 3).await;
        let all = read(&disk, 9, None).await.unwrap();
        let order: Vec<(i64, i32)> = all.iter().map(|(m, car, _)| (*m - 1_716_129_061_000_000, *car)).collect();
        assert_eq!(order, [(0, 1), (0, 44), (1, 1), (1, 44), (2, 1), (2, 44)]);
        assert_eq!(all[1].2, place(44, 0, (1, 9)), "a sample reads back as written");
        let one = read(&disk, 9, Some(vec![44, 63])).await.unwrap();
        assert!(one.len() == 3 && one.iter().all(|(_, car, _)| *car == 44), "car 63 has no file: none");
    }

    #[tokio::test]
    async fn a_restart_keeps_complete_sessions_and_drops_half_written_ones() {
        let dir = tempfile::tempdir().unwrap();
        let disk = Disk::new(dir.path(), u64::MAX);
        write(&disk, 7, 10).await;
        // A crash in the middle of a write: a folder never renamed.
        let half = dir.path().join("v1/.tmp-8-0000000000000001");
        std::fs::create_dir_all(&half).unwrap();
        std::fs::write(half.join("location-44.tsv"), "1716129061000000\t1\t").unwrap();
        // A writer dropped before its commit (an error, a cancelled task).
        let mut dropped = disk.writer(9).await.unwrap();
        dropped.add(TelemetryKind::Location, [place(44, 0, (1, 9))]).await.unwrap();
        drop(dropped);

        let again = Disk::new(dir.path(), u64::MAX);
        assert!(again.has(7).await.unwrap());
        assert!(!again.has(8).await.unwrap() && !again.has(9).await.unwrap());
        let left: Vec<String> = std::fs::read_dir(dir.path().join("v1"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["7"]);
        assert_eq!(read(&again, 7, Some(vec![1])).await.unwrap().len(), 10);
    }

    #[tokio::test]
    async fn a_damaged_file_is_an_error_and_the_session_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let disk = Disk::new(dir.path(), u64::MAX);
        write(&disk, 5, 2).await;
        std::fs::write(dir.path().join("v1/5/location-44.tsv"), "not a line\n").unwrap();
        let err = disk.read(5, TelemetryKind::Location, None, (1, 5), Some).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
        assert!(!disk.contains(5) && !dir.path().join("v1/5").exists(), "the next request downloads it again");
    }
}
