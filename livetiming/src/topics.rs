//! Typed views of the merged topic states (DriverList, TimingData,
//! TimingAppData). Values arrive as strings, numbers or booleans depending on
//! the year, and lists as arrays or index-keyed objects; the helpers here
//! accept each spelling and turn anything missing that a record needs into an
//! error naming the stream and the field.
use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::InvalidData;

/// A string field (numbers are printed); absent or null is `""`.
pub fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// `v[key].Value`, the shape of lap and sector times.
pub fn value_of(v: &Value, key: &str) -> String {
    v.get(key).map(|inner| text(inner, "Value")).unwrap_or_default()
}

pub fn flag(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true") || s == "1",
        Some(Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
        _ => false,
    }
}

/// An integer field given as a number or a numeric string; `None` when
/// absent or empty, an error message when not a number.
pub fn int(v: &Value, key: &str) -> Result<Option<i64>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| format!("{key}: `{n}` is not an integer")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| format!("{key}: `{s}` is not an integer")),
        Some(other) => Err(format!("{key}: `{other}` is not an integer")),
    }
}

/// The elements of a list published as an array or as an index-keyed object,
/// in index order.
pub fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(o)) => {
            let sorted: BTreeMap<usize, &Value> = o.iter().filter_map(|(k, v)| Some((k.parse().ok()?, v))).collect();
            sorted.into_values().collect()
        }
        _ => Vec::new(),
    }
}

/// The elements of a list patch (an array, or an object keyed by index),
/// with their indices; anything else is empty.
pub fn indexed(v: Option<&Value>) -> Vec<(usize, &Value)> {
    match v {
        Some(Value::Array(a)) => a.iter().enumerate().collect(),
        Some(Value::Object(o)) => o.iter().filter_map(|(k, v)| Some((k.parse().ok()?, v))).collect(),
        _ => Vec::new(),
    }
}

/// One driver of the DriverList topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    pub code: String,
    pub name: String,
    pub team: String,
    /// `#rrggbb`, or empty when not published.
    pub colour: String,
}

/// Car `number` of the final DriverList state. Only cars that are
/// classified are looked up, so stray entries of other series (the feed has
/// carried some) do not fail a session.
pub fn driver(state: &Value, number: i32, path: &str) -> Result<Driver, InvalidData> {
    let key = number.to_string();
    let d = state
        .get(&key)
        .filter(|d| d.is_object())
        .ok_or_else(|| InvalidData::new(path, &key, "car is in TimingData but not in DriverList"))?;
    let field = |f: &str| format!("{key}.{f}");
    let code = text(d, "Tla");
    if code.is_empty() {
        return Err(InvalidData::new(path, field("Tla"), "missing"));
    }
    let (first, last) = (text(d, "FirstName"), text(d, "LastName"));
    let name = if !first.is_empty() && !last.is_empty() {
        format!("{first} {last}")
    } else {
        [text(d, "FullName"), text(d, "BroadcastName")].into_iter().find(|n| !n.is_empty()).unwrap_or_default()
    };
    if name.is_empty() {
        return Err(InvalidData::new(path, field("FullName"), "missing"));
    }
    let team = text(d, "TeamName");
    if team.is_empty() {
        return Err(InvalidData::new(path, field("TeamName"), "missing"));
    }
    let colour = text(d, "TeamColour");
    let colour = if colour.is_empty() { colour } else { format!("#{}", colour.to_ascii_lowercase()) };
    Ok(Driver { code, name, team, colour })
}

pub fn car_number(key: &str, path: &str) -> Result<i32, InvalidData> {
    key.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| InvalidData::new(path, key, "is not a car number"))
}

/// One car's final TimingData line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimingLine {
    pub number: i32,
    pub line: i32,
    pub gap_to_leader: String,
    pub interval: String,
    pub diff_to_fastest: String,
    pub diff_to_ahead: String,
    pub laps: i32,
    pub retired: bool,
    pub stopped: bool,
    pub knocked_out: bool,
    pub in_pit: bool,
    pub pit_stops: i32,
    pub best_lap: String,
    pub last_lap: String,
    pub sectors: Vec<String>,
    /// `Stats[i].TimeDiffToFastest` per qualifying part.
    pub part_gaps: Vec<String>,
    /// `Stats[i].TimeDifftoPositionAhead` (sic) per qualifying part.
    pub part_intervals: Vec<String>,
    /// The current lap's mini-sectors (`Sectors[i].Segments`, every sector's
    /// in order) lit so far, from the first, and how many the lap has: the
    /// feed lights each as the car passes it and clears them all a few
    /// seconds after the line. Both 0 where the feed has none (2018-2019).
    pub mini_sectors_lit: i32,
    pub mini_sectors: i32,
}

