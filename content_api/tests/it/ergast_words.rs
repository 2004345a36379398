//! `/ergast/f1` over the bundled f1db data (the stack a user runs), asked
//! every recorded Jolpica URL in `testdata/jolpica` that the imported
//! seasons cover: the answers must be Jolpica's after the normalisation
//! Jolpica's own tests apply (`normalise`), so Ergast's own words (names,
//! places, nationalities, statuses), every driver's fastest lap and the
//! weekend's session times are checked against answers the code never saw.
//!
//! Not compared, each listed in the README: lap-by-lap answers (f1db has
//! no lap times; the archive's session data brings them), and seasons the
//! fixture does not import.
use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::Value;

use crate::ergast_jolpica::{recorded, recordings};
use crate::support::TestApp;
use crate::support::fixture::{FROM, TO};

/// Whether the fixture's seasons cover the recording.
fn covered(file: &str) -> bool {
    let head = file.split(['/', '.']).next().unwrap_or_default();
    match head.parse::<i32>() {
        Ok(year) => (FROM..=TO).contains(&year),
        // `seasons.json` lists from 1950: covered when the fixture starts there.
        Err(_) => head == "seasons" && FROM == 1950,
    }
}

/// Jolpica's own comparison rules (its `test_views.py`): Wikipedia `url`s
/// are not compared, nor `xmlns` and the host of `MRData.url`; trailing
/// zeros of a result's `Time.time` are not significant.
fn normalise(v: &mut Value) {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.get("url").and_then(Value::as_str).is_some_and(|u| u.contains("wikipedia.org/wiki")) {
                    m.remove("url");
                }
                if let Some(Value::String(t)) = m.get_mut("Time").and_then(|t| t.get_mut("time"))
                    && t.contains('.')
                {
                    *t = t.trim_end_matches('0').to_string();
                }
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let data = &mut v["MRData"];
    data["xmlns"] = Value::String(String::new());
    let url = data["url"].as_str().unwrap_or_default().to_string();
    data["url"] = Value::String(url.find("/ergast/").map(|i| url[i..].to_string()).unwrap_or(url));
    strip(data);
}

/// Every place two values differ, for a readable failure.
fn differences(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()).collect::<BTreeSet<_>>() {
                let (p, q) = (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                differences(p, q, format!("{at}.{k}"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, format!("{at}[{i}]"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            out.push(format!("{at}: ours has {} items, Jolpica's {}", x.len(), y.len()))
        }
        _ if a == b => {}
        _ => out.push(format!("{at}: ours {a}, Jolpica's {b}")),
    }
}

#[tokio::test]
async fn bundled_data_answers_in_ergasts_words() {
    let app = TestApp::shared();
    let (mut compared, mut different) = (0, Vec::new());
    for f in recorded().into_iter().filter(|f| covered(f) && !f.contains("laps")) {
        let uri = format!("/ergast/f1/{}", f.replace('@', "?"));
        let reply = app.get_with(&uri, &[("host", "api.jolpi.ca")]).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&reply.body));
        let (mut ours, mut theirs) =
            (reply.json(), serde_json::from_slice(&std::fs::read(recordings().join(&f)).unwrap()).unwrap());
        normalise(&mut ours);
        normalise(&mut theirs);
        let mut found = Vec::new();
        differences(&ours, &theirs, String::new(), &mut found);
        if !found.is_empty() {
            different.push(format!("{uri} differs ({} places):\n  {}", found.len(), found.join("\n  ")));
        }
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} answers compared");
    let unexplained: Vec<&str> =
        different.iter().flat_map(|d| d.lines().skip(1)).filter(|l| !data_difference(l)).collect();
    assert!(
        unexplained.is_empty(),
        "differences in words or shape:\n{unexplained:#?}\n\nall:\n{}",
        different.join("\n")
    );
    let equal = compared - different.len();
    eprintln!("{equal} of {compared} answers equal; the others differ only in data:\n{}", different.join("\n"));
    assert!(equal >= EQUAL_AT_LEAST, "{equal} of {compared} answers equal");
}

