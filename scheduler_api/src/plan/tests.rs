//! The planner over the 2024 Chinese GP (round 5, a sprint weekend).
use chrono::{DateTime, Duration, Utc};
use protobuf::Year;
use protobuf::v1::{Round, Session, SessionType};

use super::*;
use crate::config::Config;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn settings() -> Settings {
    Config::default().settings().unwrap()
}

fn china() -> Calendar {
    let sessions = [
        (SessionType::Practice1, "2024-04-19T03:30:00Z"),
        (SessionType::SprintQualifying, "2024-04-19T07:30:00Z"),
        (SessionType::Sprint, "2024-04-20T03:00:00Z"),
        (SessionType::Qualifying, "2024-04-20T07:00:00Z"),
        (SessionType::Race, "2024-04-21T07:00:00Z"),
    ]
    .map(|(kind, start)| Session {
        season: 2024,
        round: 5,
        r#type: kind as i32,
        start_time: Some(t(start).timestamp()),
        ..Session::default()
    });
    let round = Round {
        season: 2024,
        round: 5,
        name: "Chinese Grand Prix".into(),
        sessions: sessions.into(),
        ..Round::default()
    };
    Calendar::from_rounds(Year::new(2024).unwrap(), &[round])
}

const FP1: SessionId = SessionId { round: 5, kind: SessionType::Practice1 };
const RACE: SessionId = SessionId { round: 5, kind: SessionType::Race };

fn due(now: DateTime<Utc>, st: &PlanState) -> Vec<Job> {
    plan(now, Some(&china()), st, &settings()).due.into_iter().map(|(_, j)| j).collect()
}

#[test]
fn the_weekend_flag_flips_at_the_margins() {
    let (cal, s) = (china(), settings());
    assert!(!cal.is_race_weekend(t("2024-04-17T23:59:59Z"), &s.weekend));
    assert!(cal.is_race_weekend(t("2024-04-18T00:00:00Z"), &s.weekend));
    assert!(cal.is_race_weekend(t("2024-04-22T11:59:59Z"), &s.weekend));
    assert!(!cal.is_race_weekend(t("2024-04-22T12:00:00Z"), &s.weekend));
    // Both margins are wake-up instants.
    let st = PlanState {
        last: [(Kind::Seasons, t("2024-04-17T23:00:00Z")), (Kind::Rounds, t("2024-04-17T23:50:00Z"))].into(),
        ..PlanState::new(t("2024-04-17T20:00:00Z"))
    };
    let p = plan(t("2024-04-17T23:50:00Z"), Some(&cal), &st, &s);
    assert_eq!(p.next_wake, Some(t("2024-04-18T00:00:00Z")));
}

#[test]
fn rounds_run_every_30_minutes_and_every_5_during_a_weekend() {
    let s = settings();
    let start = t("2024-04-17T23:00:00Z");
    let mut st = PlanState::new(start);
    assert_eq!(due(start, &st), vec![Job::Seasons, Job::Rounds]);
    st.finished(Job::Seasons, start, start, JobResult::Done, &s);
    st.finished(Job::Rounds, start, start, JobResult::Done, &s);
    assert!(due(start, &st).is_empty());
    let p = plan(start, Some(&china()), &st, &s);
    assert_eq!(p.next_wake, Some(t("2024-04-17T23:30:00Z")));
    assert_eq!(p.next_run[&Kind::Seasons], t("2024-04-18T05:00:00Z"));
    let at = t("2024-04-17T23:30:00Z");
    st.finished(Job::Rounds, at, at, JobResult::Done, &s);
    // At the weekend's start the 5-minute interval applies at once.
    assert_eq!(due(t("2024-04-18T00:00:00Z"), &st), vec![Job::Rounds]);
    let at = t("2024-04-18T00:00:00Z");
    st.finished(Job::Rounds, at, at, JobResult::Done, &s);
    assert_eq!(plan(at, Some(&china()), &st, &s).next_run[&Kind::Rounds], t("2024-04-18T00:05:00Z"));
}

