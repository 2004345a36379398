//! What TimingData says, one car at a time: laps (with sectors, mini
//! sectors and speed traps), pit-lane visits, running order and gaps.
//!
//! Laps: `NumberOfLaps` counts the laps a car has completed. When it rises
//! to `n`, lap `n` is complete and lap `n + 1` starts at that message's
//! date. Sector 1, its mini-sectors and the I1 trap belong to the lap in
//! progress; the later sectors, the I2 and speed traps and `LastLapTime`
//! belong to the lap that just ended when they arrive within 10 s of its
//! end (the feed sends them just after the line), else to the lap in
//! progress. A lap is a record once completed, so a car has as many laps
//! as its final `NumberOfLaps`.
use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde_json::Value;

use super::records::{Date, Gap, Lap};
use crate::topics::{flag, indexed, int, text};

const END_OF_LAP_WINDOW: TimeDelta = TimeDelta::seconds(10);

/// One pit-lane visit seen in TimingData (`InPit` then `PitOut`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PitVisit {
    pub driver: i32,
    pub lap: i32,
    pub entry: Date,
    pub exit: Option<Date>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Car {
    /// `laps[i]` is lap `i + 1`, the last one possibly still running.
    pub laps: Vec<Lap>,
    pub completed: i32,
    lap_started: Option<Date>,
    pub line: Option<i32>,
    pub gap: Option<Gap>,
    pub interval: Option<Gap>,
    pub in_pit: bool,
    seen: bool,
    pub open_pit: Option<PitVisit>,
    /// Dates of pit-lane entries and exits (for the overtake rule).
    pub pit_events: Vec<Date>,
    pub retired_at: Option<Date>,
}

/// Which lap a value belongs to (see the module docs).
#[derive(Clone, Copy)]
enum Belongs {
    InProgress,
    EndOfLap,
}

impl Car {
    fn lap(&mut self, number: i32, keys: (i64, i64, i32)) -> &mut Lap {
        while self.laps.len() < number as usize {
            let lap_number = self.laps.len() as i32 + 1;
            self.laps.push(empty_lap(keys, lap_number));
        }
        &mut self.laps[number as usize - 1]
    }

    fn target(&mut self, belongs: Belongs, date: Date, keys: (i64, i64, i32)) -> &mut Lap {
        let just_ended = self.completed > 0 && self.lap_started.is_some_and(|s| date - s < END_OF_LAP_WINDOW);
        let number = match belongs {
            Belongs::EndOfLap if just_ended => self.completed,
            _ => self.completed + 1,
        };
        self.lap(number, keys)
    }

    /// The laps completed, as records.
    pub fn completed_laps(&self) -> impl Iterator<Item = &Lap> {
        self.laps.iter().take(self.completed.max(0) as usize)
    }
}

fn empty_lap((meeting_key, session_key, driver_number): (i64, i64, i32), lap_number: i32) -> Lap {
    Lap {
        meeting_key,
        session_key,
        driver_number,
        lap_number,
        date_start: None,
        lap_duration: None,
        duration_sector_1: None,
        duration_sector_2: None,
        duration_sector_3: None,
        segments_sector_1: None,
        segments_sector_2: None,
        segments_sector_3: None,
        i1_speed: None,
        i2_speed: None,
        st_speed: None,
        is_pit_out_lap: false,
    }
}

/// What the session tells the car's reading.
pub(crate) struct Context {
    pub date: Date,
    /// Lap data counts (a race before its start does not).
    pub laps_count: bool,
    /// Pit visits count (races between start and chequered flag).
    pub pits_count: bool,
    pub race: bool,
}

