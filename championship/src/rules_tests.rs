use super::*;

fn rules(year: i32) -> PointsRules {
    PointsRules::for_season(year).unwrap()
}

#[test]
fn every_season_from_1950_is_modelled() {
    assert!(PointsRules::for_season(1949).is_none());
    for year in 1950..=2026 {
        assert!(PointsRules::for_season(year).is_some(), "{year}");
    }
    assert!(rules(1957).constructors.is_none());
    assert!(rules(1958).constructors.is_some());
}

#[test]
fn race_tables_by_era() {
    assert_eq!(rules(1950).race, [8.0, 6.0, 4.0, 3.0, 2.0]);
    assert_eq!(rules(1960).race, [8.0, 6.0, 4.0, 3.0, 2.0, 1.0]);
    assert_eq!(rules(1961).race[0], 9.0);
    assert_eq!(rules(1961).constructors.unwrap().race[0], 8.0);
    assert_eq!(rules(1962).constructors.unwrap().race[0], 9.0);
    assert_eq!(rules(1991).race, [10.0, 6.0, 4.0, 3.0, 2.0, 1.0]);
    assert_eq!(rules(2003).points(Scoring::Race, 8, false, false), 1.0);
    assert_eq!(rules(2002).points(Scoring::Race, 7, false, false), 0.0);
    assert_eq!(rules(2026).race[0], 25.0);
}

#[test]
fn the_fastest_lap_point() {
    // 1950s: anyone, even unclassified; not for constructors.
    assert_eq!(rules(1955).points(Scoring::Race, 0, true, false), 1.0);
    assert_eq!(rules(1958).session_max(Side::Constructors, Scoring::Race, false), 8.0);
    assert_eq!(rules(1960).points(Scoring::Race, 1, true, false), 8.0);
    for year in 2019..=2024 {
        let r = rules(year);
        assert_eq!(r.points(Scoring::Race, 1, true, false), 26.0);
        assert_eq!(r.points(Scoring::Race, 10, true, false), 2.0);
        assert_eq!(r.points(Scoring::Race, 11, true, false), 0.0);
    }
    assert_eq!(rules(2025).points(Scoring::Race, 1, true, false), 25.0);
    assert_eq!(rules(2023).points(Scoring::Sprint, 1, true, false), 8.0);
}

#[test]
fn dropped_scores_and_split_seasons() {
    assert_eq!(rules(1988).counted, Some(Counted::best(11)));
    assert_eq!(rules(1991).counted, None);
    let c = rules(1979).counted.unwrap();
    assert_eq!((c.part_of(7), c.part_of(8)), ((0, 4), (1, 4)));
    // Best four of each half: the fifth-best of the first half is dropped
    // even though the second half has room.
    let scores = [(1, 9.0), (2, 9.0), (3, 9.0), (4, 9.0), (5, 6.0), (8, 1.0)];
    assert_eq!(c.total(&scores), 37.0);
    assert_eq!(Counted::best(2).total(&[(1, 1.0), (2, 9.0), (3, 6.0)]), 15.0);
    // Constructors: the same until 1978, all from 1979.
    assert!(rules(1978).counted(Side::Constructors).is_some());
    assert!(rules(1979).counted(Side::Constructors).is_none());
}

#[test]
fn half_points_indianapolis_and_the_2014_final() {
    assert_eq!(rules(1975).half_points_rounds, [4, 12]);
    assert_eq!(rules(2021).round_factor(12), 0.5);
    assert_eq!(rules(2021).round_factor(13), 1.0);
    assert_eq!(rules(1955).indianapolis_round, Some(3));
    assert!(!rules(1959).round_scores(Side::Constructors, 2));
    assert!(rules(1959).round_scores(Side::Drivers, 2));
    let r = rules(2014);
    assert_eq!(r.points(Scoring::Race, 1, false, true), 50.0);
    assert_eq!(r.session_max(Side::Constructors, Scoring::Race, true), 86.0);
    assert_eq!(rules(2013).points(Scoring::Race, 1, false, true), 25.0);
}

#[test]
fn shortened_races_from_2022() {
    assert!(rules(2021).shortened_points(20, 1).is_none());
    assert_eq!(rules(2022).shortened_points(20, 1), Some(6.0));
    assert_eq!(rules(2024).shortened_points(60, 10), Some(1.0));
    assert_eq!(rules(2024).shortened_points(80, 1), None);
}

#[test]
fn session_maxima() {
    assert_eq!(rules(2023).session_max(Side::Drivers, Scoring::Race, false), 26.0);
    assert_eq!(rules(2023).session_max(Side::Constructors, Scoring::Race, false), 44.0);
    assert_eq!(rules(2023).session_max(Side::Constructors, Scoring::Sprint, false), 15.0);
    assert_eq!(rules(1970).session_max(Side::Constructors, Scoring::Race, false), 9.0);
    assert_eq!(rules(1979).session_max(Side::Constructors, Scoring::Race, false), 15.0);
    assert_eq!(rules(2019).rival_best(Scoring::Race, 1, false), 19.0);
    assert_eq!(rules(2021).team_totals(Scoring::Sprint, false), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(rules(1970).team_totals(Scoring::Race, false), [0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 9.0]);
}
