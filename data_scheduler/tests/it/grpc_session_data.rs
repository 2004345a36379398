//! Session data over gRPC: bad records get INVALID_ARGUMENT naming the
//! field and write nothing; a write is announced to the followers (its
//! session and season, not everything) before it answers; reads answer
//! NOT_FOUND, then the records, then the rewritten ones.
use std::time::Duration;

use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;
use tonic::Code;

use crate::fixtures::china_race_data;
use crate::grpc_validation::field;

#[tokio::test]
async fn bad_records_name_the_field_and_write_nothing() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    type Mutation = fn(&mut SessionData);
    let cases: [(Mutation, &str); 12] = [
        (|d| d.session_key = 0, "session_key"),
        (|d| d.meeting_key = -1, "meeting_key"),
        (|d| d.round = 0, "round"),
        (|d| d.r#type = 0, "type"),
        (|d| d.season = 1900, "season"),
        (|d| d.source = "guess".into(), "source"),
        (|d| (d.season, d.round, d.r#type, d.session, d.meeting) = (0, 0, 0, None, None), "session.year"),
        (|d| d.laps[3].lap_number = 0, "laps[3].lap_number"),
        (|d| d.drivers[1].driver_number = 0, "drivers[1].driver_number"),
        (|d| d.position[0].position = 0, "position[0].position"),
        (|d| d.overtakes[0].overtaken_driver_number = -4, "overtakes[0].overtaken_driver_number"),
        (|d| d.team_radio[0].recording_url.clear(), "team_radio[0].recording_url"),
    ];
    for (mutate, expected) in cases {
        let mut d = china_race_data(5);
        mutate(&mut d);
        assert_eq!(field(&c.write_session_data(d).await.unwrap_err()), expected);
    }
    let none = c.get_session_data(SessionDataKey { session_key: 9673, ..Default::default() }).await.unwrap_err();
    assert_eq!(none.code(), Code::NotFound, "nothing of the refused writes is stored");
    let e = c.get_session_data(SessionDataKey { season: 2024, ..Default::default() }).await.unwrap_err();
    assert_eq!(field(&e), "round");
    let e = c.get_session_data(SessionDataKey::default()).await.unwrap_err();
    assert_eq!(field(&e), "session_key");
    let e = c.get_session_data_index(SessionDataFilter { season: Some(1800), meeting_key: None }).await.unwrap_err();
    assert_eq!(field(&e), "season");
    let e = c.get_session_data_index(SessionDataFilter { season: None, meeting_key: Some(0) }).await.unwrap_err();
    assert_eq!(field(&e), "meeting_key");
}

#[tokio::test]
async fn a_write_is_announced_for_its_session_and_season_before_it_answers() {
    let ds = TestDataScheduler::start().await;
    let (ack, acks) = tokio::sync::mpsc::unbounded_channel();
    let acks = futures_util::stream::unfold(acks, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) });
    let mut changes = ds.client().sport().follow_changes(acks).await.unwrap().into_inner();
    let mut next = async || {
        tokio::time::timeout(Duration::from_secs(10), changes.message()).await.expect("in time").unwrap().unwrap()
    };
    let hello = next().await;
    ack.send(ChangesApplied { seq: hello.seq }).unwrap();

    let mut c = ds.client().sport();
    let key = SessionDataKey { session_key: 9673, ..Default::default() };
    assert_eq!(c.get_session_data(key).await.unwrap_err().code(), Code::NotFound);
    let mut writer = ds.client().sport();
    let write = tokio::spawn(async move { writer.write_session_data(china_race_data(56)).await });
    let announced = next().await;
    assert_eq!(announced.seasons, [2024]);
    assert!(!announced.everything, "a session's records are about its season only");
    for tag in ["session_data:2024:9673", "session_data_index:2024"] {
        assert!(announced.tags.contains(&tag.to_string()), "{tag} in {:?}", announced.tags);
    }
    assert!(!write.is_finished(), "the write waits for the acknowledgement");
    ack.send(ChangesApplied { seq: announced.seq }).unwrap();
    let answer = write.await.unwrap().unwrap().into_inner();
    assert_eq!((answer.success, answer.records_affected), (true, 126));

    let read = c.get_session_data(key).await.unwrap().into_inner();
    assert_eq!(read.data.unwrap(), china_race_data(56));
    assert!(c.get_session_data(key).await.unwrap().into_inner().metadata.unwrap().cached);

    // The rewrite's answer says what it replaced; the next read is the new copy.
    let mut writer = ds.client().sport();
    let write = tokio::spawn(async move { writer.write_session_data(china_race_data(10)).await });
    ack.send(ChangesApplied { seq: next().await.seq }).unwrap();
    let answer = write.await.unwrap().unwrap().into_inner();
    assert_eq!(answer.records_affected, 34);
    assert!(answer.message.contains("replaced the 126 stored records"), "{}", answer.message);
    let read = c.get_session_data(key).await.unwrap().into_inner();
    assert!(!read.metadata.unwrap().cached);
    assert_eq!(read.data.unwrap().laps.len(), 20);
}
