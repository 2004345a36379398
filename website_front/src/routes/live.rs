//! `/live`: the live board, and `/live/stream`, content_api's event
//! stream passed through so the page's script reads it from its own origin
//! (the site's content security policy allows no other).
use axum::body::Body;
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use content_types::{
    ChampionshipAnswer, Live, Round, RoundList, SeasonList, SeasonStatus, Session, SessionStatus, SessionType,
};
use maud::Markup;

use crate::error::PageError;
use crate::state::AppState;
use crate::views;
use crate::views::live::MAX_DELAY;

/// What a browser is told to wait before reconnecting when content_api
/// cannot be reached (EventSource reconnects by itself after a stream ends).
const RETRY_MS: u32 = 5000;

/// `?delay=N` (whole seconds, 0 to [`MAX_DELAY`]; 0 when absent): the
/// board held back to match a delayed broadcast.
fn delay(query: Option<&str>) -> Result<u32, PageError> {
    let raw = form_urlencoded::parse(query.unwrap_or_default().as_bytes()).find(|(k, _)| k == "delay").map(|(_, v)| v);
    match raw {
        None => Ok(0),
        Some(raw) => {
            raw.trim().parse::<u32>().ok().filter(|n| *n <= MAX_DELAY).ok_or_else(|| PageError::BadParameter {
                parameter: "delay",
                message: format!("a delay is whole seconds from 0 to {MAX_DELAY}"),
            })
        }
    }
}

/// `path` with `delay=N` added to its query when there is a delay.
fn delayed(path: &str, delay: u32) -> String {
    match (delay, path.contains('?')) {
        (0, _) => path.to_string(),
        (n, true) => format!("{path}&delay={n}"),
        (n, false) => format!("{path}?delay={n}"),
    }
}

pub async fn page(State(app): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let delay = delay(query.as_deref())?;
    let c = &app.content;
    let (live, (under_way, next)) =
        tokio::join!(c.get_optional::<Live>(delayed("/content/v1/live", delay)), next_up(&app));
    let live = live.map_err(|e| PageError::from_content(e, "live timing"))?;
    let racing = live.as_ref().filter(|l| {
        l.status == SessionStatus::Live && matches!(l.session_type, SessionType::Race | SessionType::Sprint)
    });
    let (as_it_stands, extras) = tokio::join!(
        async {
            match racing {
                Some(l) => fight_card(&app, l.season, delay).await,
                None => None,
            }
        },
        async {
            match &live {
                Some(l) => super::live_plus::extras(&app, l, delay).await,
                None => None,
            }
        }
    );
    let board = views::live::Board { live, under_way, next, as_it_stands, delay, extras };
    let mut res = super::page(views::live::page(&board));
    // The board changes by the second: never reuse it.
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `/live/now`: whether a session is live, for the menu's marker on every
/// page (the script asks; pages stay kept whatever the live state does).
/// `204 No Content` when nothing is live (or it cannot be told), else `200`
/// with the session's name. Kept 15 s by browsers and caches.
pub async fn now(State(app): State<AppState>) -> Response {
    let live = app.content.get_optional::<Live>("/content/v1/live").await.ok().flatten();
    let on = live.filter(|l| l.status == SessionStatus::Live);
    let mut res = match on {
        Some(l) => (StatusCode::OK, l.session_name).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=15"));
    res
}

/// The session the timetable says is running (none live stored) and the
/// next session to start: in the season in progress (or the newest), else
/// in the one after it. `None`s when it cannot be told (an extra).
async fn next_up(app: &AppState) -> (Option<(Round, Session)>, Option<(Round, Session)>) {
    let c = &app.content;
    let Ok(list) = c.get::<SeasonList>("/content/v1/seasons?per_page=5").await else { return (None, None) };
    let Some(current) = list.seasons.iter().find(|s| s.status == SeasonStatus::InProgress).or(list.seasons.first())
    else {
        return (None, None);
    };
    let newer = list.seasons.iter().filter(|s| s.year > current.year).map(|s| s.year).min();
    let now = chrono::Utc::now().timestamp();
    let mut under_way = None;
    for year in std::iter::once(current.year).chain(newer) {
        let Ok(rounds) = c.get::<RoundList>(format!("/content/v1/seasons/{year}/rounds")).await else { break };
        under_way = under_way.or_else(|| {
            rounds.rounds.iter().find_map(|r| {
                r.sessions.iter().find(|s| views::parts::under_way(s, now)).map(|s| (r.clone(), s.clone()))
            })
        });
        if let Some(next) = super::home::next_session(&rounds.rounds, now) {
            return (under_way, Some(next));
        }
    }
    (under_way, None)
}

/// `/live/stream`: content_api's `/content/v1/live/stream`, byte for byte,
/// `Last-Event-ID` and `?delay=` passed on. When content_api cannot be
/// reached the answer is an empty stream asking the browser to retry shortly.
pub async fn stream(State(app): State<AppState>, req: Request) -> Result<Response, PageError> {
    let delay = delay(req.uri().query())?;
    let client = app.forwarded.client_addr(req.headers(), req.extensions());
    let last = req.headers().get("last-event-id").and_then(|v| v.to_str().ok());
    let body = match app.content.live_stream(last, &client, delay).await {
        Ok(upstream) => Body::from_stream(futures_util::stream::unfold(upstream, |mut upstream| async move {
            match upstream.chunk().await {
                Ok(Some(bytes)) => Some((Ok::<_, std::io::Error>(bytes), upstream)),
                Ok(None) => None,
                Err(e) => {
                    tracing::debug!(error = %e, "the live stream from content_api ended");
                    None
                }
            }
        })),
        Err(e) => {
            tracing::warn!(error = %e, "cannot open the live stream");
            Body::from(format!("retry: {RETRY_MS}\n\n"))
        }
    };
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(res)
}

/// "If it finished now": the card, when content_api can tell (an extra:
/// `None` otherwise).
async fn fight_card(app: &AppState, year: i32, delay: u32) -> Option<Markup> {
    let path = delayed(&format!("/content/v1/seasons/{year}/championship?as_it_stands=true"), delay);
    let answer = app.content.get_extra::<ChampionshipAnswer>(path).await.ok()??;
    let stands = answer.as_it_stands.into_answer()?;
    Some(views::live::as_it_stands(&stands, &answer.championship))
}

/// `/live/fight`: the "as it stands" card alone, which the page's script
/// fetches again when the lap changes (with the page's `?delay=`); empty
/// when no race or sprint is live.
pub async fn fight(State(app): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let delay = delay(query.as_deref())?;
    let live = app.content.get_optional::<Live>(delayed("/content/v1/live", delay)).await.ok().flatten();
    let racing = live.filter(|l| {
        l.status == SessionStatus::Live && matches!(l.session_type, SessionType::Race | SessionType::Sprint)
    });
    let card = match racing {
        Some(l) => fight_card(&app, l.season, delay).await,
        None => None,
    };
    let mut res = axum::response::Html(card.map(Markup::into_string).unwrap_or_default()).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
