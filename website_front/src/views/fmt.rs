//! Formatting for people: points, dates, ordinals, session names.
use chrono::{DateTime, NaiveDate, Utc};
use content_types::SessionType;

/// `437`, `12.5`.
pub fn points(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") }
}

/// `1st`, `22nd` (the championship crate's wording, one definition).
pub fn ordinal(n: i64) -> String {
    u32::try_from(n).map_or_else(|_| n.to_string(), championship::ordinal)
}

fn parse_day(day: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(day.get(..10)?, "%Y-%m-%d").ok()
}

/// `8 Dec 2024` from `2024-12-08`; the input as is when it is not a date.
pub fn day(day: &str) -> String {
    parse_day(day).map_or_else(|| day.to_string(), |d| d.format("%-d %b %Y").to_string())
}

/// `8 Dec` from `2024-12-08`.
pub fn day_short(day: &str) -> String {
    parse_day(day).map_or_else(|| day.to_string(), |d| d.format("%-d %b").to_string())
}

/// A weekend's span: `6–8 Dec 2024`, or `29 Nov – 1 Dec 2024`.
pub fn weekend(first: &str, last: &str) -> String {
    match (parse_day(first), parse_day(last)) {
        (Some(a), Some(b)) if a == b => b.format("%-d %b %Y").to_string(),
        (Some(a), Some(b)) if a.format("%m%Y").to_string() == b.format("%m%Y").to_string() => {
            format!("{}–{}", a.format("%-d"), b.format("%-d %b %Y"))
        }
        (Some(a), Some(b)) => format!("{} – {}", a.format("%-d %b"), b.format("%-d %b %Y")),
        (_, Some(b)) => b.format("%-d %b %Y").to_string(),
        _ => last.to_string(),
    }
}

pub fn utc(ts: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(ts, 0)
}

/// `2024-12-08T13:00:00Z`, for `<time datetime>`.
pub fn iso(ts: i64) -> String {
    utc(ts).map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// `Sun 8 Dec, 13:00 UTC`: what shows before the script puts it in local time.
pub fn utc_label(ts: i64) -> String {
    utc(ts).map_or_else(String::new, |t| t.format("%a %-d %b, %H:%M UTC").to_string())
}

/// `Sun 26 Jul 2026`: a day, in UTC.
pub fn date_label(ts: i64) -> String {
    utc(ts).map_or_else(String::new, |t| t.format("%a %-d %b %Y").to_string())
}

/// A session's name as the season called it.
pub fn session_name(kind: SessionType, year: i32) -> &'static str {
    match kind {
        SessionType::Practice1 => "Practice 1",
        SessionType::Practice2 => "Practice 2",
        SessionType::Practice3 => "Practice 3",
        SessionType::Qualifying => "Qualifying",
        SessionType::SprintQualifying if year == 2023 => "Sprint Shootout",
        SessionType::SprintQualifying => "Sprint Qualifying",
        SessionType::Sprint => "Sprint",
        SessionType::Race => "Race",
        SessionType::Unspecified => "Session",
    }
}

/// Short tab label.
pub fn session_short(kind: SessionType) -> &'static str {
    match kind {
        SessionType::Practice1 => "FP1",
        SessionType::Practice2 => "FP2",
        SessionType::Practice3 => "FP3",
        SessionType::Qualifying => "Quali",
        SessionType::SprintQualifying => "Sprint Quali",
        SessionType::Sprint => "Sprint",
        SessionType::Race => "Race",
        SessionType::Unspecified => "Session",
    }
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "finished" => "Finished",
        "live" => "Live",
        "cancelled" => "Cancelled",
        "completed" => "Completed",
        "in_progress" => "In progress",
        "upcoming" => "Upcoming",
        _ => "Scheduled",
    }
}

/// A CSS custom property for a team colour, only for a well-formed `#rrggbb`.
pub fn team_style(color: Option<&str>) -> Option<String> {
    color.filter(|c| valid_color(c)).map(|c| format!("--c:{c}"))
}

pub fn valid_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

/// A readable grey for lines without a team colour.
pub const NO_COLOR: &str = "#8a8a96";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(points(437.0), "437");
        assert_eq!(points(0.5), "0.5");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(13), "13th");
        assert_eq!(day("2024-12-08"), "8 Dec 2024");
        assert_eq!(weekend("2024-12-06", "2024-12-08"), "6–8 Dec 2024");
        assert_eq!(weekend("2024-11-29", "2024-12-01"), "29 Nov – 1 Dec 2024");
        assert_eq!(iso(1_733_662_800), "2024-12-08T13:00:00Z");
        assert_eq!(utc_label(1_733_662_800), "Sun 8 Dec, 13:00 UTC");
        assert_eq!(session_name(SessionType::SprintQualifying, 2023), "Sprint Shootout");
        assert!(team_style(Some("#3671C6")).is_some());
        assert!(team_style(Some("red;background:url(x)")).is_none());
    }
}
