//! `/seasons/{year}/rounds/{round}`.
use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use common::extract::Path;
use content_types::{ConstructorStandings, Round, Season};

use crate::error::PageError;
use crate::state::AppState;
use crate::views;

pub async fn one(
    State(app): State<AppState>,
    Path((year, round)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let year = super::year(&year)?;
    let number = super::round(&round, year)?;
    let c = &app.content;
    let base = format!("/content/v1/seasons/{year}");
    let what = format!("round {number} in the {year} season");
    let (season, round, teams) = tokio::try_join!(
        c.get::<Season>(&base),
        c.get::<Round>(format!("{base}/rounds/{number}")),
        // Only for team colours: a round before any standings has none.
        c.get_extra::<ConstructorStandings>(format!("{base}/constructors")),
    )
    .map_err(|e| PageError::from_content(e, &what))?;
    let colors: HashMap<String, String> = teams
        .iter()
        .flat_map(|t| &t.standings)
        .filter_map(|t| t.color.clone().map(|col| (t.constructor_id.clone(), col)))
        .collect();
    let now = chrono::Utc::now().timestamp();
    // The open tab and the "under way" note change with the timetable.
    for s in &round.sessions {
        if let Some(start) = s.start_time {
            for at in [start, start + views::parts::session_span_secs(s)] {
                if at > now {
                    crate::client::keep_until(at);
                }
            }
        }
    }
    Ok(super::page(views::round::page(&season, &round, &colors, now)))
}
