//! What the end state tells: the meeting and session (SessionInfo), the
//! drivers (DriverList), stints and grid (TimingAppData), the result
//! (TimingData), and the keys every record carries.
use std::collections::HashMap;

use serde_json::Value;

use super::input::{local_to_utc, session_start};
use super::records::SessionRecords;
use super::records::*;
use super::timing::{lap_seconds, parse_gap};
use crate::topics::{Moved, PartBests, flag, int, items, text};

fn some(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

/// SessionInfo's `Meeting.Key` and `Key`.
pub(crate) fn keys(info: &Value) -> (i64, i64) {
    let meeting = info.get("Meeting").and_then(|m| int(m, "Key").ok().flatten()).unwrap_or_default();
    (meeting, int(info, "Key").ok().flatten().unwrap_or_default())
}

/// `04:00:00` as OpenF1 writes it (`+04:00:00`).
fn gmt_offset(info: &Value) -> String {
    let offset = text(info, "GmtOffset");
    if offset.is_empty() || offset.starts_with('-') || offset.starts_with('+') { offset } else { format!("+{offset}") }
}

pub(crate) fn meeting_and_session(info: &Value) -> (Option<Meeting>, Option<Session>) {
    if !info.is_object() {
        return (None, None);
    }
    let (meeting_key, session_key) = keys(info);
    let m = info.get("Meeting").cloned().unwrap_or(Value::Null);
    let country = m.get("Country").cloned().unwrap_or(Value::Null);
    let circuit = m.get("Circuit").cloned().unwrap_or(Value::Null);
    let date_start = session_start(info);
    let date_end = local_to_utc(&text(info, "EndDate"), &text(info, "GmtOffset"));
    let year = text(info, "StartDate").get(..4).and_then(|y| y.parse().ok()).unwrap_or_default();
    let name = text(info, "Name");
    let kind = text(info, "Type");
    // OpenF1 types: Practice, Qualifying (a sprint shootout too), Race (a sprint too).
    let session_type = if kind.eq_ignore_ascii_case("race") { "Race".to_string() } else { kind };
    let meeting = Meeting {
        meeting_key,
        meeting_name: text(&m, "Name"),
        meeting_official_name: some(text(&m, "OfficialName")),
        location: text(&m, "Location"),
        country_key: int(&country, "Key").ok().flatten(),
        country_code: some(text(&country, "Code")),
        country_name: some(text(&country, "Name")),
        circuit_key: int(&circuit, "Key").ok().flatten(),
        circuit_short_name: some(text(&circuit, "ShortName")),
        date_start,
        gmt_offset: gmt_offset(info),
        year,
    };
    let session = Session {
        meeting_key,
        session_key,
        session_name: name,
        session_type,
        date_start,
        date_end,
        gmt_offset: gmt_offset(info),
        location: meeting.location.clone(),
        country_key: meeting.country_key,
        country_code: meeting.country_code.clone(),
        country_name: meeting.country_name.clone(),
        circuit_key: meeting.circuit_key,
        circuit_short_name: meeting.circuit_short_name.clone(),
        year,
    };
    (Some(meeting), Some(session))
}

pub(crate) fn drivers(list: &Value) -> Vec<Driver> {
    let Some(list) = list.as_object() else { return Vec::new() };
    let mut out: Vec<Driver> = list
        .iter()
        .filter_map(|(key, d)| {
            let driver_number = key.parse::<i32>().ok().filter(|n| *n > 0)?;
            let acronym = text(d, "Tla");
            if !d.is_object() || acronym.is_empty() {
                return None;
            }
            Some(Driver {
                meeting_key: 0,
                session_key: 0,
                driver_number,
                broadcast_name: text(d, "BroadcastName"),
                full_name: text(d, "FullName"),
                first_name: some(text(d, "FirstName")),
                last_name: some(text(d, "LastName")),
                name_acronym: acronym,
                team_name: some(text(d, "TeamName")),
                team_colour: some(text(d, "TeamColour").to_ascii_uppercase()),
                headshot_url: some(text(d, "HeadshotUrl")),
                country_code: some(text(d, "CountryCode")),
            })
        })
        .collect();
    out.sort_by_key(|d| d.driver_number);
    out
}

/// One record per entry of a car's TimingAppData `Stints` list. A stint
/// covers `TotalLaps - StartLaps` laps (the laps run on the set in this
/// session), counted on from the previous stint; the last one ends at the
/// car's last completed lap.
pub(crate) fn stints(
    app: &Value,
    completed: &HashMap<i32, i32>,
    first_total: &HashMap<(i32, usize), i64>,
) -> Vec<Stint> {
    let Some(lines) = app.get("Lines").and_then(Value::as_object) else { return Vec::new() };
    let mut out = Vec::new();
    for (key, line) in lines {
        let Ok(driver_number) = key.parse::<i32>() else { continue };
        let list = items(line.get("Stints"));
        let mut lap_start = 1;
        for (index, stint) in list.iter().enumerate() {
            let start_laps = int(stint, "StartLaps").ok().flatten();
            let total = int(stint, "TotalLaps").ok().flatten().unwrap_or(0);
            let age = start_laps.or_else(|| first_total.get(&(driver_number, index)).copied());
            let run = (total - age.unwrap_or(0)).max(0) as i32;
            let last = index + 1 == list.len();
            let lap_end = match completed.get(&driver_number) {
                Some(done) if last => (*done).max(lap_start),
                _ => (lap_start + run - 1).max(lap_start),
            };
            out.push(Stint {
                meeting_key: 0,
                session_key: 0,
                driver_number,
                stint_number: index as i32 + 1,
                compound: some(text(stint, "Compound")),
                tyre_age_at_start: age,
                lap_start,
                lap_end,
            });
            lap_start = lap_end + 1;
        }
    }
    out.sort_by_key(|s| (s.driver_number, s.stint_number));
    out
}

/// TimingAppData's `GridPos` (a race's grid; 0 or empty: pit-lane start,
/// left out).
pub(crate) fn starting_grid(app: &Value) -> Vec<StartingGrid> {
    let Some(lines) = app.get("Lines").and_then(Value::as_object) else { return Vec::new() };
    let mut out: Vec<StartingGrid> = lines
        .iter()
        .filter_map(|(key, line)| {
            let position = int(line, "GridPos").ok().flatten().filter(|p| *p > 0)? as i32;
            Some(StartingGrid {
                meeting_key: 0,
                session_key: 0,
                driver_number: key.parse().ok()?,
                position,
                lap_duration: None,
            })
        })
        .collect();
    out.sort_by_key(|g| g.position);
    out
}

/// The classification at the end of the feed (timing, before the stewards:
/// `dsq` is never set).
pub(crate) fn results(
    timing: &Value,
    info: &Value,
    laps: &[Lap],
    parts: &PartBests,
    moved: &Moved,
) -> Vec<SessionResult> {
    let Some(lines) = timing.get("Lines").and_then(Value::as_object) else { return Vec::new() };
    let kind = text(info, "Type").to_ascii_lowercase();
    let (race, qualifying) = (kind == "race", kind.contains("qualifying") || kind.contains("shootout"));
    let mut out = Vec::new();
    for (key, line) in lines {
        let (Ok(driver_number), Ok(Some(position))) = (key.parse::<i32>(), int(line, "Line")) else { continue };
        let number_of_laps = int(line, "NumberOfLaps").ok().flatten().unwrap_or(0) as i32;
        let leader = position == 1;
        let gap_or_zero = |value: String, has_time: bool| match parse_gap(&value) {
            None if leader && has_time => Some(Gap::Seconds(0.0)),
            gap => gap,
        };
        let (duration, gap_to_leader) = if qualifying {
            let bests = parts.of(driver_number);
            let stats = items(line.get("Stats"));
            let gaps = (0..3)
                .map(|i| {
                    let value = stats.get(i).map(|s| text(s, "TimeDiffToFastest")).unwrap_or_default();
                    gap_or_zero(value, !bests[i].is_empty())
                })
                .collect();
            (
                ResultTime::Parts(bests.iter().map(|b| lap_seconds(b).map(Gap::Seconds)).collect()),
                ResultTime::Parts(gaps),
            )
        } else if race {
            let mine: Vec<Option<f64>> =
                laps.iter().filter(|l| l.driver_number == driver_number).map(|l| l.lap_duration).collect();
            let total = (!mine.is_empty() && mine.iter().all(Option::is_some))
                .then(|| (mine.iter().flatten().sum::<f64>() * 1000.0).round() / 1000.0);
            (ResultTime::One(total.map(Gap::Seconds)), ResultTime::One(gap_or_zero(text(line, "GapToLeader"), true)))
        } else {
            let best = line.get("BestLapTime").map(|b| text(b, "Value")).unwrap_or_default();
            let has_time = !best.is_empty();
            (
                ResultTime::One(lap_seconds(&best).map(Gap::Seconds)),
                ResultTime::One(gap_or_zero(text(line, "TimeDiffToFastest"), has_time)),
            )
        };
        out.push(SessionResult {
            meeting_key: 0,
            session_key: 0,
            driver_number,
            position: position as i32,
            number_of_laps,
            dnf: race && (flag(line, "Retired") || flag(line, "Stopped")),
            dns: race && moved.moved(driver_number) == Some(false),
            dsq: false,
            duration,
            gap_to_leader,
        });
    }
    out.sort_by_key(|r| r.position);
    out
}

/// Sets the keys on every record.
pub(crate) fn stamp(out: &mut SessionRecords, meeting_key: i64, session_key: i64) {
    macro_rules! keys {
        ($($list:ident),*) => {$(
            for r in &mut out.$list {
                r.meeting_key = meeting_key;
                r.session_key = session_key;
            }
        )*};
    }
    keys!(
        drivers,
        laps,
        stints,
        pit,
        race_control,
        weather,
        intervals,
        position,
        session_result,
        starting_grid,
        overtakes,
        team_radio,
        track_status,
        session_status
    );
}