/// The cars of the final TimingData state, in classification order. Two cars
/// on one line, or a car without a line, is an error.
pub fn timing_lines(state: &Value, path: &str) -> Result<Vec<TimingLine>, InvalidData> {
    let lines =
        state.get("Lines").and_then(Value::as_object).ok_or_else(|| InvalidData::new(path, "Lines", "missing"))?;
    let mut out: Vec<TimingLine> = Vec::with_capacity(lines.len());
    for (key, l) in lines {
        let number = car_number(key, path)?;
        let bad = |m: String| InvalidData::new(path, format!("Lines.{key}"), m);
        let line = int(l, "Line").map_err(bad)?.ok_or_else(|| bad("Line: missing".into()))?;
        let whole = |k: &str| int(l, k).map(|n| n.unwrap_or(0) as i32).map_err(bad);
        let interval = l.get("IntervalToPositionAhead").map(|i| text(i, "Value")).unwrap_or_default();
        out.push(TimingLine {
            number,
            line: line as i32,
            gap_to_leader: text(l, "GapToLeader"),
            interval,
            diff_to_fastest: text(l, "TimeDiffToFastest"),
            diff_to_ahead: text(l, "TimeDiffToPositionAhead"),
            laps: whole("NumberOfLaps")?,
            retired: flag(l, "Retired"),
            stopped: flag(l, "Stopped"),
            knocked_out: flag(l, "KnockedOut"),
            in_pit: flag(l, "InPit"),
            pit_stops: whole("NumberOfPitStops")?,
            best_lap: value_of(l, "BestLapTime"),
            last_lap: value_of(l, "LastLapTime"),
            sectors: items(l.get("Sectors")).into_iter().map(|s| text(s, "Value")).collect(),
            mini_sectors_lit: lit_prefix(l),
            mini_sectors: items(l.get("Sectors")).into_iter().map(|s| items(s.get("Segments")).len() as i32).sum(),
            part_gaps: items(l.get("Stats")).into_iter().map(|s| text(s, "TimeDiffToFastest")).collect(),
            part_intervals: items(l.get("Stats"))
                .into_iter()
                .map(|s| [text(s, "TimeDifftoPositionAhead"), text(s, "TimeDiffToPositionAhead")].concat())
                .collect(),
        });
    }
    out.sort_by_key(|l| l.line);
    if let Some(pair) = out.windows(2).find(|w| w[0].line == w[1].line) {
        return Err(InvalidData::new(
            path,
            "Lines",
            format!("cars {} and {} are both on line {}", pair[0].number, pair[1].number, pair[0].line),
        ));
    }
    if out.is_empty() {
        return Err(InvalidData::new(path, "Lines", "no cars"));
    }
    Ok(out)
}

/// The cars the feed showed moving since the start (SessionStatus
/// `Started`, the lights going out): a sector or speed-trap value, a lit
/// mini-sector segment, or a lap. Before it every car drives to the grid
/// (the reconnaissance laps light every segment, half an hour before a
/// race) and round the formation lap, so that counts for nothing. A car
/// that never moved after the start did not start (DNS), unlike a car that
/// retired on the first lap. Only feeds with mini-sector segments (2022 on
/// in the archive) can tell: older ones show nothing before the end of a
/// sector, so a car out at the first corner looks the same as one that
/// never left; nor can a feed whose start was not seen.
#[derive(Debug, Clone, Default)]
pub struct Moved {
    cars: std::collections::HashSet<i32>,
    segments: bool,
    started: bool,
}

impl Moved {
    /// The session started: movement counts from the next patch on.
    pub fn start(&mut self) {
        self.started = true;
    }

    pub fn started(&self) -> bool {
        self.started
    }

