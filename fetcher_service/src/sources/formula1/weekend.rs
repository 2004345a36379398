//! A race-weekend page (`/en/racing/{year}/{slug}`): the JSON-LD
//! `SportsEvent` (event name, weekend start and end, one `subEvent` per
//! session with its start), the circuit facts (a `dt`/`dd` list holding
//! "Number of Laps", "Circuit Length", "Race Distance"), the circuit map
//! image and the link to the weekend's results pages.
use chrono::{DateTime, FixedOffset};
use protobuf::v1::SessionType;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::Formula1Error;

/// What a race-weekend page says about its round.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Weekend {
    /// The event's JSON-LD name.
    pub name: String,
    /// The JSON-LD location name (the circuit), when given.
    pub circuit_name: String,
    /// First and last day of the weekend, local to the circuit (`YYYY-MM-DD`).
    pub first_date: String,
    pub end_date: String,
    /// In start order.
    pub sessions: Vec<WeekendSession>,
    pub laps: i32,
    pub circuit_length_km: f64,
    pub race_distance_km: Option<f64>,
    /// Absolute URL of the circuit map.
    pub circuit_image_url: String,
    /// The URL path results pages hang off (`/en/results/{year}/races/{id}/{slug}`),
    /// once the site links them.
    pub results_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WeekendSession {
    #[serde(serialize_with = "slug")]
    pub session_type: SessionType,
    /// The sub-event's name as published.
    pub name: String,
    /// UTC day of the start (`YYYY-MM-DD`).
    pub date: String,
    /// Unix seconds.
    pub start_time: i64,
    pub end_time: Option<i64>,
}

fn slug<S: serde::Serializer>(t: &SessionType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.slug())
}

/// The URL path of a race-weekend page.
pub fn weekend_path(year: i32, slug: &str) -> String {
    format!("/en/racing/{year}/{slug}")
}

/// Parses a race-weekend page fetched from `path`.
pub fn parse_weekend_page(html: &str, path: &str, year: i32) -> Result<Weekend, Formula1Error> {
    let doc = Html::parse_document(html);
    let event = sports_event(&doc, path)?;
    let field = |name: &str| -> Result<&str, Formula1Error> {
        event
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Formula1Error::invalid(path, format!("SportsEvent.{name}"), "missing"))
    };
    let name = field("name")?.trim().to_string();
    let first = instant(field("startDate")?, path, "SportsEvent.startDate")?;
    let last = instant(field("endDate")?, path, "SportsEvent.endDate")?;
    let circuit_name = event.get("location").and_then(|l| l.get("name")).and_then(Value::as_str).unwrap_or_default();
    let sessions = sessions(&event, path)?;
    let facts = facts(&doc);
    let fact = |label: &str| facts.iter().find(|(l, _)| l == label).map(|(_, v)| v.as_str());
    let laps = number(fact("number of laps"), path, "Number of Laps")?
        .ok_or_else(|| Formula1Error::missing(path, "dt `Number of Laps` with its dd"))?;
    let length = number(fact("circuit length"), path, "Circuit Length")?
        .ok_or_else(|| Formula1Error::missing(path, "dt `Circuit Length` with its dd"))?;
    if laps.fract() != 0.0 || !(1.0..=200.0).contains(&laps) {
        return Err(Formula1Error::invalid(path, "Number of Laps", format!("`{laps}` is not a lap count")));
    }
    Ok(Weekend {
        name,
        circuit_name: circuit_name.trim().to_string(),
        first_date: first.date_naive().to_string(),
        end_date: last.date_naive().to_string(),
        sessions,
        laps: laps as i32,
        circuit_length_km: length,
        race_distance_km: number(fact("race distance"), path, "Race Distance")?,
        circuit_image_url: circuit_image(&doc, path)?,
        results_path: results_path(&doc, year),
    })
}

/// The one JSON-LD `SportsEvent` with sub-events. JSON-LD may be an
/// object, a list, or an `@graph`; other types (breadcrumbs, organisation)
/// are skipped. Invalid JSON in a JSON-LD block is an error.
fn sports_event(doc: &Html, path: &str) -> Result<Value, Formula1Error> {
    let scripts = Selector::parse(r#"script[type="application/ld+json"]"#).expect("static selector");
    let mut found = Vec::new();
    for script in doc.select(&scripts) {
        let text: String = script.text().collect();
        let value: Value = serde_json::from_str(text.trim()).map_err(|e| {
            Formula1Error::invalid(path, "script[type=application/ld+json]", format!("invalid JSON: {e}"))
        })?;
        let nodes = match value {
            Value::Array(items) => items,
            Value::Object(mut o) => match o.remove("@graph") {
                Some(Value::Array(items)) => items,
                _ => vec![Value::Object(o)],
            },
            _ => Vec::new(),
        };
        found.extend(
            nodes.into_iter().filter(|n| {
                n.get("@type").and_then(Value::as_str) == Some("SportsEvent") && n.get("subEvent").is_some()
            }),
        );
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Formula1Error::missing(path, "script[type=application/ld+json] SportsEvent with subEvent")),
        n => Err(Formula1Error::invalid(
            path,
            "script[type=application/ld+json]",
            format!("{n} SportsEvents with sub-events"),
        )),
    }
}

fn instant(s: &str, path: &str, field: &str) -> Result<DateTime<FixedOffset>, Formula1Error> {
    DateTime::parse_from_rfc3339(s.trim())
        .map_err(|_| Formula1Error::invalid(path, field, format!("`{s}` is not a date-time with a UTC offset")))
}

