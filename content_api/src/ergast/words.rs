//! Ergast's own words, keyed by Ergast id: the names, places,
//! nationalities, numbers and codes Ergast answers with, its race names and
//! weekend timetables, and the finishing status it gave each classified
//! row up to mid-2024. Bundled (`words/`, see its `SOURCE.md`) and used by
//! `/ergast/f1` only: `/content/v1` keeps f1db's words.
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy)]
pub struct DriverWords {
    pub permanent_number: &'static str,
    pub code: &'static str,
    pub given_name: &'static str,
    pub family_name: &'static str,
    pub date_of_birth: &'static str,
    pub nationality: &'static str,
    pub url: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct ConstructorWords {
    pub name: &'static str,
    pub nationality: &'static str,
    pub url: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct CircuitWords {
    pub name: &'static str,
    pub locality: &'static str,
    pub country: &'static str,
    pub lat: &'static str,
    pub long: &'static str,
    pub url: &'static str,
}

impl DriverWords {
    /// The word named as in `since-dump.tsv`'s `field` column.
    fn word(&mut self, name: &str) -> Option<&mut &'static str> {
        Some(match name {
            "permanent_number" => &mut self.permanent_number,
            "code" => &mut self.code,
            "given_name" => &mut self.given_name,
            "family_name" => &mut self.family_name,
            "nationality" => &mut self.nationality,
            _ => return None,
        })
    }
}

impl ConstructorWords {
    fn word(&mut self, name: &str) -> Option<&mut &'static str> {
        Some(match name {
            "name" => &mut self.name,
            "nationality" => &mut self.nationality,
            _ => return None,
        })
    }
}

impl CircuitWords {
    fn word(&mut self, name: &str) -> Option<&mut &'static str> {
        Some(match name {
            "name" => &mut self.name,
            "locality" => &mut self.locality,
            "country" => &mut self.country,
            "lat" => &mut self.lat,
            "long" => &mut self.long,
            _ => return None,
        })
    }
}

/// A session's day and UTC time of day (`""` where Ergast has none).
#[derive(Debug, Clone, Copy, Default)]
pub struct Slot {
    pub date: &'static str,
    pub time: &'static str,
}

/// A race as Ergast lists it: its name and weekend timetable.
#[derive(Debug, Clone, Copy)]
pub struct RaceWords {
    pub name: &'static str,
    pub race: Slot,
    pub fp1: Slot,
    pub fp2: Slot,
    pub fp3: Slot,
    pub qualifying: Slot,
    pub sprint: Slot,
}

pub struct Words {
    drivers: HashMap<&'static str, DriverWords>,
    constructors: HashMap<&'static str, ConstructorWords>,
    circuits: HashMap<&'static str, CircuitWords>,
    races: HashMap<(i32, i32), RaceWords>,
    /// (season, round, sprint, driver) → Ergast status id.
    statuses: HashMap<(i32, i32, bool, &'static str), u32>,
    /// The last race whose statuses the dump holds.
    last: (i32, i32),
}

const DRIVERS: &str = include_str!("words/drivers.tsv");
const DRIVERS_AFTER: &str = include_str!("words/drivers-after-dump.tsv");
const CONSTRUCTORS: &str = include_str!("words/constructors.tsv");
const CIRCUITS: &str = include_str!("words/circuits.tsv");
const RACES: &str = include_str!("words/races.tsv");
const RESULT_STATUS: &str = include_str!("words/result-status.tsv");
const SINCE_DUMP: &str = include_str!("words/since-dump.tsv");

/// A table's rows as fields, without its header line and comments.
fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table.lines().skip(1).filter(|l| !l.is_empty() && !l.starts_with('#')).map(|l| l.split('\t').collect())
}

