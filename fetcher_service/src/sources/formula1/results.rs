//! Results pages (`/en/results/{year}/races/{id}/{slug}/practice/{n}`): a
//! `table.f1-table` whose header names the columns (Pos, No, Driver,
//! Team/Car, Time, Gap, Laps) and whose body has one row per car. Columns are
//! found by their header, so a reordering still parses; a missing column is
//! an error.
use protobuf::v1::SessionResult;
use scraper::{ElementRef, Html, Selector};

use super::Formula1Error;

/// The URL path of practice session `n` (1..=3) under a weekend's results
/// path (see `Weekend::results_path`).
pub fn practice_results_path(results_path: &str, n: u8) -> String {
    format!("{}/practice/{n}", results_path.trim_end_matches('/'))
}

#[derive(Default)]
struct Columns {
    pos: Option<usize>,
    no: Option<usize>,
    driver: Option<usize>,
    team: Option<usize>,
    time: Option<usize>,
    gap: Option<usize>,
    laps: Option<usize>,
}

/// Parses the classification table of a results page fetched from `path`.
pub fn parse_results_page(html: &str, path: &str) -> Result<Vec<SessionResult>, Formula1Error> {
    let doc = Html::parse_document(html);
    let sel = |s: &str| Selector::parse(s).expect("static selector");
    let table =
        doc.select(&sel("table.f1-table")).next().ok_or_else(|| Formula1Error::missing(path, "table.f1-table"))?;
    let headers: Vec<String> =
        table.select(&sel("thead th")).map(|th| squash(&th).to_lowercase().replace('.', "")).collect();
    if headers.is_empty() {
        return Err(Formula1Error::missing(path, "table.f1-table thead th"));
    }
    let mut cols = Columns::default();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        let slot = match h {
            "pos" | "position" => &mut cols.pos,
            "no" | "number" => &mut cols.no,
            "driver" => &mut cols.driver,
            "team" | "car" => &mut cols.team,
            "laps" => &mut cols.laps,
            "gap" => &mut cols.gap,
            _ if h.starts_with("time") => &mut cols.time,
            _ => continue,
        };
        slot.get_or_insert(i);
    }
    let need = |c: Option<usize>, name: &str| {
        c.ok_or_else(|| Formula1Error::missing(path, format!("table.f1-table column `{name}`")))
    };
    let (pos, no, driver, team, time, laps) = (
        need(cols.pos, "Pos")?,
        need(cols.no, "No")?,
        need(cols.driver, "Driver")?,
        need(cols.team, "Team")?,
        need(cols.time, "Time")?,
        need(cols.laps, "Laps")?,
    );
    let combined_time_gap = headers[time].contains("gap") && cols.gap.is_none();

    let mut out: Vec<SessionResult> = Vec::new();
    for (i, tr) in table.select(&sel("tbody tr")).enumerate() {
        let cells: Vec<ElementRef<'_>> = tr.select(&sel("td")).collect();
        let row = |f: &str| format!("table.f1-table row {} {f}", i + 1);
        let cell = |c: usize, name: &str| {
            cells
                .get(c)
                .ok_or_else(|| Formula1Error::invalid(path, row(name), format!("row has {} cells", cells.len())))
        };
        let position_text = squash(cell(pos, "Pos")?);
        if position_text.is_empty() {
            return Err(Formula1Error::invalid(path, row("Pos"), "empty"));
        }
        let number_text = squash(cell(no, "No")?);
        let driver_number: i32 = number_text
            .parse()
            .map_err(|_| Formula1Error::invalid(path, row("No"), format!("`{number_text}` is not a car number")))?;
        let (driver_name, driver_code) = driver_cell(cell(driver, "Driver")?)
            .ok_or_else(|| Formula1Error::invalid(path, row("Driver"), "no name with a three-letter code"))?;
        let team_name = squash(cell(team, "Team")?);
        if team_name.is_empty() {
            return Err(Formula1Error::invalid(path, row("Team"), "empty"));
        }
        let laps_text = squash(cell(laps, "Laps")?);
        let laps: i32 = if laps_text.is_empty() {
            0
        } else {
            laps_text
                .parse()
                .map_err(|_| Formula1Error::invalid(path, row("Laps"), format!("`{laps_text}` is not a lap count")))?
        };
        let mut time_text = squash(cell(time, "Time")?);
        let mut gap_text = match cols.gap {
            Some(g) => squash(cell(g, "Gap")?),
            None => String::new(),
        };
        if combined_time_gap && time_text.starts_with('+') {
            gap_text = std::mem::take(&mut time_text);
        }
        out.push(SessionResult {
            // The row's place in the published order, 1..N for every row.
            position: i as i32 + 1,
            classified: protobuf::provenance::is_classified(&position_text),
            position_text,
            driver_number,
            driver_code,
            driver_name,
            team: team_name,
            time: time_text,
            gap: gap_text,
            laps,
            ..SessionResult::default()
        });
    }
    validate(&out, path)?;
    Ok(out)
}

fn validate(results: &[SessionResult], path: &str) -> Result<(), Formula1Error> {
    if results.is_empty() {
        return Err(Formula1Error::missing(path, "table.f1-table tbody tr"));
    }
    for (i, r) in results.iter().enumerate() {
        let earlier = &results[..i];
        if earlier
            .iter()
            .any(|e| e.position_text == r.position_text && protobuf::provenance::is_classified(&r.position_text))
        {
            return Err(Formula1Error::invalid(path, "Pos", format!("position {} is listed twice", r.position_text)));
        }
        if earlier.iter().any(|e| e.driver_number == r.driver_number) {
            return Err(Formula1Error::invalid(path, "No", format!("car {} is listed twice", r.driver_number)));
        }
    }
    Ok(())
}

fn squash(e: &ElementRef<'_>) -> String {
    e.text().flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
}

/// The driver cell holds the name and the three-letter code, in separate
/// spans (`Max` `Verstappen` `VER`, one shown per screen size) or run
/// together (`Max VerstappenVER`).
fn driver_cell(td: &ElementRef<'_>) -> Option<(String, String)> {
    let is_code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase());
    let span = Selector::parse("span").expect("static selector");
    let spans: Vec<String> = td
        .select(&span)
        .filter(|s| s.child_elements().next().is_none())
        .map(|s| squash(&s))
        .filter(|t| !t.is_empty())
        .collect();
    if let Some((code, names)) = spans.split_last().filter(|(code, names)| is_code(code) && !names.is_empty()) {
        return Some((names.join(" "), code.clone()));
    }
    let text = squash(td);
    let (name, code) = text.split_at_checked(text.len().checked_sub(3)?)?;
    let name = name.trim();
    (is_code(code) && !name.is_empty()).then(|| (name.to_string(), code.to_string()))
}
