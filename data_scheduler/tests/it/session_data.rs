//! Session data, run against every store backend (and the Redis cache when
//! available): a session's records read back as written, by F1's
//! `session_key` and by our season/round/type; a re-sync replaces them
//! whole; a race's worth of intervals is stored in several parts and reads
//! back whole; the index lists sessions newest first, filtered; a read after
//! a write is never the old copy; the session's classification is untouched.
use std::sync::Arc;

use data_scheduler::cache::Cache;
use data_scheduler::repo::{Repo, Ttls};
use data_scheduler::store::{Collection, Store};
use protobuf::v1::*;
use tonic::Code;

use crate::fixtures::*;

async fn repo(store: Arc<dyn Store>, cache: Arc<dyn Cache>) -> Arc<Repo> {
    Repo::new(store, cache, Ttls::default()).await.unwrap()
}

fn by_key(session_key: i64) -> SessionDataKey {
    SessionDataKey { session_key, ..Default::default() }
}

fn by_link(season: i32, round: i32, t: SessionType) -> SessionDataKey {
    SessionDataKey { session_key: 0, season, round, r#type: t as i32 }
}

/// The stored records, and whether the answer came from the cache.
async fn read(repo: &Repo, key: SessionDataKey) -> Result<(SessionData, bool), Code> {
    match repo.session_data(key).await {
        Ok(a) => {
            let r: SessionDataResponse = a.decode().unwrap();
            Ok((r.data.unwrap(), r.metadata.unwrap().cached))
        }
        Err(e) => Err(tonic::Status::from(e).code()),
    }
}

async fn index(repo: &Repo, filter: SessionDataFilter) -> Vec<SessionDataSummary> {
    repo.session_data_index(filter).await.unwrap().decode::<SessionDataIndexResponse>().unwrap().sessions
}

/// The keys of the stored parts of `session_key`.
async fn parts(store: &dyn Store, session_key: i64) -> Vec<String> {
    let docs = store.scan(Collection::SessionData, &format!("{session_key:012}/")).await.unwrap();
    docs.into_iter().map(|d| d.key).collect()
}

async fn written_then_read_back_equal_by_either_key(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store.clone(), cache).await;
    let data = china_race_data(56);
    let written = repo.write_session_data(data.clone()).await.unwrap();
    assert_eq!(written.records, 2 + 112 + 12, "every record counted: drivers, laps and one of each other kind");
    assert_eq!(written.replaced, 0);
    assert_eq!(read(&repo, by_key(9673)).await.unwrap().0, data);
    assert_eq!(read(&repo, by_link(2024, 5, SessionType::Race)).await.unwrap().0, data);
    // One part per kind of record.
    assert_eq!(parts(store.as_ref(), 9673).await.len(), 14);
}

async fn a_rewrite_replaces_every_record_and_counts_them(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store.clone(), cache).await;
    repo.write_session_data(china_race_data(56)).await.unwrap();
    let (_, cached) = read(&repo, by_key(9673)).await.unwrap();
    assert!(!cached);
    assert!(read(&repo, by_key(9673)).await.unwrap().1, "the second read is the kept answer");

    // A re-sync that found less: 10 laps a car, no weather, no team radio.
    let mut fewer = china_race_data(10);
    fewer.weather.clear();
    fewer.team_radio.clear();
    fewer.source = "live".into();
    let written = repo.write_session_data(fewer.clone()).await.unwrap();
    assert_eq!((written.records, written.replaced), (2 + 20 + 10, 126));
    let (stored, cached) = read(&repo, by_key(9673)).await.unwrap();
    assert!(!cached, "a read after the write is not the kept answer from before it");
    assert_eq!(stored, fewer, "none of the old records is left");
    let keys = parts(store.as_ref(), 9673).await;
    assert!(!keys.iter().any(|k| k.contains("weather") || k.contains("team_radio")), "{keys:?}");

    // The same records again: the same copy, counted again.
    let again = repo.write_session_data(fewer.clone()).await.unwrap();
    assert_eq!((again.records, again.replaced), (32, 32));
    assert_eq!(read(&repo, by_key(9673)).await.unwrap().0, fewer);
}

/// A race's worth of intervals (about 9 MB encoded) passes the 4 MB part
/// size: stored as several parts, each far below MongoDB's 16 MB, read back
/// whole and in order.
async fn a_big_session_is_stored_in_parts_and_reads_back_whole(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store.clone(), cache).await;
    let mut data = china_race_data(56);
    data.intervals = (0..250_000)
        .map(|i| SessionDataInterval {
            driver_number: 1 + i % 20,
            date: CHINA_RACE_START_US + i64::from(i) * 25_000,
            gap_to_leader: Some(Gap { value: Some(gap::Value::Seconds(f64::from(i) / 1000.0)) }),
            interval: Some(Gap { value: Some(gap::Value::Seconds(0.5)) }),
        })
        .collect();
    repo.write_session_data(data.clone()).await.unwrap();
    let docs = store.scan(Collection::SessionData, "000000009673/intervals/").await.unwrap();
    assert!(docs.len() >= 2, "several parts: {}", docs.len());
    assert!(docs.iter().all(|d| d.body.len() < 5 * 1024 * 1024), "every part stays near 4 MB");
    assert_eq!(read(&repo, by_key(9673)).await.unwrap().0, data);

    // Replaced by a small copy: every part of the big one goes.
    repo.write_session_data(china_race_data(3)).await.unwrap();
    assert!(store.scan(Collection::SessionData, "000000009673/intervals/").await.unwrap().len() == 1);
    assert_eq!(read(&repo, by_key(9673)).await.unwrap().0.intervals.len(), 1);
}

