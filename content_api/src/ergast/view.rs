//! Stored records in Ergast shapes, with Ergast ids.
use protobuf::v1::{Round, Session, SessionResult, SessionType};

use super::ids::Statuses;
use super::shape::{self, FastestLap, LapTime, QualifyingResult, RaceResult, Schedule, Time, When};
use super::source::Reference;
use super::words::{RaceWords, Slot, Words};

pub fn season(year: i32) -> shape::Season {
    shape::Season { season: year.to_string(), url: format!("https://en.wikipedia.org/wiki/{year}_Formula_One_season") }
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl Reference {
    /// A driver in Ergast's words where Ergast knows them, else ours.
    pub fn driver(&self, id: &str) -> shape::Driver {
        let ergast = self.ids.driver(id);
        if let Some(w) = Words::get().driver(&ergast) {
            return shape::Driver {
                driver_id: ergast,
                permanent_number: some(w.permanent_number),
                code: some(w.code),
                url: some(w.url),
                given_name: w.given_name.to_string(),
                family_name: w.family_name.to_string(),
                date_of_birth: some(w.date_of_birth),
                nationality: some(w.nationality),
            };
        }
        match self.drivers.get(id) {
            Some(d) => shape::Driver {
                driver_id: ergast,
                permanent_number: (d.permanent_number > 0).then(|| d.permanent_number.to_string()),
                code: some(&d.code),
                url: None,
                given_name: d.first_name.clone(),
                family_name: d.last_name.clone(),
                date_of_birth: some(&d.date_of_birth),
                nationality: some(&d.nationality),
            },
            None => shape::Driver {
                driver_id: ergast,
                permanent_number: None,
                code: None,
                url: None,
                given_name: String::new(),
                family_name: id.to_string(),
                date_of_birth: None,
                nationality: None,
            },
        }
    }

    pub fn constructor(&self, id: &str) -> shape::Constructor {
        let ergast = self.ids.constructor(id);
        if let Some(w) = Words::get().constructor(&ergast) {
            return shape::Constructor {
                constructor_id: ergast,
                url: some(w.url),
                name: w.name.to_string(),
                nationality: some(w.nationality),
            };
        }
        let c = self.constructors.get(id);
        shape::Constructor {
            constructor_id: ergast,
            url: None,
            name: c.map_or_else(|| id.to_string(), |c| c.name.clone()),
            nationality: c.filter(|c| !c.nationality.is_empty()).map(|c| c.nationality.clone()),
        }
    }

    pub fn circuit(&self, id: &str) -> shape::Circuit {
        let ergast = self.ids.circuit(id);
        if let Some(w) = Words::get().circuit(&ergast) {
            return shape::Circuit {
                circuit_id: ergast,
                url: some(w.url),
                circuit_name: w.name.to_string(),
                location: shape::Location {
                    lat: w.lat.to_string(),
                    long: w.long.to_string(),
                    locality: w.locality.to_string(),
                    country: w.country.to_string(),
                },
            };
        }
        let c = self.circuits.get(id).cloned().unwrap_or_default();
        shape::Circuit {
            circuit_id: ergast,
            url: None,
            circuit_name: if c.full_name.is_empty() { c.name } else { c.full_name },
            location: shape::Location {
                lat: shape::coordinate(c.latitude),
                long: shape::coordinate(c.longitude),
                locality: c.locality,
                country: c.country,
            },
        }
    }

    /// A race without its rows; `schedule` adds the weekend's other
    /// sessions. Ergast's name and timetable where it has the race (to
    /// 2024), else ours.
    pub fn race(&self, r: &Round, schedule: bool) -> shape::Race {
        let race = session(r, SessionType::Race);
        let words = Words::get().race(r.season, r.round);
        // Up to the dump's last race, Ergast's timetable (as run); after
        // it, the stored one first (the dump's was only the plan then).
        let stored_time = race.and_then(|s| s.start_time).and_then(shape::time_of_day);
        let run = !Words::get().after_dump(r.season, r.round);
        let words = words.filter(|w| run || stored_time.is_none() && !w.race.date.is_empty());
        let (date, time) = match words.filter(|w| !w.race.date.is_empty()) {
            Some(w) => (w.race.date.to_string(), some(w.race.time).map(|t| format!("{t}Z"))),
            None => {
                (race.map(|s| s.date.clone()).filter(|d| !d.is_empty()).unwrap_or_else(|| r.date.clone()), stored_time)
            }
        };
        let name = Words::get().race(r.season, r.round).map_or_else(|| r.name.clone(), |w| w.name.to_string());
        shape::Race {
            season: r.season.to_string(),
            round: r.round.to_string(),
            url: format!("https://en.wikipedia.org/wiki/{}_{}", r.season, name.replace(' ', "_")),
            race_name: name,
            circuit: self.circuit(&r.circuit_id),
            date,
            time,
            schedule: match (schedule, words) {
                (false, _) => Schedule::default(),
                (true, Some(w)) if run => timetable(r, w).or(weekend(r)),
                (true, Some(w)) => weekend(r).or(timetable(r, w)),
                (true, None) => weekend(r),
            },
            rows: None,
        }
    }

    pub fn race_result(
        &self,
        round: &Round,
        r: &SessionResult,
        place: usize,
        winner_ms: Option<i64>,
        sprint: bool,
    ) -> RaceResult {
        let (_, status) = self.status(round, sprint, r);
        let after_dump = Words::get().after_dump(round.season, round.round);
        RaceResult {
            number: r.driver_number.to_string(),
            position: place.to_string(),
            position_text: position_text(&r.position_text, place, after_dump, status),
            points: shape::points(r.points),
            driver: self.driver(&r.driver_id),
            constructor: self.constructor(&r.constructor_id),
            grid: r.grid.to_string(),
            laps: r.laps.to_string(),
            status: status.to_string(),
            time: race_time(r, place, winner_ms),
            fastest_lap: if sprint { None } else { fastest_lap(round, r) },
        }
    }

    /// Ergast's status of a race or sprint row and its id: Jolpica's own
    /// five words where it uses them (see [`Words::jolpica_statuses`]), else
    /// the one Ergast gave the row (to mid-2024), else ours in Ergast's
    /// spelling.
    pub fn status<'a>(&self, round: &Round, sprint: bool, r: &'a SessionResult) -> (u32, &'a str) {
        let (words, table) = (Words::get(), Statuses::get());
        let driver = self.ids.driver(&r.driver_id);
        let jolpica = words.jolpica_statuses(round.season, round.round, sprint);
        if !jolpica
            && let Some(id) = words.status(round.season, round.round, sprint, &driver)
            && let Some(text) = table.text(id)
        {
            return (id, text);
        }
        let text = if jolpica {
            let ours = r.status.as_str();
            match r.position_text.as_str() {
                _ if ours.is_empty() => "",
                // Already Jolpica's (a Jolpica sync stores its words).
                _ if matches!(ours, "Finished" | "Lapped" | "Retired" | "Disqualified" | "Did not start") => ours,
                "DQ" | "DSQ" | "D" => "Disqualified",
                "DNS" | "W" => "Did not start",
                "DNQ" | "DNPQ" => "Did not qualify",
                _ if ours.starts_with('+') && ours.contains("Lap") => "Lapped",
                _ => "Retired",
            }
        } else {
            table.spelled(&r.status)
        };
        (table.id(text), text)
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

/// Our position texts in Jolpica's letters: `R` for every car not
/// classified (Jolpica has no `N`), and for non-starters up to mid-2024
/// unless Ergast said they withdrew (`W`, as Jolpica answers after that).
fn position_text(text: &str, place: usize, after_dump: bool, status: &str) -> String {
    match text {
        "" => place.to_string(),
        "DQ" | "DSQ" => "D".into(),
        "NC" => "R".into(),
        "EX" => "E".into(),
        "W" => "W".into(),
        "DNS" if after_dump || status == "Withdrew" => "W".into(),
        "DNS" => "R".into(),
        "DNQ" | "DNPQ" => "F".into(),
        "DNF" => "R".into(),
        other => other.to_string(),
    }
}

/// The rank of a row's own fastest lap among the drivers' (Ergast's
/// `fastest/{rank}`): stored where the source has every driver's, else 1
/// for the session's fastest; 0 when unknown.
pub fn fastest_lap_rank(r: &SessionResult) -> i32 {
    if r.best_lap_rank > 0 { r.best_lap_rank } else { i32::from(r.fastest_lap) }
}

/// A race row's own fastest lap: its rank, lap and time, and its average
/// speed over the course's length (Jolpica gives the speed up to 2024).
fn fastest_lap(round: &Round, r: &SessionResult) -> Option<FastestLap> {
    if r.best_lap_time.is_empty() {
        return (r.fastest_lap && !r.fastest_lap_time.is_empty()).then(|| FastestLap {
            rank: Some("1".into()),
            lap: None,
            time: LapTime { time: r.fastest_lap_time.clone() },
            average_speed: None,
        });
    }
    let seconds = shape::millis(&r.best_lap_time).map(|ms| ms as f64 / 1000.0).filter(|s| *s > 0.0);
    let speed = seconds
        .filter(|_| round.course_length_km > 0.0 && round.season <= 2024)
        // Ergast's speeds are cut, not rounded, to three decimals.
        .map(|s| (round.course_length_km * 3600.0 / s * 1000.0).floor() / 1000.0)
        .map(|kph| shape::AverageSpeed { units: "kph", speed: format!("{kph:.3}") });
    Some(FastestLap {
        rank: (r.best_lap_rank > 0).then(|| r.best_lap_rank.to_string()),
        lap: (r.best_lap_number > 0).then(|| r.best_lap_number.to_string()),
        time: LapTime { time: r.best_lap_time.clone() },
        average_speed: speed,
    })
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

/// The timetable of a race Ergast lists: the second practice of a 2023
/// sprint weekend was the sprint shootout, of a 2024 one the sprint
/// qualifying (Ergast's dump files both as its second practice; Jolpica
/// names them).
fn timetable(r: &Round, w: &RaceWords) -> Schedule {
    let when = |s: Slot| {
        (!s.date.is_empty()).then(|| When { date: s.date.to_string(), time: some(s.time).map(|t| format!("{t}Z")) })
    };
    let sprint_weekend = !w.sprint.date.is_empty();
    let fp2_is = |season: i32| sprint_weekend && r.season == season;
    Schedule {
        first_practice: when(w.fp1),
        second_practice: if fp2_is(2023) || fp2_is(2024) { None } else { when(w.fp2) },
        third_practice: when(w.fp3),
        qualifying: when(w.qualifying),
        sprint: when(w.sprint),
        sprint_shootout: if fp2_is(2023) { when(w.fp2) } else { None },
        sprint_qualifying: if fp2_is(2024) { when(w.fp2) } else { None },
    }
}
