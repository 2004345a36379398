//! Race entries counted from race classifications: who raced for whom,
//! with which numbers, season by season. Careers are built from these
//! rather than from standings, which leave out seasons without points,
//! constructors before 1958 and all but a driver's last team of a season.
use std::collections::{BTreeMap, HashSet};

use protobuf::provenance::started;
use protobuf::v1::{SeasonEntries, SeasonEntry, Session};

/// Every entry of `races` (race sessions in round order), by season, each
/// season's in the order first raced.
pub(super) fn index(races: &[Session]) -> Vec<SeasonEntries> {
    let mut seasons: BTreeMap<i32, SeasonEntries> = BTreeMap::new();
    for race in races {
        let season =
            seasons.entry(race.season).or_insert_with(|| SeasonEntries { season: race.season, ..Default::default() });
        season.provisional |= race.is_provisional();
        let entries = &mut season.entries;
        // A driver in two cars of one team in one race (the 1950s) is one entry.
        let mut counted = HashSet::new();
        for r in &race.results {
            let at =
                match entries.iter().position(|e| e.driver_id == r.driver_id && e.constructor_id == r.constructor_id) {
                    Some(at) => at,
                    None => {
                        entries.push(SeasonEntry {
                            driver_id: r.driver_id.clone(),
                            driver_name: r.driver_name.clone(),
                            constructor_id: r.constructor_id.clone(),
                            team: r.team.clone(),
                            ..Default::default()
                        });
                        entries.len() - 1
                    }
                };
            let e = &mut entries[at];
            if !e.numbers.contains(&r.driver_number) {
                e.numbers.push(r.driver_number);
            }
            let finished = r.position_text.parse::<i32>().ok();
            e.wins += i32::from(finished == Some(1));
            e.podiums += i32::from(finished.is_some_and(|p| (1..=3).contains(&p)));
            e.poles += i32::from(r.grid == 1);
            e.points += r.points;
            if counted.insert(at) {
                e.entries += 1;
                e.starts += i32::from(started(&r.position_text));
            }
        }
    }
    seasons.into_values().filter(|s| !s.entries.is_empty()).collect()
}

/// The entries `keep` selects, by season (seasons without one left out),
/// and whether a season they are in holds provisional results.
pub(super) fn pick(
    index: Vec<SeasonEntries>,
    keep: impl Fn(&SeasonEntry) -> bool,
) -> (BTreeMap<i32, Vec<SeasonEntry>>, bool) {
    let mut provisional = false;
    let mut picked = BTreeMap::new();
    for s in index {
        let entries: Vec<SeasonEntry> = s.entries.into_iter().filter(|e| keep(e)).collect();
        if !entries.is_empty() {
            provisional |= s.provisional;
            picked.insert(s.season, entries);
        }
    }
    (picked, provisional)
}

#[cfg(test)]
mod tests {
    use protobuf::v1::SessionResult;

    use super::*;

    fn line(text: &str, driver: &str, team: &str, number: i32, points: f64) -> SessionResult {
        SessionResult {
            position_text: text.into(),
            driver_id: driver.into(),
            driver_name: driver.to_uppercase(),
            constructor_id: team.into(),
            team: team.to_uppercase(),
            driver_number: number,
            points,
            ..Default::default()
        }
    }

    fn race(season: i32, round: i32, results: Vec<SessionResult>) -> Session {
        Session { season, round, results, ..Default::default() }
    }

    #[test]
    fn a_driver_is_listed_under_every_team_and_number_raced() {
        let races = [
            race(1973, 1, vec![line("1", "ickx", "ferrari", 4, 9.0), line("2", "hill", "williams", 0, 6.0)]),
            race(1973, 2, vec![line("DNQ", "ickx", "mclaren", 30, 0.0)]),
            race(1974, 1, vec![line("R", "hill", "williams", 0, 0.0), line("3", "hill", "williams", 5, 4.0)]),
        ];
        let all = index(&races);
        let (ickx, provisional) = pick(all.clone(), |e| e.driver_id == "ickx");
        assert!(!provisional);
        let teams: Vec<_> = ickx[&1973].iter().map(|e| (e.constructor_id.as_str(), e.numbers.clone())).collect();
        assert_eq!(teams, [("ferrari", vec![4]), ("mclaren", vec![30])]);
        assert_eq!((ickx[&1973][1].entries, ickx[&1973][1].starts), (1, 0));
        assert!(!ickx.contains_key(&1974));

        let (hill, _) = pick(all.clone(), |e| e.driver_id == "hill");
        assert_eq!(hill[&1974][0].numbers, [0, 5]);
        assert_eq!((hill[&1974][0].entries, hill[&1974][0].podiums, hill[&1974][0].points), (1, 1, 4.0));
        assert_eq!(hill[&1973][0].numbers, [0]);

        let (williams, _) = pick(all, |e| e.constructor_id == "williams");
        assert_eq!(williams.keys().copied().collect::<Vec<_>>(), [1973, 1974]);
    }
}