async fn lookups_answer_not_found_for_what_is_not_stored(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store, cache).await;
    assert_eq!(read(&repo, by_key(9673)).await.unwrap_err(), Code::NotFound);
    assert_eq!(read(&repo, by_link(2024, 5, SessionType::Race)).await.unwrap_err(), Code::NotFound);
    repo.write_session_data(china_race_data(5)).await.unwrap();
    assert_eq!(read(&repo, by_key(9674)).await.unwrap_err(), Code::NotFound);
    assert_eq!(read(&repo, by_link(2024, 5, SessionType::Sprint)).await.unwrap_err(), Code::NotFound);

    // A corrected link: the session is found under its new round only.
    let mut moved = china_race_data(5);
    moved.round = 6;
    repo.write_session_data(moved.clone()).await.unwrap();
    assert_eq!(read(&repo, by_link(2024, 5, SessionType::Race)).await.unwrap_err(), Code::NotFound);
    assert_eq!(read(&repo, by_link(2024, 6, SessionType::Race)).await.unwrap().0, moved);
    assert!(index(&repo, SessionDataFilter { season: Some(2023), ..Default::default() }).await.is_empty());
}

/// A session of `year` starting `day` days into it, not one of ours.
fn test_session(session_key: i64, meeting_key: i64, year: i32, start_us: i64) -> SessionData {
    let mut d = china_race_data(1);
    (d.session_key, d.meeting_key, d.season, d.round, d.r#type) = (session_key, meeting_key, 0, 0, 0);
    let session = d.session.as_mut().unwrap();
    (session.year, session.date_start, session.session_name) = (year, Some(start_us), "Day 1".into());
    d.meeting.as_mut().unwrap().year = year;
    d
}

async fn the_index_lists_newest_first_filtered_with_counts(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store, cache).await;
    let day = 86_400_000_000;
    let race = china_race_data(56);
    let winter_test = test_session(9470, 1229, 2024, CHINA_RACE_START_US - 50 * day);
    let last_year = test_session(7763, 1140, 2023, CHINA_RACE_START_US - 365 * day);
    let mut qualifying = china_race_data(3);
    qualifying.session_key = 9672;
    qualifying.r#type = SessionType::Qualifying as i32;
    qualifying.session.as_mut().unwrap().date_start = Some(CHINA_RACE_START_US - day);
    for d in [winter_test.clone(), race.clone(), last_year.clone(), qualifying.clone()] {
        repo.write_session_data(d).await.unwrap();
    }
    let keys = |s: Vec<SessionDataSummary>| s.iter().map(|s| s.session_key).collect::<Vec<_>>();
    let all = index(&repo, SessionDataFilter::default()).await;
    assert_eq!(keys(all.clone()), [9673, 9672, 9470, 7763], "newest first by the session's start");
    assert_eq!(all[0].counts["laps"], 112);
    assert_eq!(all[0].counts["weather"], 1);
    assert_eq!(all[0].counts["overtakes"], 1);
    assert_eq!((all[0].season, all[0].round, all[0].meeting_key), (2024, 5, 1233));
    assert_eq!(all[0].session, race.session);
    let season = |y| SessionDataFilter { season: Some(y), meeting_key: None };
    assert_eq!(keys(index(&repo, season(2024)).await), [9673, 9672, 9470], "a test is filed under its year");
    assert_eq!(keys(index(&repo, season(2023)).await), [7763]);
    let meeting = SessionDataFilter { season: None, meeting_key: Some(1233) };
    assert_eq!(keys(index(&repo, meeting).await), [9673, 9672]);

    // A cached index answer is dropped by a write to its season.
    assert!(repo.session_data_index(season(2023)).await.unwrap().metadata.cached);
    assert!(repo.session_data_index(SessionDataFilter::default()).await.unwrap().metadata.cached);
    repo.write_session_data(test_session(7764, 1140, 2023, CHINA_RACE_START_US - 364 * day)).await.unwrap();
    assert_eq!(keys(index(&repo, season(2023)).await), [7764, 7763]);
    assert_eq!(index(&repo, SessionDataFilter::default()).await.len(), 5);
}

/// Session data is timing data: its `session_result` never reaches the
/// stored classification, official or not, and it stores no session.
async fn session_data_never_touches_the_classification(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store.clone(), cache).await;
    let setup = WriteBatchRequest { seasons: vec![season_2024()], rounds: vec![china_2024()], ..Default::default() };
    repo.write_batch(setup).await.unwrap();
    let sessions_before = store.scan(Collection::Sessions, "").await.unwrap();
    let race = || async { repo.session(2024, 5, SessionType::Race as i32).await.unwrap().decode::<SessionResponse>() };
    let before = race().await.unwrap().session;

    let mut data = china_race_data(56);
    // The timing's order at the flag differs from the classification.
    data.session_result = vec![
        SessionDataResult { driver_number: 4, position: 1, ..Default::default() },
        SessionDataResult { driver_number: 1, position: 2, ..Default::default() },
    ];
    repo.write_session_data(data).await.unwrap();
    let mut sprint = china_race_data(5);
    (sprint.session_key, sprint.r#type) = (9664, SessionType::Sprint as i32);
    repo.write_session_data(sprint).await.unwrap();

    assert_eq!(race().await.unwrap().session, before);
    assert_eq!(before.unwrap().results[0].driver_code, "VER");
    assert_eq!(store.scan(Collection::Sessions, "").await.unwrap(), sessions_before, "no session written");
}

crate::repo_tests!(
    written_then_read_back_equal_by_either_key,
    a_rewrite_replaces_every_record_and_counts_them,
    a_big_session_is_stored_in_parts_and_reads_back_whole,
    lookups_answer_not_found_for_what_is_not_stored,
    the_index_lists_newest_first_filtered_with_counts,
    session_data_never_touches_the_classification,
);
