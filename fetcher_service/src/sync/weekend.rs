//! `POST /fetch/weekend`: a round's race-weekend page on formula1.com (its
//! timetable, circuit facts and circuit map) merged into what is stored.
//! Jolpica's and f1db's names, ids and results are canonical: this sync
//! fills only what they left empty and never blanks a stored value.
use protobuf::v1::{Circuit, CircuitImage, Round, RoundFormat, SessionStatus, WriteBatchRequest};
use protobuf::{RoundNumber, Year};

use crate::client::Formula1Hosts;
use crate::error::FetchError;
use crate::ids;
use crate::sources::formula1::{self, Weekend};
use crate::upstream::{Fetch, SourceName, UpstreamError};
use data_client::Client;

/// Reads round `round` of `year` from formula1.com (`site`; the circuit
/// map from whichever formula1.com host the page names, see
/// [`Formula1Hosts::for_origin`]) and returns the one batch: the round, its
/// stored circuit with formula1.com's laps and length, and the circuit map.
/// `now` (unix seconds) sets the status of sessions new to the store.
pub async fn sync_weekend(
    site: &dyn Fetch,
    hosts: &Formula1Hosts,
    client: &Client,
    year: Year,
    round: RoundNumber,
    now: i64,
) -> Result<WriteBatchRequest, FetchError> {
    let (year, n) = (year.get(), round.get());
    let rounds = formula1::season_rounds(site, year).await.map_err(UpstreamError::from)?;
    let listed = rounds.iter().find(|r| r.round == n).ok_or_else(|| {
        FetchError::param("round", format!("formula1.com lists {} rounds for {year}, not round {n}", rounds.len()))
    })?;
    let weekend = formula1::weekend(site, year, &listed.slug).await.map_err(UpstreamError::from)?;
    let found = weekend.to_round(year, n, now);
    let round = match client.round(year, n).await? {
        Some(stored) => merge(&stored, &found),
        None => Round { circuit_id: circuit_named(client, &weekend, year, n).await?, ..found },
    };
    let circuit = client.circuit(&round.circuit_id).await?.map(|c| with_facts(c, &weekend));
    let image = circuit_image(site, hosts, &listed.path, &round.circuit_id, &weekend.circuit_image_url).await?;
    Ok(WriteBatchRequest {
        rounds: vec![round],
        circuits: circuit.into_iter().collect(),
        circuit_images: vec![image],
        ..Default::default()
    })
}

/// `stored` with what formula1.com (`found`) adds: empty names and dates,
/// an unknown format, zero laps, length or distance, missing session start
/// times, days and statuses, and sessions the store lacks. A round write
/// replaces only the sessions it carries, so only the sessions that change
/// are carried: stored results are never rewritten.
pub(crate) fn merge(stored: &Round, found: &Round) -> Round {
    let mut round = Round { sessions: Vec::new(), circuit: None, ..stored.clone() };
    for (mine, theirs) in [
        (&mut round.name, &found.name),
        (&mut round.official_name, &found.official_name),
        (&mut round.first_date, &found.first_date),
        (&mut round.end_date, &found.end_date),
        (&mut round.date, &found.date),
    ] {
        if mine.trim().is_empty() {
            mine.clone_from(theirs);
        }
    }
    if round.format == RoundFormat::Unspecified as i32 {
        round.format = found.format;
    }
    if round.laps == 0 {
        round.laps = found.laps;
    }
    if round.course_length_km == 0.0 {
        round.course_length_km = found.course_length_km;
    }
    if round.distance_km == 0.0 {
        round.distance_km = found.distance_km;
    }
    for theirs in &found.sessions {
        let Some(mine) = stored.sessions.iter().find(|s| s.r#type == theirs.r#type) else {
            round.sessions.push(theirs.clone());
            continue;
        };
        let mut merged = mine.clone();
        merged.start_time = merged.start_time.or(theirs.start_time);
        if merged.date.is_empty() {
            merged.date.clone_from(&theirs.date);
        }
        if merged.status == SessionStatus::Unspecified as i32 {
            merged.status = theirs.status;
        }
        if merged != *mine {
            round.sessions.push(merged);
        }
    }
    round
}

/// formula1.com's circuit box describes the layout raced that weekend.
fn with_facts(mut circuit: Circuit, weekend: &Weekend) -> Circuit {
    if weekend.laps > 0 {
        circuit.race_laps = weekend.laps;
    }
    if weekend.circuit_length_km > 0.0 {
        circuit.length_km = weekend.circuit_length_km;
    }
    circuit.has_image = true;
    circuit
}

/// The id of the one stored circuit named as the page's JSON-LD location
/// (a round new to the store needs a circuit, and ids are never invented).
async fn circuit_named(client: &Client, weekend: &Weekend, year: i32, n: i32) -> Result<String, FetchError> {
    let wanted = ids::slug(&weekend.circuit_name);
    let circuits = client.circuits().await?;
    let named: Vec<&Circuit> = circuits
        .iter()
        .filter(|c| !wanted.is_empty() && (ids::slug(&c.full_name) == wanted || ids::slug(&c.name) == wanted))
        .collect();
    match named.as_slice() {
        [one] => Ok(one.id.clone()),
        _ => Err(FetchError::param(
            "round",
            format!(
                "round {n} of {year} is not stored and formula1.com's circuit `{}` matches {} stored circuits; \
                 fetch the calendar first (/fetcher/v1/fetch/rounds or /fetcher/v1/import/f1db)",
                weekend.circuit_name,
                named.len()
            ),
        )),
    }
}

