//! A simulated sprint weekend (2024 Chinese GP, round 5): the clock runs
//! from Wednesday night to Monday afternoon, jumping from one instant the
//! engine wakes at to the next, and the fake fetcher records what was
//! triggered when.
use chrono::{DateTime, Duration, Utc};
use protobuf::v1::SessionType;

use scheduler_api::{Clock, Config};

use crate::support::{CHINA, TestScheduler, World, t};

/// `first`, then every `step` while before `until`.
fn every(first: &str, step: i64, until: &str) -> Vec<DateTime<Utc>> {
    let (mut at, until) = (t(first), t(until));
    let mut out = Vec::new();
    while at < until {
        out.push(at);
        at += Duration::minutes(step);
    }
    out
}

fn times(list: &[&str]) -> Vec<DateTime<Utc>> {
    list.iter().map(|s| t(s)).collect()
}

#[tokio::test]
async fn a_sprint_weekend_triggers_everything_at_the_right_times() {
    let world = World::new("2024-04-17T22:00:00Z").await;
    let fetcher = &world.fetcher;
    fetcher.results_appear_on(SessionType::Practice1, 3);
    // Sprint qualifying never gets results: it ends overdue.
    fetcher.results_appear_on(SessionType::Sprint, 1);
    fetcher.results_appear_on(SessionType::Qualifying, 2);
    fetcher.results_appear_on(SessionType::Race, 1);
    // The race's archive copy is published for the third try.
    fetcher.archive_appears_on(SessionType::Race, 3);
    // Rounds every hour, every 30 min during the weekend: fewer runs (each
    // is two durable writes) than the defaults 30 and 5, which the planner's
    // unit tests and the two-replica test cover.
    let cfg = Config { scheduler_rounds_every_mins: 60, scheduler_rounds_weekend_every_mins: 30, ..world.config() };
    let scheduler = TestScheduler::local(&cfg, &world.clock).await;

    let end = t("2024-04-22T13:00:00Z");
    let mut flags: Vec<(DateTime<Utc>, bool)> = Vec::new();
    loop {
        let now = world.clock.now();
        scheduler.settled(now).await;
        flags.push((now, scheduler.engine.snapshot().is_race_weekend));
        let next = scheduler.engine.next_wake().expect("always something ahead");
        assert!(next > now, "time moves forward");
        if next > end {
            break;
        }
        world.clock.set(next);
    }

    // The race weekend flag flips on at Thursday 00:00 and off at Monday 12:00.
    let on: Vec<_> = flags.iter().filter(|(_, w)| *w).map(|(at, _)| *at).collect();
    assert_eq!(on.first(), Some(&t("2024-04-18T00:00:00Z")));
    assert!(on.last().unwrap() < &t("2024-04-22T12:00:00Z"));
    assert!(flags.contains(&(t("2024-04-22T12:00:00Z"), false)));
    assert!(flags.iter().all(|(at, w)| *w == (t("2024-04-18T00:00:00Z") <= *at && *at < t("2024-04-22T12:00:00Z"))));

    let at = |kind: &str| fetcher.calls_of(kind).iter().map(|c| c.at).collect::<Vec<_>>();
    assert!(fetcher.calls().iter().all(|c| c.trigger == "planned"), "every call says it is planned");

    // Seasons every 6 h from the start.
    assert_eq!(at("seasons"), every("2024-04-17T22:00:00Z", 360, "2024-04-22T13:00:01Z"));
    assert!(fetcher.calls_of("seasons").iter().all(|c| c.param("from") == "2024" && c.param("to") == "2024"));

    // Rounds every hour, every 30 min from Thursday 00:00 to Monday 12:00.
    let mut rounds = every("2024-04-17T22:00:00Z", 60, "2024-04-18T00:00:00Z");
    rounds.extend(every("2024-04-18T00:00:00Z", 30, "2024-04-22T12:00:00Z"));
    rounds.extend(times(&["2024-04-22T12:30:00Z"]));
    assert_eq!(at("rounds"), rounds);
    assert!(fetcher.calls_of("rounds").iter().all(|c| c.param("season") == "2024" && c.param("round").is_empty()));

    // Results from 5 min after each session's scheduled end, retried 5, 10,
    // 20, then every 30 min until stored.
    let results_of = |session: &str| {
        fetcher.calls_of("results").iter().filter(|c| c.param("session") == session).map(|c| c.at).collect::<Vec<_>>()
    };
    assert_eq!(
        results_of("practice_1"),
        times(&["2024-04-19T04:35:00Z", "2024-04-19T04:40:00Z", "2024-04-19T04:50:00Z"])
    );
    assert_eq!(results_of("sprint"), times(&["2024-04-20T04:05:00Z"]));
    assert_eq!(results_of("qualifying"), times(&["2024-04-20T08:05:00Z", "2024-04-20T08:10:00Z"]));
    assert_eq!(results_of("race"), times(&["2024-04-21T09:05:00Z"]));
    // Sprint qualifying (ends 08:15) never gets results: tried until 24 h after its end.
    let mut sq =
        times(&["2024-04-19T08:20:00Z", "2024-04-19T08:25:00Z", "2024-04-19T08:35:00Z", "2024-04-19T08:55:00Z"]);
    sq.extend(every("2024-04-19T09:25:00Z", 30, "2024-04-20T08:15:00Z"));
    assert_eq!(results_of("sprint_qualifying"), sq);
    assert!(fetcher.calls_of("results").iter().all(|c| c.param("season") == "2024" && c.param("round") == "5"));

    // Standings once the sprint's and the race's results are in.
    assert_eq!(at("standings"), times(&["2024-04-20T04:05:00Z", "2024-04-21T09:05:00Z"]));

    // Each session's archive copy of its timing records, once, from 5 min
    // after its end (when the results are first looked for), retried with
    // the results' backoff until the archive has it.
    let archive_of = |session: &str| {
        let calls = fetcher.calls_of("session-data");
        calls.iter().filter(|c| c.param("session") == session).map(|c| c.at).collect::<Vec<_>>()
    };
    assert_eq!(archive_of("practice_1"), times(&["2024-04-19T04:35:00Z"]));
    assert_eq!(archive_of("sprint_qualifying"), times(&["2024-04-19T08:20:00Z"]));
    assert_eq!(archive_of("race"), times(&["2024-04-21T09:05:00Z", "2024-04-21T09:10:00Z", "2024-04-21T09:20:00Z"]));
    assert_eq!(fetcher.calls_of("session-data").len(), 7);
    assert!(fetcher.calls_of("session-data").iter().all(|c| c.param("season") == "2024" && c.param("round") == "5"));
    let (_, runs) = scheduler.get("/scheduler/v1/history?kind=session-data&per_page=1000").await;
    let runs = runs["runs"].as_array().unwrap();
    let outcomes = |o: &str| runs.iter().filter(|r| r["outcome"] == o).count();
    assert_eq!((outcomes("success"), outcomes("failed")), (5, 2), "{runs:?}");

    // Live: start 5 min before each session, stop 30 min after its scheduled end.
    let live: Vec<(String, String, DateTime<Utc>)> = fetcher
        .calls_of("live")
        .iter()
        .map(|c| {
            let body = c.body.as_ref().unwrap();
            (body["action"].as_str().unwrap().to_string(), body["session"].as_str().unwrap().to_string(), c.at)
        })
        .collect();
    let lengths = [60, 45, 60, 60, 120];
    let mut expected = Vec::new();
    for ((kind, start), len) in CHINA.iter().zip(lengths) {
        let start = t(start);
        expected.push(("start".to_string(), kind.slug().to_string(), start - Duration::minutes(5)));
        expected.push(("stop".to_string(), kind.slug().to_string(), start + Duration::minutes(len + 30)));
    }
    expected.sort_by_key(|(_, _, at)| *at);
    assert_eq!(live, expected);
    // Each signal also started or stopped the fetcher's live feed for that session.
    let feed: Vec<(String, String, DateTime<Utc>)> = fetcher
        .calls()
        .into_iter()
        .filter(|c| c.kind.starts_with("live_"))
        .map(|c| (c.kind.trim_start_matches("live_").to_string(), c.param("session").to_string(), c.at))
        .collect();
    assert_eq!(feed, expected);
    assert!(fetcher.calls_of("live_start").iter().all(|c| c.param("season") == "2024" && c.param("round") == "5"));

    // The history says the same, with sprint qualifying overdue 24 h after its end.
    let (_, overdue) = scheduler.get("/scheduler/v1/history?kind=results&per_page=1000").await;
    let overdue: Vec<_> = overdue["runs"].as_array().unwrap().iter().filter(|r| r["outcome"] == "overdue").collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(overdue[0]["params"], "season=2024 round=5 session=sprint_qualifying");
    assert_eq!(overdue[0]["started_at"], "2024-04-20T08:15:00Z");
    let (_, live_runs) = scheduler.get("/scheduler/v1/history?kind=live&per_page=1000").await;
    assert_eq!(live_runs["total"], 10);
    assert!(
        live_runs["runs"].as_array().unwrap().iter().all(|r| r["trigger"] == "planned" && r["outcome"] == "success")
    );
    scheduler.stop().await;
}
