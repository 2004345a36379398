//! The reads the Ergast answers are built from, kept in-process for a
//! short while: a whole season (`GetRounds`: rounds, sessions, results and
//! circuits in one answer), its standings after every round, and the
//! reference data with the Ergast id of every record. A request costs a few
//! reads whatever the number of rows it answers.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use protobuf::v1::{
    Circuit, Constructor, Driver, IdAliasFilter, IdsFilter, Page, RaceTiming, Round, RoundKey, Season, SeasonFilter,
    SeasonKey, SessionDataKey, SessionType, Standings,
};

use super::ids::ErgastIds;
use crate::error::ApiError;
use crate::kept::{Copies, cache, kept};
use crate::respond::{CacheKind, Meta};
use crate::state::AppState;

const PER_PAGE: i32 = 1000;

/// Drivers, constructors and circuits by stable id, with Ergast ids.
#[derive(Debug)]
pub struct Reference {
    pub drivers: HashMap<String, Driver>,
    pub constructors: HashMap<String, Constructor>,
    pub circuits: HashMap<String, Circuit>,
    pub ids: ErgastIds,
    pub meta: Meta,
}

/// One season as stored.
#[derive(Debug)]
pub struct SeasonData {
    pub season: Season,
    pub rounds: Vec<Round>,
    pub meta: Meta,
}

/// The in-process copies; a zero lifetime reads through every time (see
/// [`crate::kept`]).
#[derive(Clone)]
pub struct Sources {
    reference: Copies<(), Reference>,
    seasons: Copies<i32, SeasonData>,
    standings: Copies<i32, (Vec<Standings>, Meta)>,
    years: Copies<(), (Vec<Season>, Meta)>,
    timing: Copies<(i32, i32), (RaceTiming, Meta)>,
}

impl Sources {
    /// Copies kept for `ttl` (the answer reuse lifetime, capped at a minute:
    /// a sync shows within that).
    pub fn new(ttl: Duration) -> Self {
        let ttl = ttl.min(Duration::from_secs(60));
        let zero = ttl.is_zero();
        let n = |cap: u64| if zero { 0 } else { cap };
        Self {
            reference: cache(ttl, n(1)),
            seasons: cache(ttl, n(100)),
            standings: cache(ttl, n(100)),
            years: cache(ttl, n(1)),
            timing: cache(ttl, n(50)),
        }
    }
}

impl AppState {
    /// This feature's kept sources, made on first use: the cache belongs to
    /// the feature; the state only holds it.
    pub(crate) fn ergast_sources(&self) -> &Sources {
        self.ergast.get_or_init(|| Sources::new(self.response_cache))
    }
}

/// Reads every page of a list: `read(page)` answers (items, total, meta).
macro_rules! all_pages {
    ($app:expr, $call:ident, $field:ident, $req:expr) => {{
        let mut out = Vec::new();
        let mut meta = Meta { date: 0, cached: true, kind: CacheKind::CompletedSeason };
        for n in 1.. {
            let page = Some(Page { page: n, per_page: Some(PER_PAGE) });
            let r = $app.call($app.client().$call($req(page))).await?;
            meta = meta.and(Meta::of(r.metadata));
            let empty = r.$field.is_empty();
            out.extend(r.$field);
            if empty || out.len() >= r.total as usize {
                break;
            }
        }
        (out, meta)
    }};
}

