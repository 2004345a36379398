//! The era rules that are easy to get wrong, on the real seasons.
use championship::rules::Side;
use championship::table::Table;

use crate::data::seasons;
use crate::standings::final_table;

fn row(t: &Table, id: &str) -> (f64, f64) {
    let e = t.get(id).unwrap_or_else(|| panic!("{id} in the table"));
    ((e.points * 100.0).round() / 100.0, (e.total * 100.0).round() / 100.0)
}

#[test]
fn in_1988_senna_won_on_his_best_eleven_with_fewer_points_in_total() {
    let all = seasons();
    let t = final_table(1988, &all[&1988], Side::Drivers);
    assert_eq!(row(&t, "ayrton-senna"), (90.0, 94.0));
    assert_eq!(row(&t, "alain-prost"), (87.0, 105.0));
    assert_eq!(t.ranked()[0].id, "ayrton-senna");
}

#[test]
fn in_1964_dropped_scores_decided_it() {
    let all = seasons();
    let t = final_table(1964, &all[&1964], Side::Drivers);
    // Hill scored 41 but only his best six counted: 39, one short of Surtees.
    assert_eq!(row(&t, "john-surtees"), (40.0, 40.0));
    assert_eq!(row(&t, "graham-hill"), (39.0, 41.0));
    assert_eq!(t.ranked()[0].id, "john-surtees");
}

#[test]
fn in_1979_each_half_counted_its_best_four() {
    let all = seasons();
    let t = final_table(1979, &all[&1979], Side::Drivers);
    assert_eq!(row(&t, "jody-scheckter"), (51.0, 60.0));
    assert_eq!(row(&t, "gilles-villeneuve"), (47.0, 53.0));
}

#[test]
fn the_1950s_shared_drives_and_shared_fastest_laps() {
    let all = seasons();
    // 1954: seven drivers shared the British GP's fastest lap (1/7 each).
    let t = final_table(1954, &all[&1954], Side::Drivers);
    assert_eq!(row(&t, "jose-froilan-gonzalez").0, 25.14);
    // 1951 France: Fangio took over Fagioli's car and won: 4 points each,
    // and Fangio's fastest lap.
    let france = all[&1951].rounds.iter().find(|r| r.round == 4).unwrap();
    let rules = championship::rules::PointsRules::for_season(1951).unwrap();
    let race = &france.sessions[0];
    let at = championship::scoring::At { round: 4, kind: championship::rules::Scoring::Race, final_round: false };
    let points = rules.driver_points(at, &race.results);
    let of =
        |id: &str| -> f64 { race.results.iter().zip(&points).filter(|(r, _)| r.driver_id == id).map(|(_, p)| p).sum() };
    assert_eq!((of("juan-manuel-fangio"), of("luigi-fagioli")), (5.0, 4.0));
}

#[test]
fn constructors_scored_with_their_best_car_only_until_1978() {
    let all = seasons();
    // 1958: Vanwall won six races, often 1-2: 48 points, not the drivers' sum.
    let t = final_table(1958, &all[&1958], Side::Constructors);
    assert_eq!(row(&t, "vanwall/vanwall").0, 48.0);
}
