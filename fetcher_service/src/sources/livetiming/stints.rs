//! Tyre stints and grid positions from the TimingAppData topic.
use serde::Serialize;
use serde_json::Value;

use super::LiveTimingError;
use super::topics::{car_number, flag, int, items, text};

/// One set of tyres one car ran. The proto model has no stint message; the
/// archive answer carries these beside the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TyreStint {
    pub driver_number: i32,
    /// 1-based, in the order the car ran them.
    pub stint: i32,
    /// `SOFT`, `MEDIUM`, `HARD`, `INTERMEDIATE`, `WET`, the 2018 names
    /// (`SUPERSOFT`, ...), or `UNKNOWN` as published.
    pub compound: String,
    /// Fitted new (not run in an earlier session).
    pub new: bool,
    /// Laps on the tyres when fitted.
    pub start_age: i32,
    /// Laps run in this stint.
    pub laps: i32,
}

/// Per car: its stints and its grid slot (0 when not published).
#[derive(Debug, Default)]
pub(crate) struct AppData {
    pub stints: Vec<TyreStint>,
    pub grid: std::collections::HashMap<i32, i32>,
}

impl AppData {
    /// The tyre a car finished on and its age then.
    pub fn last_tyre(&self, number: i32) -> Option<(&str, i32)> {
        self.stints.iter().rfind(|s| s.driver_number == number).map(|s| (s.compound.as_str(), s.start_age + s.laps))
    }
}

pub(crate) fn app_data(state: &Value, path: &str) -> Result<AppData, LiveTimingError> {
    let lines = state
        .get("Lines")
        .and_then(Value::as_object)
        .ok_or_else(|| LiveTimingError::invalid(path, "Lines", "missing"))?;
    let mut out = AppData::default();
    for (key, line) in lines {
        let number = car_number(key, path)?;
        let bad = |m: String| LiveTimingError::invalid(path, format!("Lines.{key}"), m);
        if let Some(grid) = int(line, "GridPos").map_err(bad)? {
            out.grid.insert(number, grid as i32);
        }
        for (i, stint) in items(line.get("Stints")).into_iter().enumerate() {
            let bad = |m: String| LiveTimingError::invalid(path, format!("Lines.{key}.Stints.{i}"), m);
            let compound = text(stint, "Compound");
            let total = int(stint, "TotalLaps").map_err(bad)?.unwrap_or(0) as i32;
            let start_age = int(stint, "StartLaps").map_err(bad)?.unwrap_or(0) as i32;
            if compound.is_empty() && total == 0 {
                // An announced stint the car never ran.
                continue;
            }
            if total < start_age {
                return Err(bad(format!("TotalLaps {total} is below StartLaps {start_age}")));
            }
            out.stints.push(TyreStint {
                driver_number: number,
                stint: i as i32 + 1,
                compound: if compound.is_empty() { "UNKNOWN".into() } else { compound },
                new: flag(stint, "New"),
                start_age,
                laps: total - start_age,
            });
        }
    }
    out.stints.sort_by_key(|s| (s.driver_number, s.stint));
    Ok(out)
}
