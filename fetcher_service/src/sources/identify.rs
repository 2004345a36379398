//! Results that carry only car numbers, codes and names (LiveTiming,
//! formula1.com) get their driver and constructor ids from what is stored
//! about the season: first the car number in the same round's other
//! sessions, then the driver code among the season's entrants, then the
//! car number elsewhere in the season. A driver none of these finds is an
//! error, and the sync writes nothing.
use std::collections::HashMap;

use protobuf::v1::{Round, SessionResult, Standings};

use crate::upstream::{SourceName, UpstreamError};

#[derive(Debug, Clone)]
struct Entrant {
    driver_id: String,
    driver_name: String,
    code: String,
    number: i32,
    constructor_id: String,
    team: String,
}

/// Who raced in a season, from the stored rounds and standings.
#[derive(Debug, Default)]
pub struct Entrants {
    round: i32,
    in_round: HashMap<i32, Entrant>,
    by_code: HashMap<String, Entrant>,
    by_number: HashMap<i32, Entrant>,
}

impl Entrants {
    /// Entrants of the season's stored `rounds` and `standings`, for `round`.
    pub fn new(round: i32, rounds: &[Round], standings: &[Standings]) -> Self {
        let mut e = Self { round, ..Self::default() };
        for s in standings {
            for d in &s.drivers {
                let entrant = Entrant {
                    driver_id: d.driver_id.clone(),
                    driver_name: d.driver_name.clone(),
                    code: d.driver_code.clone(),
                    number: d.driver_number,
                    constructor_id: d.constructor_id.clone(),
                    team: d.team.clone(),
                };
                e.add(s.round, entrant);
            }
        }
        let mut ordered: Vec<&Round> = rounds.iter().collect();
        ordered.sort_by_key(|r| r.round);
        for r in ordered {
            for s in &r.sessions {
                for x in &s.results {
                    let entrant = Entrant {
                        driver_id: x.driver_id.clone(),
                        driver_name: x.driver_name.clone(),
                        code: x.driver_code.clone(),
                        number: x.driver_number,
                        constructor_id: x.constructor_id.clone(),
                        team: x.team.clone(),
                    };
                    e.add(r.round, entrant);
                }
            }
        }
        e
    }

    /// Rounds up to the one being identified overwrite earlier ones (a
    /// driver changing teams); later rounds only fill gaps.
    fn add(&mut self, round: i32, entrant: Entrant) {
        if entrant.driver_id.is_empty() {
            return;
        }
        let later = round > self.round;
        if round == self.round && entrant.number > 0 {
            self.in_round.insert(entrant.number, entrant.clone());
        }
        let code = entrant.code.to_ascii_uppercase();
        if !code.is_empty() && (!later || !self.by_code.contains_key(&code)) {
            self.by_code.insert(code, entrant.clone());
        }
        if entrant.number > 0 && (!later || !self.by_number.contains_key(&entrant.number)) {
            self.by_number.insert(entrant.number, entrant);
        }
    }

    /// Fills driver and constructor ids (and numbers, codes and canonical
    /// names) of `results`, which came from `path` of `source`.
    pub fn identify(&self, source: SourceName, path: &str, results: &mut [SessionResult]) -> Result<(), UpstreamError> {
        for (i, r) in results.iter_mut().enumerate() {
            let code = r.driver_code.to_ascii_uppercase();
            let found = (r.driver_number > 0)
                .then(|| self.in_round.get(&r.driver_number))
                .flatten()
                .or_else(|| self.by_code.get(&code).filter(|_| !code.is_empty()))
                .or_else(|| self.by_number.get(&r.driver_number).filter(|_| r.driver_number > 0));
            let Some(e) = found else {
                return Err(UpstreamError::Invalid {
                    upstream: source,
                    path: path.to_string(),
                    field: format!("results[{i}].driver_code"),
                    message: format!(
                        "unknown driver `{}` (car {}): no stored entrant of the season matches; fetch the round's results from jolpica or f1db first",
                        r.driver_code, r.driver_number
                    ),
                });
            };
            r.driver_id = e.driver_id.clone();
            r.constructor_id = e.constructor_id.clone();
            if r.driver_number == 0 {
                r.driver_number = e.number;
            }
            if r.driver_code.is_empty() {
                r.driver_code = e.code.clone();
            }
            r.driver_name = e.driver_name.clone();
            r.team = e.team.clone();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protobuf::v1::Session;

    fn result(number: i32, code: &str, id: &str, team: &str) -> SessionResult {
        SessionResult {
            driver_number: number,
            driver_code: code.into(),
            driver_id: id.into(),
            driver_name: id.into(),
            constructor_id: team.into(),
            team: team.into(),
            ..Default::default()
        }
    }

    fn round(n: i32, results: Vec<SessionResult>) -> Round {
        Round { round: n, sessions: vec![Session { round: n, results, ..Default::default() }], ..Default::default() }
    }

    #[test]
    fn numbers_then_codes_then_season_numbers() {
        let rounds = vec![
            round(
                1,
                vec![result(1, "VER", "max-verstappen", "red-bull"), result(2, "SAR", "logan-sargeant", "williams")],
            ),
            round(2, vec![result(33, "VER", "max-verstappen", "red-bull")]),
        ];
        let e = Entrants::new(2, &rounds, &[]);
        let mut rs = vec![result(33, "", "", ""), result(0, "sar", "", ""), result(2, "XXX", "", "")];
        e.identify(SourceName::Livetiming, "/static/x/", &mut rs).unwrap();
        assert_eq!(rs[0].driver_id, "max-verstappen");
        assert_eq!((rs[1].driver_id.as_str(), rs[1].driver_number), ("logan-sargeant", 2));
        assert_eq!(rs[2].driver_id, "logan-sargeant");
        let mut unknown = vec![result(99, "ZZZ", "", "")];
        let err = e.identify(SourceName::Livetiming, "/static/x/", &mut unknown).unwrap_err();
        assert!(err.to_string().contains("results[0].driver_code: unknown driver `ZZZ` (car 99)"), "{err}");
    }
}
