//! `/content/v1/seasons/{year}/championship`: the title fight, and its
//! what-if.
use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;

use content_types::{AsItStands, Asked, Championship, ChampionshipAnswer, WhatIf, WhatIfRequest};
use protobuf::v1::{Round, Standings};

use crate::championship::{self, standing_now, whatif};
use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::params::{self, QueryParams};
use crate::respond::{CacheKind, Envelope, Meta, Rendered};
use crate::state::AppState;

pub mod body;

/// The title fight, drivers and constructors, under the season's own rules
/// (1950 to today: dropped scores, split seasons, shared drives, the
/// constructors' best-car years): counted points now, the most that can
/// still count, who can still win (a tie on points goes to countback),
/// whether and where the leader clinched, and what every contender needs at
/// the next scoring session. With `as_it_stands=true`, while a race or
/// sprint of the season is live, the fight as if it finished now: the live
/// order scored by the season's rules (provisional points), described in
/// `as_it_stands` ("If the race finished now, X would be champion.");
/// `as_it_stands` is null when none is live. With `delay=N` too, the live
/// order as it was N seconds ago (as `/content/v1/live?delay=N` shows it).
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/championship", operation_id = "get_championship", tag = "standings",
    params(
        ("year" = i32, Path, description = "Championship year"),
        ("as_it_stands" = Option<bool>, Query, description = "Play the live race or sprint as if it finished now"),
        ("delay" = Option<u32>, Query, minimum = 0, maximum = 300,
            description = "With as_it_stands: the live order as it was this many seconds ago (0-300)"),
    ),
    responses(
        (status = 200, description = "The title fight", body = Envelope<ChampionshipAnswer>),
        (status = 404, description = "No such season", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn fight(
    State(app): State<AppState>,
    uri: Uri,
    Path(year): Path<String>,
    q: QueryParams,
) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    let now = q.get("as_it_stands").map(|v| params::flag("as_it_stands", v)).transpose()?.unwrap_or(false);
    let delay = q.get("delay").map(params::delay).transpose()?.unwrap_or_default();
    app.answer(&uri, async {
        // The season for its number of rounds. The analysis reads results of
        // the rounds (sprint rows, sessions settled by their results), so it
        // keeps the full rounds rather than the calendar.
        let (season, m1) = data::season(&app, year).await?;
        let ((rounds, m2), (standings, m3)) =
            tokio::try_join!(data::rounds(&app, year), data::progression(&app, year))?;
        let meta = m1.and(m2).and(m3);
        if now {
            // Never kept: the live order changes by the second.
            let stands = played_now(&app, delay, year.get(), season.total_rounds, &rounds, &standings).await?;
            let answer = match stands {
                Some((result, stands)) => standing_now_answer(answer(result, &rounds, &standings), stands),
                None => {
                    let result = championship::analyse(year.get(), season.total_rounds, &rounds, &standings);
                    ChampionshipAnswer { as_it_stands: Asked::Answered(None), ..answer(result, &rounds, &standings) }
                }
            };
            return Rendered::json(&answer, Meta { kind: CacheKind::Live, ..meta });
        }
        let result = championship::analyse(year.get(), season.total_rounds, &rounds, &standings);
        Rendered::json(&answer(result, &rounds, &standings), meta)
    })
    .await
}

/// The fight as if the live race or sprint of `year` finished now (as it
/// stood `delay` ago); `None` when none is live (or its order cannot be
/// played: logged).
async fn played_now(
    app: &AppState,
    delay: std::time::Duration,
    year: i32,
    total_rounds: i32,
    rounds: &[Round],
    standings: &[Standings],
) -> Result<Option<(Championship, AsItStands)>, ApiError> {
    let held = Some(delay).filter(|d| !d.is_zero()).and_then(|d| app.live.board_at(d));
    let board = match held {
        Some(held) => match serde_json::from_value::<content_types::Live>(held.board.as_ref().clone()) {
            Ok(live) => crate::model::state_of(live),
            // No session then (a null board).
            Err(_) => return Ok(None),
        },
        None => match data::live(app).await? {
            Some((board, _)) => board,
            None => return Ok(None),
        },
    };
    let Some(order) = standing_now::live_order(year, &board, standings) else { return Ok(None) };
    match standing_now::as_it_stands(year, total_rounds, rounds, standings, order) {
        Ok(played) => Ok(Some(played)),
        Err(e) => {
            tracing::warn!(error = %e, year, "cannot play the live order as a result");
            Ok(None)
        }
    }
}

/// What if the next sessions finished like this? Plays hypothetical
/// finishing orders (full or partial, by driver id) for one or more of the
/// season's remaining sprints and races onto the season under its rules,
/// and answers the title fight after them and who became champion or was
/// eliminated at which of them. Pure computation: nothing is stored.
#[utoipa::path(
    post, path = "/content/v1/seasons/{year}/championship/what-if", operation_id = "post_championship_what_if",
    tag = "standings",
    params(("year" = i32, Path, description = "Championship year")),
    request_body(content = WhatIfRequest, description = "At most the season's remaining sessions, each at most \
        once; at most 40 driver ids per order"),
    responses(
        (status = 200, description = "The outcome", body = Envelope<WhatIf>),
        (status = 400, description = "A bad body, the field named (e.g. `sessions[0].order[2]`)", body = ErrorBody),
        (status = 404, description = "No such season", body = ErrorBody),
        crate::openapi::responses::Unavailable,
    )
)]
pub async fn what_if(State(app): State<AppState>, Path(year): Path<String>, raw: Bytes) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    let request = body::parse(&raw)?;
    let (season, m1) = data::season(&app, year).await?;
    let ((rounds, m2), (standings, m3)) = tokio::try_join!(data::rounds(&app, year), data::progression(&app, year))?;
    let result = whatif::what_if(year.get(), season.total_rounds, &rounds, &standings, &request)
        .map_err(|e| ApiError::bad(e.field, e.message))?;
    let meta: Meta = m1.and(m2).and(m3);
    Ok(Rendered::json(&result, meta)?.response())
}

/// The title fight, and whether it rests on provisional results.
fn answer(championship: Championship, rounds: &[Round], standings: &[Standings]) -> ChampionshipAnswer {
    let is_provisional = |p: &Option<protobuf::v1::Provenance>| p.as_ref().is_some_and(|p| p.is_provisional());
    let counted = rounds
        .iter()
        .flat_map(|r| &r.sessions)
        .filter(|s| protobuf::v1::SessionType::try_from(s.r#type).is_ok_and(protobuf::v1::SessionType::scores_points));
    let provisional = counted.clone().any(|s| is_provisional(&s.provenance))
        || standings.iter().max_by_key(|s| s.round).is_some_and(|s| is_provisional(&s.provenance));
    let provisional_note = provisional.then(|| note(&championship));
    ChampionshipAnswer { championship, provisional, provisional_note, as_it_stands: Asked::NotAsked }
}

/// The answer to `as_it_stands=true`, with the live session played.
fn standing_now_answer(mut answer: ChampionshipAnswer, stands: AsItStands) -> ChampionshipAnswer {
    answer.provisional = true;
    answer.provisional_note = Some(stands.note.clone());
    answer.as_it_stands = Asked::Answered(Some(stands));
    answer
}

fn note(c: &Championship) -> String {
    let champion = c.drivers.as_ref().filter(|d| d.clinched).and_then(|d| d.leader_name.clone());
    match champion {
        Some(name) => format!("If the provisional result stands, {name} is champion."),
        None => {
            "Based on provisional results (the order at the flag), awaiting the official classification.".to_string()
        }
    }
}
