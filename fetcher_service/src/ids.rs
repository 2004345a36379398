//! One stable id per driver, constructor and circuit across sources.
//!
//! Stable ids are f1db's (`max-verstappen`, `red-bull`, `shanghai`). Ergast
//! (Jolpica) ids are mapped onto them by, in order:
//! 1. the season-dependent exceptions ([`SEASONAL_CONSTRUCTORS`]: Ergast kept
//!    `sauber` and `rb` across renames that f1db records as new constructors);
//! 2. the stored `IdAlias` records (written by the f1db import and by every
//!    sync that had to resolve a new id);
//! 3. the explicit exceptions tables below (Ergast ids that are not derivable,
//!    mostly surname-only driver ids and place-named circuits), extended by
//!    the full f1db -> Ergast id maps in `data/ergast-ids/` (see its
//!    `SOURCE.md`: every driver, constructor and circuit Ergast had);
//! 4. the derivable rule: `_` becomes `-` (`max_verstappen` -> `max-verstappen`,
//!    `red_bull` -> `red-bull`).
//!
//! The tables hold facts: the pairs were matched between the recorded Jolpica
//! answers (driver name and date of birth, circuit name and coordinates,
//! constructor name) and f1db's files; `button`, `massa`, `rosberg` and
//! `webber` are Ergast's long-standing ids for those drivers. A Jolpica sync
//! also resolves an unknown driver by name and date of birth (see
//! `sources::jolpica::ids`), so a missing entry costs a lookup, not a wrong id.
use std::sync::OnceLock;

use protobuf::v1::IdAlias;

/// The `source` of Ergast/Jolpica aliases.
pub const ERGAST: &str = "ergast";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Driver,
    Constructor,
    Circuit,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Driver => "driver",
            Self::Constructor => "constructor",
            Self::Circuit => "circuit",
        }
    }

    /// The (Ergast id, stable id) pairs that the rule does not give: the
    /// tables below, then the id maps' pairs they lack.
    fn exceptions(self) -> &'static [(&'static str, &'static str)] {
        static TABLES: OnceLock<[Vec<(&'static str, &'static str)>; 3]> = OnceLock::new();
        let tables = TABLES.get_or_init(|| {
            [
                merged(DRIVER_EXCEPTIONS, include_str!("../data/ergast-ids/drivers.tsv")),
                merged(CONSTRUCTOR_EXCEPTIONS, include_str!("../data/ergast-ids/constructors.tsv")),
                merged(CIRCUIT_EXCEPTIONS, include_str!("../data/ergast-ids/circuits.tsv")),
            ]
        });
        match self {
            Self::Driver => &tables[0],
            Self::Constructor => &tables[1],
            Self::Circuit => &tables[2],
        }
    }
}

/// `table` plus the non-derivable pairs of an id map (`f1db_id ergast_id
/// ...` per line, tab-separated, after a header). An Ergast id the map
/// gives to several stable ids (Ergast merged teams f1db keeps apart:
/// `williams` for Frank Williams Racing Cars and Williams) is left out: it
/// could resolve to one of them only, so those answer with the rule.
fn merged(table: &[(&'static str, &'static str)], map: &'static str) -> Vec<(&'static str, &'static str)> {
    let pairs: Vec<(&str, &str)> = map
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            Some((cols.next()?, cols.next()?))
        })
        .filter(|(id, ergast)| !id.is_empty() && !ergast.is_empty())
        .collect();
    let mut out = table.to_vec();
    for (id, ergast) in &pairs {
        let shared = pairs.iter().filter(|(_, e)| e == ergast).count() > 1;
        let known = out.iter().any(|(e, i)| e == ergast || i == id);
        if !shared && !known && derive(ergast) != *id {
            out.push((ergast, id));
        }
    }
    out
}

