//! Source precedence, run against every store backend (and the Redis cache
//! when available): an official classification replaces anything, a
//! provisional one never replaces an official one (counted as
//! `kept_official`, nothing of it stored), and between two of the same
//! status the later write wins. The same for standings.
use std::sync::Arc;

use data_scheduler::cache::Cache;
use data_scheduler::repo::{Repo, Ttls, Written};
use data_scheduler::store::{Collection, Store};
use protobuf::v1::*;

use crate::fixtures::*;

fn provenance(source: ResultSource) -> Option<Provenance> {
    Some(Provenance::from_source(source))
}

/// The 2024 Chinese GP race as `source` has it; `leader` names the winner,
/// so two classifications of the same race are told apart.
fn race(source: ResultSource, leader: &str) -> Session {
    let mut results = race_results();
    results[0].driver_name = leader.into();
    Session { provenance: provenance(source), ..session(SessionType::Race, 1_713_682_800, results) }
}

fn standings(source: ResultSource, leader_points: f64) -> Standings {
    let driver = DriverStanding {
        position: 1,
        position_text: "1".into(),
        driver_id: "max-verstappen".into(),
        driver_name: "Max Verstappen".into(),
        points: leader_points,
        ..Default::default()
    };
    Standings { season: 2024, round: 5, drivers: vec![driver], provenance: provenance(source), ..Default::default() }
}

async fn repo(store: Arc<dyn Store>, cache: Arc<dyn Cache>) -> Arc<Repo> {
    let repo = Repo::new(store, cache, Ttls::default()).await.unwrap();
    let setup = WriteBatchRequest { seasons: vec![season_2024()], rounds: vec![china_2024()], ..Default::default() };
    repo.write_batch(setup).await.unwrap();
    repo
}

async fn write_sessions(repo: &Repo, sessions: Vec<Session>) -> Written {
    repo.write_batch(WriteBatchRequest { sessions, ..Default::default() }).await.unwrap()
}

async fn stored_race(repo: &Repo) -> Session {
    repo.session(2024, 5, SessionType::Race as i32).await.unwrap().decode::<SessionResponse>().unwrap().session.unwrap()
}

async fn stored_standings(repo: &Repo) -> Standings {
    let filter = StandingsFilter { season: 2024, after_round: Some(5) };
    repo.standings(filter).await.unwrap().decode::<StandingsResponse>().unwrap().standings.unwrap()
}

fn status(p: &Option<Provenance>) -> ResultStatus {
    p.as_ref().map(Provenance::result_status).unwrap_or_default()
}

async fn official_then_provisional_keeps_the_official(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store.clone(), cache).await;
    write_sessions(&repo, vec![race(ResultSource::F1db, "Official Winner")]).await;
    let before = stored_race(&repo).await;
    let raw_before = store.get(Collection::Sessions, "2024/05/race").await.unwrap();

    // The provisional session comes with another record: that one lands.
    let other = session(SessionType::Qualifying, 1_713_600_000, race_results());
    let w = write_sessions(&repo, vec![race(ResultSource::LivetimingArchive, "On-track Winner"), other]).await;

    assert_eq!(w, Written { records: 1, kept_official: 1, replaced: 0 });
    assert_eq!(stored_race(&repo).await, before, "the official classification is kept as it was");
    assert_eq!(store.get(Collection::Sessions, "2024/05/race").await.unwrap(), raw_before, "byte-identical");
    assert_eq!(status(&before.provenance), ResultStatus::Official);
    assert!(before.provenance.as_ref().unwrap().updated_at > 0, "stamped when stored");
    assert!(repo.session(2024, 5, SessionType::Qualifying as i32).await.is_ok());
}

async fn provisional_then_official_replaces(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store, cache).await;
    write_sessions(&repo, vec![race(ResultSource::LivetimingArchive, "On-track Winner")]).await;
    assert_eq!(status(&stored_race(&repo).await.provenance), ResultStatus::Provisional);

    let w = write_sessions(&repo, vec![race(ResultSource::Jolpica, "Official Winner")]).await;

    assert_eq!(w, Written { records: 1, kept_official: 0, replaced: 0 });
    let stored = stored_race(&repo).await;
    assert_eq!(stored.results[0].driver_name, "Official Winner");
    assert_eq!(stored.provenance.as_ref().unwrap().source, ResultSource::Jolpica as i32);
    assert_eq!(status(&stored.provenance), ResultStatus::Official);
}

