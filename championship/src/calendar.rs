//! The season's points-scoring sessions (sprints and races) in order, each
//! marked done, cancelled or still to come, from the stored calendar.
use protobuf::v1::{Round, RoundFormat, Session, SessionStatus, SessionType};

use super::rules::Scoring;
use super::scoring::At;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotState {
    Done,
    Cancelled,
    Remaining,
}

/// One points-scoring session of the calendar.
#[derive(Debug, Clone)]
pub struct Slot<'a> {
    pub round: i32,
    pub round_name: String,
    pub kind: Scoring,
    pub state: SlotState,
    /// The season's last round (2014 doubled its race's points).
    pub final_round: bool,
    pub date: String,
    pub session: Option<&'a Session>,
}

impl Slot<'_> {
    pub fn at(&self) -> At {
        At { round: self.round, kind: self.kind, final_round: self.final_round }
    }
}

fn state_of(session: Option<&Session>) -> SlotState {
    let Some(s) = session else { return SlotState::Remaining };
    match SessionStatus::try_from(s.status).unwrap_or_default() {
        SessionStatus::Cancelled => SlotState::Cancelled,
        SessionStatus::Finished => SlotState::Done,
        // Points of a running session are not final yet.
        SessionStatus::Live => SlotState::Remaining,
        SessionStatus::Scheduled | SessionStatus::Unspecified if !s.results.is_empty() => SlotState::Done,
        SessionStatus::Scheduled | SessionStatus::Unspecified => SlotState::Remaining,
    }
}

fn find(round: &Round, t: SessionType) -> Option<&Session> {
    round.sessions.iter().find(|s| s.r#type == t as i32)
}

/// The scoring sessions of `rounds` in calendar order (a sprint before its
/// race). A round known from `total_rounds` but not stored still counts one
/// race to come.
pub fn slots(rounds: &[Round], total_rounds: i32) -> Vec<Slot<'_>> {
    let mut rounds: Vec<&Round> = rounds.iter().collect();
    rounds.sort_by_key(|r| r.round);
    let last = rounds.last().map_or(0, |r| r.round).max(total_rounds);
    let mut out = Vec::new();
    let mut next_number = 1;
    for r in rounds {
        for missing in next_number..r.round {
            out.push(unstored(missing, last));
        }
        next_number = r.round + 1;
        let sprint = find(r, SessionType::Sprint);
        if sprint.is_some() || r.format == RoundFormat::Sprint as i32 {
            out.push(slot(r, Scoring::Sprint, sprint, last));
        }
        out.push(slot(r, Scoring::Race, find(r, SessionType::Race), last));
    }
    for missing in next_number..=last {
        out.push(unstored(missing, last));
    }
    out
}

fn slot<'a>(r: &Round, kind: Scoring, session: Option<&'a Session>, last: i32) -> Slot<'a> {
    // A race without its own day is on the round's race day; a sprint's
    // day is unknown then.
    let own = session.map(|s| s.date.clone()).filter(|d| !d.is_empty());
    let date = own.unwrap_or_else(|| if kind == Scoring::Race { r.date.clone() } else { String::new() });
    Slot {
        round: r.round,
        round_name: r.name.clone(),
        kind,
        state: state_of(session),
        final_round: r.round == last,
        date,
        session,
    }
}

fn unstored<'a>(round: i32, last: i32) -> Slot<'a> {
    Slot {
        round,
        round_name: format!("Round {round}"),
        kind: Scoring::Race,
        state: SlotState::Remaining,
        final_round: round == last,
        date: String::new(),
        session: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(round: i32, t: SessionType, status: SessionStatus) -> Session {
        Session { season: 2023, round, r#type: t as i32, status: status as i32, ..Default::default() }
    }

    fn round(n: i32, format: RoundFormat, sessions: Vec<Session>) -> Round {
        Round { season: 2023, round: n, name: format!("R{n}"), format: format as i32, sessions, ..Default::default() }
    }

    #[test]
    fn sprint_before_race_and_states() {
        let rounds = vec![
            round(2, RoundFormat::Sprint, vec![]),
            round(
                1,
                RoundFormat::Sprint,
                vec![
                    session(1, SessionType::Race, SessionStatus::Finished),
                    session(1, SessionType::Sprint, SessionStatus::Cancelled),
                ],
            ),
        ];
        let s = slots(&rounds, 4);
        let kinds: Vec<(i32, Scoring, SlotState)> = s.iter().map(|s| (s.round, s.kind, s.state)).collect();
        assert_eq!(
            kinds,
            vec![
                (1, Scoring::Sprint, SlotState::Cancelled),
                (1, Scoring::Race, SlotState::Done),
                (2, Scoring::Sprint, SlotState::Remaining),
                (2, Scoring::Race, SlotState::Remaining),
                (3, Scoring::Race, SlotState::Remaining),
                (4, Scoring::Race, SlotState::Remaining),
            ]
        );
        assert!(s[5].final_round && !s[4].final_round);
    }

    #[test]
    fn live_sessions_are_not_done() {
        let rounds =
            vec![round(1, RoundFormat::Conventional, vec![session(1, SessionType::Race, SessionStatus::Live)])];
        assert_eq!(slots(&rounds, 1)[0].state, SlotState::Remaining);
    }
}