/// Downloads the circuit map from the origin its URL names (the site's own
/// fetcher for a site path); an origin off formula1.com is an error.
async fn circuit_image(
    site: &dyn Fetch,
    hosts: &Formula1Hosts,
    page: &str,
    circuit_id: &str,
    url: &str,
) -> Result<CircuitImage, FetchError> {
    let invalid = |message: String| UpstreamError::Invalid {
        upstream: SourceName::Formula1,
        path: page.to_string(),
        field: "circuit map img src".into(),
        message,
    };
    let location = formula1::image_location(url).map_err(|_| invalid(format!("`{url}` is not an http(s) URL")))?;
    let other = match &location.origin {
        Some(origin) => {
            Some(hosts.for_origin(origin)?.ok_or_else(|| invalid(format!("`{url}` is not on formula1.com")))?)
        }
        None => None,
    };
    let fetch: &dyn Fetch = match &other {
        Some(client) => client,
        None => site,
    };
    Ok(formula1::circuit_image(fetch, circuit_id, url).await.map_err(UpstreamError::from)?)
}

#[cfg(test)]
mod tests {
    use protobuf::v1::{Session, SessionResult, SessionType};

    use super::*;

    fn session(t: SessionType, start: Option<i64>, results: usize) -> Session {
        Session {
            season: 2024,
            round: 5,
            r#type: t as i32,
            date: "2024-04-19".into(),
            start_time: start,
            status: SessionStatus::Finished as i32,
            results: vec![SessionResult { driver_name: "X".into(), ..Default::default() }; results],
            ..Default::default()
        }
    }

    #[test]
    fn merge_fills_gaps_and_keeps_stored_values() {
        let stored = Round {
            season: 2024,
            round: 5,
            name: "Chinese Grand Prix".into(),
            circuit_id: "shanghai".into(),
            format: RoundFormat::Sprint as i32,
            laps: 56,
            circuit: Some(Circuit::default()),
            sessions: vec![
                session(SessionType::Practice1, Some(100), 20),
                session(SessionType::SprintQualifying, None, 20),
                session(SessionType::Race, Some(300), 20),
            ],
            ..Default::default()
        };
        let found = Round {
            name: "FORMULA 1 CHINESE GRAND PRIX 2024".into(),
            official_name: "FORMULA 1 CHINESE GRAND PRIX 2024".into(),
            format: RoundFormat::Conventional as i32,
            laps: 57,
            course_length_km: 5.451,
            sessions: vec![
                session(SessionType::Practice1, Some(111), 0),
                session(SessionType::SprintQualifying, Some(200), 0),
                session(SessionType::Sprint, Some(250), 0),
                session(SessionType::Race, Some(333), 0),
            ],
            ..Default::default()
        };
        let merged = merge(&stored, &found);
        assert_eq!((merged.name.as_str(), merged.circuit_id.as_str()), ("Chinese Grand Prix", "shanghai"));
        assert_eq!(merged.official_name, found.official_name, "an empty value is filled");
        assert_eq!((merged.format, merged.laps, merged.course_length_km), (RoundFormat::Sprint as i32, 56, 5.451));
        assert_eq!(merged.circuit, None);
        // Only the sprint qualifying (start filled) and the sprint (new) change.
        let written: Vec<(i32, Option<i64>, usize)> =
            merged.sessions.iter().map(|s| (s.r#type, s.start_time, s.results.len())).collect();
        assert_eq!(
            written,
            [(SessionType::SprintQualifying as i32, Some(200), 20), (SessionType::Sprint as i32, Some(250), 0)]
        );
        // Run again over what the first run wrote: no session changes.
        let mut after = stored.clone();
        for s in &merged.sessions {
            match after.sessions.iter_mut().find(|x| x.r#type == s.r#type) {
                Some(x) => *x = s.clone(),
                None => after.sessions.push(s.clone()),
            }
        }
        assert!(merge(&after, &found).sessions.is_empty());
    }

    #[test]
    fn circuit_facts_come_from_the_page() {
        let weekend = Weekend {
            name: String::new(),
            circuit_name: String::new(),
            first_date: String::new(),
            end_date: String::new(),
            sessions: vec![],
            laps: 56,
            circuit_length_km: 5.451,
            race_distance_km: None,
            circuit_image_url: String::new(),
            results_path: None,
        };
        let stored = Circuit { id: "shanghai".into(), name: "Shanghai".into(), turns: 16, ..Default::default() };
        let c = with_facts(stored, &weekend);
        assert_eq!((c.race_laps, c.length_km, c.turns, c.name.as_str()), (56, 5.451, 16, "Shanghai"));
    }
}
