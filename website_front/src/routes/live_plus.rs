//! The live page's extras (track map, lap and tyre charts, trends; see
//! [`views::live_plus`]) read for the board being run: the live session's
//! stored records and its round's circuit, and `/live/charts`, the same
//! markup alone, which the page's script fetches again while it runs.
use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use content_types::{Live, LocationSample, Round, Session, SessionRecordPage, SessionStatus};
use futures_util::future::join_all;

use crate::client::ContentClient;
use crate::state::AppState;
use crate::views;
use crate::views::live_plus::Extras;

/// The extras of board `l`; `None` while the session is not placed in the
/// calendar (round 0), or when nothing can be read (they are extras: the
/// board shows all the same).
pub async fn extras(app: &AppState, l: &Live) -> Option<Extras> {
    if l.round <= 0 || l.status == SessionStatus::Unspecified {
        return None;
    }
    let c = &app.content;
    let round_path = format!("/content/v1/seasons/{}/rounds/{}", l.season, l.round);
    let base = format!("{round_path}/sessions/{}", l.session_type.as_str());
    let (round, session) = tokio::join!(c.get_extra::<Round>(&round_path), c.get_extra::<Session>(&base));
    let round = round.ok().flatten();
    let info = session.ok().flatten().and_then(|s| s.session_data).filter(|d| d.available);
    let recs = match &info {
        Some(info) => super::sessions::records(c, &base, l.session_type, info).await.ok(),
        None => None,
    };
    let located = locations(c, &base, l).await;
    Some(views::live_plus::extras(l, round.as_ref(), recs.as_ref(), &located))
}

/// Each car's last location sample, where the session has them (the
/// archive's, once published; a session being recorded live has none).
async fn locations(c: &ContentClient, base: &str, l: &Live) -> BTreeMap<i32, (f64, f64)> {
    let last = |car: i32| async move {
        let page = |p: i32| {
            c.get_extra::<SessionRecordPage<LocationSample>>(format!(
                "{base}/location?driver={car}&per_page=1&page={p}"
            ))
        };
        let total = page(1).await.ok().flatten()?.total;
        if total <= 0 {
            return None;
        }
        let sample = page(total).await.ok().flatten()?.items.pop()?;
        Some((car, (sample.x as f64, sample.y as f64)))
    };
    // One car first: a session without locations (every live one) costs one request.
    let Some((first, rest)) = l.leaderboard.split_first() else { return BTreeMap::new() };
    let Some(lead) = last(first.driver_number).await else { return BTreeMap::new() };
    let others = join_all(rest.iter().map(|d| last(d.driver_number))).await;
    std::iter::once(lead).chain(others.into_iter().flatten()).collect()
}

/// `/live/charts`: the extras alone (empty when nothing is live or they
/// cannot be read), never kept.
pub async fn charts(State(app): State<AppState>) -> Response {
    let live = app.content.get_optional::<Live>("/content/v1/live").await.ok().flatten();
    let extras = match &live {
        Some(l) => extras(&app, l).await,
        None => None,
    };
    let mut res = Html(extras.map(|e| e.markup.into_string()).unwrap_or_default()).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