fn field(row: &[&'static str], i: usize) -> &'static str {
    row.get(i).copied().unwrap_or_default()
}

fn slot(row: &[&'static str], i: usize) -> Slot {
    Slot { date: field(row, i), time: field(row, i + 1) }
}

impl Words {
    pub fn get() -> &'static Self {
        static WORDS: OnceLock<Words> = OnceLock::new();
        WORDS.get_or_init(Self::load)
    }

    fn load() -> Self {
        let mut drivers = HashMap::new();
        for r in rows(DRIVERS).chain(rows(DRIVERS_AFTER)) {
            drivers.entry(field(&r, 0)).or_insert(DriverWords {
                permanent_number: field(&r, 1),
                code: field(&r, 2),
                given_name: field(&r, 3),
                family_name: field(&r, 4),
                date_of_birth: field(&r, 5),
                nationality: field(&r, 6),
                url: field(&r, 7),
            });
        }
        let mut constructors: HashMap<_, _> = rows(CONSTRUCTORS)
            .map(|r| {
                (field(&r, 0), ConstructorWords { name: field(&r, 1), nationality: field(&r, 2), url: field(&r, 3) })
            })
            .collect();
        let mut circuits: HashMap<_, _> = rows(CIRCUITS)
            .map(|r| {
                let words = CircuitWords {
                    name: field(&r, 1),
                    locality: field(&r, 2),
                    country: field(&r, 3),
                    lat: field(&r, 4),
                    long: field(&r, 5),
                    url: field(&r, 6),
                };
                (field(&r, 0), words)
            })
            .collect();
        // Words Jolpica has changed since the dump, as its answers show them.
        for r in rows(SINCE_DUMP) {
            let (id, name) = (field(&r, 1), field(&r, 2));
            let word = match field(&r, 0) {
                "driver" => drivers.get_mut(id).and_then(|d| d.word(name)),
                "constructor" => constructors.get_mut(id).and_then(|c| c.word(name)),
                "circuit" => circuits.get_mut(id).and_then(|c| c.word(name)),
                _ => None,
            };
            if let Some(word) = word {
                *word = field(&r, 3);
            }
        }
        let number = |s: &str| s.parse::<i32>().unwrap_or_default();
        let races = rows(RACES)
            .map(|r| {
                let words = RaceWords {
                    name: field(&r, 2),
                    race: slot(&r, 3),
                    fp1: slot(&r, 5),
                    fp2: slot(&r, 7),
                    fp3: slot(&r, 9),
                    qualifying: slot(&r, 11),
                    sprint: slot(&r, 13),
                };
                ((number(field(&r, 0)), number(field(&r, 1))), words)
            })
            .collect();
        let mut statuses = HashMap::new();
        let mut last = (0, 0);
        for r in rows(RESULT_STATUS) {
            let (season, round) = (number(field(&r, 0)), number(field(&r, 1)));
            last = last.max((season, round));
            let key = (season, round, field(&r, 2) == "sprint", field(&r, 3));
            statuses.insert(key, field(&r, 4).parse().unwrap_or_default());
        }
        Self { drivers, constructors, circuits, races, statuses, last }
    }

    pub fn driver(&self, ergast_id: &str) -> Option<&DriverWords> {
        self.drivers.get(ergast_id)
    }

    pub fn constructor(&self, ergast_id: &str) -> Option<&ConstructorWords> {
        self.constructors.get(ergast_id)
    }

    pub fn circuit(&self, ergast_id: &str) -> Option<&CircuitWords> {
        self.circuits.get(ergast_id)
    }

    pub fn race(&self, season: i32, round: i32) -> Option<&RaceWords> {
        self.races.get(&(season, round))
    }

    /// The status id Ergast gave a classified row.
    pub fn status(&self, season: i32, round: i32, sprint: bool, driver: &str) -> Option<u32> {
        self.statuses.get(&(season, round, sprint, driver)).copied()
    }

    /// Whether a race comes after the last one the dump holds statuses for.
    pub fn after_dump(&self, season: i32, round: i32) -> bool {
        (season, round) > self.last
    }

    /// Whether Jolpica answers a row's status in its own five words
    /// (`Finished`, `Lapped`, `Retired`, `Disqualified`, `Did not start`)
    /// rather than Ergast's: races from 2023 on, sprints after the dump
    /// (as its recorded answers show).
    pub fn jolpica_statuses(&self, season: i32, round: i32, sprint: bool) -> bool {
        if sprint { self.after_dump(season, round) } else { season >= 2023 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_words_are_read() {
        let w = Words::get();
        assert_eq!(w.circuit("albert_park").map(|c| c.name), Some("Albert Park Grand Prix Circuit"));
        assert_eq!(w.circuit("silverstone").map(|c| c.country), Some("UK"));
        assert_eq!(w.driver("leclerc").map(|d| d.nationality), Some("Monegasque"));
        assert_eq!(w.driver("de_vries").map(|d| d.family_name), Some("de Vries"));
        assert_eq!(w.driver("antonelli").map(|d| d.given_name), Some("Andrea Kimi"), "after the dump: Jolpica's");
        assert_eq!(w.constructor("alpine").map(|c| c.name), Some("Alpine F1 Team"));
        assert_eq!(w.constructor("alfa").map(|c| c.nationality), Some("Swiss"));
        assert_eq!(w.race(2021, 18).map(|r| r.name), Some("Mexico City Grand Prix"));
        assert_eq!(w.race(2023, 4).map(|r| r.fp2.time), Some("09:30:00"));
        assert_eq!(w.status(1950, 1, false, "bira"), Some(60));
        assert!(w.after_dump(2024, 11) && !w.after_dump(2024, 10));
        assert!(w.jolpica_statuses(2023, 1, false) && !w.jolpica_statuses(2023, 4, true));
        assert_eq!(w.circuit("monaco").map(|c| c.locality), Some("Monte Carlo"), "changed since the dump");
    }
}
