//! The final classification of a session from its merged TimingData.
//!
//! Practice ranks by best lap; qualifying (and sprint qualifying) by the
//! part each car reached, with Q1/Q2/Q3 times; races and sprints by the
//! order at the flag with gap, interval, laps and status. The feed carries no
//! race time for the winner and no points, so those stay empty (Jolpica and
//! f1db provide them).
use protobuf::v1::{SessionResult, SessionType};
use serde_json::Value;

use super::LiveTimingError;
use super::stints::AppData;
use super::topics::{Moved, PartBests, TimingLine, driver};

/// How a session type is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Practice,
    Qualifying,
    Race,
}

impl Kind {
    pub fn of(session: SessionType) -> Self {
        match session {
            SessionType::Qualifying | SessionType::SprintQualifying => Self::Qualifying,
            SessionType::Sprint | SessionType::Race => Self::Race,
            _ => Self::Practice,
        }
    }
}

pub(crate) struct Inputs<'a> {
    pub kind: Kind,
    pub lines: &'a [TimingLine],
    pub drivers: &'a Value,
    pub drivers_path: &'a str,
    pub app: &'a AppData,
    pub parts: &'a PartBests,
    pub moved: &'a Moved,
    pub timing_path: &'a str,
}

pub(crate) fn results(input: &Inputs<'_>) -> Result<Vec<SessionResult>, LiveTimingError> {
    let winner_laps = input.lines.first().map_or(0, |l| l.laps);
    let fastest = if input.kind == Kind::Race { fastest_lap(input)? } else { None };
    let mut out = Vec::with_capacity(input.lines.len());
    for line in input.lines {
        let d = driver(input.drivers, line.number, input.drivers_path)?;
        let mut r = SessionResult {
            position: line.line,
            position_text: line.line.to_string(),
            driver_number: line.number,
            driver_code: d.code,
            driver_name: d.name,
            team: d.team,
            laps: line.laps,
            grid: input.app.grid.get(&line.number).copied().unwrap_or(0),
            ..SessionResult::default()
        };
        match input.kind {
            Kind::Practice => {
                r.time = line.best_lap.clone();
                r.gap = line.diff_to_fastest.clone();
                r.interval = line.diff_to_ahead.clone();
            }
            Kind::Qualifying => {
                let [q1, q2, q3] = input.parts.of(line.number);
                let deciding = [&q3, &q2, &q1].into_iter().position(|q| !q.is_empty()).map(|i| 2 - i);
                if let Some(part) = deciding {
                    r.time = [&q1, &q2, &q3][part].clone();
                    r.gap = line.part_gaps.get(part).cloned().unwrap_or_default();
                    r.interval = line.part_intervals.get(part).cloned().unwrap_or_default();
                }
                (r.q1, r.q2, r.q3) = (q1, q2, q3);
            }
            Kind::Race => {
                let leader_label = |s: &str| s.is_empty() || s.starts_with("LAP ");
                r.gap = if leader_label(&line.gap_to_leader) { String::new() } else { line.gap_to_leader.clone() };
                r.interval = if leader_label(&line.interval) { String::new() } else { line.interval.clone() };
                r.time = r.gap.clone();
                r.fastest_lap_time = line.best_lap.clone();
                r.fastest_lap = fastest == Some(line.number);
                race_status(&mut r, line, winner_laps, input.moved.moved(line.number));
            }
        }
        r.classified = protobuf::provenance::is_classified(&r.position_text);
        out.push(r);
    }
    Ok(out)
}

/// FIA rule: a car is classified when it covered 90% of the winner's laps
/// (rounded down); otherwise it is `R` (retired), `NC` (still running) or
/// `DNS` (it never left the grid: no lap, and a feed that shows mini-sectors
/// never showed it moving; `moved` is None when the feed cannot tell). Every
/// car keeps its place in the order at the flag.
fn race_status(r: &mut SessionResult, line: &TimingLine, winner_laps: i32, moved: Option<bool>) {
    let out_of_race = line.retired || line.stopped;
    let classified = line.laps * 10 >= winner_laps * 9 && line.laps > 0;
    if line.laps == 0 && moved == Some(false) {
        r.status = "Did not start".into();
        r.position_text = "DNS".into();
        return;
    }
    r.status = if line.laps >= winner_laps {
        "Finished".into()
    } else if out_of_race {
        "Retired".into()
    } else {
        let down = winner_laps - line.laps;
        format!("+{down} Lap{}", if down == 1 { "" } else { "s" })
    };
    if !classified {
        r.position_text = if out_of_race { "R" } else { "NC" }.into();
    }
}

