//! What the session pages share: lap-time formatting, dates, compounds,
//! the two sizes of a chart, the numbers behind a `<details>`, the weather.
use content_types::{Lap, WeatherSample};
use maud::{Markup, html};

use crate::chart::rows::{self, RowsChart};
use crate::chart::series::{self, Axis, Series, SeriesChart};
use crate::chart::{self, Size};

/// `1:43.009`, `58.123`; empty without a time.
pub fn lap_time(t: Option<f64>) -> String {
    let Some(t) = t.filter(|t| t.is_finite() && *t > 0.0) else { return String::new() };
    let ms = (t * 1000.0).round() as i64;
    let (m, rest) = (ms / 60_000, ms % 60_000);
    if m > 0 {
        format!("{m}:{:02}.{:03}", rest / 1000, rest % 1000)
    } else {
        format!("{}.{:03}", rest / 1000, rest % 1000)
    }
}

/// `+0.123` (seconds, three decimals).
pub fn gap(d: f64) -> String {
    format!("+{d:.3}")
}

/// Seconds, three decimals (a sector, a stop).
pub fn secs(t: Option<f64>) -> String {
    t.map_or_else(String::new, |t| format!("{t:.3}"))
}

/// Unix seconds (with fractions) of an RFC 3339 date.
pub fn instant(date: &str) -> Option<f64> {
    chrono::DateTime::parse_from_rfc3339(date).ok().map(|d| d.timestamp_millis() as f64 / 1000.0)
}

/// `14:03:25` (UTC) of an RFC 3339 date.
pub fn clock(date: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(date).map_or_else(|_| date.to_string(), |d| d.format("%H:%M:%S").to_string())
}

/// The session's fastest lap.
pub fn fastest(laps: &[Lap]) -> Option<&Lap> {
    laps.iter()
        .filter(|l| l.time.is_some_and(|t| t > 0.0))
        .min_by(|a, b| a.time.unwrap_or(0.0).total_cmp(&b.time.unwrap_or(0.0)))
}

/// A tyre compound's colour: Pirelli's sidewall colours (2019 on: soft
/// red, medium yellow, hard white; before, the soft was yellow, the medium
/// white and the hard ice blue).
pub fn compound_color(compound: Option<&str>, year: i32) -> &'static str {
    match (compound.unwrap_or_default(), year <= 2018) {
        ("HYPERSOFT", _) => "#f4a6c8",
        ("ULTRASOFT", _) => "#8e44c9",
        ("SUPERSOFT", _) => "#d81b1b",
        ("SOFT", true) => "#f0c419",
        ("SOFT", false) => "#e8002d",
        ("MEDIUM", true) => "#f2f2f2",
        ("MEDIUM", false) => "#f0c419",
        ("HARD", true) => "#6cc4f0",
        ("HARD", false) => "#f2f2f2",
        ("SUPERHARD", _) => "#f08a24",
        ("INTERMEDIATE", _) => "#3fae49",
        ("WET", _) => "#2b6fd6",
        _ => "#9a9aa6",
    }
}

/// `Soft`, `Intermediate`, `Unknown`.
pub fn compound_name(compound: Option<&str>) -> String {
    let c = compound.unwrap_or("UNKNOWN").to_lowercase();
    let mut chars = c.chars();
    chars.next().map_or_else(String::new, |f| f.to_uppercase().chain(chars).collect())
}

/// A rows chart at both widths (its height follows its rows).
pub fn both_rows(c: RowsChart) -> Markup {
    let narrow = RowsChart { id: format!("{}-m", c.id), width: chart::NARROW.w, ..c.clone() };
    html! {
        div class="chart wide" { (rows::draw(&c)) }
        div class="chart narrow" { (rows::draw(&narrow)) }
    }
}

/// A series chart at both widths.
pub fn both_series(c: SeriesChart) -> Markup {
    let narrow = SeriesChart { id: format!("{}-m", c.id), size: chart::NARROW, ..c.clone() };
    html! {
        div class="chart wide" { (series::draw(&c)) }
        div class="chart narrow" { (series::draw(&narrow)) }
    }
}

/// A chart's numbers, folded: `what` names them.
pub fn numbers(what: &str, table: Markup) -> Markup {
    html! {
        details class="numbers" {
            summary { "The numbers: " (what) }
            div class="scroll" { (table) }
        }
    }
}

/// Ticks on a lap axis (lap 0 is the start).
pub fn lap_ticks(max: f64) -> Vec<(f64, String)> {
    chart::ticks(0.0, max, 10.0).into_iter().map(|v| (v, format!("{v:.0}"))).collect()
}

