//! Ergast-format answers for a whole season, reconstructed from the bundled
//! f1db data (no standings and few rounds were recorded from Jolpica).
//! They follow Jolpica's layout (`MRData.RaceTable.Races[..].Results`, ...)
//! with Ergast ids, so a Jolpica sync of them must land on the same records
//! as the f1db import. Shared by the tests and the bench.
use std::collections::HashMap;
use std::path::Path;

use fetcher_service::ids::{
    self, CIRCUIT_EXCEPTIONS, CONSTRUCTOR_EXCEPTIONS, DRIVER_EXCEPTIONS, SEASONAL_CONSTRUCTORS,
};
use fetcher_service::sources::f1db::{F1dbSource, load};
use protobuf::v1::{Circuit, Constructor, Driver, Round, Session, SessionType, Standings, WriteBatchRequest};
use serde_json::{Value, json};

/// The Ergast id of a stable id (the reverse of `fetcher_service::ids`).
fn ergast_id(table: &[(&str, &str)], id: &str) -> String {
    table.iter().find(|(_, s)| *s == id).map_or_else(|| ids::ergast_spelling(id), |(e, _)| (*e).to_string())
}

struct Reference {
    drivers: HashMap<String, Driver>,
    constructors: HashMap<String, Constructor>,
    circuits: HashMap<String, Circuit>,
    season: i32,
}

impl Reference {
    fn driver(&self, id: &str) -> Value {
        let d = &self.drivers[id];
        let mut v = json!({
            "driverId": ergast_id(DRIVER_EXCEPTIONS, id),
            "url": "",
            "givenName": d.first_name,
            "familyName": d.last_name,
            "dateOfBirth": d.date_of_birth,
            "nationality": d.nationality,
        });
        if d.permanent_number > 0 {
            v["permanentNumber"] = json!(d.permanent_number.to_string());
        }
        if !d.code.is_empty() {
            v["code"] = json!(d.code);
        }
        v
    }

    fn constructor(&self, id: &str) -> Value {
        let c = &self.constructors[id];
        let seasonal = SEASONAL_CONSTRUCTORS
            .iter()
            .find(|(_, from, to, s)| *s == id && (*from..=*to).contains(&self.season))
            .map(|(e, ..)| (*e).to_string());
        let eid = seasonal.unwrap_or_else(|| ergast_id(CONSTRUCTOR_EXCEPTIONS, id));
        json!({ "constructorId": eid, "url": "", "name": c.name, "nationality": c.nationality })
    }

    fn circuit(&self, id: &str) -> Value {
        let c = &self.circuits[id];
        json!({
            "circuitId": ergast_id(CIRCUIT_EXCEPTIONS, id),
            "url": "",
            "circuitName": c.full_name,
            "Location": { "lat": c.latitude.to_string(), "long": c.longitude.to_string(), "locality": c.locality, "country": c.country },
        })
    }
}

fn envelope(url: &str, total: usize, table: &str, body: Value) -> Value {
    json!({ "MRData": {
        "xmlns": "", "series": "f1", "url": url,
        "limit": total.max(30).to_string(), "offset": "0", "total": total.to_string(),
        table: body,
    }})
}

fn hhmm(t: Option<i64>) -> Option<String> {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map(|d| d.format("%H:%M:%SZ").to_string())
}

fn race_head(r: &Round, reference: &Reference) -> Value {
    let race = r.sessions.iter().find(|s| s.r#type == SessionType::Race as i32);
    let mut v = json!({
        "season": r.season.to_string(), "round": r.round.to_string(), "url": "",
        "raceName": r.name, "Circuit": reference.circuit(&r.circuit_id), "date": r.date,
    });
    if let Some(t) = hhmm(race.and_then(|s| s.start_time)) {
        v["time"] = json!(t);
    }
    v
}

const KEYS: [(SessionType, &str); 6] = [
    (SessionType::Practice1, "FirstPractice"),
    (SessionType::Practice2, "SecondPractice"),
    (SessionType::Practice3, "ThirdPractice"),
    (SessionType::Qualifying, "Qualifying"),
    (SessionType::SprintQualifying, "SprintQualifying"),
    (SessionType::Sprint, "Sprint"),
];

fn position_code(text: &str) -> &str {
    match text {
        "DQ" => "D",
        "EX" => "E",
        "DNQ" | "DNPQ" => "F",
        "NC" => "N",
        "DNS" => "W",
        other => other,
    }
}

fn result_lines(s: &Session, reference: &Reference) -> Vec<Value> {
    let racing = s.r#type == SessionType::Race as i32 || s.r#type == SessionType::Sprint as i32;
    s.results
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut v = json!({
                "number": x.driver_number.to_string(),
                "position": (i + 1).to_string(),
                "Driver": reference.driver(&x.driver_id),
                "Constructor": reference.constructor(&x.constructor_id),
            });
            if racing {
                v["positionText"] = json!(position_code(&x.position_text));
                v["points"] = json!(x.points.to_string());
                v["grid"] = json!(x.grid.to_string());
                v["laps"] = json!(x.laps.to_string());
                // As Jolpica writes it (Gasly at Silverstone 2024: W, "Did not start").
                let status = if x.position_text == "DNS" { "Did not start" } else { x.status.as_str() };
                v["status"] = json!(status);
                if !x.time.is_empty() && !x.time.to_lowercase().contains("lap") {
                    v["Time"] = json!({ "time": x.time });
                }
                if x.fastest_lap {
                    v["FastestLap"] = json!({ "rank": "1", "Time": { "time": x.fastest_lap_time } });
                }
            } else {
                for (key, q) in [("Q1", &x.q1), ("Q2", &x.q2), ("Q3", &x.q3)] {
                    if !q.is_empty() {
                        v[key] = json!(q);
                    }
                }
            }
            v
        })
        .collect()
}