/// Nothing stored, or a season data_scheduler refuses (before 1950): an
/// Ergast client gets an empty list for both.
fn not_found_is_empty<T: Default>(r: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(ApiError::NotFound(_) | ApiError::BadParameter { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn reference(app: &AppState) -> Result<Arc<Reference>, ApiError> {
    kept(app, &app.ergast_sources().reference, (), || load_reference(app)).await
}

async fn load_reference(app: &AppState) -> Result<Arc<Reference>, ApiError> {
    let ids = |page| IdsFilter { ids: vec![], page, ..Default::default() };
    let (drivers, a) = all_pages!(app, get_drivers, drivers, ids);
    let (constructors, b) = all_pages!(app, get_constructors, constructors, ids);
    let (circuits, c) = all_pages!(app, get_circuits, circuits, ids);
    let filter = IdAliasFilter { kind: String::new(), source: super::ids::SOURCE.into() };
    let aliases = app.call(app.client().get_id_aliases(filter)).await?;
    let meta = a.and(b).and(c).and(Meta::of(aliases.metadata));
    Ok(Arc::new(Reference {
        ids: ErgastIds::from_aliases(&aliases.aliases),
        drivers: drivers.into_iter().map(|d| (d.id.clone(), d)).collect(),
        constructors: constructors.into_iter().map(|c| (c.id.clone(), c)).collect(),
        circuits: circuits.into_iter().map(|c| (c.id.clone(), c)).collect(),
        meta,
    }))
}

/// Every stored season, oldest first.
pub async fn seasons(app: &AppState) -> Result<Arc<(Vec<Season>, Meta)>, ApiError> {
    kept(app, &app.ergast_sources().years, (), || async {
        let filter = |page| SeasonFilter { year: None, status: 0, page };
        let (mut seasons, meta) = all_pages!(app, get_seasons, seasons, filter);
        seasons.sort_by_key(|s| s.year);
        Ok(Arc::new((seasons, meta)))
    })
    .await
}

/// One season's rounds with every session; `None` when nothing is stored.
pub async fn season(app: &AppState, year: i32) -> Result<Option<Arc<SeasonData>>, ApiError> {
    let got = kept(app, &app.ergast_sources().seasons, year, || async {
        let (mut a, mut b) = (app.client(), app.client());
        let (season, rounds) = tokio::join!(
            app.call(a.get_season(SeasonKey { season: year })),
            app.call(b.get_rounds(SeasonKey { season: year }))
        );
        let Some(season) = not_found_is_empty(season)? else {
            let meta = Meta { date: 0, cached: false, kind: CacheKind::CompletedSeason };
            return Ok(Arc::new(SeasonData { season: Season::default(), rounds: Vec::new(), meta }));
        };
        let rounds = not_found_is_empty(rounds)?.unwrap_or_default();
        let meta = Meta::of(season.metadata).and(Meta::of(rounds.metadata));
        Ok(Arc::new(SeasonData { season: season.season.unwrap_or_default(), rounds: rounds.rounds, meta }))
    })
    .await?;
    Ok((got.season.year != 0).then_some(got))
}

/// The standings after every round of `year` (empty when none are stored).
pub async fn standings(app: &AppState, year: i32) -> Result<Arc<(Vec<Standings>, Meta)>, ApiError> {
    kept(app, &app.ergast_sources().standings, year, || async {
        let r = app.call(app.client().get_standings_progression(SeasonKey { season: year })).await;
        Ok(Arc::new(match not_found_is_empty(r)? {
            Some(r) => (r.rounds, Meta::of(r.metadata)),
            None => (Vec::new(), Meta { date: 0, cached: false, kind: CacheKind::CompletedSeason }),
        }))
    })
    .await
}

/// Lap timings and pit stops of one race (empty when none are stored):
/// those an Ergast-format source gave, else (2018 on) those its session
/// data holds ([`super::timing`]).
pub async fn timing(app: &AppState, round: &Round) -> Result<Arc<(RaceTiming, Meta)>, ApiError> {
    let (year, number) = (round.season, round.round);
    kept(app, &app.ergast_sources().timing, (year, number), || async {
        let r = app.call(app.client().get_race_timing(RoundKey { season: year, round: number })).await;
        let (mut t, mut meta) = match not_found_is_empty(r)? {
            Some(r) => (r.timing.unwrap_or_default(), Meta::of(r.metadata)),
            None => (RaceTiming::default(), Meta { date: 0, cached: false, kind: CacheKind::CompletedSeason }),
        };
        if year >= SESSION_DATA_FROM && (t.laps.is_empty() || t.pit_stops.is_empty()) {
            let key =
                SessionDataKey { season: year, round: number, r#type: SessionType::Race as i32, ..Default::default() };
            if let Some(res) = not_found_is_empty(app.call(app.client().get_session_data(key)).await)? {
                let data = res.data.unwrap_or_default();
                let records = livetiming::wire::from_wire(&data)
                    .map_err(|e| ApiError::Internal(format!("session data {}: {e}", data.session_key)))?;
                let results = super::view::session(round, SessionType::Race).map(|s| s.results.as_slice());
                let (laps, stops) = super::timing::from_session_data(&records, results.unwrap_or_default());
                if t.laps.is_empty() {
                    t.laps = laps;
                }
                if t.pit_stops.is_empty() {
                    t.pit_stops = stops;
                }
                meta = meta.and(Meta::of(res.metadata));
            }
        }
        Ok(Arc::new((t, meta)))
    })
    .await
}

/// The first season of the LiveTiming archive, so of session data.
const SESSION_DATA_FROM: i32 = 2018;