#[test]
fn a_failed_run_is_retried_with_a_doubling_backoff() {
    let s = settings();
    let start = t("2024-04-10T12:00:00Z");
    let mut st = PlanState::new(start);
    let mut at = start;
    for wait in [1, 2, 4, 8, 16, 30, 30] {
        st.finished(Job::Seasons, at, at, JobResult::Failed, &s);
        let next = plan(at, Some(&china()), &st, &s).next_run[&Kind::Seasons];
        assert_eq!(next, at + Duration::minutes(wait));
        at = next;
    }
    st.finished(Job::Seasons, at, at, JobResult::Done, &s);
    assert_eq!(plan(at, Some(&china()), &st, &s).next_run[&Kind::Seasons], at + Duration::hours(6));
}

#[test]
fn results_are_fetched_after_the_session_until_they_are_stored() {
    let s = settings();
    let mut st = PlanState::new(t("2024-04-18T00:00:00Z"));
    assert!(!due(t("2024-04-19T04:34:00Z"), &st).contains(&Job::Results(FP1)));
    let mut at = t("2024-04-19T04:35:00Z");
    assert!(due(at, &st).contains(&Job::Results(FP1)));
    for wait in [5, 10] {
        st.finished(Job::Results(FP1), at, at, JobResult::NotYet, &s);
        assert!(!due(at, &st).contains(&Job::Results(FP1)));
        at += Duration::minutes(wait);
        assert!(due(at, &st).contains(&Job::Results(FP1)), "retry {wait} min later");
    }
    st.finished(Job::Results(FP1), at, at, JobResult::Done, &s);
    assert!(
        !due(at + Duration::days(1), &st)
            .iter()
            .any(|j| matches!(j, Job::Results(id) | Job::Overdue(id) if *id == FP1))
    );
    // Practice scores no points: no standings.
    assert!(!due(at, &st).contains(&Job::Standings(FP1)));
}

#[test]
fn a_session_without_results_becomes_overdue_once() {
    let s = settings();
    let mut st = PlanState::new(t("2024-04-18T00:00:00Z"));
    let limit = t("2024-04-20T04:30:00Z");
    let before = due(limit - Duration::seconds(1), &st);
    assert!(!before.contains(&Job::Overdue(FP1)));
    let at_limit = due(limit, &st);
    assert!(at_limit.contains(&Job::Overdue(FP1)));
    assert!(!at_limit.contains(&Job::Results(FP1)), "no more fetches after the limit");
    st.finished(Job::Overdue(FP1), limit, limit, JobResult::Done, &s);
    assert!(!due(limit, &st).contains(&Job::Overdue(FP1)));
}

#[test]
fn standings_follow_race_results() {
    let s = settings();
    let mut st = PlanState::new(t("2024-04-18T00:00:00Z"));
    let at = t("2024-04-21T09:05:00Z");
    assert!(due(at, &st).contains(&Job::Results(RACE)));
    assert!(!due(at, &st).contains(&Job::Standings(RACE)));
    st.finished(Job::Results(RACE), at, at, JobResult::Done, &s);
    assert!(due(at, &st).contains(&Job::Standings(RACE)));
    st.finished(Job::Standings(RACE), at, at, JobResult::Done, &s);
    assert!(!due(at, &st).contains(&Job::Standings(RACE)));
}

#[test]
fn live_signals_bracket_each_session() {
    let s = settings();
    let mut st = PlanState::new(t("2024-04-18T00:00:00Z"));
    assert!(!due(t("2024-04-19T03:24:00Z"), &st).contains(&Job::LiveStart(FP1)));
    let start = t("2024-04-19T03:25:00Z");
    assert!(due(start, &st).contains(&Job::LiveStart(FP1)));
    st.finished(Job::LiveStart(FP1), start, start, JobResult::Done, &s);
    assert!(!due(t("2024-04-19T04:59:00Z"), &st).contains(&Job::LiveStop(FP1)));
    assert!(due(t("2024-04-19T05:00:00Z"), &st).contains(&Job::LiveStop(FP1)));
}

#[test]
fn a_new_leader_ignores_what_ended_long_ago() {
    // Taking over on Monday morning: first practice's results window closed
    // on Saturday, the race's is still open; no session is live.
    let st = PlanState::new(t("2024-04-22T08:00:00Z"));
    let jobs = due(t("2024-04-22T08:00:00Z"), &st);
    assert!(!jobs.iter().any(|j| matches!(j, Job::Results(id) | Job::Overdue(id) if *id == FP1)));
    assert!(jobs.contains(&Job::Results(RACE)));
    assert!(!jobs.iter().any(|j| matches!(j, Job::LiveStart(_))));
}