/// Air and track temperature over the session, rain shaded: when weather
/// was recorded.
pub fn weather(recs: &super::Records) -> Markup {
    let samples: Vec<(f64, &WeatherSample)> =
        recs.weather.iter().filter_map(|w| instant(&w.date).map(|t| (t, w))).collect();
    let Some(t0) = samples.first().map(|(t, _)| *t) else { return html! {} };
    let minutes = |t: f64| (t - t0) / 60.0;
    let end = samples.last().map_or(1.0, |(t, _)| minutes(*t)).max(1.0);
    let temps: Vec<f64> =
        samples.iter().flat_map(|(_, w)| [w.air_temperature, w.track_temperature]).flatten().collect();
    let lo = temps.iter().copied().fold(f64::MAX, f64::min).floor() - 1.0;
    let hi = temps.iter().copied().fold(f64::MIN, f64::max).ceil() + 1.0;
    let line = |key: &str, label: &str, color: &str, f: fn(&WeatherSample) -> Option<f64>| Series {
        car: None,
        key: key.to_string(),
        label: label.to_string(),
        name: format!("{label} temperature"),
        color: color.to_string(),
        dashed: false,
        points: samples.iter().filter_map(|(t, w)| f(w).map(|v| (minutes(*t), v))).collect(),
        marks: samples
            .iter()
            .filter(|(_, w)| w.rainfall.unwrap_or(0) > 0 && key == "air")
            .filter_map(|(t, w)| {
                f(w).map(|v| series::Mark {
                    x: minutes(*t),
                    y: v,
                    shape: series::Shape::Cross,
                    title: format!("Rain at {}", clock(&w.date)),
                })
            })
            .collect(),
    };
    let rained = samples.iter().any(|(_, w)| w.rainfall.unwrap_or(0) > 0);
    let chart = SeriesChart {
        id: "chart-weather".into(),
        kind: "weather",
        title: "Air and track temperature".into(),
        summary: format!(
            "{} weather samples: air {}–{} °C, track {}–{} °C{}.",
            samples.len(),
            range(&samples, |w| w.air_temperature).0,
            range(&samples, |w| w.air_temperature).1,
            range(&samples, |w| w.track_temperature).0,
            range(&samples, |w| w.track_temperature).1,
            if rained { ", with rain" } else { ", dry" }
        ),
        size: Size { w: chart::WIDE.w, h: 200.0 },
        x: Axis {
            min: 0.0,
            max: end,
            ticks: chart::ticks(0.0, end, 8.0).into_iter().map(|v| (v, format!("{v:.0}"))).collect(),
            label: "minutes".into(),
        },
        y: Axis {
            min: lo,
            max: hi,
            ticks: chart::ticks(lo, hi, 4.0).into_iter().map(|v| (v, format!("{v:.0}°"))).collect(),
            label: "°C".into(),
        },
        y_down: false,
        series: vec![
            line("track", "Track", "#d9480f", |w| w.track_temperature),
            line("air", "Air", "#1c7ed6", |w| w.air_temperature),
        ],
        end_labels: true,
    };
    html! {
        section class="card" id="weather" aria-labelledby="weather-h" {
            h2 id="weather-h" { "Weather" }
            (both_series(chart))
            p class="legend-note" {
                "Air (blue) and track (orange) temperature, minutes from the first sample"
                @if rained { "; a cross marks a sample with rain" } @else { "; no rain was recorded" } "."
            }
            (numbers("weather samples", html! {
                table class="results" id="weather-table" {
                    thead { tr { th scope="col" { "Time (UTC)" } th scope="col" class="n" { "Air °C" } th scope="col" class="n" { "Track °C" }
                        th scope="col" class="n" { "Humidity %" } th scope="col" { "Rain" } } }
                    tbody {
                        @for (_, w) in &samples {
                            tr { td { (clock(&w.date)) } td class="n" { (opt(w.air_temperature)) } td class="n" { (opt(w.track_temperature)) }
                                td class="n" { (opt(w.humidity)) } td { @if w.rainfall.unwrap_or(0) > 0 { "yes" } @else { "no" } } }
                        }
                    }
                }
            }))
        }
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:.1}"))
}

fn range(samples: &[(f64, &WeatherSample)], f: fn(&WeatherSample) -> Option<f64>) -> (String, String) {
    let vals: Vec<f64> = samples.iter().filter_map(|(_, w)| f(w)).collect();
    let lo = vals.iter().copied().fold(f64::MAX, f64::min);
    let hi = vals.iter().copied().fold(f64::MIN, f64::max);
    if vals.is_empty() { (String::new(), String::new()) } else { (format!("{lo:.1}"), format!("{hi:.1}")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lap_times_read_as_on_a_timing_screen() {
        assert_eq!(lap_time(Some(103.009)), "1:43.009");
        assert_eq!(lap_time(Some(58.1234)), "58.123");
        assert_eq!(lap_time(None), "");
        assert_eq!(compound_name(Some("INTERMEDIATE")), "Intermediate");
    }
}