    pub fn observe(&mut self, patch: &Value) {
        let Some(lines) = patch.get("Lines").and_then(Value::as_object) else { return };
        for (key, line) in lines {
            let Ok(number) = key.parse::<i32>() else { continue };
            self.segments |= items(line.get("Sectors")).iter().any(|s| s.get("Segments").is_some());
            if self.started && !self.cars.contains(&number) && shows_movement(line) {
                self.cars.insert(number);
            }
        }
    }

    /// Whether car `number` moved after the start; None when the feed
    /// cannot tell.
    pub fn moved(&self, number: i32) -> Option<bool> {
        (self.segments && self.started).then(|| self.cars.contains(&number))
    }
}

/// Whether a SessionStatus state (or patch) says the session is under way or
/// over: `Started` (and, for a feed joined later, `Aborted` or the flag).
pub fn has_started(status: &Value) -> bool {
    matches!(text(status, "Status").as_str(), "Started" | "Aborted" | "Finished" | "Finalised" | "Ends")
}

/// How many of a line's mini-sectors are lit, counted from the lap's first
/// up to the first one not lit yet.
fn lit_prefix(line: &Value) -> i32 {
    let sectors = items(line.get("Sectors"));
    let segments = sectors.iter().flat_map(|s| items(s.get("Segments")));
    segments.take_while(|seg| int(seg, "Status").ok().flatten().is_some_and(|st| st != 0)).count() as i32
}

fn shows_movement(line: &Value) -> bool {
    let lapped = int(line, "NumberOfLaps").ok().flatten().is_some_and(|n| n > 0);
    let sectors = items(line.get("Sectors"));
    let timed = sectors.iter().any(|s| !text(s, "Value").is_empty());
    let segment_lit = sectors
        .iter()
        .flat_map(|s| items(s.get("Segments")))
        .any(|seg| int(seg, "Status").ok().flatten().is_some_and(|st| st != 0));
    let speed =
        line.get("Speeds").and_then(Value::as_object).is_some_and(|o| o.values().any(|v| !text(v, "Value").is_empty()));
    lapped || timed || segment_lit || speed
}

/// Keeps, per car and qualifying part, the last non-empty best lap the feed
/// published. The feed clears the previous part's times of the cars that go
/// through just before the next part starts (seen in 2019 and 2021), so the
/// final state alone loses Q1/Q2 times.
#[derive(Debug, Clone, Default)]
pub struct PartBests(HashMap<i32, [String; 3]>);

impl PartBests {
    pub fn observe(&mut self, patch: &Value) {
        let Some(lines) = patch.get("Lines").and_then(Value::as_object) else { return };
        for (key, line) in lines {
            let Ok(number) = key.parse::<i32>() else { continue };
            for (part, best) in indexed(line.get("BestLapTimes")).into_iter().filter(|(part, _)| *part < 3) {
                let value = text(best, "Value");
                if !value.is_empty() {
                    self.0.entry(number).or_default()[part] = value;
                }
            }
        }
    }

    /// Q1, Q2, Q3 of `number` (empty where none was set).
    pub fn of(&self, number: i32) -> [String; 3] {
        self.0.get(&number).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_current_laps_mini_sectors_are_counted_from_the_first_unlit() {
        // Sector 1 done (3 lit), sector 2 under way (first lit), the rest cleared or from the last lap.
        let seg = |s: &[i64]| s.iter().map(|st| json!({ "Status": st })).collect::<Vec<_>>();
        let state = json!({ "Lines": { "44": {
            "RacingNumber": "44", "Line": 1,
            "Sectors": [
                { "Value": "28.1", "Segments": seg(&[2048, 2049, 2051]) },
                { "Value": "", "Segments": { "0": { "Status": 2048 }, "1": { "Status": 0 }, "2": { "Status": 0 } } },
                { "Value": "", "Segments": seg(&[0, 2048, 0, 0]) },
            ],
        } } });
        let lines = timing_lines(&state, "test").expect("a line");
        assert_eq!((lines[0].mini_sectors_lit, lines[0].mini_sectors), (4, 10));
        // 2018-2019: sectors without segments.
        let state = json!({ "Lines": { "44": { "RacingNumber": "44", "Line": 1, "Sectors": [{ "Value": "28.1" }] } } });
        let lines = timing_lines(&state, "test").expect("a line");
        assert_eq!((lines[0].mini_sectors_lit, lines[0].mini_sectors), (0, 0));
    }
}