fn sessions(event: &Value, path: &str) -> Result<Vec<WeekendSession>, Formula1Error> {
    let subs = match event.get("subEvent") {
        Some(Value::Array(a)) => a.iter().collect::<Vec<_>>(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => return Err(Formula1Error::invalid(path, "SportsEvent.subEvent", "is not a list of events")),
    };
    let mut out: Vec<WeekendSession> = Vec::with_capacity(subs.len());
    for (i, sub) in subs.into_iter().enumerate() {
        let field = |f: &str| format!("SportsEvent.subEvent[{i}].{f}");
        let text = |f: &str| sub.get(f).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let name = text("name").ok_or_else(|| Formula1Error::invalid(path, field("name"), "missing"))?;
        let session_type = session_type(name)
            .ok_or_else(|| Formula1Error::invalid(path, field("name"), format!("`{name}` is no known session")))?;
        if out.iter().any(|s| s.session_type == session_type) {
            return Err(Formula1Error::invalid(
                path,
                field("name"),
                format!("a second {} session", session_type.slug()),
            ));
        }
        let start = text("startDate").ok_or_else(|| Formula1Error::invalid(path, field("startDate"), "missing"))?;
        let start = instant(start, path, &field("startDate"))?;
        let end = text("endDate").map(|e| instant(e, path, &field("endDate"))).transpose()?;
        out.push(WeekendSession {
            session_type,
            name: name.to_string(),
            date: start.naive_utc().date().to_string(),
            start_time: start.timestamp(),
            end_time: end.map(|e| e.timestamp()),
        });
    }
    if !out.iter().any(|s| s.session_type == SessionType::Race) {
        return Err(Formula1Error::invalid(path, "SportsEvent.subEvent", "no race session"));
    }
    out.sort_by_key(|s| s.start_time);
    Ok(out)
}

/// The session a sub-event name denotes (`Practice 1`, `Sprint Shootout`,
/// `Chinese Grand Prix - Qualifying`, ...). More specific names first: a
/// sprint qualifying is not a qualifying, and any name mentions the Grand
/// Prix.
pub(crate) fn session_type(name: &str) -> Option<SessionType> {
    let n = name.to_ascii_lowercase();
    let has = |s: &str| n.contains(s);
    Some(if has("sprint qualifying") || has("sprint shootout") {
        SessionType::SprintQualifying
    } else if has("sprint") {
        SessionType::Sprint
    } else if has("qualifying") {
        SessionType::Qualifying
    } else if has("practice 1") || has("first practice") || has("fp1") {
        SessionType::Practice1
    } else if has("practice 2") || has("second practice") || has("fp2") {
        SessionType::Practice2
    } else if has("practice 3") || has("third practice") || has("fp3") {
        SessionType::Practice3
    } else if has("practice") {
        return None;
    } else if has("race") || has("grand prix") {
        SessionType::Race
    } else {
        return None;
    })
}

/// Every `dt` label (lower-cased) with the text of the `dd` that follows.
fn facts(doc: &Html) -> Vec<(String, String)> {
    let dts = Selector::parse("dt").expect("static selector");
    doc.select(&dts)
        .filter_map(|dt| {
            let dd = dt.next_siblings().filter_map(ElementRef::wrap).next().filter(|e| e.value().name() == "dd")?;
            Some((squash(&dt).to_lowercase(), squash(&dd)))
        })
        .collect()
}

fn squash(e: &ElementRef<'_>) -> String {
    e.text().flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
}

/// The leading number of a fact (`5.451 km` → 5.451).
fn number(value: Option<&str>, path: &str, label: &str) -> Result<Option<f64>, Formula1Error> {
    let Some(value) = value else { return Ok(None) };
    let digits: String = value.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
    digits
        .replace(',', "")
        .parse()
        .map(Some)
        .map_err(|_| Formula1Error::invalid(path, format!("dd of `{label}`"), format!("`{value}` is not a number")))
}

/// The circuit map: the first `img` whose source names a track or circuit
/// map (the site serves them as `.../track/...` or `.../Circuit maps/...`).
fn circuit_image(doc: &Html, path: &str) -> Result<String, Formula1Error> {
    let imgs = Selector::parse("img[src]").expect("static selector");
    let src = doc
        .select(&imgs)
        .filter_map(|img| img.attr("src"))
        .find(|src| {
            let lower = src.to_ascii_lowercase();
            lower.contains("/track/") || lower.contains("circuit")
        })
        .ok_or_else(|| Formula1Error::missing(path, "img of the circuit map (src with `/track/` or `circuit`)"))?;
    Ok(if src.starts_with("//") {
        format!("https:{src}")
    } else if src.starts_with('/') {
        format!("https://www.formula1.com{src}")
    } else {
        src.to_string()
    })
}

/// `/en/results/{year}/races/{id}/{slug}` from the first results link.
fn results_path(doc: &Html, year: i32) -> Option<String> {
    let links = Selector::parse("a[href]").expect("static selector");
    let prefix = format!("/en/results/{year}/races/");
    doc.select(&links).find_map(|a| {
        let href = a.attr("href")?;
        let href = href.strip_prefix("https://www.formula1.com").unwrap_or(href);
        let rest = href.strip_prefix(&prefix)?;
        let mut parts = rest.split('/');
        let (id, slug) = (parts.next()?, parts.next()?);
        (id.bytes().all(|b| b.is_ascii_digit()) && !id.is_empty() && !slug.is_empty())
            .then(|| format!("{prefix}{id}/{slug}"))
    })
}