/// Reads one car's TimingData patch; pit visits that ended are pushed to
/// `pits`, position and gap changes reported through the return value.
pub(crate) fn read_line(car: &mut Car, number: i32, line: &Value, cx: &Context, pits: &mut Vec<PitVisit>) -> Changes {
    let keys = (0, 0, number);
    let date = cx.date;
    let first_seen = !car.seen;
    car.seen = true;
    if cx.laps_count {
        if let Ok(Some(n)) = int(line, "NumberOfLaps") {
            let n = n as i32;
            if n > car.completed {
                car.lap(n + 1, keys).date_start = Some(date);
                car.completed = n;
                car.lap_started = Some(date);
            }
        }
        if let Some(seconds) = line.get("LastLapTime").map(|l| text(l, "Value")).and_then(|t| lap_seconds(&t)) {
            car.target(Belongs::EndOfLap, date, keys).lap_duration = Some(seconds);
        }
        for (index, sector) in indexed(line.get("Sectors")) {
            let belongs = if index == 0 { Belongs::InProgress } else { Belongs::EndOfLap };
            if let Some(seconds) = lap_seconds(&text(sector, "Value")) {
                let lap = car.target(belongs, date, keys);
                *[&mut lap.duration_sector_1, &mut lap.duration_sector_2, &mut lap.duration_sector_3]
                    .into_iter()
                    .nth(index)
                    .unwrap_or(&mut None) = Some(seconds);
            }
            for (segment, value) in indexed(sector.get("Segments")) {
                // 0 is "not lit": the feed resets every segment as a lap starts.
                let Some(status) = int(value, "Status").ok().flatten().filter(|s| *s != 0) else { continue };
                let lap = car.target(belongs, date, keys);
                let Some(codes) = [&mut lap.segments_sector_1, &mut lap.segments_sector_2, &mut lap.segments_sector_3]
                    .into_iter()
                    .nth(index)
                else {
                    continue;
                };
                let codes = codes.get_or_insert_with(Vec::new);
                if codes.len() <= segment {
                    codes.resize(segment + 1, None);
                }
                codes[segment] = Some(status);
            }
        }
        if let Some(speeds) = line.get("Speeds") {
            for (trap, belongs) in [("I1", Belongs::InProgress), ("I2", Belongs::EndOfLap), ("ST", Belongs::EndOfLap)] {
                let Some(kmh) = speeds.get(trap).and_then(|s| int(s, "Value").ok().flatten()) else { continue };
                let lap = car.target(belongs, date, keys);
                match trap {
                    "I1" => lap.i1_speed = Some(kmh),
                    "I2" => lap.i2_speed = Some(kmh),
                    _ => lap.st_speed = Some(kmh),
                }
            }
        }
        if line.get("PitOut").is_some() && flag(line, "PitOut") {
            car.lap(car.completed + 1, keys).is_pit_out_lap = true;
        }
    }
    pit_lane(car, number, line, cx, first_seen, pits);
    if (flag(line, "Retired") || flag(line, "Stopped")) && car.retired_at.is_none() {
        car.retired_at = Some(date);
    }
    let mut changes = Changes::default();
    if let Ok(Some(position)) = int(line, "Line") {
        let position = position as i32;
        if car.line != Some(position) {
            car.line = Some(position);
            changes.position = true;
        }
    }
    if cx.race {
        let gap = line.get("GapToLeader").map(|_| parse_gap(&text(line, "GapToLeader")));
        let interval = line.get("IntervalToPositionAhead").filter(|i| i.get("Value").is_some());
        let interval = interval.map(|i| parse_gap(&text(i, "Value")));
        if let Some(gap) = gap.filter(|g| *g != car.gap) {
            car.gap = gap;
            changes.interval = true;
        }
        if let Some(interval) = interval.filter(|i| *i != car.interval) {
            car.interval = interval;
            changes.interval = true;
        }
    }
    changes
}

/// Pit entries and exits. The state a car is first seen in (in the garage
/// before practice, on the grid) is no visit.
fn pit_lane(car: &mut Car, number: i32, line: &Value, cx: &Context, first_seen: bool, pits: &mut Vec<PitVisit>) {
    let entering = line.get("InPit").is_some() && flag(line, "InPit");
    let leaving = (line.get("InPit").is_some() && !flag(line, "InPit")) || flag(line, "PitOut");
    if entering && !car.in_pit {
        car.in_pit = true;
        car.pit_events.push(cx.date);
        if cx.pits_count && !first_seen {
            car.open_pit = Some(PitVisit { driver: number, lap: car.completed + 1, entry: cx.date, exit: None });
        }
    } else if leaving && car.in_pit {
        car.in_pit = false;
        car.pit_events.push(cx.date);
        if let Some(mut visit) = car.open_pit.take() {
            visit.exit = Some(cx.date);
            pits.push(visit);
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub position: bool,
    pub interval: bool,
}

/// `1:43.567`, `43.567` or `1:02:03.456` in seconds; `None` when empty or
/// not a time.
pub(crate) fn lap_seconds(value: &str) -> Option<f64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let mut seconds = 0.0;
    for part in value.split(':') {
        seconds = seconds * 60.0 + part.parse::<f64>().ok()?;
    }
    Some((seconds * 1000.0).round() / 1000.0)
}

/// A gap as OpenF1 gives it: `LAP n` (the leader) is 0, `+6.924` and
/// `+1:09.473` are seconds, `+1 LAP` / `1L` stay text; empty is none.
pub(crate) fn parse_gap(value: &str) -> Option<Gap> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.to_ascii_uppercase().starts_with("LAP") {
        return Some(Gap::Seconds(0.0));
    }
    match lap_seconds(value.trim_start_matches('+')) {
        Some(seconds) => Some(Gap::Seconds(seconds)),
        None => Some(Gap::Text(value.to_string())),
    }
}

/// The running order of the merged TimingData state (cars by `Line`), or
/// `None` while two cars share a line (a swap sent in two messages).
pub(crate) fn running_order(cars: &BTreeMap<i32, Car>) -> Option<Vec<i32>> {
    let mut order: Vec<(i32, i32)> = cars.iter().filter_map(|(n, c)| Some((c.line?, *n))).collect();
    order.sort_unstable();
    if order.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    Some(order.into_iter().map(|(_, n)| n).collect())
}