/// Ergast driver ids that are not `first_last` forms of the f1db id.
pub const DRIVER_EXCEPTIONS: &[(&str, &str)] = &[
    ("albon", "alexander-albon"),
    ("alonso", "fernando-alonso"),
    ("antonelli", "kimi-antonelli"),
    ("bearman", "oliver-bearman"),
    ("bortoleto", "gabriel-bortoleto"),
    ("bottas", "valtteri-bottas"),
    ("button", "jenson-button"),
    ("colapinto", "franco-colapinto"),
    ("de_vries", "nyck-de-vries"),
    ("doohan", "jack-doohan"),
    ("ericsson", "marcus-ericsson"),
    ("gasly", "pierre-gasly"),
    ("giovinazzi", "antonio-giovinazzi"),
    ("grosjean", "romain-grosjean"),
    ("hadjar", "isack-hadjar"),
    ("hamilton", "lewis-hamilton"),
    ("hulkenberg", "nico-hulkenberg"),
    ("kubica", "robert-kubica"),
    ("kvyat", "daniil-kvyat"),
    ("latifi", "nicholas-latifi"),
    ("lawson", "liam-lawson"),
    ("leclerc", "charles-leclerc"),
    ("massa", "felipe-massa"),
    ("mazepin", "nikita-mazepin"),
    ("norris", "lando-norris"),
    ("ocon", "esteban-ocon"),
    ("perez", "sergio-perez"),
    ("piastri", "oscar-piastri"),
    ("raikkonen", "kimi-raikkonen"),
    ("ricciardo", "daniel-ricciardo"),
    ("rosberg", "nico-rosberg"),
    ("russell", "george-russell"),
    ("sainz", "carlos-sainz-jr"),
    ("sargeant", "logan-sargeant"),
    ("sirotkin", "sergey-sirotkin"),
    ("stroll", "lance-stroll"),
    ("tsunoda", "yuki-tsunoda"),
    ("vandoorne", "stoffel-vandoorne"),
    ("vettel", "sebastian-vettel"),
    ("webber", "mark-webber"),
    ("zhou", "guanyu-zhou"),
];

/// Ergast constructor ids whose f1db id differs in every season.
pub const CONSTRUCTOR_EXCEPTIONS: &[(&str, &str)] = &[("alfa", "alfa-romeo"), ("team_lotus", "lotus")];

/// Ergast constructor ids that f1db splits by season: (ergast id, first
/// season, last season, f1db id).
pub const SEASONAL_CONSTRUCTORS: &[(&str, i32, i32, &str)] =
    &[("sauber", 2024, 2025, "kick-sauber"), ("rb", 2025, 2026, "racing-bulls")];

/// Ergast circuit ids named after a place or a person where f1db uses the town.
pub const CIRCUIT_EXCEPTIONS: &[(&str, &str)] = &[
    ("albert_park", "melbourne"),
    ("americas", "austin"),
    ("galvez", "buenos-aires"),
    ("losail", "lusail"),
    ("red_bull_ring", "spielberg"),
    ("ricard", "paul-ricard"),
    ("rodriguez", "mexico-city"),
    ("spa", "spa-francorchamps"),
    ("vegas", "las-vegas"),
    ("villeneuve", "montreal"),
];

/// The derivable rule: Ergast writes `_` where f1db writes `-`.
pub fn derive(ergast_id: &str) -> String {
    ergast_id.replace('_', "-")
}

/// The reverse of [`derive`]: the Ergast spelling of a stable id.
pub fn ergast_spelling(id: &str) -> String {
    id.replace('-', "_")
}

/// The f1db id of a season-bound Ergast constructor id in `season`.
pub fn seasonal_constructor(ergast_id: &str, season: i32) -> Option<&'static str> {
    SEASONAL_CONSTRUCTORS
        .iter()
        .find(|(e, from, to, _)| *e == ergast_id && (*from..=*to).contains(&season))
        .map(|(.., id)| *id)
}

/// Whether `ergast_id` names different constructors in different seasons
/// (its stored alias then holds only the newest).
pub fn is_seasonal(ergast_id: &str) -> bool {
    SEASONAL_CONSTRUCTORS.iter().any(|(e, ..)| *e == ergast_id)
}

/// The stable id an exception table gives `ergast_id` (in `season`, for
/// season-bound constructor ids), if any.
pub fn exception(kind: Kind, ergast_id: &str, season: Option<i32>) -> Option<&'static str> {
    if kind == Kind::Constructor
        && let Some(id) = season.and_then(|s| seasonal_constructor(ergast_id, s))
    {
        return Some(id);
    }
    kind.exceptions().iter().find(|(e, _)| *e == ergast_id).map(|(_, id)| *id)
}

pub fn alias(kind: Kind, ergast_id: &str, id: &str) -> IdAlias {
    IdAlias { kind: kind.as_str().into(), source: ERGAST.into(), source_id: ergast_id.into(), id: id.into() }
}

