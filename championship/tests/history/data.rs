//! The f1db extract in `testdata/f1db-seasons.txt` (see `testdata/extract.py`)
//! as proto rounds and final standings.
use std::collections::BTreeMap;

use protobuf::v1::{Round, RoundFormat, Session, SessionResult, SessionStatus, SessionType};

const DATA: &str = include_str!("../../testdata/f1db-seasons.txt");

#[derive(Debug, Default)]
pub struct Season {
    pub rounds: Vec<Round>,
    /// The rounds f1db marks as deciding the drivers' and constructors' titles.
    pub drivers_decider: Option<i32>,
    pub constructors_decider: Option<i32>,
    /// Final standings: (position, id, points).
    pub drivers: Vec<(i32, String, f64)>,
    pub constructors: Vec<(i32, String, f64)>,
}

/// Every season, by year. Constructors are keyed `constructor/engine`, as
/// f1db ranks them.
pub fn seasons() -> BTreeMap<i32, Season> {
    let mut ids: Vec<&str> = Vec::new();
    let mut out: BTreeMap<i32, Season> = BTreeMap::new();
    for line in DATA.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let int = |i: usize| f[i].parse::<i32>().unwrap_or_else(|_| panic!("{line}"));
        let id = |i: usize| ids[f[i].parse::<usize>().unwrap()].to_string();
        let points = |i: usize| f[i].parse::<f64>().unwrap();
        if f[0] == "I" {
            ids.push(f[1]);
            continue;
        }
        let season = out.entry(int(1)).or_default();
        match f[0] {
            "G" => {
                let round = int(2);
                season.rounds.push(Round {
                    season: int(1),
                    round,
                    name: f[3].to_string(),
                    format: RoundFormat::Conventional as i32,
                    ..Default::default()
                });
                if f[4] == "1" {
                    season.drivers_decider = Some(round);
                }
                if f[5] == "1" {
                    season.constructors_decider = Some(round);
                }
            }
            "R" => {
                let (round, kind) = (int(2), if f[3] == "race" { SessionType::Race } else { SessionType::Sprint });
                let r = season.rounds.iter_mut().find(|r| r.round == round).expect("round before its results");
                if kind == SessionType::Sprint {
                    r.format = RoundFormat::Sprint as i32;
                }
                let session = match r.sessions.iter_mut().position(|s| s.r#type == kind as i32) {
                    Some(i) => &mut r.sessions[i],
                    None => {
                        r.sessions.push(Session {
                            season: r.season,
                            round,
                            r#type: kind as i32,
                            status: SessionStatus::Finished as i32,
                            ..Default::default()
                        });
                        r.sessions.last_mut().unwrap()
                    }
                };
                let driver = id(6);
                session.results.push(SessionResult {
                    position: int(4),
                    position_text: if f[5] == "1" { "shared".into() } else { String::new() },
                    driver_id: driver.clone(),
                    driver_name: driver,
                    constructor_id: format!("{}/{}", id(7), id(8)),
                    points: points(9),
                    fastest_lap: f[10] == "1",
                    ..Default::default()
                });
            }
            "D" => season.drivers.push((int(2), id(3), points(4))),
            "C" => season.constructors.push((int(2), format!("{}/{}", id(3), id(4)), points(5))),
            other => panic!("unknown line kind {other}"),
        }
    }
    out
}
