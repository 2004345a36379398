//! formula1.com: the season racing page (rounds), race-weekend pages
//! (session timetable from JSON-LD, circuit facts and map), results pages
//! (practice classifications) and circuit map images.
//!
//! Pages are fetched through [`Fetch`] (base URL `WIBM_F1_WEBSITE_URL`) and
//! parsed with `scraper`. Whenever the markup is not what the parser expects
//! — a table, a JSON-LD block, a column, a fact missing, or a value that does
//! not parse — the call fails with an error naming the URL path and the
//! element, and returns nothing.
mod error;
mod image;
mod results;
mod season;
mod weekend;

#[cfg(test)]
mod tests;

use protobuf::v1::{CircuitImage, Provenance, ResultSource, Round, RoundFormat, Session, SessionStatus, SessionType};

use crate::upstream::Fetch;
pub use error::Formula1Error;
pub use image::{ImageLocation, image_location};
pub use results::{parse_results_page, practice_results_path};
pub use season::{SeasonRound, parse_season_page, season_path};
pub use weekend::{Weekend, WeekendSession, parse_weekend_page, weekend_path};

/// The championship rounds of `year`, from `/en/racing/{year}`, in round
/// order (testing events are not rounds and are left out).
pub async fn season_rounds(fetch: &dyn Fetch, year: i32) -> Result<Vec<SeasonRound>, Formula1Error> {
    let path = season_path(year);
    let page = page(fetch, &path).await?;
    parse_season_page(&page, year)
}

/// The race-weekend page `/en/racing/{year}/{slug}`: event name and dates,
/// every session's start, circuit facts, circuit map URL and results path.
pub async fn weekend(fetch: &dyn Fetch, year: i32, slug: &str) -> Result<Weekend, Formula1Error> {
    let path = weekend_path(year, slug);
    let page = page(fetch, &path).await?;
    parse_weekend_page(&page, &path, year)
}

/// A practice session's classification from the results page at `path`
/// (see [`practice_results_path`]). `session` must be a practice session.
/// The session's date and start come from [`weekend`]; here they are left
/// unset.
pub async fn practice_results(
    fetch: &dyn Fetch,
    path: &str,
    season: i32,
    round: i32,
    session: SessionType,
) -> Result<Session, Formula1Error> {
    if !matches!(session, SessionType::Practice1 | SessionType::Practice2 | SessionType::Practice3) {
        return Err(Formula1Error::invalid(path, "session", format!("{} is not a practice session", session.slug())));
    }
    let page = page(fetch, path).await?;
    let results = parse_results_page(&page, path)?;
    Ok(Session {
        season,
        round,
        r#type: session as i32,
        status: SessionStatus::Finished as i32,
        results,
        provenance: Some(Provenance::from_source(ResultSource::Formula1)),
        ..Session::default()
    })
}

/// Downloads a circuit map. `fetch` must reach the image's origin: URLs on
/// the site are absolute on `media.formula1.com`, so give a fetcher whose
/// base URL is [`image_location`]`(url).origin` (the site's own fetcher when
/// it is `None`). The content type is read from the image bytes; a body
/// that is not a PNG, JPEG, GIF, WebP, AVIF or SVG image is an error.
pub async fn circuit_image(fetch: &dyn Fetch, circuit_id: &str, url: &str) -> Result<CircuitImage, Formula1Error> {
    let location = image_location(url)?;
    let data = fetch.get(&location.path).await?;
    let content_type = image::sniff(&data).ok_or_else(|| {
        let promised =
            image::by_extension(&location.path).map(|t| format!(" (the URL promises {t})")).unwrap_or_default();
        Formula1Error::invalid(&location.path, "body", format!("is not an image{promised}"))
    })?;
    Ok(CircuitImage {
        circuit_id: circuit_id.to_string(),
        content_type: content_type.to_string(),
        data,
        source_url: url.to_string(),
    })
}

async fn page(fetch: &dyn Fetch, path: &str) -> Result<String, Formula1Error> {
    let body = fetch.get(path).await?;
    String::from_utf8(body).map_err(|e| Formula1Error::invalid(path, "body", format!("not UTF-8: {e}")))
}

impl Weekend {
    /// The weekend as a round of `season` with its sessions' start times. A
    /// session counts as finished once its end (or start plus two hours)
    /// is before `now` (unix seconds). Names come from the page's JSON-LD;
    /// Jolpica's and f1db's are canonical, merge them over these.
    pub fn to_round(&self, season: i32, round: i32, now: i64) -> Round {
        let sprint = self.sessions.iter().any(|s| s.session_type == SessionType::Sprint);
        let race_day = self.sessions.iter().find(|s| s.session_type == SessionType::Race).map(|s| s.date.clone());
        let sessions = self
            .sessions
            .iter()
            .map(|s| Session {
                season,
                round,
                r#type: s.session_type as i32,
                date: s.date.clone(),
                start_time: Some(s.start_time),
                status: if s.end_time.unwrap_or(s.start_time + 7200) < now {
                    SessionStatus::Finished
                } else {
                    SessionStatus::Scheduled
                } as i32,
                ..Session::default()
            })
            .collect();
        Round {
            season,
            round,
            name: self.name.clone(),
            official_name: self.name.clone(),
            format: if sprint { RoundFormat::Sprint } else { RoundFormat::Conventional } as i32,
            first_date: self.first_date.clone(),
            end_date: self.end_date.clone(),
            date: race_day.unwrap_or_default(),
            course_length_km: self.circuit_length_km,
            laps: self.laps,
            distance_km: self.race_distance_km.unwrap_or(0.0),
            sessions,
            ..Round::default()
        }
    }
}
