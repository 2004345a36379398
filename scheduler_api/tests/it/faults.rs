//! A fetcher that is down, and runs that overlap.
use scheduler_api::Clock;
use serde_json::Value;

use crate::fake_fetcher::FakeFetcher;
use crate::support::{TestScheduler, World, config, t};

fn runs(history: &Value) -> Vec<Value> {
    history["runs"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_run_while_the_fetcher_is_down_is_recorded_as_failed_and_retried() {
    // A quiet Wednesday (no race weekend); the fetcher's port is closed.
    let world = World::new("2024-04-10T12:00:00Z").await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let cfg = config(&world.ds, &format!("http://127.0.0.1:{port}"));
    let scheduler = TestScheduler::local(&cfg, &world.clock).await;
    let start = world.clock.now();
    scheduler.settled(start).await;

    let (_, history) = scheduler.get("/scheduler/v1/history?kind=seasons").await;
    let failed = runs(&history);
    assert_eq!(failed.len(), 1, "{history}");
    assert_eq!(failed[0]["outcome"], "failed");
    assert_eq!(failed[0]["trigger"], "planned");
    assert_eq!(failed[0]["error_class"], "fetcher_unreachable", "{history}");
    let error = failed[0]["error"].as_str().unwrap();
    assert!(error.contains("not answering"), "{error}");
    // The public history names no address, port or OS error (they are logged).
    assert!(!history.to_string().contains(&port.to_string()), "{history}");
    assert!(!history.to_string().contains("os error"), "{history}");
    let (code, ready) = scheduler.get("/health/ready").await;
    assert_eq!(code, 503);
    assert_eq!(ready["checks"]["fetcher"]["status"], "unavailable");

    // The fetcher comes back on its port; the retry comes a minute later,
    // not at the next regular run.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("the port is free again");
    let fetcher = FakeFetcher::serve(listener, world.clock.clone(), world.ds.client().sport());
    let retry = scheduler.engine.next_wake().unwrap();
    assert_eq!(retry, t("2024-04-10T12:01:00Z"));
    world.clock.set(retry);
    scheduler.settled(retry).await;
    let seasons = fetcher.calls_of("seasons");
    assert_eq!(seasons.len(), 1);
    assert_eq!(seasons[0].at, retry);
    let (_, history) = scheduler.get("/scheduler/v1/history?kind=seasons").await;
    let outcomes: Vec<_> = runs(&history).iter().map(|r| r["outcome"].clone()).collect();
    assert_eq!(outcomes, ["success", "failed"], "newest first");
    // Back to the regular interval after a success: rounds 30 min after the retry.
    assert_eq!(scheduler.engine.next_wake(), Some(t("2024-04-10T12:31:00Z")));
    world.clock.set(t("2024-04-10T12:31:00Z"));
    scheduler.settled(t("2024-04-10T12:31:00Z")).await;
    assert_eq!(fetcher.calls_of("seasons").len(), 1);
    let rounds: Vec<_> = fetcher.calls_of("rounds").iter().map(|c| c.at).collect();
    assert_eq!(rounds, [retry, t("2024-04-10T12:31:00Z")]);
    scheduler.stop().await;
}

#[tokio::test]
async fn an_error_answer_is_recorded_with_the_fetchers_status_and_code() {
    let world = World::new("2024-04-10T12:00:00Z").await;
    world.fetcher.set_down(true);
    let scheduler = TestScheduler::local(&world.config(), &world.clock).await;
    let (code, run) = scheduler.post("/scheduler/v1/trigger/standings?season=2024").await;
    assert_eq!(code, 502);
    assert_eq!(run["outcome"], "failed");
    assert_eq!(run["error_class"], "fetch_failed", "{run}");
    let error = run["error"].as_str().unwrap();
    assert!(error.contains("502") && error.contains("upstream_failed"), "{error}");
    scheduler.stop().await;
}

#[tokio::test]
async fn a_run_of_a_kind_already_running_is_skipped_and_recorded() {
    let world = World::new("2024-04-10T12:00:00Z").await;
    world.fetcher.hold("rounds");
    let scheduler = TestScheduler::local(&world.config(), &world.clock).await;
    // The planned rounds run is under way (held by the fetcher).
    testkit::wait::until("the planned rounds call", crate::support::DEADLINE, || async {
        (!world.fetcher.calls_of("rounds").is_empty()).then_some(())
    })
    .await;

    let (code, skipped) = scheduler.post("/scheduler/v1/trigger/rounds?season=2024").await;
    assert_eq!(code, 409, "{skipped}");
    assert_eq!(skipped["outcome"], "skipped");
    assert_eq!(skipped["trigger"], "manual");
    assert_eq!(skipped["error"], "a rounds run is already running");
    assert_eq!(world.fetcher.calls_of("rounds").len(), 1, "the skipped run did not call the fetcher");

    world.fetcher.release("rounds");
    scheduler.settled(world.clock.now()).await;
    let (_, history) = scheduler.get("/scheduler/v1/history?kind=rounds").await;
    let seen: Vec<_> = runs(&history).iter().map(|r| (r["trigger"].clone(), r["outcome"].clone())).collect();
    assert!(seen.contains(&("manual".into(), "skipped".into())), "{history}");
    assert!(seen.contains(&("planned".into(), "success".into())), "{history}");
    assert_eq!(seen.len(), 2);

    // Once the kind is free, a manual run goes through.
    let (code, run) = scheduler.post("/scheduler/v1/trigger/rounds?season=2024&round=5").await;
    assert_eq!(code, 200);
    assert_eq!(run["outcome"], "success");
    let last = world.fetcher.calls_of("rounds").pop().unwrap();
    assert_eq!((last.trigger.as_str(), last.param("round")), ("manual", "5"));
    scheduler.stop().await;
}

#[tokio::test]
async fn a_run_cut_off_by_a_stop_is_marked_interrupted_at_the_next_start() {
    use protobuf::v1::{SyncOutcome, SyncRun};
    let world = World::new("2024-04-10T12:00:00Z").await;
    // What a scheduler killed mid-run leaves behind: its record still running.
    let stale = SyncRun {
        kind: protobuf::v1::SyncKind::Standings as i32,
        trigger: "manual".into(),
        source: "scheduler".into(),
        params: "season=2024".into(),
        started_at: t("2024-04-10T11:00:00Z").timestamp(),
        outcome: SyncOutcome::Running as i32,
        ..Default::default()
    };
    let stale = world.ds.client().history().write_sync_run(stale).await.unwrap().into_inner().run.unwrap();
    let scheduler = TestScheduler::local(&world.config(), &world.clock).await;
    scheduler.settled(world.clock.now()).await;
    let (_, history) = scheduler.get("/scheduler/v1/history?kind=standings").await;
    let run = runs(&history).into_iter().find(|r| r["id"] == stale.id.as_str()).expect("the stale run is listed");
    assert_eq!(run["outcome"], "interrupted", "{history}");
    assert_eq!(run["error_class"], "interrupted", "{history}");
    assert!(run["finished_at"].is_string(), "{run}");
    scheduler.stop().await;
}
