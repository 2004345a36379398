//! Stored records in Ergast shapes, with Ergast ids.
use protobuf::v1::{Round, Session, SessionResult, SessionType};

use super::ids::Statuses;
use super::shape::{self, FastestLap, LapTime, QualifyingResult, RaceResult, Schedule, Time, When};
use super::source::Reference;

pub fn season(year: i32) -> shape::Season {
    shape::Season { season: year.to_string(), url: format!("https://en.wikipedia.org/wiki/{year}_Formula_One_season") }
}

impl Reference {
    pub fn driver(&self, id: &str) -> shape::Driver {
        let ergast = self.ids.driver(id);
        match self.drivers.get(id) {
            Some(d) => shape::Driver {
                driver_id: ergast,
                permanent_number: (d.permanent_number > 0).then(|| d.permanent_number.to_string()),
                code: (!d.code.is_empty()).then(|| d.code.clone()),
                given_name: d.first_name.clone(),
                family_name: d.last_name.clone(),
                date_of_birth: (!d.date_of_birth.is_empty()).then(|| d.date_of_birth.clone()),
                nationality: (!d.nationality.is_empty()).then(|| d.nationality.clone()),
            },
            None => shape::Driver {
                driver_id: ergast,
                permanent_number: None,
                code: None,
                given_name: String::new(),
                family_name: id.to_string(),
                date_of_birth: None,
                nationality: None,
            },
        }
    }

    pub fn constructor(&self, id: &str) -> shape::Constructor {
        let c = self.constructors.get(id);
        shape::Constructor {
            constructor_id: self.ids.constructor(id),
            name: c.map_or_else(|| id.to_string(), |c| c.name.clone()),
            nationality: c.filter(|c| !c.nationality.is_empty()).map(|c| c.nationality.clone()),
        }
    }

    pub fn circuit(&self, id: &str) -> shape::Circuit {
        let c = self.circuits.get(id).cloned().unwrap_or_default();
        shape::Circuit {
            circuit_id: self.ids.circuit(id),
            circuit_name: if c.full_name.is_empty() { c.name } else { c.full_name },
            location: shape::Location {
                lat: shape::coordinate(c.latitude),
                long: shape::coordinate(c.longitude),
                locality: c.locality,
                country: c.country,
            },
        }
    }

    /// A race without its rows; `schedule` adds the weekend's other sessions.
    pub fn race(&self, r: &Round, schedule: bool) -> shape::Race {
        let race = session(r, SessionType::Race);
        shape::Race {
            season: r.season.to_string(),
            round: r.round.to_string(),
            url: format!("https://en.wikipedia.org/wiki/{}_{}", r.season, r.name.replace(' ', "_")),
            race_name: r.name.clone(),
            circuit: self.circuit(&r.circuit_id),
            date: race.map(|s| s.date.clone()).filter(|d| !d.is_empty()).unwrap_or_else(|| r.date.clone()),
            time: race.and_then(|s| s.start_time).and_then(shape::time_of_day),
            schedule: if schedule { weekend(r) } else { Schedule::default() },
            rows: None,
        }
    }

    pub fn race_result(&self, r: &SessionResult, place: usize, winner_ms: Option<i64>, sprint: bool) -> RaceResult {
        RaceResult {
            number: r.driver_number.to_string(),
            position: place.to_string(),
            position_text: position_text(&r.position_text, place),
            points: shape::points(r.points),
            driver: self.driver(&r.driver_id),
            constructor: self.constructor(&r.constructor_id),
            grid: r.grid.to_string(),
            laps: r.laps.to_string(),
            status: r.status.clone(),
            time: race_time(r, place, winner_ms),
            // Only the fastest lap itself is stored (its lap and the other
            // drivers' ranks are not).
            fastest_lap: (!sprint && r.fastest_lap && !r.fastest_lap_time.is_empty()).then(|| FastestLap {
                rank: Some("1".into()),
                lap: None,
                time: LapTime { time: r.fastest_lap_time.clone() },
            }),
        }
    }

    /// Q2 and Q3 only with a time: whether a driver without one took part
    /// is not stored.
    pub fn qualifying_result(&self, r: &SessionResult, place: usize) -> QualifyingResult {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        QualifyingResult {
            number: r.driver_number.to_string(),
            position: place.to_string(),
            driver: self.driver(&r.driver_id),
            constructor: self.constructor(&r.constructor_id),
            // Always present, empty without a time (as Jolpica); before
            // 2006 the one time, which Ergast lists as Q1.
            q1: Some(if r.q1.is_empty() && r.q2.is_empty() && r.q3.is_empty() { r.time.clone() } else { r.q1.clone() }),
            q2: some(&r.q2),
            q3: some(&r.q3),
        }
    }
}

/// The stored session of type `t`.
pub fn session(r: &Round, t: SessionType) -> Option<&Session> {
    r.sessions.iter().find(|s| s.r#type == t as i32)
}

/// A row's place in its classification: its stored position, else its
/// place in the list (rows are stored in classification order).
pub fn place(r: &SessionResult, index: usize) -> usize {
    if r.position > 0 { r.position as usize } else { index + 1 }
}

/// Whether a row counts as classified (Ergast's `results/{n}` filter).
pub fn classified(r: &SessionResult) -> bool {
    r.position_text.bytes().all(|b| b.is_ascii_digit()) && !r.position_text.is_empty()
}

/// Our position texts in Ergast's letters.
fn position_text(text: &str, place: usize) -> String {
    match text {
        "" => place.to_string(),
        "DQ" | "DSQ" => "D".into(),
        "NC" => "N".into(),
        "EX" => "E".into(),
        "DNS" | "W" => "W".into(),
        "DNQ" | "DNPQ" => "F".into(),
        "DNF" => "R".into(),
        other => other.to_string(),
    }
}

/// The winner's race time, others' gaps with their total in millis;
/// nothing for lapped cars and retirements (as Ergast).
fn race_time(r: &SessionResult, place: usize, winner_ms: Option<i64>) -> Option<Time> {
    if r.time.is_empty() || r.time.contains("Lap") || !classified(r) {
        return None;
    }
    if place == 1 && !r.time.starts_with('+') {
        return Some(Time { millis: shape::millis(&r.time).map(|m| m.to_string()), time: r.time.clone() });
    }
    let gap = shape::millis(&r.time)?;
    Some(Time { millis: winner_ms.map(|w| (w + gap).to_string()), time: r.time.clone() })
}

/// The winner's race time in millis, for the others' totals.
pub fn winner_millis(results: &[SessionResult]) -> Option<i64> {
    results.iter().find(|r| r.position == 1 && !r.time.starts_with('+')).and_then(|r| shape::millis(&r.time))
}

fn weekend(r: &Round) -> Schedule {
    let when = |t: SessionType| {
        session(r, t)
            .filter(|s| !s.date.is_empty())
            .map(|s| When { date: s.date.clone(), time: s.start_time.and_then(shape::time_of_day) })
    };
    let shootout = r.season == 2023;
    Schedule {
        first_practice: when(SessionType::Practice1),
        second_practice: when(SessionType::Practice2),
        third_practice: when(SessionType::Practice3),
        qualifying: when(SessionType::Qualifying),
        sprint: when(SessionType::Sprint),
        sprint_shootout: if shootout { when(SessionType::SprintQualifying) } else { None },
        sprint_qualifying: if shootout { None } else { when(SessionType::SprintQualifying) },
    }
}

/// The Ergast status id of a row.
pub fn status_id(r: &SessionResult) -> u32 {
    Statuses::get().id(&r.status)
}