/// The Ergast aliases of a set of stable ids of one kind: the derivable
/// spelling of each, plus every exception whose target is in the set (the
/// exception wins when both name the same Ergast id).
pub fn ergast_aliases<'a>(kind: Kind, ids: impl IntoIterator<Item = &'a str>) -> Vec<IdAlias> {
    let ids: std::collections::BTreeSet<&str> = ids.into_iter().collect();
    let mut by_source: std::collections::BTreeMap<String, String> =
        ids.iter().map(|id| (ergast_spelling(id), (*id).to_string())).collect();
    for (ergast, id) in kind.exceptions() {
        if ids.contains(id) {
            by_source.insert((*ergast).to_string(), (*id).to_string());
        }
    }
    // The Ergast id a season-bound constructor answers as (read back by
    // the Ergast API; the resolver never reads these, see [`is_seasonal`]).
    if kind == Kind::Constructor {
        for (ergast, .., id) in SEASONAL_CONSTRUCTORS {
            if ids.contains(id) {
                by_source.insert((*ergast).to_string(), (*id).to_string());
            }
        }
    }
    by_source.into_iter().map(|(source_id, id)| alias(kind, &source_id, &id)).collect()
}

/// Lower-case ASCII slug of a name (one definition, shared with name search).
pub use protobuf::names::slug;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivable_ids_map_by_rule() {
        assert_eq!(derive("max_verstappen"), "max-verstappen");
        assert_eq!(derive("red_bull"), "red-bull");
        assert_eq!(derive("shanghai"), "shanghai");
        assert_eq!(ergast_spelling("kevin-magnussen"), "kevin_magnussen");
    }

    #[test]
    fn exceptions_win_and_seasons_matter() {
        assert_eq!(exception(Kind::Driver, "hamilton", None), Some("lewis-hamilton"));
        assert_eq!(exception(Kind::Driver, "max_verstappen", None), None);
        assert_eq!(exception(Kind::Circuit, "albert_park", None), Some("melbourne"));
        assert_eq!(exception(Kind::Constructor, "sauber", Some(2018)), None);
        assert_eq!(exception(Kind::Constructor, "sauber", Some(2024)), Some("kick-sauber"));
        assert_eq!(exception(Kind::Constructor, "rb", Some(2024)), None);
        assert_eq!(exception(Kind::Constructor, "rb", Some(2025)), Some("racing-bulls"));
    }

    #[test]
    fn aliases_cover_rule_and_exceptions() {
        let aliases = ergast_aliases(Kind::Driver, ["max-verstappen", "lewis-hamilton"]);
        let pairs: Vec<(&str, &str)> = aliases.iter().map(|a| (a.source_id.as_str(), a.id.as_str())).collect();
        assert_eq!(
            pairs,
            vec![
                ("hamilton", "lewis-hamilton"),
                ("lewis_hamilton", "lewis-hamilton"),
                ("max_verstappen", "max-verstappen")
            ]
        );
        assert!(aliases.iter().all(|a| a.kind == "driver" && a.source == ERGAST));
    }

    #[test]
    fn no_exception_is_a_derivable_pair() {
        for kind in [Kind::Driver, Kind::Constructor, Kind::Circuit] {
            for (ergast, id) in kind.exceptions() {
                assert_ne!(derive(ergast), *id, "{ergast} needs no exception");
            }
        }
    }

    #[test]
    fn the_id_maps_name_every_old_driver_constructor_and_circuit() {
        assert_eq!(exception(Kind::Driver, "fangio", None), Some("juan-manuel-fangio"));
        assert_eq!(exception(Kind::Driver, "sutil", None), Some("adrian-sutil"));
        assert_eq!(exception(Kind::Circuit, "las_vegas", None), Some("caesars-palace"));
        assert_eq!(exception(Kind::Circuit, "vegas", None), Some("las-vegas"));
        assert_eq!(exception(Kind::Constructor, "alfa", None), Some("alfa-romeo"), "the table wins");
        // Shared by two f1db constructors: neither gets it from the map.
        assert_eq!(exception(Kind::Constructor, "williams", None), None);
        let aliases = ergast_aliases(Kind::Circuit, ["caesars-palace", "las-vegas"]);
        let to = |e: &str| aliases.iter().find(|a| a.source_id == e).map(|a| a.id.as_str());
        assert_eq!((to("las_vegas"), to("vegas")), (Some("caesars-palace"), Some("las-vegas")));
        assert!(Kind::Driver.exceptions().len() > 700, "{}", Kind::Driver.exceptions().len());
    }

    #[test]
    fn no_ergast_id_names_two_stable_ids() {
        for kind in [Kind::Driver, Kind::Constructor, Kind::Circuit] {
            let mut seen = std::collections::HashMap::new();
            for (ergast, id) in kind.exceptions() {
                if let Some(other) = seen.insert(*ergast, *id) {
                    panic!("{} {ergast} names {other} and {id}", kind.as_str());
                }
            }
        }
    }
}
