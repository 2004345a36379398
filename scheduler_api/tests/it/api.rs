//! The HTTP API's shapes: status, history, triggers and their validation.
use scheduler_api::Clock;

use crate::support::{TestScheduler, World};

#[tokio::test]
async fn status_shows_the_weekend_the_next_session_and_every_plan() {
    // Thursday of the Chinese GP weekend.
    let world = World::new("2024-04-18T10:00:00Z").await;
    let scheduler = TestScheduler::local(&world.config(), &world.clock).await;
    scheduler.settled(world.clock.now()).await;
    let (code, status) = scheduler.get("/scheduler/v1/status").await;
    assert_eq!(code, 200);
    insta::assert_json_snapshot!("status_on_thursday", status);
    scheduler.stop().await;
}

#[tokio::test]
async fn history_lists_the_schedulers_runs_newest_first() {
    let world = World::new("2024-04-18T10:00:00Z").await;
    let scheduler = TestScheduler::local(&world.config(), &world.clock).await;
    scheduler.settled(world.clock.now()).await;
    let (code, run) = scheduler.post("/scheduler/v1/trigger/results?season=2024&round=5&session=race").await;
    assert_eq!(code, 200, "{run}");
    insta::assert_json_snapshot!("manual_results_run", run, { ".id" => "[id]" });
    let manual = world.fetcher.calls_of("results").pop().unwrap();
    assert_eq!(manual.trigger, "manual");

    let (code, history) = scheduler.get("/scheduler/v1/history?kind=results").await;
    assert_eq!(code, 200);
    insta::assert_json_snapshot!("history_of_results", history, { ".runs[].id" => "[id]" });

    let (_, all) = scheduler.get("/scheduler/v1/history?per_page=2&page=1").await;
    assert_eq!(all["total"], 3, "seasons, rounds and the manual results run");
    assert_eq!(all["runs"].as_array().unwrap().len(), 2);
    assert_eq!(all["runs"][0]["kind"], "results", "newest first");
    let (_, second) = scheduler.get("/scheduler/v1/history?per_page=2&page=2").await;
    assert_eq!(second["runs"].as_array().unwrap().len(), 1);
    scheduler.stop().await;
}

#[tokio::test]
async fn bad_parameters_answer_400_naming_the_field() {
    let world = World::new("2024-04-10T12:00:00Z").await;
    let scheduler = TestScheduler::local(&world.config(), &world.clock).await;
    let cases = [
        ("/scheduler/v1/trigger/rounds", "season"),
        ("/scheduler/v1/trigger/rounds?season=abc", "season"),
        ("/scheduler/v1/trigger/results?season=2024", "round"),
        ("/scheduler/v1/trigger/results?season=2024&round=0", "round"),
        ("/scheduler/v1/trigger/results?season=2024&round=5&session=warmup", "session"),
        ("/scheduler/v1/trigger/livetiming?season=2024&round=5", "session"),
        ("/scheduler/v1/trigger/seasons?from=2024&to=2020", "to"),
        ("/scheduler/v1/trigger/standings?season=1900", "season"),
        ("/scheduler/v1/trigger/standings?season=2024&round=3", "round"),
    ];
    for (path, field) in cases {
        let (code, body) = scheduler.post(path).await;
        assert_eq!(code, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{path}");
        assert_eq!(body["error"]["parameter"], field, "{path}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(field), "{path}: {body}");
    }
    for (path, field) in [("/scheduler/v1/history?kind=bogus", "kind"), ("/scheduler/v1/history?page=abc", "page")] {
        let (code, body) = scheduler.get(path).await;
        assert_eq!(code, 400, "{path}: {body}");
        assert_eq!(body["error"]["parameter"], field, "{path}");
    }
    let (code, body) = scheduler.post("/scheduler/v1/trigger/everything").await;
    assert_eq!(code, 404, "{body}");
    assert!(world.fetcher.calls().iter().all(|c| c.trigger == "planned"), "no bad trigger reached the fetcher");
    scheduler.stop().await;
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let world = World::new("2024-04-10T12:00:00Z").await;
    let scheduler = TestScheduler::local(&world.config(), &world.clock).await;
    let (code, body) = scheduler.get("/health").await;
    assert_eq!((code, body["status"].as_str()), (200, Some("ok")));
    let (code, ready) = scheduler.get("/health/ready").await;
    assert_eq!(code, 200, "{ready}");
    assert_eq!(ready["checks"]["data_scheduler"]["status"], "ok");
    assert_eq!(ready["checks"]["fetcher"]["status"], "ok");
    assert_eq!(ready["checks"]["locks (data_scheduler)"]["status"], "ok");
    let metrics = reqwest::get(format!("{}/metrics", scheduler.url)).await.unwrap();
    assert_eq!(metrics.status(), 200);
    scheduler.stop().await;
}