async fn official_then_corrected_official_replaces(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store, cache).await;
    write_sessions(&repo, vec![race(ResultSource::Jolpica, "Later Disqualified")]).await;
    // A disqualification weeks later: the same (or another) official source.
    let w = write_sessions(&repo, vec![race(ResultSource::F1db, "Corrected Winner")]).await;
    assert_eq!(w.kept_official, 0);
    let stored = stored_race(&repo).await;
    assert_eq!(stored.results[0].driver_name, "Corrected Winner");
    assert_eq!(stored.provenance.as_ref().unwrap().source, ResultSource::F1db as i32);
}

async fn provisional_then_provisional_later_wins(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store, cache).await;
    write_sessions(&repo, vec![race(ResultSource::LivetimingLive, "At The Flag")]).await;
    let w = write_sessions(&repo, vec![race(ResultSource::LivetimingArchive, "From The Archive")]).await;
    assert_eq!(w.kept_official, 0);
    let stored = stored_race(&repo).await;
    assert_eq!(stored.results[0].driver_name, "From The Archive");
    assert_eq!(status(&stored.provenance), ResultStatus::Provisional);
}

async fn a_round_write_keeps_official_sessions_too(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store, cache).await;
    write_sessions(&repo, vec![race(ResultSource::F1db, "Official Winner")]).await;
    let mut round = china_2024();
    round.name = "Renamed Grand Prix".into();
    round.sessions = vec![race(ResultSource::LivetimingArchive, "On-track Winner")];
    let w = repo.write_batch(WriteBatchRequest { rounds: vec![round], ..Default::default() }).await.unwrap();
    assert_eq!(w, Written { records: 1, kept_official: 1, replaced: 0 });
    assert_eq!(stored_race(&repo).await.results[0].driver_name, "Official Winner");
    assert_eq!(
        repo.round(2024, 5).await.unwrap().decode::<RoundResponse>().unwrap().round.unwrap().name,
        "Renamed Grand Prix"
    );
}

async fn standings_follow_the_same_rule(store: Arc<dyn Store>, cache: Arc<dyn Cache>) {
    let repo = repo(store, cache).await;
    let write = |s: Standings| {
        let repo = repo.clone();
        async move { repo.write_batch(WriteBatchRequest { standings: vec![s], ..Default::default() }).await.unwrap() }
    };
    // provisional -> provisional: later wins.
    write(standings(ResultSource::LivetimingArchive, 100.0)).await;
    assert_eq!(write(standings(ResultSource::LivetimingArchive, 101.0)).await.kept_official, 0);
    assert_eq!(stored_standings(&repo).await.drivers[0].points, 101.0);
    // provisional -> official: replaced.
    assert_eq!(write(standings(ResultSource::Jolpica, 98.0)).await.kept_official, 0);
    let official = stored_standings(&repo).await;
    assert_eq!(official.drivers[0].points, 98.0);
    assert_eq!(status(&official.provenance), ResultStatus::Official);
    // official -> provisional: kept, counted.
    assert_eq!(
        write(standings(ResultSource::LivetimingArchive, 125.0)).await,
        Written { records: 0, kept_official: 1, replaced: 0 }
    );
    assert_eq!(stored_standings(&repo).await, official);
    // official -> corrected official: replaced.
    assert_eq!(write(standings(ResultSource::F1db, 97.0)).await.kept_official, 0);
    assert_eq!(stored_standings(&repo).await.drivers[0].points, 97.0);
}

crate::repo_tests!(
    official_then_provisional_keeps_the_official,
    provisional_then_official_replaces,
    official_then_corrected_official_replaces,
    provisional_then_provisional_later_wins,
    a_round_write_keeps_official_sessions_too,
    standings_follow_the_same_rule,
);
