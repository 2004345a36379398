//! A race's lap timings and pit stops in Ergast's terms, read from its
//! session data (the LiveTiming archive, 2018 on) where no Ergast-format
//! source gave them (the bundled f1db data has none).
//!
//! - A lap's `position` is the car's place crossing the line at the end of
//!   that lap, among the cars that completed it (Ergast's meaning): cars
//!   ranked by when they ended the lap. A lap ends when the next one starts
//!   (the feed's `NumberOfLaps` ticking over), the last one at its start
//!   plus its time.
//! - A lap's `time` is its lap time; where the feed gave none (the first
//!   lap of a race, usually) it is the time from the start (SessionStatus
//!   `Started`) to the end of the lap.
//! - A pit stop's `time` is the local time of day it entered the pit lane
//!   (the session's GMT offset), its `duration` the pit-lane time, entry to
//!   exit, as Ergast's is; `stop` counts the driver's stops in time order.
//!
//! Cars are matched to drivers by their number in the race's results; a
//! car not in them is left out.
use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, FixedOffset};
use livetiming::openf1::{Date, SessionRecords};
use protobuf::v1::{LapTiming, PitStop, SessionResult};

/// The Ergast lap timings and pit stops of a race's session records.
pub fn from_session_data(records: &SessionRecords, results: &[SessionResult]) -> (Vec<LapTiming>, Vec<PitStop>) {
    let driver: HashMap<i32, &str> =
        results.iter().filter(|r| r.driver_number > 0).map(|r| (r.driver_number, r.driver_id.as_str())).collect();
    (laps(records, &driver), pit_stops(records, &driver))
}

fn laps(records: &SessionRecords, driver: &HashMap<i32, &str>) -> Vec<LapTiming> {
    let started = records.session_status.iter().find(|s| s.status == "Started").map(|s| s.date);
    // Each car's laps by number.
    let mut cars: BTreeMap<i32, BTreeMap<i32, LapSpan>> = BTreeMap::new();
    for l in &records.laps {
        cars.entry(l.driver_number).or_default().insert(l.lap_number, (l.date_start, l.lap_duration));
    }
    // Lap number -> (end, driver, time) of each car that completed it.
    let mut by_lap: BTreeMap<i32, Vec<(Date, &str, String)>> = BTreeMap::new();
    for (number, laps) in &cars {
        let Some(id) = driver.get(number) else { continue };
        for (&n, &(start, duration)) in laps {
            let next = laps.get(&(n + 1)).and_then(|l| l.0);
            let Some(end) = next.or_else(|| Some(start? + seconds(duration?))) else { continue };
            let from = start.or(if n == 1 { started } else { None });
            let time = duration.or_else(|| from.map(|s| (end - s).num_microseconds().unwrap_or(0) as f64 / 1e6));
            let Some(time) = time.filter(|t| *t > 0.0) else { continue };
            by_lap.entry(n).or_default().push((end, id, clock(time)));
        }
    }
    let mut out = Vec::new();
    for (n, mut crossed) in by_lap {
        crossed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        for (place, (_, id, time)) in crossed.into_iter().enumerate() {
            out.push(LapTiming { lap: n, driver_id: id.to_owned(), position: place as i32 + 1, time });
        }
    }
    out
}

/// A lap's start and duration, as the feed gave them.
type LapSpan = (Option<Date>, Option<f64>);

fn pit_stops(records: &SessionRecords, driver: &HashMap<i32, &str>) -> Vec<PitStop> {
    let offset = records.session.as_ref().and_then(|s| gmt_offset(&s.gmt_offset));
    let mut visits: Vec<_> = records.pit.iter().filter(|p| driver.contains_key(&p.driver_number)).collect();
    visits.sort_by_key(|p| (p.driver_number, p.date, p.lap_number));
    let mut count: HashMap<i32, i32> = HashMap::new();
    let mut out: Vec<PitStop> = visits
        .into_iter()
        .map(|p| {
            let stop = count.entry(p.driver_number).or_default();
            *stop += 1;
            let time = match (p.date, offset) {
                (Some(d), Some(o)) => d.with_timezone(&o).format("%H:%M:%S").to_string(),
                _ => String::new(),
            };
            PitStop {
                driver_id: driver[&p.driver_number].to_owned(),
                lap: p.lap_number,
                stop: *stop,
                time,
                duration: p.lane_duration.or(p.pit_duration).map(clock).unwrap_or_default(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.time.cmp(&b.time).then(a.lap.cmp(&b.lap)));
    out
}

fn seconds(s: f64) -> Duration {
    Duration::microseconds((s * 1e6).round() as i64)
}

/// Seconds as Ergast writes a time: `1:39.019`, `22.345`, `1:02:03.004`.
fn clock(seconds: f64) -> String {
    let ms = (seconds * 1000.0).round() as i64;
    let (h, m, s, ms) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    match (h, m) {
        (0, 0) => format!("{s}.{ms:03}"),
        (0, m) => format!("{m}:{s:02}.{ms:03}"),
        (h, m) => format!("{h}:{m:02}:{s:02}.{ms:03}"),
    }
}

/// SessionInfo's `GmtOffset` (`01:00:00`, `-04:00:00`).
fn gmt_offset(text: &str) -> Option<FixedOffset> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut parts = rest.split(':').map(|p| p.parse::<i32>().ok());
    let (h, m) = (parts.next()??, parts.next().flatten().unwrap_or(0));
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_ergast_writes_them() {
        assert_eq!(clock(99.019), "1:39.019");
        assert_eq!(clock(22.3454), "22.345");
        assert_eq!(clock(62.3), "1:02.300");
        assert_eq!(clock(3723.004), "1:02:03.004");
    }

    #[test]
    fn gmt_offsets_read_both_signs() {
        assert_eq!(gmt_offset("01:00:00"), FixedOffset::east_opt(3600));
        assert_eq!(gmt_offset("-04:00:00"), FixedOffset::east_opt(-4 * 3600));
        assert_eq!(gmt_offset("05:30:00"), FixedOffset::east_opt(5 * 3600 + 1800));
        assert_eq!(gmt_offset(""), None);
    }
}
