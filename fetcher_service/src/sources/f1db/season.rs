//! One season of f1db files to one `WriteBatchRequest`: the season, its
//! rounds with every session and classification, and the standings after
//! every round.
use protobuf::domain::utc_instant;
use protobuf::v1::{
    PitStop, Provenance, RaceTiming, ResultSource, Round, RoundFormat, Season, SeasonStatus, Session, SessionStatus,
    SessionType, WriteBatchRequest,
};

use super::files::{RaceFiles, SeasonFiles, err};
use super::model::{ConstructorStandingRow, DriverStandingRow, FastestLap, PitStopRow, Race, ResultRow};
use super::reference::{Reference, parse};
use super::results;
use super::standings;
use crate::tally::SeasonTally;
use crate::upstream::UpstreamError;

/// The session files f1db writes per race, in weekend order.
const SESSION_FILES: [(SessionType, &str); 7] = [
    (SessionType::Practice1, "free-practice-1-results.yml"),
    (SessionType::Practice2, "free-practice-2-results.yml"),
    (SessionType::Practice3, "free-practice-3-results.yml"),
    (SessionType::SprintQualifying, "sprint-qualifying-results.yml"),
    (SessionType::Sprint, "sprint-race-results.yml"),
    (SessionType::Qualifying, "qualifying-results.yml"),
    (SessionType::Race, "race-results.yml"),
];

/// A season mapped, ready to write.
#[derive(Debug)]
pub struct SeasonBatch {
    pub batch: WriteBatchRequest,
    pub rounds: usize,
    /// The pit stops of its races (laps are not in f1db), written after
    /// the batch: a timing write keeps the laps another source stored.
    pub timings: Vec<RaceTiming>,
}

/// Parses a file that may be absent; f1db writes empty files for sessions
/// that were held without a classification.
fn rows<T: serde::de::DeserializeOwned>(
    files: &RaceFiles,
    dir: &str,
    name: &str,
) -> Result<Option<Vec<T>>, UpstreamError> {
    match files.get(name) {
        None => Ok(None),
        Some(bytes) => {
            let parsed: Option<Vec<T>> = parse(&format!("{dir}/{name}"), bytes)?;
            Ok(parsed.filter(|v| !v.is_empty()))
        }
    }
}

fn scheduled(race: &Race, kind: SessionType) -> (Option<&str>, Option<&str>) {
    let (date, time) = match kind {
        SessionType::Practice1 => (&race.free_practice1_date, &race.free_practice1_time),
        SessionType::Practice2 => (&race.free_practice2_date, &race.free_practice2_time),
        SessionType::Practice3 => (&race.free_practice3_date, &race.free_practice3_time),
        SessionType::Qualifying => (&race.qualifying_date, &race.qualifying_time),
        SessionType::SprintQualifying => (&race.sprint_qualifying_date, &race.sprint_qualifying_time),
        SessionType::Sprint => (&race.sprint_race_date, &race.sprint_race_time),
        _ => (&race.date, &race.time),
    };
    (date.as_deref(), time.as_deref())
}

pub fn build(year: i32, season: &SeasonFiles, reference: &Reference) -> Result<SeasonBatch, UpstreamError> {
    let mut batch = WriteBatchRequest::default();
    let mut tally = SeasonTally::default();
    let mut finished_rounds = Vec::new();
    let mut timings = Vec::new();
    for (name, files) in &season.races {
        let dir = format!("seasons/{year}/races/{name}");
        let race: Race =
            parse(&format!("{dir}/race.yml"), files.get("race.yml").ok_or_else(|| err(&dir, "race.yml is missing"))?)?;
        let fastest_laps: Vec<FastestLap> = rows(files, &dir, "fastest-laps.yml")?.unwrap_or_default();
        let fastest = fastest_laps.iter().find(|f| f.position.number() == Some(1));
        let fastest_pair = fastest.map(|f| (f.driver_id.as_str(), f.time.as_deref().unwrap_or_default()));
        let best_laps = results::BestLaps::of(&fastest_laps);

        let mut sessions = Vec::new();
        for (kind, file) in SESSION_FILES {
            let result_rows: Option<Vec<ResultRow>> = rows(files, &dir, file)?;
            let (date, time) = scheduled(&race, kind);
            if result_rows.is_none() && date.is_none() {
                continue;
            }
            let results = match &result_rows {
                Some(r) => results::map(&format!("{dir}/{file}"), kind, r, reference, fastest_pair, &best_laps)?,
                None => Vec::new(),
            };
            let laps = match kind {
                SessionType::Race => race.laps,
                SessionType::Sprint => race.sprint_race_laps,
                _ => None,
            };
            sessions.push(Session {
                season: year,
                round: race.round,
                r#type: kind as i32,
                date: date.unwrap_or_default().to_string(),
                start_time: date.zip(time).and_then(|(d, t)| utc_instant(d, t)),
                status: if results.is_empty() { SessionStatus::Scheduled } else { SessionStatus::Finished } as i32,
                total_laps: laps.map_or(0, |l| l as i32),
                current_laps: if results.is_empty() { 0 } else { laps.map_or(0, |l| l as i32) },
                provenance: (!results.is_empty()).then(|| Provenance::from_source(ResultSource::F1db)),
                results,
            });
        }

        let race_results = sessions.iter().find(|s| s.r#type == SessionType::Race as i32 && !s.results.is_empty());
        if let Some(race_results) = race_results.map(|s| &s.results) {
            tally.add_race(race_results);
            finished_rounds.push(race.round);
            let drivers: Option<Vec<DriverStandingRow>> = rows(files, &dir, "driver-standings.yml")?;
            let constructors: Option<Vec<ConstructorStandingRow>> = rows(files, &dir, "constructor-standings.yml")?;
            if drivers.is_some() || constructors.is_some() {
                batch.standings.push(standings::build(
                    year,
                    race.round,
                    &drivers.unwrap_or_default(),
                    &constructors.unwrap_or_default(),
                    &tally,
                    reference,
                ));
            }
        }
        let stops = pit_stops(files, &dir)?;
        if !stops.is_empty() {
            timings.push(RaceTiming { season: year, round: race.round, laps: Vec::new(), pit_stops: stops });
        }
        batch.rounds.push(round(year, &race, sessions, reference));
    }
    let season_record = season_record(year, season, &batch.rounds, &finished_rounds, reference)?;
    let rounds = batch.rounds.len();
    batch.seasons.push(season_record);
    Ok(SeasonBatch { batch, rounds, timings })
}

/// A race's pit stops. f1db gives no time of day, so `time` stays empty;
/// a row without a lap or stop number is refused, naming the file.
fn pit_stops(files: &RaceFiles, dir: &str) -> Result<Vec<PitStop>, UpstreamError> {
    let file = format!("{dir}/pit-stops.yml");
    let rows: Vec<PitStopRow> = rows(files, dir, "pit-stops.yml")?.unwrap_or_default();
    let whole = |n: Option<f64>| n.filter(|n| *n >= 1.0 && n.fract() == 0.0).map(|n| n as i32);
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let (Some(lap), Some(stop)) = (whole(r.lap), whole(r.stop)) else {
                return Err(err(&file, format!("row {i} ({}) has no lap or stop number from 1", r.driver_id)));
            };
            Ok(PitStop { driver_id: r.driver_id, lap, stop, time: String::new(), duration: r.time.unwrap_or_default() })
        })
        .collect()
}

