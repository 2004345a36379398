//! Ergast's identifiers: the `driverId`/`constructorId`/`circuitId` of each
//! stored record (from the `ergast` id aliases the fetcher writes), and the
//! finishing-status ids.
use std::collections::{BTreeMap, HashMap};

use protobuf::v1::IdAlias;

/// The `source` of Ergast aliases (as the fetcher writes them).
pub const SOURCE: &str = "ergast";

/// Stable id → Ergast id, per kind.
#[derive(Debug, Default)]
pub struct ErgastIds {
    driver: HashMap<String, String>,
    constructor: HashMap<String, String>,
    circuit: HashMap<String, String>,
}

/// The rule-derived Ergast spelling of a stable id (`max-verstappen` →
/// `max_verstappen`): what an id without an alias answers as.
fn spelled(id: &str) -> String {
    id.replace('-', "_")
}

impl ErgastIds {
    /// Several Ergast ids may name one record (`hamilton` and the derived
    /// `lewis_hamilton`): an alias that is not the derived spelling was
    /// matched on purpose and wins; among several, the first in byte order.
    pub fn from_aliases(aliases: &[IdAlias]) -> Self {
        let mut chosen: [BTreeMap<&str, (bool, &str)>; 3] = Default::default();
        for a in aliases.iter().filter(|a| a.source == SOURCE) {
            let slot = match a.kind.as_str() {
                "driver" => 0,
                "constructor" => 1,
                "circuit" => 2,
                _ => continue,
            };
            let derived = spelled(&a.id) == a.source_id;
            let candidate = (!derived, a.source_id.as_str());
            let entry = chosen[slot].entry(a.id.as_str()).or_insert(candidate);
            // Prefer not-derived, then the smaller id.
            if (candidate.0, std::cmp::Reverse(candidate.1)) > (entry.0, std::cmp::Reverse(entry.1)) {
                *entry = candidate;
            }
        }
        let [d, c, k] = chosen.map(|m| m.into_iter().map(|(id, (_, e))| (id.to_string(), e.to_string())).collect());
        Self { driver: d, constructor: c, circuit: k }
    }

    pub fn driver(&self, id: &str) -> String {
        self.driver.get(id).cloned().unwrap_or_else(|| spelled(id))
    }

    pub fn constructor(&self, id: &str) -> String {
        self.constructor.get(id).cloned().unwrap_or_else(|| spelled(id))
    }

    pub fn circuit(&self, id: &str) -> String {
        self.circuit.get(id).cloned().unwrap_or_else(|| spelled(id))
    }
}

/// Ergast's status table (bundled: the ids clients know), then ids for
/// statuses it lacks, derived from the text so they stay the same across
/// imports and restarts.
pub struct Statuses {
    by_text: HashMap<&'static str, u32>,
    by_id: HashMap<u32, &'static str>,
    /// Lower-cased text → Ergast's spelling (`power unit` → `Power Unit`).
    by_folded: HashMap<String, &'static str>,
}

const STATUS_TABLE: &str = include_str!("status.tsv");

/// First id of statuses that Ergast's table lacks.
const DERIVED_FROM: u32 = 1000;

impl Statuses {
    pub fn get() -> &'static Self {
        static TABLE: std::sync::OnceLock<Statuses> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let by_text: HashMap<&'static str, u32> = STATUS_TABLE
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .filter_map(|l| {
                    let (id, text) = l.split_once('\t')?;
                    Some((text, id.parse().ok()?))
                })
                .collect();
            let by_id = by_text.iter().map(|(t, id)| (*id, *t)).collect();
            let by_folded = by_text.keys().map(|t| (t.to_lowercase(), *t)).collect();
            Self { by_text, by_id, by_folded }
        })
    }

    /// Ergast's text of a status id.
    pub fn text(&self, id: u32) -> Option<&'static str> {
        self.by_id.get(&id).copied()
    }

    /// Ergast's spelling of a status that differs only in case
    /// (`Power unit`), else the text itself.
    pub fn spelled<'a>(&self, text: &'a str) -> &'a str {
        if self.by_text.contains_key(text) {
            return text;
        }
        self.by_folded.get(&text.to_lowercase()).copied().unwrap_or(text)
    }

    /// The id of a status text: Ergast's, else one derived from the text
    /// (FNV-1a into 1000..=999_999; a clash between two texts that Ergast
    /// lacks is possible but has not occurred in the data).
    pub fn id(&self, text: &str) -> u32 {
        if let Some(id) = self.by_text.get(text) {
            return *id;
        }
        let mut h: u32 = 0x811c_9dc5;
        for b in text.bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
        DERIVED_FROM + h % 999_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alias(kind: &str, source_id: &str, id: &str) -> IdAlias {
        IdAlias { kind: kind.into(), source: SOURCE.into(), source_id: source_id.into(), id: id.into() }
    }

    #[test]
    fn matched_aliases_win_over_the_derived_spelling() {
        let ids = ErgastIds::from_aliases(&[
            alias("driver", "lewis_hamilton", "lewis-hamilton"),
            alias("driver", "hamilton", "lewis-hamilton"),
            alias("driver", "max_verstappen", "max-verstappen"),
            alias("constructor", "kick_sauber", "kick-sauber"),
            alias("constructor", "sauber", "kick-sauber"),
            alias("circuit", "albert_park", "melbourne"),
        ]);
        assert_eq!(ids.driver("lewis-hamilton"), "hamilton");
        assert_eq!(ids.driver("max-verstappen"), "max_verstappen");
        assert_eq!(ids.driver("oliver-bearman"), "oliver_bearman", "no alias: the rule");
        assert_eq!(ids.constructor("kick-sauber"), "sauber");
        assert_eq!(ids.circuit("melbourne"), "albert_park");
    }

    #[test]
    fn status_ids_are_ergasts_then_stable() {
        let s = Statuses::get();
        assert_eq!(s.id("Finished"), 1);
        assert_eq!(s.id("+1 Lap"), 11);
        assert_eq!(s.id("Lapped"), 143);
        let other = s.id("Fell off a cliff");
        assert!(other >= DERIVED_FROM);
        assert_eq!(other, Statuses::get().id("Fell off a cliff"));
    }
}