fn standings_lists(s: &Standings, reference: &Reference, drivers: bool) -> Value {
    let lines: Vec<Value> = if drivers {
        s.drivers
            .iter()
            .map(|d| {
                let mut constructors = vec![];
                if !d.constructor_id.is_empty() {
                    constructors.push(reference.constructor(&d.constructor_id));
                }
                json!({
                    "position": d.position.to_string(), "positionText": d.position_text, "points": d.points.to_string(),
                    "wins": d.wins.to_string(), "Driver": reference.driver(&d.driver_id), "Constructors": constructors,
                })
            })
            .collect()
    } else {
        s.constructors
            .iter()
            .map(|c| {
                json!({
                    "position": c.position.to_string(), "positionText": c.position_text, "points": c.points.to_string(),
                    "wins": c.wins.to_string(), "Constructor": reference.constructor(&c.constructor_id),
                })
            })
            .collect()
    };
    let list = if drivers { "DriverStandings" } else { "ConstructorStandings" };
    json!({ "season": s.season.to_string(), "round": s.round.to_string(), "StandingsLists": [
        { "season": s.season.to_string(), "round": s.round.to_string(), list: lines }
    ]})
}

fn write(root: &Path, rel: &str, v: &Value) {
    let path = root.join(rel.trim_start_matches('/'));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec(v).unwrap()).unwrap();
}

/// Writes season `year`'s answers under `root/ergast/f1/`; returns the
/// f1db reference and season batches it was built from.
pub fn write_season(root: &Path, year: i32) -> (WriteBatchRequest, WriteBatchRequest) {
    let (reference_batch, mut seasons) = load(F1dbSource::Bundled, Some(year), Some(year)).unwrap();
    let season = seasons.pop().unwrap();
    let reference = Reference {
        drivers: reference_batch.drivers.iter().map(|d| (d.id.clone(), d.clone())).collect(),
        constructors: reference_batch.constructors.iter().map(|c| (c.id.clone(), c.clone())).collect(),
        circuits: reference_batch.circuits.iter().map(|c| (c.id.clone(), c.clone())).collect(),
        season: year,
    };
    let base = root.join("ergast/f1");
    let races: Vec<Value> = season
        .rounds
        .iter()
        .map(|r| {
            let mut v = race_head(r, &reference);
            for (t, key) in KEYS {
                if let Some(s) = r.sessions.iter().find(|s| s.r#type == t as i32) {
                    let mut when = json!({ "date": s.date });
                    if let Some(time) = hhmm(s.start_time) {
                        when["time"] = json!(time);
                    }
                    v[key] = when;
                }
            }
            v
        })
        .collect();
    let url = format!("/{year}.json");
    write(
        &base,
        &url,
        &envelope(&url, races.len(), "RaceTable", json!({ "season": year.to_string(), "Races": races })),
    );
    for r in &season.rounds {
        for (t, file, list) in [
            (SessionType::Race, "results", "Results"),
            (SessionType::Qualifying, "qualifying", "QualifyingResults"),
            (SessionType::Sprint, "sprint", "SprintResults"),
        ] {
            let url = format!("/{year}/{}/{file}.json", r.round);
            let lines = r
                .sessions
                .iter()
                .find(|s| s.r#type == t as i32)
                .map(|s| result_lines(s, &reference))
                .unwrap_or_default();
            let total = lines.len();
            let mut race = race_head(r, &reference);
            race[list] = json!(lines);
            let races = if total == 0 { json!([]) } else { json!([race]) };
            let table = json!({ "season": year.to_string(), "round": r.round.to_string(), "Races": races });
            write(&base, &url, &envelope(&url, total, "RaceTable", table));
        }
    }
    let last = season.standings.iter().map(|s| s.round).max();
    for s in &season.standings {
        for (drivers, file) in [(true, "driverStandings"), (false, "constructorStandings")] {
            let total = if drivers { s.drivers.len() } else { s.constructors.len() };
            let body = standings_lists(s, &reference, drivers);
            let url = format!("/{year}/{}/{file}.json", s.round);
            write(&base, &url, &envelope(&url, total, "StandingsTable", body.clone()));
            if Some(s.round) == last {
                let url = format!("/{year}/{file}.json");
                write(&base, &url, &envelope(&url, total, "StandingsTable", body));
            }
        }
    }
    (reference_batch, season)
}