/// Answers equal today (any word or shape regression lowers it).
const EQUAL_AT_LEAST: usize = 16;

/// The differences that come from the data, not from the words or shapes
/// (each listed in the README with its reason): f1db and Jolpica disagree
/// on a few rows, or one of them lacks a value.
fn data_difference(line: &str) -> bool {
    let at = line.trim_start();
    const KNOWN: &[&str] = &[
        // f1db has no fastest laps for sprints.
        "SprintResults[*].FastestLap:",
        // Practice and qualifying days of 2019–2020 are in neither f1db nor the dump.
        "Practice:",
        "].Qualifying:",
        // Jolpica gives lapped cars a gap from 2023; f1db gives none.
        "].Time: ours null",
        // Pit-lane starters and non-starters: f1db's grid 0 against Jolpica's slot.
        "].grid:",
        // Non-starters: R or W.
        "].positionText:",
        // Three published gaps differ between f1db and Jolpica.
        "].Time.time:",
        "].Time.millis:",
        "].status: ours \"Did not start\"",
        // Jolpica ranks fastest laps without a disqualified car, and omits some 2024 speeds.
        "FastestLap.rank:",
        "FastestLap.lap:",
        "FastestLap: ours {",
        "FastestLap.AverageSpeed: ours {",
        // Whether a driver without a time took part in Q3 is not stored.
        "].Q3: ours null",
        // Brazil and Las Vegas 2024 (after the dump): f1db's days are the
        // ones sessions ran on (Brazil's qualifying moved to Sunday) and
        // UTC days (Las Vegas), Jolpica's the planned local ones.
        "Races[20].Qualifying.date:",
        "Races[20].Qualifying.time:",
        "Races[20].time:",
        "Races[21].FirstPractice.date:",
        "Races[21].SecondPractice.date:",
        "Races[21].ThirdPractice.date:",
        "Races[21].Qualifying.date:",
        "Races[21].date:",
    ];
    // Indices as `*`: `Results[12]` → `Results[*]`.
    let mut general = String::with_capacity(at.len());
    for c in at.chars() {
        if !c.is_ascii_digit() {
            general.push(c);
        } else if !general.ends_with('*') {
            general.push('*');
        }
    }
    KNOWN.iter().any(|k| at.contains(k) || general.contains(k))
}

/// Statuses after the dump (a 2025 race): Jolpica's words and counts, read
/// from its recorded results; `status/{id}` selects by the id the status
/// list gives.
#[tokio::test]
async fn statuses_after_the_dump_as_jolpica() {
    let app = TestApp::shared();
    let recorded: Value =
        serde_json::from_slice(&std::fs::read(recordings().join("2025/12/results.json")).unwrap()).unwrap();
    let mut want = std::collections::BTreeMap::<String, usize>::new();
    for row in recorded["MRData"]["RaceTable"]["Races"][0]["Results"].as_array().unwrap() {
        *want.entry(row["status"].as_str().unwrap().to_string()).or_default() += 1;
    }
    let reply = app.get("/ergast/f1/2025/12/status.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let list = reply.json()["MRData"]["StatusTable"]["Status"].as_array().unwrap().clone();
    let got: std::collections::BTreeMap<String, usize> = list
        .iter()
        .map(|s| (s["status"].as_str().unwrap().to_string(), s["count"].as_str().unwrap().parse().unwrap()))
        .collect();
    assert_eq!(got, want, "2025 round 12's statuses");
    for s in &list {
        let uri = format!("/ergast/f1/2025/12/status/{}/results.json", s["statusId"].as_str().unwrap());
        let reply = app.get(&uri).await;
        let rows = reply.json()["MRData"]["RaceTable"]["Races"][0]["Results"].as_array().cloned().unwrap_or_default();
        assert_eq!(rows.len().to_string(), s["count"].as_str().unwrap(), "{uri}");
        assert!(rows.iter().all(|r| r["status"] == s["status"]), "{uri}");
    }
}
