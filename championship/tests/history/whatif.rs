//! What-if over a real season: 2023 from before the Qatar sprint.
use championship::report::ScoringSession;
use championship::whatif::{HypotheticalSession, WhatIfRequest, what_if};
use protobuf::v1::SessionStatus;

use crate::data::seasons;

#[test]
fn the_2023_qatar_sprint_replayed_makes_verstappen_champion_there() {
    let mut all = seasons();
    let season = all.remove(&2023).unwrap();
    let total = season.rounds.len() as i32;
    let mut rounds = season.rounds.clone();
    for r in rounds.iter_mut().filter(|r| r.round > 16) {
        for s in &mut r.sessions {
            s.results.clear();
            s.status = SessionStatus::Scheduled as i32;
        }
    }
    let order = ["oscar-piastri", "max-verstappen", "lando-norris", "george-russell"];
    let request = WhatIfRequest {
        sessions: vec![HypotheticalSession {
            round: 17,
            session: ScoringSession::Sprint,
            order: order.iter().map(|s| s.to_string()).collect(),
            fastest_lap: None,
        }],
    };
    let w = what_if(2023, total, &rounds, &[], &request).unwrap();
    println!("{:?}", w.outcomes);
    assert_eq!(w.outcomes[0].drivers.champion.as_deref(), Some("max-verstappen"));
    assert!(w.outcomes[0].drivers.eliminated.contains(&"sergio-perez".to_string()));
    let d = w.championship.drivers.unwrap();
    assert_eq!(d.clinched_at.map(|s| (s.round, s.session)), Some((17, ScoringSession::Sprint)));
}
