//! `/seasons/{year}/what-if`: a scenario played on from the standings.
//! Plain GET forms (they work without scripts); the computation is
//! content_api's.
//!
//! The scenario lives in the URL, so it can be shared: one `s` per
//! hypothetical session, in calendar order, `s=22-race:max-verstappen,lewis-hamilton`
//! (round, `race` or `sprint`, the finishing order; the rest score nothing).
//! The forms send what the visitor adds (`p1`..`p10` for the next session,
//! or `all` for "wins every remaining race and sprint") beside the `s`
//! already played; the answer is a redirect to the scenario's own URL.
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use content_types::{Championship, HypotheticalSession, ScoringSession, WhatIf, WhatIfRequest};

use crate::error::PageError;
use crate::state::AppState;
use crate::views::season::{fight, whatif};

/// The places the form offers: the points-paying ten.
pub const PLACES: usize = 10;

/// What the query asks.
#[derive(Debug, Default)]
struct Asked {
    /// The scenario so far.
    steps: Vec<HypotheticalSession>,
    /// Places of the next session, from the form (`p1`..`p10`; empty: anyone else).
    picks: Vec<String>,
    /// A driver who wins every remaining race and sprint.
    all: Option<String>,
    /// Any pick or `all` came with the query: the visitor added a step.
    adding: bool,
}

fn decode(raw: &str) -> Result<HypotheticalSession, String> {
    let bad = || format!("“{raw}” is not a session of a scenario (round-race:driver,driver,…).");
    let (at, order) = raw.split_once(':').ok_or_else(bad)?;
    let (round, session) = at.split_once('-').ok_or_else(bad)?;
    let round: i32 = round.parse().map_err(|_| bad())?;
    let session = match session {
        "race" => ScoringSession::Race,
        "sprint" => ScoringSession::Sprint,
        _ => return Err(bad()),
    };
    let order: Vec<String> = order.split(',').filter(|id| !id.is_empty()).map(str::to_string).collect();
    Ok(HypotheticalSession { round, session, order, fastest_lap: None })
}

fn parse(query: &str) -> Result<Asked, String> {
    let mut asked = Asked::default();
    let mut picks = vec![String::new(); PLACES];
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "s" => asked.steps.push(decode(&v)?),
            "all" => {
                asked.adding = true;
                asked.all = Some(v.into_owned()).filter(|v| !v.is_empty());
            }
            p if p.starts_with('p') => {
                if let Some(n) = p[1..].parse::<usize>().ok().filter(|n| (1..=PLACES).contains(n)) {
                    asked.adding = true;
                    picks[n - 1] = v.into_owned();
                }
            }
            _ => {}
        }
    }
    asked.picks = picks;
    Ok(asked)
}

/// The visitor's places as a finishing order, or why they cannot be played.
fn order(picks: &[String], c: &Championship) -> Result<Vec<String>, String> {
    let known: Vec<&str> = c.drivers.iter().flat_map(|f| &f.standings).map(|d| d.id.as_str()).collect();
    let mut order = Vec::new();
    for pick in picks.iter().filter(|p| !p.is_empty()) {
        if !known.contains(&pick.as_str()) {
            return Err("Pick drivers from the lists.".into());
        }
        if order.contains(pick) {
            return Err("Pick a different driver for each place.".into());
        }
        order.push(pick.clone());
    }
    if order.is_empty() {
        return Err("Pick at least the winner.".into());
    }
    Ok(order)
}

async fn play(app: &AppState, base: &str, what: &str, steps: &[HypotheticalSession]) -> Result<WhatIf, PageError> {
    let body = WhatIfRequest { sessions: steps.to_vec() };
    app.content.post(&format!("{base}/what-if"), &body).await.map_err(|e| PageError::from_content(e, what))
}

fn see_other(year: i32, steps: &[HypotheticalSession]) -> Response {
    let mut url = form_urlencoded::Serializer::new(String::new());
    for s in steps {
        url.append_pair("s", &fight::whatif_step(s));
    }
    let location = format!("/seasons/{year}/what-if?{}", url.finish());
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

pub async fn page(
    State(app): State<AppState>,
    Path(year): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let year = super::year(&year)?;
    let what = format!("{year} season");
    let base = format!("/content/v1/seasons/{year}/championship");
    let now: Championship = app.content.get(&base).await.map_err(|e| PageError::from_content(e, &what))?;
    if now.next_session.is_none() {
        return Ok(super::page(whatif::over(year, &now)));
    }
    let asked = match parse(query.as_deref().unwrap_or_default()) {
        Ok(a) => a,
        Err(message) => return Ok(super::page(whatif::page(year, &now, &[], None, Some(&message)))),
    };
    // The scenario so far, and (in it) the session that comes next.
    let so_far = if asked.steps.is_empty() { None } else { Some(play(&app, &base, &what, &asked.steps).await?) };
    if !asked.adding {
        return Ok(super::page(whatif::page(year, &now, &asked.steps, so_far.as_ref(), None)));
    }
    let after = so_far.as_ref().map_or(&now, |w| &w.championship);
    let Some(next) = after.next_session.clone() else {
        let message = "Every session is already played in this scenario.";
        return Ok(super::page(whatif::page(year, &now, &asked.steps, so_far.as_ref(), Some(message))));
    };
    let mut steps = asked.steps.clone();
    if let Some(winner) = &asked.all {
        // One session at a time: the fight after each says which comes next.
        let mut at = Some(next);
        while let Some(s) = at {
            steps.push(HypotheticalSession {
                round: s.round,
                session: s.session,
                order: vec![winner.clone()],
                fastest_lap: None,
            });
            at = play(&app, &base, &what, &steps).await?.championship.next_session;
        }
    } else {
        match order(&asked.picks, &now) {
            Ok(order) => {
                steps.push(HypotheticalSession { round: next.round, session: next.session, order, fastest_lap: None })
            }
            Err(message) => {
                return Ok(super::page(whatif::page(year, &now, &asked.steps, so_far.as_ref(), Some(&message))));
            }
        }
    }
    Ok(see_other(year, &steps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_reads_back_as_written() {
        let step = decode("22-race:max-verstappen,lewis-hamilton").unwrap();
        assert_eq!(step.round, 22);
        assert_eq!(step.session, ScoringSession::Race);
        assert_eq!(step.order, ["max-verstappen", "lewis-hamilton"]);
        assert_eq!(fight::whatif_step(&step), "22-race:max-verstappen,lewis-hamilton");
        assert!(decode("22-qualifying:x").is_err());
        assert!(decode("race:x").is_err());
    }

    #[test]
    fn the_form_s_places_and_steps_are_read() {
        let a = parse("s=1-sprint%3Aa%2Cb&p1=c&p2=&p3=d").unwrap();
        assert_eq!(a.steps.len(), 1);
        assert_eq!(a.steps[0].order, ["a", "b"]);
        assert!(a.adding);
        assert_eq!(a.picks[..3], ["c".to_string(), String::new(), "d".to_string()]);
        assert!(!parse("s=1-race%3Aa").unwrap().adding);
    }
}
