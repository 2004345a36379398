use super::*;
use crate::fight::assess;
use crate::fight::tests::{rules, slot, table};

fn refs<'a>(s: &'a [Slot<'a>]) -> Vec<&'a Slot<'a>> {
    s.iter().collect()
}

#[test]
fn qatar_2023_sprint_verstappen_needs_sixth_thanks_to_countback() {
    let t = table(2023, Side::Drivers, &[("ver", 400.0, 13), ("per", 223.0, 2)]);
    let next = slot(17, Scoring::Sprint);
    let after = [
        slot(17, Scoring::Race),
        slot(18, Scoring::Sprint),
        slot(18, Scoring::Race),
        slot(19, Scoring::Race),
        slot(20, Scoring::Sprint),
        slot(20, Scoring::Race),
        slot(21, Scoring::Race),
        slot(22, Scoring::Race),
    ];
    let got = needs(&t, &rules(2023), "ver", &next, &refs(&after));
    assert_eq!(got, Some(Needs::Finish { position: 6, points: 3.0, rivals: vec![] }));
    // Pérez cannot clinch at the sprint whatever happens.
    assert_eq!(needs(&t, &rules(2023), "per", &next, &refs(&after)), Some(Needs::CannotClinch));
    let mut all = vec![&next];
    all.extend(refs(&after));
    assert_eq!(earliest_clinch(&t, &rules(2023), "ver", &all), Some(0));
    assert!(!assess(&t, &rules(2023), &all).clinched);
}

#[test]
fn a_close_rival_is_named_in_the_condition() {
    // Two races left: A 100, B 90, C 80 (2025 points, no fastest lap).
    let t = table(2025, Side::Drivers, &[("a", 100.0, 0), ("b", 90.0, 0), ("c", 80.0, 0)]);
    let rest = [slot(23, Scoring::Race), slot(24, Scoring::Race)];
    let got = needs(&t, &rules(2025), "a", &rest[0], &refs(&rest[1..]));
    // A win makes 125. B on 5th (10) and a last win would tie on 125 and
    // win countback (a win and a 5th against one win), so B must be 6th or
    // lower; C cannot reach 125 even second then first. Second place for A
    // (118) would need both B and C held back.
    assert_eq!(got, Some(Needs::Finish { position: 1, points: 25.0, rivals: vec![("b".into(), 6)] }));
    // B can win, but cannot clinch with a race still to come after.
    let b = needs(&t, &rules(2025), "b", &rest[0], &refs(&rest[1..]));
    assert!(matches!(b, Some(Needs::Finish { .. }) | Some(Needs::NoSimpleCondition) | Some(Needs::CannotClinch)));
    assert_eq!(earliest_clinch(&t, &rules(2025), "c", &refs(&rest)), Some(1));
}

#[test]
fn constructors_need_points_against_a_one_two() {
    let t = table(2025, Side::Constructors, &[("x", 100.0, 0), ("y", 60.0, 0)]);
    let next = slot(9, Scoring::Race);
    // Rival max after: 60 + 43 = 103; 103 < 100 + s needs s > 3 -> 4.
    assert_eq!(needs(&t, &rules(2025), "x", &next, &[]), Some(Needs::Score { points: 4.0 }));
    let far = table(2025, Side::Constructors, &[("x", 100.0, 0), ("y", 10.0, 0)]);
    let rest = [slot(9, Scoring::Race), slot(10, Scoring::Race), slot(11, Scoring::Race)];
    assert_eq!(needs(&far, &rules(2025), "x", &rest[0], &refs(&rest[1..])), Some(Needs::Score { points: 40.0 }));
    let rest = [slot(9, Scoring::Race), slot(10, Scoring::Race), slot(11, Scoring::Race), slot(12, Scoring::Race)];
    // 44 points would do if Y scored little: no condition on X's result alone.
    assert_eq!(needs(&far, &rules(2025), "x", &rest[0], &refs(&rest[1..])), Some(Needs::NoSimpleCondition));
    let rest = [
        slot(9, Scoring::Race),
        slot(10, Scoring::Race),
        slot(11, Scoring::Race),
        slot(12, Scoring::Race),
        slot(13, Scoring::Race),
    ];
    assert_eq!(needs(&far, &rules(2025), "x", &rest[0], &refs(&rest[1..])), Some(Needs::CannotClinch));
}
