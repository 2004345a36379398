//! Where every title was decided, 1950–2025: the round f1db marks with
//! `driversChampionshipDecider` / `constructorsChampionshipDecider` (its
//! record of the race after which the title could no longer be lost),
//! against the round and session the analysis finds from the results.
use championship::analyse;
use championship::report::ScoringSession;

use crate::data::seasons;

/// Titles decided where the analysis of the results disagrees with f1db:
/// (season, side, round found, why).
const DIFFERING: &[(i32, &str, i32, &str)] = &[
    (
        1953,
        "drivers",
        7,
        "after Germany nobody could reach Ascari's 33.5 counted points (best four); f1db, like the usual \
         record, marks Switzerland, where he won",
    ),
    (
        1960,
        "drivers",
        9,
        "the British teams boycotted Monza (round 9), so McLaren could score only at the final round and \
         Portugal decided it; the rules alone wait until Monza has passed",
    ),
    (
        1961,
        "drivers",
        8,
        "von Trips, the only rival left, was killed at Monza (round 7); the rules alone wait for the final round",
    ),
    (
        1978,
        "drivers",
        15,
        "Peterson, the only rival left, died after Monza (round 14); the rules alone wait for the final round",
    ),
    (
        1968,
        "constructors",
        11,
        "Matra could at best draw level on counted points and lose on countback; f1db marks the final round, \
         counting a tie as still open",
    ),
    (1978, "constructors", 12, "Brabham could at best draw level and lose on countback; f1db marks the next round"),
];

/// Titles decided at a sprint (the day of the round: what happened, e.g.
/// Verstappen's third title after the 2023 Qatar sprint). Every other
/// title was decided at a race.
const AT_A_SPRINT: &[(i32, &str)] = &[(2023, "drivers")];

#[test]
fn every_title_is_decided_where_it_was() {
    let mut wrong = Vec::new();
    for (&year, season) in seasons().range(..=2025) {
        let total = season.rounds.len() as i32;
        let c = analyse(year, total, &season.rounds, &[]);
        let sides = [
            ("drivers", c.drivers.as_ref(), season.drivers_decider),
            ("constructors", c.constructors.as_ref(), season.constructors_decider),
        ];
        for (side, fight, want) in sides {
            let Some(fight) = fight else { continue };
            let got = fight.clinched_at.as_ref().map(|s| s.round);
            let champion = fight.leader.clone().unwrap_or_default();
            let known = DIFFERING.iter().any(|(y, s, r, _)| *y == year && *s == side && Some(*r) == got);
            if got != want && !known {
                wrong.push(format!("{year} {side} {champion}: f1db round {want:?}, analysis {got:?}"));
            }
            let session = fight.clinched_at.as_ref().map(|s| s.session);
            let sprint = AT_A_SPRINT.contains(&(year, side));
            let want_session = Some(if sprint { ScoringSession::Sprint } else { ScoringSession::Race });
            if session != want_session {
                wrong.push(format!("{year} {side}: decided at {session:?}, want {want_session:?}"));
            }
            let f1db_champion = if side == "drivers" { &season.drivers } else { &season.constructors };
            let first = f1db_champion.iter().find(|(p, _, _)| *p == 1).map(|(_, id, _)| id.clone());
            if Some(&champion) != first.as_ref() {
                wrong.push(format!("{year} {side}: leader {champion}, f1db champion {first:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} deciders differ:\n{}", wrong.len(), wrong.join("\n"));
}
