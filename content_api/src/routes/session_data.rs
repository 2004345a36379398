//! `/content/v1/seasons/{year}/rounds/{round}/sessions/{type}/{kind}`: a
//! session's timing records in our contract, one page at a time,
//! optionally of one car (`?driver=44`). `car-data` and `location` are of
//! one car (`driver` required), read through the telemetry cache
//! ([`crate::telemetry`]) rather than the store.
use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use common::extract::Path;
use content_types::{CarDataSample, Lap, SessionRecordPage};
use livetiming::archive::TelemetryKind;
use protobuf::PageSpec;
use serde::Serialize;

use crate::data;
use crate::error::{ApiError, ErrorBody};
use crate::model::session_data::{self as view, Drivers};
use crate::params::{self, QueryParams};
use crate::respond::{Envelope, Rendered};
use crate::state::AppState;
use crate::telemetry::SessionRef;

/// The kinds of records under a session, by their path segment.
const KINDS: [&str; 11] = [
    "laps",
    "stints",
    "pit-stops",
    "race-control",
    "weather",
    "track-status",
    "session-status",
    "positions",
    "intervals",
    "car-data",
    "location",
];

/// The kinds whose records belong to no car.
const CARLESS: [&str; 3] = ["weather", "track-status", "session-status"];

/// One page of a session's records of one kind.
#[utoipa::path(
    get, path = "/content/v1/seasons/{year}/rounds/{round}/sessions/{type}/{kind}", operation_id = "get_session_records",
    tag = "rounds",
    params(
        ("year" = i32, Path, description = "Championship year"),
        ("round" = i32, Path, description = "Round number, 1-based"),
        ("type" = String, Path, description = "Session type slug (`race`, `qualifying`, ...)"),
        ("kind" = String, Path, description = "`laps`, `stints`, `pit-stops`, `race-control`, `weather`, \
            `track-status`, `session-status`, `positions`, `intervals`, `car-data` or `location` (the last two read from the LiveTiming archive on first use, \
            through a disk cache; none while the session is live)"),
        ("driver" = Option<i32>, Query, description = "Only this car's records (its number); required for \
            `car-data` and `location`"),
        ("page" = Option<u32>, Query, description = "1-based page (default 1)"),
        ("per_page" = Option<u32>, Query, description = "Per page, 1..=1000 (default 100)"),
    ),
    responses(
        (status = 200, description = "One page of the records (`total` 0 when none are stored); `items` are \
            Lap, Stint, PitStop, RaceControlMessage, WeatherSample, TrackStatusChange, SessionStatusChange, \
            PositionChange, Interval, CarDataSample or LocationSample by kind",
            body = Envelope<SessionRecordPage<Lap>>),
        (status = 404, description = "No such kind of record", body = ErrorBody),
        (status = 502, description = "car-data or location: the LiveTiming archive failed (retry later)",
            body = ErrorBody),
        crate::openapi::responses::ReadErrors,
    )
)]
pub async fn records(
    State(app): State<AppState>,
    uri: Uri,
    Path((year, round, kind, what)): Path<(String, String, String, String)>,
    q: QueryParams,
) -> Result<Response, ApiError> {
    let year = params::year(&year)?;
    let round = params::round(&round)?;
    let t = params::session_type(&kind)?;
    if !KINDS.contains(&what.as_str()) {
        return Err(ApiError::NotFound(format!("session records `{what}`")));
    }
    let car = q.get("driver").map(|raw| params::car_number("driver", raw)).transpose()?;
    if car.is_some() && CARLESS.contains(&what.as_str()) {
        return Err(ApiError::bad("driver", format!("{what} records belong to no car")));
    }
    let page = params::page(q.get("page"), q.get("per_page"))?;
    if matches!(what.as_str(), "car-data" | "location") {
        let car = car.ok_or_else(|| {
            ApiError::bad("driver", format!("{what} is read one car at a time: give driver=N, the car's number"))
        })?;
        return app
            .answer(&uri, async {
                let (summary, classification) =
                    tokio::join!(data::session_data_summary(&app, year, round, t), data::session(&app, year, round, t));
                let ids: Arc<Drivers> = Arc::new(match classification {
                    Ok((s, _)) => s.results.into_iter().map(|r| (r.driver_number, r.driver_id)).collect(),
                    Err(_) => Drivers::new(),
                });
                let (summary, meta) = summary?;
                let pager = |session_key| Pager {
                    season: year.get(),
                    round: round.get(),
                    session_key,
                    page,
                    car: Some(car),
                    ids: &ids,
                };
                let Some(s) = summary else {
                    return Rendered::json(&pager(None).items(Vec::<CarDataSample>::new()), meta);
                };
                let session = SessionRef {
                    year: s.season,
                    meeting_key: s.meeting_key,
                    session_key: s.session_key,
                    complete: s.complete,
                };
                let drivers = Some(vec![car]);
                let ids = ids.clone();
                if what == "car-data" {
                    let keep = move |sample| view::car_data(sample, &ids);
                    let items = app.telemetry.read(&session, TelemetryKind::CarData, drivers, keep).await?;
                    Rendered::json(&pager(Some(s.session_key)).items(items), meta)
                } else {
                    let keep = move |sample| view::location(sample, &ids);
                    let items = app.telemetry.read(&session, TelemetryKind::Location, drivers, keep).await?;
                    Rendered::json(&pager(Some(s.session_key)).items(items), meta)
                }
            })
            .await;
    }
    app.answer(&uri, async {
        let (stored, classification) =
            tokio::join!(data::session_records(&app, year, round, t), data::session(&app, year, round, t));
        let ids: Drivers = match classification {
            Ok((s, _)) => s.results.into_iter().map(|r| (r.driver_number, r.driver_id)).collect(),
            Err(_) => Drivers::new(),
        };
        let (records, key, meta) = match stored? {
            Some((r, key, meta)) => (r, Some(key), meta),
            None => (Default::default(), None, crate::respond::Meta::default()),
        };
        let pager = Pager { season: year.get(), round: round.get(), session_key: key, page, car, ids: &ids };
        match what.as_str() {
            "laps" => Rendered::json(&pager.page(&records.laps, |l| Some(l.driver_number), view::lap), meta),
            "stints" => Rendered::json(&pager.page(&records.stints, |s| Some(s.driver_number), view::stint), meta),
            "pit-stops" => Rendered::json(&pager.page(&records.pit, |p| Some(p.driver_number), view::pit_stop), meta),
            "race-control" => {
                Rendered::json(&pager.page(&records.race_control, |m| m.driver_number, view::race_control), meta)
            }
            "weather" => Rendered::json(&pager.page(&records.weather, |_| None, view::weather), meta),
            "track-status" => Rendered::json(&pager.page(&records.track_status, |_| None, view::track_status), meta),
            "session-status" => {
                Rendered::json(&pager.page(&records.session_status, |_| None, view::session_status), meta)
            }
            "positions" => {
                Rendered::json(&pager.page(&records.position, |p| Some(p.driver_number), view::position), meta)
            }
            _ => Rendered::json(&pager.page(&records.intervals, |i| Some(i.driver_number), view::interval), meta),
        }
    })
    .await
}

