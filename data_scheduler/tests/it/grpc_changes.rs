//! FollowChanges: what each write changed reaches the followers before the
//! write answers, and, with Redis, the followers of the other replicas.
use std::time::Duration;

use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;
use tokio::sync::mpsc;

use crate::fixtures::{china_2024, season_2024, session};

/// A follower: the announcements, and where to acknowledge them.
struct Follower {
    changes: tonic::Streaming<Changes>,
    ack: mpsc::UnboundedSender<ChangesApplied>,
}

impl Follower {
    async fn start(ds: &TestDataScheduler) -> Self {
        let (ack, acks) = mpsc::unbounded_channel();
        let acks = futures_util::stream::unfold(acks, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) });
        let changes = ds.client().sport().follow_changes(acks).await.expect("follow").into_inner();
        Self { changes, ack }
    }

    async fn next(&mut self) -> Changes {
        tokio::time::timeout(Duration::from_secs(10), self.changes.message())
            .await
            .expect("an announcement in time")
            .expect("a message")
            .expect("the stream is open")
    }

    fn ack(&self, seq: u64) {
        self.ack.send(ChangesApplied { seq }).expect("the stream is open");
    }
}

/// The sprint of the 2024 Chinese GP, with `winner`'s code first.
fn sprint(winner: &str) -> WriteBatchRequest {
    let result = crate::fixtures::result(1, 1, winner, winner, "Team", 8.0);
    let sprint = session(SessionType::Sprint, 1_713_582_000, vec![result]);
    WriteBatchRequest { sessions: vec![sprint], ..Default::default() }
}

/// The 2024 season with its Chinese GP and circuit.
fn china_weekend() -> WriteBatchRequest {
    WriteBatchRequest {
        seasons: vec![season_2024()],
        rounds: vec![china_2024()],
        circuits: vec![crate::fixtures::shanghai()],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_write_answers_only_after_its_followers_acknowledged_it() {
    let ds = TestDataScheduler::start().await;
    ds.client().sport().write_batch(china_weekend()).await.unwrap();
    let mut follower = Follower::start(&ds).await;
    let hello = follower.next().await;
    assert!(hello.everything, "the first announcement: drop everything kept so far");
    follower.ack(hello.seq);

    let mut writer = ds.client().sport();
    let write = tokio::spawn(async move { writer.write_batch(sprint("NOR")).await });
    let changes = follower.next().await;
    assert_eq!(changes.seasons, [2024]);
    assert!(!changes.everything, "a session write is about its season only");
    assert!(changes.tags.contains(&"session:2024:5:sprint".to_string()), "{:?}", changes.tags);
    assert!(!write.is_finished(), "the write waits for the acknowledgement");
    follower.ack(changes.seq);
    let written = write.await.unwrap().expect("the write succeeds");
    assert!(written.into_inner().success);

    // A follower that stops acknowledging is dropped: the write still answers.
    let mut writer = ds.client().sport();
    let write = tokio::spawn(async move { writer.write_batch(sprint("VER")).await });
    let _unacknowledged = follower.next().await;
    assert!(write.await.unwrap().expect("the write succeeds").into_inner().success);
    let ended = tokio::time::timeout(Duration::from_secs(10), follower.changes.message()).await.expect("in time");
    assert!(matches!(ended, Ok(None) | Err(_)), "the silent follower's stream ended: {ended:?}");
}

/// Two replicas sharing a store and a real redis-server: a write taken by
/// one is announced to a follower of the other, and answers only after
/// that follower acknowledged it.
#[tokio::test]
async fn a_write_on_one_replica_is_announced_to_the_followers_of_another() {
    let Some(redis) =
        testkit::redis::RedisServer::start("a_write_on_one_replica_is_announced_to_the_followers_of_another")
    else {
        return;
    };
    let shared = crate::backends::embedded();
    let replicas = crate::grpc_watch::two_replicas(&redis, || async { shared.store.clone() }, "wibm:changes").await;
    let (a, b) = (&replicas[0], &replicas[1]);
    a.client().sport().write_batch(china_weekend()).await.unwrap();
    let mut follower = Follower::start(b).await;
    let mut writer = a.client().sport();
    let write = tokio::spawn(async move { writer.write_batch(sprint("NOR")).await });
    loop {
        let changes = follower.next().await;
        if changes.seasons == [2024] {
            assert!(changes.tags.contains(&"session:2024:5:sprint".to_string()), "{:?}", changes.tags);
            assert!(!write.is_finished(), "a's write waits for b's follower");
            follower.ack(changes.seq);
            break;
        }
        assert!(changes.everything, "only the start and a resubscription say everything: {changes:?}");
        follower.ack(changes.seq);
    }
    assert!(write.await.unwrap().expect("the write succeeds").into_inner().success);
}
