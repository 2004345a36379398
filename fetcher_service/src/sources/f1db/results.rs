//! One session's classification: f1db result rows to `SessionResult`s.
use std::collections::HashMap;

use protobuf::v1::{SessionResult, SessionType};

use super::files::err;
use super::model::{FastestLap, Position, ResultRow};
use super::reference::Reference;
use crate::upstream::UpstreamError;

/// The published position text of an f1db position code: f1db writes
/// `DNF` and `DSQ` where the classification shows `R` and `DQ`.
pub fn position_text(p: &Position) -> String {
    match p {
        Position::Number(n) => n.to_string(),
        Position::Code(c) if c == "DNF" => "R".into(),
        Position::Code(c) if c == "DSQ" => "DQ".into(),
        Position::Code(c) => c.clone(),
    }
}

fn status_of_code(code: &str) -> &'static str {
    match code {
        "DNF" => "Retired",
        "DSQ" => "Disqualified",
        "DNS" => "Did not start",
        "DNQ" => "Did not qualify",
        "DNPQ" => "Did not pre-qualify",
        "NC" => "Not classified",
        "EX" => "Excluded",
        "DNP" => "Did not practice",
        _ => "",
    }
}

/// `+1 lap` -> `+1 Lap`, `+2 laps` -> `+2 Laps` (the usual spelling).
fn laps_down(gap: &str) -> Option<String> {
    let n = gap.strip_prefix('+')?.split_whitespace().next()?.parse::<u32>().ok()?;
    gap.contains("lap").then(|| if n == 1 { "+1 Lap".to_string() } else { format!("+{n} Laps") })
}

/// Every driver's own fastest lap of a race (f1db's `fastest-laps.yml`):
/// driver id → (rank, lap, time).
#[derive(Debug, Default)]
pub struct BestLaps<'a>(HashMap<&'a str, (i32, i32, &'a str)>);

impl<'a> BestLaps<'a> {
    pub fn of(rows: &'a [FastestLap]) -> Self {
        let mut by_driver = HashMap::new();
        for (i, f) in rows.iter().enumerate() {
            let rank = f.position.number().unwrap_or(i as i32 + 1);
            let lap = f.lap.map_or(0, |l| l as i32);
            by_driver.entry(f.driver_id.as_str()).or_insert((rank, lap, f.time.as_deref().unwrap_or_default()));
        }
        Self(by_driver)
    }
}

/// Maps the rows of `path` (a session of type `kind`). `fastest` is the
/// race's fastest lap (driver id, lap time) for races, `best` every
/// driver's own.
pub fn map(
    path: &str,
    kind: SessionType,
    rows: &[ResultRow],
    reference: &Reference,
    fastest: Option<(&str, &str)>,
    best: &BestLaps<'_>,
) -> Result<Vec<SessionResult>, UpstreamError> {
    let racing = kind.scores_points();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let driver = reference
            .drivers
            .get(&row.driver_id)
            .ok_or_else(|| err(path, format!("[{i}].driverId: unknown driver `{}`", row.driver_id)))?;
        let team = reference
            .constructor_name(&row.constructor_id)
            .ok_or_else(|| err(path, format!("[{i}].constructorId: unknown constructor `{}`", row.constructor_id)))?;
        // The row's place in the published order, 1..N for every row (f1db
        // lists retirements, disqualifications and non-starters after the
        // classified cars; shared cars of the 1950s keep their text).
        let position = i as i32 + 1;
        let best_lap =
            row.time.clone().or_else(|| row.q3.clone()).or_else(|| row.q2.clone()).or_else(|| row.q1.clone());
        let time = if racing {
            match (&row.position, &row.gap) {
                (Position::Number(1), _) => row.time.clone(),
                (_, Some(gap)) => Some(gap.clone()),
                _ => row.time.clone(),
            }
        } else {
            best_lap
        };
        let status = match (&row.reason_retired, &row.position) {
            _ if !racing => String::new(),
            (Some(reason), _) => reason.clone(),
            (None, Position::Code(code)) => status_of_code(code).to_string(),
            (None, Position::Number(_)) => row.gap.as_deref().and_then(laps_down).unwrap_or_else(|| "Finished".into()),
        };
        let fastest_lap = kind == SessionType::Race && fastest.is_some_and(|(id, _)| id == row.driver_id);
        let (best_lap_rank, best_lap_number, best_lap_time) = match best.0.get(row.driver_id.as_str()) {
            Some((rank, lap, time)) if kind == SessionType::Race => (*rank, *lap, time.to_string()),
            _ => (0, 0, String::new()),
        };
        out.push(SessionResult {
            position,
            position_text: position_text(&row.position),
            driver_number: row.driver_number.map_or(0, |n| n as i32),
            driver_id: row.driver_id.clone(),
            driver_code: driver.abbreviation.clone().unwrap_or_default(),
            driver_name: driver.name.clone(),
            constructor_id: row.constructor_id.clone(),
            team: team.to_string(),
            time: time.unwrap_or_default(),
            gap: row.gap.clone().unwrap_or_default(),
            laps: row.laps.map_or(0, |l| l as i32),
            status,
            points: if racing { row.points.unwrap_or_default() } else { 0.0 },
            grid: if racing { row.grid_position.map_or(0, |g| g as i32) } else { 0 },
            q1: row.q1.clone().unwrap_or_default(),
            q2: row.q2.clone().unwrap_or_default(),
            q3: row.q3.clone().unwrap_or_default(),
            fastest_lap,
            fastest_lap_time: if fastest_lap {
                fastest.map(|(_, t)| t.to_string()).unwrap_or_default()
            } else {
                String::new()
            },
            interval: row.interval.clone().unwrap_or_default(),
            classified: matches!(row.position, Position::Number(_)),
            best_lap_rank,
            best_lap_number,
            best_lap_time,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_published_text() {
        assert_eq!(position_text(&Position::Code("DNF".into())), "R");
        assert_eq!(position_text(&Position::Code("DSQ".into())), "DQ");
        assert_eq!(position_text(&Position::Code("DNS".into())), "DNS");
        assert_eq!(position_text(&Position::Number(7)), "7");
    }

    #[test]
    fn lapped_gaps_read_as_status() {
        assert_eq!(laps_down("+1 lap").as_deref(), Some("+1 Lap"));
        assert_eq!(laps_down("+3 laps").as_deref(), Some("+3 Laps"));
        assert_eq!(laps_down("+13.773"), None);
    }
}
