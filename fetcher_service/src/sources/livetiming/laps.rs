//! A race's lap timings from its TimingData stream: per car and lap, the
//! position when it crossed the line and the lap time (for the Ergast
//! API's `laps`).
//!
//! A crossing is a patch raising the car's `NumberOfLaps`; the position is
//! the car's `Position` as of that patch (checked against Jolpica's lap 1
//! of Baku 2018: the same order). The lap time is a `LastLapTime.Value`,
//! which the feed sends with the crossing or in a patch up to a second
//! before or after it: each value goes to the car's crossing nearest in
//! time. The feed publishes no time for lap 1 (timed from the standing
//! start) and sometimes none for a lap ended in the pit lane; such laps are
//! left out rather than given a time nobody measured.
use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use super::topics::{int, text};

/// One lap of one car, before the car number is resolved to a driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarLap {
    pub car: i32,
    pub lap: i32,
    pub position: i32,
    pub time: String,
}

#[derive(Debug, Default)]
struct Car {
    laps: i32,
    position: Option<i32>,
    /// (when, lap, position at the crossing).
    crossings: Vec<(Duration, i32, Option<i32>)>,
    /// (when, lap time as published).
    times: Vec<(Duration, String)>,
}

#[derive(Debug, Default)]
pub(crate) struct LapTimes(BTreeMap<i32, Car>);

impl LapTimes {
    pub fn observe(&mut self, at: Duration, patch: &Value) {
        let Some(lines) = patch.get("Lines").and_then(Value::as_object) else { return };
        for (key, line) in lines {
            let Ok(number) = key.parse::<i32>() else { continue };
            let car = self.0.entry(number).or_default();
            if let Some(p) = text(line, "Position").parse::<i32>().ok().filter(|p| *p > 0) {
                car.position = Some(p);
            }
            if let Ok(Some(n)) = int(line, "NumberOfLaps")
                && n as i32 > car.laps
            {
                car.laps = n as i32;
                car.crossings.push((at, car.laps, car.position));
            }
            let time = line.get("LastLapTime").map(|t| text(t, "Value")).unwrap_or_default();
            if !time.is_empty() {
                car.times.push((at, time));
            }
        }
    }

    /// Every timed lap, by lap then position.
    pub fn finish(self) -> Vec<CarLap> {
        let mut out = Vec::new();
        for (number, car) in self.0 {
            let mut timed: BTreeMap<i32, String> = BTreeMap::new();
            for (at, time) in car.times {
                let nearest = car.crossings.iter().min_by_key(|(when, ..)| when.abs_diff(at));
                if let Some((_, lap, _)) = nearest {
                    timed.entry(*lap).or_insert(time);
                }
            }
            for (_, lap, position) in car.crossings {
                if let (Some(position), Some(time)) = (position, timed.remove(&lap)) {
                    out.push(CarLap { car: number, lap, position, time });
                }
            }
        }
        out.sort_by_key(|l| (l.lap, l.position));
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn times_go_to_the_nearest_crossing_and_lap_one_has_none() {
        let mut t = LapTimes::default();
        t.observe(at(0), &json!({"Lines": {"44": {"Position": "2"}}}));
        t.observe(at(100), &json!({"Lines": {"44": {"NumberOfLaps": 1}}}));
        t.observe(at(200), &json!({"Lines": {"44": {"LastLapTime": {"Value": "1:40.100"}}}}));
        t.observe(at(201), &json!({"Lines": {"44": {"NumberOfLaps": 2, "Position": "1"}}}));
        t.observe(at(301), &json!({"Lines": {"44": {"NumberOfLaps": 3, "LastLapTime": {"Value": "1:40.000"}}}}));
        let laps = t.finish();
        let got: Vec<(i32, i32, &str)> = laps.iter().map(|l| (l.lap, l.position, l.time.as_str())).collect();
        // Lap 2's time came a second before its crossing; its position is
        // the one sent with the crossing.
        assert_eq!(got, [(2, 1, "1:40.100"), (3, 1, "1:40.000")]);
    }
}
