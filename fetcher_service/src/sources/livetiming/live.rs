//! The session's last live state: leaderboard, track status, weather and
//! race control messages, as a [`LiveSessionState`].
use chrono::NaiveDateTime;
use protobuf::v1::{LiveDriver, RaceControlMessage, Weather};
use serde_json::Value;

use super::LiveTimingError;
use super::classify::Kind;
use super::stints::AppData;
use super::topics::{TimingLine, driver, int, items, text};

/// The readable name of a TrackStatus code (`1` all clear ... `7` VSC
/// ending); unknown codes keep their number.
pub(crate) fn track_status_slug(code: &str) -> String {
    match code {
        "1" => "all_clear",
        "2" => "yellow",
        "3" => "green",
        "4" => "safety_car",
        "5" => "red",
        "6" => "vsc_deployed",
        "7" => "vsc_ending",
        other => return format!("code_{other}"),
    }
    .to_string()
}

pub(crate) fn leaderboard(
    kind: Kind,
    lines: &[TimingLine],
    drivers: &Value,
    drivers_path: &str,
    app: &AppData,
) -> Result<Vec<LiveDriver>, LiveTimingError> {
    lines
        .iter()
        .map(|l| {
            let d = driver(drivers, l.number, drivers_path)?;
            let (tyre, tyre_age) = app.last_tyre(l.number).map_or((String::new(), 0), |(c, a)| (c.to_string(), a));
            let (gap, interval) = match kind {
                Kind::Race => (l.gap_to_leader.clone(), l.interval.clone()),
                _ => (l.diff_to_fastest.clone(), l.diff_to_ahead.clone()),
            };
            Ok(LiveDriver {
                position: l.line,
                driver_number: l.number,
                driver_code: d.code,
                driver_name: d.name,
                team: d.team,
                team_color: d.colour,
                gap_to_leader: gap,
                interval,
                last_lap: l.last_lap.clone(),
                best_lap: l.best_lap.clone(),
                sectors: l.sectors.clone(),
                tyre,
                tyre_age,
                pit_count: l.pit_stops,
                in_pit: l.in_pit,
                retired: l.retired || (kind == Kind::Race && l.stopped),
                laps: l.laps,
                knocked_out: l.knocked_out,
                stopped: l.stopped,
                mini_sectors_lit: l.mini_sectors_lit,
                mini_sectors: l.mini_sectors,
            })
        })
        .collect()
}

/// Every message of the RaceControlMessages topic, in published order.
pub(crate) fn race_control(state: &Value, path: &str) -> Result<Vec<RaceControlMessage>, LiveTimingError> {
    items(state.get("Messages"))
        .into_iter()
        .enumerate()
        .filter(|(_, m)| m.is_object())
        .map(|(i, m)| {
            let field = |f: &str| format!("Messages.{i}.{f}");
            let utc = text(m, "Utc");
            let time = NaiveDateTime::parse_from_str(utc.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
                .map_err(|_| LiveTimingError::invalid(path, field("Utc"), format!("`{utc}` is not a date-time")))?
                .and_utc()
                .timestamp();
            let message = text(m, "Message");
            if message.is_empty() {
                return Err(LiveTimingError::invalid(path, field("Message"), "missing"));
            }
            let lap = int(m, "Lap").map_err(|e| LiveTimingError::invalid(path, field("Lap"), e))?.unwrap_or(0);
            Ok(RaceControlMessage {
                time,
                category: text(m, "Category"),
                flag: text(m, "Flag"),
                message,
                lap: lap as i32,
            })
        })
        .collect()
}

/// The last WeatherData reading; numbers arrive as strings.
pub(crate) fn weather(state: &Value, path: &str) -> Result<Weather, LiveTimingError> {
    let number = |key: &str| -> Result<f64, LiveTimingError> {
        let raw = text(state, key);
        raw.parse::<f64>().map_err(|_| LiveTimingError::invalid(path, key, format!("`{raw}` is not a number")))
    };
    Ok(Weather {
        air_temp: number("AirTemp")?,
        track_temp: number("TrackTemp")?,
        humidity: number("Humidity")?,
        pressure: number("Pressure")?,
        rainfall: number("Rainfall")? > 0.0,
        wind_speed: number("WindSpeed")?,
        wind_direction: number("WindDirection")?.round() as i32,
    })
}
