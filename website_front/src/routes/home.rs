//! `/`: the current (or latest) season at a glance.
use axum::extract::State;
use axum::response::Response;
use content_types::{
    ConstructorStandings, DriverStandings, Live, Round, RoundList, Season, SeasonList, SeasonStatus, Session,
    SessionStatus,
};

use crate::client::ContentError;
use crate::error::PageError;
use crate::state::AppState;
use crate::views;
use crate::views::home::Glance;

/// The season in progress, else the latest completed one, else the newest.
fn featured(seasons: &[Season]) -> Option<&Season> {
    seasons
        .iter()
        .find(|s| s.status == SeasonStatus::InProgress)
        .or_else(|| seasons.iter().find(|s| s.completed()))
        .or_else(|| seasons.first())
}

/// The first session that has not started, across `rounds` in order.
pub fn next_session(rounds: &[Round], now: i64) -> Option<(Round, Session)> {
    rounds.iter().find_map(|r| {
        r.sessions
            .iter()
            .find(|s| {
                s.start_time.is_some_and(|t| t > now)
                    && !matches!(s.status, SessionStatus::Finished | SessionStatus::Cancelled)
            })
            .map(|s| (r.clone(), s.clone()))
    })
}

async fn rounds_of(app: &AppState, year: Option<i32>) -> Result<Vec<Round>, ContentError> {
    match year {
        Some(y) => Ok(app.content.get::<RoundList>(format!("/content/v1/seasons/{y}/rounds")).await?.rounds),
        None => Ok(Vec::new()),
    }
}

pub async fn page(State(app): State<AppState>) -> Result<Response, PageError> {
    let c = &app.content;
    let list: SeasonList =
        c.get("/content/v1/seasons?per_page=5").await.map_err(|e| PageError::from_content(e, "seasons"))?;
    let Some(season) = featured(&list.seasons).cloned() else {
        return Ok(super::page(views::home::empty()));
    };
    let year = season.year;
    // A newer season (its calendar) may hold the next session.
    let newer = list.seasons.iter().filter(|s| s.year > year).map(|s| s.year).min();
    let base = format!("/content/v1/seasons/{year}");
    let (rounds, drivers, constructors, later, live) = tokio::join!(
        rounds_of(&app, Some(year)),
        c.get_extra::<DriverStandings>(format!("{base}/drivers")),
        c.get_extra::<ConstructorStandings>(format!("{base}/constructors")),
        rounds_of(&app, newer),
        c.get_optional::<Live>("/content/v1/live"),
    );
    let what = format!("{year} season");
    let err = |e| PageError::from_content(e, &what);
    let rounds = rounds.map_err(err)?;
    let (drivers, constructors) = (drivers.map_err(err)?, constructors.map_err(err)?);
    // The live banner and the next season are extras: a failure there does not fail the page.
    let live = live.unwrap_or_else(|e| {
        tracing::debug!(error = %e, "live state unavailable");
        None
    });
    let later = later.unwrap_or_default();
    let now = chrono::Utc::now().timestamp();
    let next = next_session(&rounds, now).or_else(|| next_session(&later, now));
    // The next session changes when it starts, whatever the data does.
    if let Some(start) = next.as_ref().and_then(|(_, s)| s.start_time) {
        crate::client::keep_until(start);
    }
    let pending = views::parts::pending_weekends(&rounds, now);
    let standings_round = drivers.as_ref().map_or(0, |d| d.round);
    let freshness = views::parts::freshness(&rounds, standings_round, now);
    let under_way = rounds
        .iter()
        .chain(&later)
        .find_map(|r| r.sessions.iter().find(|s| views::parts::under_way(s, now)).map(|s| (r.clone(), s.clone())));
    if let Some(start) =
        under_way.as_ref().and_then(|(_, s)| s.start_time.map(|t| t + views::parts::session_span_secs(s)))
    {
        crate::client::keep_until(start);
    }
    let glance = Glance { season, rounds, drivers, constructors, live, next, pending, under_way, freshness };
    Ok(super::page(views::home::page(&glance)))
}