/// The car that set the session's fastest lap.
fn fastest_lap(input: &Inputs<'_>) -> Result<Option<i32>, LiveTimingError> {
    let mut best: Option<(u64, i32)> = None;
    for line in input.lines.iter().filter(|l| !l.best_lap.is_empty()) {
        let ms = lap_millis(&line.best_lap).ok_or_else(|| {
            LiveTimingError::invalid(
                input.timing_path,
                format!("Lines.{}.BestLapTime", line.number),
                format!("`{}` is not a lap time", line.best_lap),
            )
        })?;
        if best.is_none_or(|(b, _)| ms < b) {
            best = Some((ms, line.number));
        }
    }
    Ok(best.map(|(_, n)| n))
}

/// `1:45.149`, `45.149` or `1:02:03.456` in milliseconds.
pub(crate) fn lap_millis(s: &str) -> Option<u64> {
    let (whole, frac) = s.split_once('.')?;
    if frac.len() != 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut seconds: u64 = 0;
    for part in whole.split(':') {
        if part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        seconds = seconds * 60 + part.parse::<u64>().ok()?;
    }
    Some(seconds * 1000 + frac.parse::<u64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lap_times_parse() {
        assert_eq!(lap_millis("1:45.149"), Some(105_149));
        assert_eq!(lap_millis("59.001"), Some(59_001));
        assert_eq!(lap_millis("1:02:03.456"), Some(3_723_456));
        assert_eq!(lap_millis(""), None);
        assert_eq!(lap_millis("1:45"), None);
        assert_eq!(lap_millis("+0.532"), None);
    }

    #[test]
    fn ninety_percent_rule() {
        let mut r = SessionResult::default();
        let line = |laps, stopped| TimingLine { laps, stopped, ..TimingLine::default() };
        race_status(&mut r, &line(51, false), 51, Some(true));
        assert_eq!(r.status, "Finished");
        let mut r = SessionResult { position: 14, position_text: "14".into(), ..Default::default() };
        race_status(&mut r, &line(48, true), 51, Some(true));
        assert_eq!((r.position, r.position_text.as_str(), r.status.as_str()), (14, "14", "Retired"));
        let mut r = SessionResult { position: 15, position_text: "15".into(), ..Default::default() };
        race_status(&mut r, &line(42, true), 51, Some(true));
        assert_eq!((r.position, r.position_text.as_str()), (15, "R"));
        let mut r = SessionResult { position: 12, position_text: "12".into(), ..Default::default() };
        race_status(&mut r, &line(49, false), 51, Some(true));
        assert_eq!((r.position, r.status.as_str()), (12, "+2 Laps"));
        // No lap: out on lap 1 is R, never off the grid is DNS, and a feed
        // without mini-sectors cannot tell (R).
        let mut r = SessionResult { position: 19, position_text: "19".into(), ..Default::default() };
        race_status(&mut r, &line(0, true), 51, Some(true));
        assert_eq!((r.position, r.position_text.as_str(), r.status.as_str()), (19, "R", "Retired"));
        let mut r = SessionResult { position: 20, position_text: "20".into(), ..Default::default() };
        race_status(&mut r, &line(0, true), 51, Some(false));
        assert_eq!((r.position, r.position_text.as_str(), r.status.as_str()), (20, "DNS", "Did not start"));
        let mut r = SessionResult { position: 20, position_text: "20".into(), ..Default::default() };
        race_status(&mut r, &line(0, true), 51, None);
        assert_eq!((r.position, r.position_text.as_str()), (20, "R"));
    }
}
