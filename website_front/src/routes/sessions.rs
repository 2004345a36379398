//! `/seasons/{year}/rounds/{round}/sessions/{type}`: what happened in one
//! session, drawn from its timing records (laps, stints, pit stops, race
//! control, weather, track status), each kind read whole in pages of
//! 1,000, all at once.
use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use common::extract::Path;
use content_types::{ConstructorStandings, Round, Session, SessionDataInfo, SessionRecordPage, SessionType};
use futures_util::future::try_join_all;
use serde::de::DeserializeOwned;

use crate::client::{ContentClient, ContentError};
use crate::error::PageError;
use crate::state::AppState;
use crate::views;
use crate::views::session::{Records, SessionPage};

/// The largest page content_api gives.
const PER_PAGE: u32 = 1000;

/// A session type from the path: content_api's slug (`practice_1`) or the
/// site's (`practice-1`, as the round page's panels are named).
pub(crate) fn session_type(raw: &str) -> Result<SessionType, PageError> {
    let slug = raw.replace('-', "_");
    let t = match slug.as_str() {
        "practice_1" => SessionType::Practice1,
        "practice_2" => SessionType::Practice2,
        "practice_3" => SessionType::Practice3,
        "qualifying" => SessionType::Qualifying,
        "sprint_qualifying" | "sprint_shootout" => SessionType::SprintQualifying,
        "sprint" => SessionType::Sprint,
        "race" => SessionType::Race,
        _ => return Err(PageError::not_found(format!("session “{raw}”"))),
    };
    Ok(t)
}

/// Every record of one kind. With its count known (the session's
/// `session_data.counts`) every page is asked for at once, and none when it
/// is 0; without, the first page says how many follow.
async fn all<T: DeserializeOwned>(
    c: &ContentClient,
    base: &str,
    kind: &str,
    count: Option<i64>,
) -> Result<Vec<T>, ContentError> {
    let page = |p: u32| c.get::<SessionRecordPage<T>>(format!("{base}/{kind}?per_page={PER_PAGE}&page={p}"));
    let pages = match count {
        Some(n) => (n.max(0) as u32).div_ceil(PER_PAGE),
        None => {
            let first = page(1).await?;
            let pages = (first.total.max(0) as u32).div_ceil(PER_PAGE);
            let rest = try_join_all((2..=pages).map(page)).await?;
            return Ok(first.items.into_iter().chain(rest.into_iter().flat_map(|p| p.items)).collect());
        }
    };
    let got = try_join_all((1..=pages).map(page)).await?;
    Ok(got.into_iter().flat_map(|p| p.items).collect())
}

/// The records a page draws, each kind at once.
pub(crate) async fn records(
    c: &ContentClient,
    base: &str,
    kind: SessionType,
    info: &SessionDataInfo,
) -> Result<Records, ContentError> {
    let count = |k: &str| info.counts.get(k).copied();
    // Pit stops are recorded for races and sprints only.
    let race = matches!(kind, SessionType::Race | SessionType::Sprint);
    let (laps, stints, race_control, weather, pit_stops, track_status) = tokio::try_join!(
        all(c, base, "laps", count("laps")),
        all(c, base, "stints", count("stints")),
        all(c, base, "race-control", count("race_control")),
        all(c, base, "weather", count("weather")),
        all(c, base, "pit-stops", if race { count("pit") } else { Some(0) }),
        all(c, base, "track-status", count("track_status")),
    )?;
    Ok(Records { laps, stints, pit_stops, race_control, weather, track_status })
}

pub async fn one(
    State(app): State<AppState>,
    Path((year, round, kind)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let year = super::year(&year)?;
    let number = super::round(&round, year)?;
    let kind = session_type(&kind)?;
    let c = &app.content;
    let season = format!("/content/v1/seasons/{year}");
    let base = format!("{season}/rounds/{number}/sessions/{}", kind.as_str());
    let what = format!("{} of round {number} in the {year} season", views::fmt::session_name(kind, year));
    let (round, session, teams) = tokio::try_join!(
        c.get::<Round>(format!("{season}/rounds/{number}")),
        c.get::<Session>(&base),
        // Only for team colours: a round before any standings has none.
        c.get_extra::<ConstructorStandings>(format!("{season}/constructors")),
    )
    .map_err(|e| PageError::from_content(e, &what))?;
    let colors: HashMap<String, String> = teams
        .iter()
        .flat_map(|t| &t.standings)
        .filter_map(|t| t.color.clone().map(|col| (t.constructor_id.clone(), col)))
        .collect();
    let records = match session.session_data.as_ref().filter(|d| d.available) {
        Some(info) => Some(records(c, &base, kind, info).await.map_err(|e| PageError::from_content(e, &what))?),
        None => None,
    };
    let page = SessionPage { round: &round, session: &session, colors: &colors, records: records.as_ref() };
    Ok(super::page(views::session::page(&page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_of_a_session_type() {
        assert_eq!(session_type("practice-1").unwrap(), SessionType::Practice1);
        assert_eq!(session_type("practice_1").unwrap(), SessionType::Practice1);
        assert_eq!(session_type("sprint-qualifying").unwrap(), SessionType::SprintQualifying);
        assert_eq!(session_type("sprint-shootout").unwrap(), SessionType::SprintQualifying);
        assert!(session_type("warm-up").is_err());
    }
}