/// What every kind's page shares.
struct Pager<'a> {
    season: i32,
    round: i32,
    session_key: Option<i64>,
    page: PageSpec,
    car: Option<i32>,
    ids: &'a Drivers,
}

impl Pager<'_> {
    /// The page of `items` (already of the car asked for, and made).
    fn items<T>(&self, items: Vec<T>) -> SessionRecordPage<T> {
        let per = self.page.per_page as usize;
        let skip = (self.page.page as usize - 1).saturating_mul(per);
        SessionRecordPage {
            season: self.season,
            round: self.round,
            session_key: self.session_key,
            total: i32::try_from(items.len()).unwrap_or(i32::MAX),
            page: self.page.page,
            per_page: self.page.per_page,
            items: items.into_iter().skip(skip).take(per).collect(),
        }
    }

    /// The page of `records` (of the car asked for, if any), each made by
    /// `view`.
    fn page<R, T: Serialize>(
        &self,
        records: &[R],
        car: impl Fn(&R) -> Option<i32>,
        view: impl Fn(&R, &Drivers) -> T,
    ) -> SessionRecordPage<T> {
        let chosen: Vec<&R> = records.iter().filter(|r| self.car.is_none_or(|n| car(r) == Some(n))).collect();
        let per = self.page.per_page as usize;
        let skip = (self.page.page as usize - 1).saturating_mul(per);
        let page = self.items(Vec::<T>::new());
        SessionRecordPage {
            total: i32::try_from(chosen.len()).unwrap_or(i32::MAX),
            items: chosen.into_iter().skip(skip).take(per).map(|r| view(r, self.ids)).collect(),
            ..page
        }
    }
}
