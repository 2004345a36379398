use super::*;
use crate::calendar::SlotState;
use crate::scoring::At;
use protobuf::v1::SessionResult;

pub fn slot(round: i32, kind: Scoring) -> Slot<'static> {
    Slot {
        round,
        round_name: format!("R{round}"),
        kind,
        state: SlotState::Remaining,
        final_round: false,
        date: String::new(),
        session: None,
    }
}

/// A table of `year` where each row scored `points` at round 1 and won
/// `wins` races.
pub fn table(year: i32, side: Side, rows: &[(&str, f64, u32)]) -> Table {
    let rules = PointsRules::for_season(year).unwrap();
    let mut t = Table::with_rules(side, &rules);
    for (id, points, wins) in rows {
        let r = SessionResult {
            driver_id: id.to_string(),
            driver_name: id.to_string(),
            constructor_id: id.to_string(),
            points: *points,
            ..Default::default()
        };
        t.add_session(&rules, At { round: 1, kind: Scoring::Sprint, final_round: false }, &[r]);
        for _ in 0..*wins {
            let r = SessionResult {
                position: 1,
                driver_id: id.to_string(),
                constructor_id: id.to_string(),
                ..Default::default()
            };
            t.add_session(&rules, At { round: 1, kind: Scoring::Race, final_round: false }, &[r]);
        }
    }
    t
}

pub fn rules(year: i32) -> PointsRules {
    PointsRules::for_season(year).unwrap()
}

#[test]
fn a_tie_at_the_maximum_is_possible_when_countback_favours_the_rival() {
    let t = table(2025, Side::Drivers, &[("a", 50.0, 0), ("b", 25.0, 1)]);
    let rest = [slot(2, Scoring::Race)];
    let rest: Vec<&Slot> = rest.iter().collect();
    let a = assess(&t, &rules(2025), &rest);
    let b = &a.contenders[1];
    assert_eq!(b.max_points, 50.0);
    assert!(b.can_win && b.needs_countback);
    assert!(!a.clinched);
    let t = table(2025, Side::Drivers, &[("a", 50.0, 3), ("b", 25.0, 1)]);
    let a = assess(&t, &rules(2025), &rest);
    assert!(!a.contenders[1].can_win);
    assert!(a.clinched);
}

#[test]
fn nobody_can_pass_at_the_end_of_a_season() {
    let t = table(2010, Side::Drivers, &[("a", 10.0, 0), ("b", 9.0, 5)]);
    let a = assess(&t, &rules(2010), &[]);
    assert!(a.clinched);
    assert!(a.contenders[0].can_win && !a.contenders[1].can_win);
}

#[test]
fn with_dropped_scores_the_maximum_is_the_best_results_not_a_sum() {
    // 1988, best 11 of 16: eleven wins already count 99; two more wins
    // replace nothing, so the maximum stays 99, not 117.
    let rules = rules(1988);
    let mut t = Table::with_rules(Side::Drivers, &rules);
    for round in 1..=14 {
        let p = if round <= 11 { 9.0 } else { 0.0 };
        let r = SessionResult { position: 1, driver_id: "a".into(), points: p, ..Default::default() };
        t.add_session(&rules, At { round, kind: Scoring::Race, final_round: false }, &[r]);
    }
    let rest = [slot(15, Scoring::Race), slot(16, Scoring::Race)];
    let rest: Vec<&Slot> = rest.iter().collect();
    let a = assess(&t, &rules, &rest);
    assert_eq!(a.contenders[0].entry.points, 99.0);
    assert_eq!(a.contenders[0].max_points, 99.0);
}
