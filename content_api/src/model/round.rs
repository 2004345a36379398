use content_types::{
    Circuit, CircuitRound, CircuitRounds, Named, Provenance, Round, RoundFormat, Session, SessionResult, SessionStatus,
    SessionType, circuit_image_url,
};
use protobuf::v1;

use super::opt;

pub(super) fn session_type(v: i32) -> SessionType {
    match v1::SessionType::try_from(v).unwrap_or_default() {
        v1::SessionType::Practice1 => SessionType::Practice1,
        v1::SessionType::Practice2 => SessionType::Practice2,
        v1::SessionType::Practice3 => SessionType::Practice3,
        v1::SessionType::Qualifying => SessionType::Qualifying,
        v1::SessionType::SprintQualifying => SessionType::SprintQualifying,
        v1::SessionType::Sprint => SessionType::Sprint,
        v1::SessionType::Race => SessionType::Race,
        v1::SessionType::Unspecified => SessionType::Unspecified,
    }
}

pub(super) fn session_status(v: i32) -> SessionStatus {
    match v1::SessionStatus::try_from(v).unwrap_or_default() {
        v1::SessionStatus::Scheduled => SessionStatus::Scheduled,
        v1::SessionStatus::Live => SessionStatus::Live,
        v1::SessionStatus::Finished => SessionStatus::Finished,
        v1::SessionStatus::Cancelled => SessionStatus::Cancelled,
        v1::SessionStatus::Unspecified => SessionStatus::Unspecified,
    }
}

fn format(v: i32) -> RoundFormat {
    match v1::RoundFormat::try_from(v).unwrap_or_default() {
        v1::RoundFormat::Conventional => RoundFormat::Conventional,
        v1::RoundFormat::Sprint => RoundFormat::Sprint,
        v1::RoundFormat::Unspecified => RoundFormat::Unspecified,
    }
}

/// A name with its id, or nothing where the id is unknown.
fn named(id: String, name: String) -> Option<Named> {
    (!id.is_empty()).then_some(Named { id, name })
}

pub fn circuit_rounds(c: v1::CircuitRoundsResponse) -> CircuitRounds {
    let rounds = c
        .rounds
        .into_iter()
        .map(|r| CircuitRound {
            date: opt(&r.date),
            winner: named(r.winner_driver_id, r.winner_name),
            team: named(r.winner_constructor_id, r.winner_team),
            season: r.season,
            round: r.round,
            name: r.name,
        })
        .collect();
    CircuitRounds { rounds }
}

pub fn circuit(c: v1::Circuit) -> Circuit {
    Circuit {
        image_url: c.has_image.then(|| circuit_image_url(&c.id)),
        id: c.id,
        name: c.name,
        full_name: c.full_name,
        locality: c.locality,
        country: c.country,
        country_code: c.country_code,
        latitude: c.latitude,
        longitude: c.longitude,
        length_km: c.length_km,
        turns: c.turns,
        race_laps: c.race_laps,
        circuit_type: c.circuit_type,
        direction: c.direction,
    }
}

fn result(r: v1::SessionResult) -> SessionResult {
    SessionResult {
        position: r.position,
        position_text: r.position_text,
        driver_number: r.driver_number,
        driver_name: r.driver_name,
        driver_code: r.driver_code,
        team: r.team,
        time: r.time,
        laps: r.laps,
        status: r.status,
        points: r.points,
        grid: r.grid,
        q1: r.q1,
        q2: r.q2,
        q3: r.q3,
        driver_id: r.driver_id,
        constructor_id: r.constructor_id,
        gap: r.gap,
        interval: r.interval,
        fastest_lap: r.fastest_lap,
        fastest_lap_time: r.fastest_lap_time,
        classified: r.classified,
    }
}

pub fn provenance(p: Option<v1::Provenance>) -> Option<Provenance> {
    p.map(|p| Provenance {
        source: v1::ResultSource::try_from(p.source).unwrap_or_default().slug().to_string(),
        status: v1::ResultStatus::try_from(p.status).unwrap_or_default().slug().to_string(),
        updated_at: p.updated_at,
    })
}

pub fn session(s: v1::Session) -> Session {
    Session {
        session_type: session_type(s.r#type),
        date: s.date,
        status: session_status(s.status),
        total_laps: s.total_laps,
        current_laps: s.current_laps,
        results: s.results.into_iter().map(result).collect(),
        season: s.season,
        round: s.round,
        start_time: s.start_time,
        provenance: provenance(s.provenance),
        session_data: None,
    }
}

pub fn round(r: v1::Round) -> Round {
    let provisional = r.sessions.iter().any(|s| s.provenance.as_ref().is_some_and(v1::Provenance::is_provisional));
    Round {
        provisional,
        round_id: r.round,
        name: r.name,
        season: r.season,
        circuit: r.circuit.map(circuit),
        first_date: r.first_date,
        end_date: r.end_date,
        sessions: r.sessions.into_iter().map(session).collect(),
        official_name: r.official_name,
        grand_prix_id: r.grand_prix_id,
        format: format(r.format),
        date: r.date,
        laps: r.laps,
        distance_km: r.distance_km,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The proto enums and the contract's spell every value the same way.
    #[test]
    fn spellings_match_the_proto_slugs() {
        for v in 0..8 {
            if let Ok(t) = v1::SessionType::try_from(v) {
                assert_eq!(session_type(v).as_str(), t.slug());
            }
            if let Ok(s) = v1::SessionStatus::try_from(v) {
                assert_eq!(session_status(v).as_str(), s.slug());
            }
            if let Ok(f) = v1::RoundFormat::try_from(v) {
                assert_eq!(format(v).as_str(), f.slug());
            }
        }
    }
}
