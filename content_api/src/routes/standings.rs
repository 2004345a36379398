//! `/content/v1/seasons/{year}/drivers`, `/constructors` and
//! `/standings/progression`.
use std::collections::HashMap;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;
use protobuf::v1::{Round, Standings};

use crate::data;
use crate::error::{ApiError, ErrorBody};
use content_types::{ConstructorStandings, DriverStandings, Progression, ProgressionRound, ProgressionSeries};

use crate::model::{self, opt};
use crate::params::{self, QueryParams};
use crate::respond::{Envelope, Rendered};
use crate::state::AppState;

/// The drivers' championship, after the latest round or after `after_round`.
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/drivers", operation_id = "get_driver_standings", tag = "standings",
    params(
        ("year" = i32, Path, description = "Championship year"),
        ("after_round" = Option<i32>, Query, description = "The standings after this round (default: the latest)"),
    ),
    responses(
        (status = 200, description = "Driver standings", body = Envelope<DriverStandings>),
        (status = 404, description = "No such season, or no standings after that round", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn drivers(
    State(app): State<AppState>,
    uri: Uri,
    Path(year): Path<String>,
    q: QueryParams,
) -> Result<Response, ApiError> {
    standings_answer(app, uri, year, q, |s| DriverStandings {
        season: s.season,
        round: s.round,
        provenance: model::provenance(s.provenance),
        standings: s.drivers.into_iter().map(model::driver_standing).collect(),
    })
    .await
}

/// The constructors' championship, after the latest round or after `after_round`.
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/constructors", operation_id = "get_constructor_standings", tag = "standings",
    params(
        ("year" = i32, Path, description = "Championship year"),
        ("after_round" = Option<i32>, Query, description = "The standings after this round (default: the latest)"),
    ),
    responses(
        (status = 200, description = "Constructor standings", body = Envelope<ConstructorStandings>),
        (status = 404, description = "No such season, or no standings after that round", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn constructors(
    State(app): State<AppState>,
    uri: Uri,
    Path(year): Path<String>,
    q: QueryParams,
) -> Result<Response, ApiError> {
    standings_answer(app, uri, year, q, |s| ConstructorStandings {
        season: s.season,
        round: s.round,
        provenance: model::provenance(s.provenance),
        standings: s.constructors.into_iter().map(model::constructor_standing).collect(),
    })
    .await
}

/// The standings after `after_round` (default: the latest), shaped by `pick`.
async fn standings_answer<T: serde::Serialize>(
    app: AppState,
    uri: Uri,
    year: String,
    q: QueryParams,
    pick: fn(Standings) -> T,
) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    let after = q.get("after_round").map(|r| params::round_named("after_round", r)).transpose()?;
    app.answer(&uri, async {
        let (s, meta) = data::standings(&app, year, after).await?;
        Rendered::json(&pick(s), meta)
    })
    .await
}

/// Points and positions after every round for every driver and constructor
/// (the data for a chart).
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/standings/progression", operation_id = "get_standings_progression", tag = "standings",
    params(("year" = i32, Path, description = "Championship year")),
    responses(
        (status = 200, description = "The standings after every round", body = Envelope<Progression>),
        (status = 404, description = "No such season", body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn progression(
    State(app): State<AppState>,
    uri: Uri,
    Path(year): Path<String>,
) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    app.answer(&uri, async {
        // Only round names are needed: the calendar, not the results.
        let ((rounds, m1), (standings, m2)) =
            tokio::try_join!(data::calendar(&app, year), data::progression(&app, year))?;
        let result = chart(year.get(), &rounds, &standings);
        Rendered::json(&result, m1.and(m2))
    })
    .await
}

/// Collects one series per id, values aligned with the rounds.
struct Series {
    order: Vec<String>,
    by_id: HashMap<String, ProgressionSeries>,
    len: usize,
}

impl Series {
    fn new(len: usize) -> Self {
        Self { order: Vec::new(), by_id: HashMap::new(), len }
    }

    fn at(&mut self, id: &str) -> &mut ProgressionSeries {
        let len = self.len;
        if !self.by_id.contains_key(id) {
            self.order.push(id.to_string());
        }
        self.by_id.entry(id.to_string()).or_insert_with(|| ProgressionSeries {
            id: id.to_string(),
            name: String::new(),
            code: None,
            team: None,
            color: None,
            points: vec![None; len],
            positions: vec![None; len],
        })
    }

    /// Series in the order of `latest` (ids), then any others.
    fn finish(mut self, latest: &[&str]) -> Vec<ProgressionSeries> {
        let mut out: Vec<ProgressionSeries> = latest.iter().filter_map(|id| self.by_id.remove(*id)).collect();
        out.extend(self.order.iter().filter_map(|id| self.by_id.remove(id)));
        out
    }
}

fn chart(season: i32, rounds: &[Round], standings: &[Standings]) -> Progression {
    let names: HashMap<i32, &str> = rounds.iter().map(|r| (r.round, r.name.as_str())).collect();
    let mut drivers = Series::new(standings.len());
    let mut constructors = Series::new(standings.len());
    for (i, s) in standings.iter().enumerate() {
        for d in &s.drivers {
            let e = drivers.at(&d.driver_id);
            e.name.clone_from(&d.driver_name);
            e.code = opt(&d.driver_code);
            e.team = opt(&d.team);
            e.color = opt(&d.team_color);
            e.points[i] = Some(d.points);
            e.positions[i] = Some(d.position);
        }
        for c in &s.constructors {
            let e = constructors.at(&c.constructor_id);
            e.name.clone_from(&c.name);
            e.color = opt(&c.color);
            e.points[i] = Some(c.points);
            e.positions[i] = Some(c.position);
        }
    }
    let latest = standings.last();
    let driver_order: Vec<&str> =
        latest.map(|s| s.drivers.iter().map(|d| d.driver_id.as_str()).collect()).unwrap_or_default();
    let team_order: Vec<&str> =
        latest.map(|s| s.constructors.iter().map(|c| c.constructor_id.as_str()).collect()).unwrap_or_default();
    Progression {
        season,
        rounds: standings
            .iter()
            .map(|s| ProgressionRound { round: s.round, name: names.get(&s.round).unwrap_or(&"").to_string() })
            .collect(),
        drivers: drivers.finish(&driver_order),
        constructors: constructors.finish(&team_order),
    }
}