fn round(year: i32, race: &Race, sessions: Vec<Session>, reference: &Reference) -> Round {
    let gp = reference.grands_prix.get(&race.grand_prix_id);
    let date = race.date.clone().unwrap_or_default();
    let first_date =
        sessions.iter().map(|s| s.date.as_str()).filter(|d| !d.is_empty()).min().unwrap_or(&date).to_string();
    let sprint = race.sprint_race_laps.is_some() || sessions.iter().any(|s| s.r#type == SessionType::Sprint as i32);
    Round {
        season: year,
        round: race.round,
        name: gp
            .map(|g| g.full_name.clone().unwrap_or_else(|| g.name.clone()))
            .unwrap_or_else(|| race.grand_prix_id.clone()),
        official_name: race.official_name.clone(),
        grand_prix_id: race.grand_prix_id.clone(),
        circuit_id: race.circuit_id.clone(),
        circuit: None,
        format: if sprint { RoundFormat::Sprint } else { RoundFormat::Conventional } as i32,
        first_date,
        end_date: date.clone(),
        date,
        course_length_km: race.course_length.unwrap_or_default(),
        turns: race.turns.map_or(0, |t| t as i32),
        laps: race.laps.map_or(0, |l| l as i32),
        distance_km: race.distance.unwrap_or_default(),
        sessions,
    }
}

/// Status from which rounds have race results; the champion only once the
/// season is completed, from the season's final standings.
fn season_record(
    year: i32,
    files: &SeasonFiles,
    rounds: &[Round],
    finished: &[i32],
    reference: &Reference,
) -> Result<Season, UpstreamError> {
    let status = match finished.len() {
        0 => SeasonStatus::Upcoming,
        n if n == rounds.len() => SeasonStatus::Completed,
        _ => SeasonStatus::InProgress,
    };
    let mut season = Season {
        year,
        status: status as i32,
        total_rounds: rounds.len() as i32,
        current_round: finished.iter().copied().max().unwrap_or(0),
        first_date: rounds.first().map(|r| r.first_date.clone()).unwrap_or_default(),
        end_date: rounds.last().map(|r| r.date.clone()).unwrap_or_default(),
        ..Default::default()
    };
    if status == SeasonStatus::Completed {
        let path = format!("seasons/{year}");
        let drivers: Option<Vec<DriverStandingRow>> = match files.files.get("driver-standings.yml") {
            Some(b) => parse(&format!("{path}/driver-standings.yml"), b)?,
            None => None,
        };
        let constructors: Option<Vec<ConstructorStandingRow>> = match files.files.get("constructor-standings.yml") {
            Some(b) => parse(&format!("{path}/constructor-standings.yml"), b)?,
            None => None,
        };
        if let Some(champion) = drivers.unwrap_or_default().into_iter().find(|d| d.position.number() == Some(1)) {
            season.champion_driver_name = reference.driver_name(&champion.driver_id).unwrap_or_default().to_string();
            season.champion_driver_id = champion.driver_id;
        }
        if let Some(champion) = constructors.unwrap_or_default().into_iter().find(|c| c.position.number() == Some(1)) {
            season.champion_constructor_name =
                reference.constructor_name(&champion.constructor_id).unwrap_or_default().to_string();
            season.champion_constructor_id = champion.constructor_id;
        }
    }
    Ok(season)
}
