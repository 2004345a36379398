//! Domain reads: one function per question, each a gRPC call to
//! data_scheduler returning the record and its metadata.
use protobuf::names::NameQuery;
use protobuf::v1::{
    Circuit, CircuitImage, CircuitRoundsResponse, Constructor, ConstructorCareerResponse, Driver, DriverCareerResponse,
    Empty, IdKey, IdsFilter, LiveSessionState, Round, RoundKey, Season, SeasonFilter, SeasonKey, SeasonStatus, Session,
    SessionDataFilter, SessionDataKey, SessionDataSummary, SessionKey, SessionType, Standings, StandingsFilter,
};
use protobuf::{PageSpec, RoundNumber, Year};

use crate::error::ApiError;
use crate::respond::{CacheKind, Meta};
use crate::state::AppState;

fn missing(what: &str) -> ApiError {
    ApiError::Internal(format!("data_scheduler answered without {what}"))
}

pub struct SeasonPage {
    pub seasons: Vec<Season>,
    pub total: i32,
}

pub async fn seasons(
    app: &AppState,
    year: Option<Year>,
    status: Option<SeasonStatus>,
    page: PageSpec,
) -> Result<(SeasonPage, Meta), ApiError> {
    let filter = SeasonFilter {
        year: year.map(Year::get),
        status: status.unwrap_or(SeasonStatus::Unspecified) as i32,
        page: Some(page.to_wire()),
    };
    let res = app.call(app.client().get_seasons(filter)).await?;
    Ok((SeasonPage { seasons: res.seasons, total: res.total }, Meta::of(res.metadata)))
}

pub async fn season(app: &AppState, year: Year) -> Result<(Season, Meta), ApiError> {
    let res = app.call(app.client().get_season(SeasonKey { season: year.get() })).await?;
    Ok((res.season.ok_or_else(|| missing("a season"))?, Meta::of(res.metadata)))
}

pub async fn rounds(app: &AppState, year: Year) -> Result<(Vec<Round>, Meta), ApiError> {
    let res = app.call(app.client().get_rounds(SeasonKey { season: year.get() })).await?;
    Ok((res.rounds, Meta::of(res.metadata)))
}

/// The rounds with their sessions but no results (a calendar: a few kB).
pub async fn calendar(app: &AppState, year: Year) -> Result<(Vec<Round>, Meta), ApiError> {
    let res = app.call(app.client().get_calendar(SeasonKey { season: year.get() })).await?;
    Ok((res.rounds, Meta::of(res.metadata)))
}

pub async fn round(app: &AppState, year: Year, round: RoundNumber) -> Result<(Round, Meta), ApiError> {
    let res = app.call(app.client().get_round(RoundKey { season: year.get(), round: round.get() })).await?;
    Ok((res.round.ok_or_else(|| missing("a round"))?, Meta::of(res.metadata)))
}

pub async fn session(
    app: &AppState,
    year: Year,
    round: RoundNumber,
    t: SessionType,
) -> Result<(Session, Meta), ApiError> {
    let key = SessionKey { season: year.get(), round: round.get(), r#type: t as i32 };
    let res = app.call(app.client().get_session(key)).await?;
    Ok((res.session.ok_or_else(|| missing("a session"))?, Meta::of(res.metadata)))
}

pub async fn standings(
    app: &AppState,
    year: Year,
    after_round: Option<RoundNumber>,
) -> Result<(Standings, Meta), ApiError> {
    let filter = StandingsFilter { season: year.get(), after_round: after_round.map(RoundNumber::get) };
    let res = app.call(app.client().get_standings(filter)).await?;
    Ok((res.standings.ok_or_else(|| missing("standings"))?, Meta::of(res.metadata)))
}

/// The standings after every round; an empty list when none are stored yet.
pub async fn progression(app: &AppState, year: Year) -> Result<(Vec<Standings>, Meta), ApiError> {
    match app.call(app.client().get_standings_progression(SeasonKey { season: year.get() })).await {
        Ok(res) => Ok((res.rounds, Meta::of(res.metadata))),
        Err(ApiError::NotFound(_)) => Ok((Vec::new(), Meta { date: 0, cached: false, kind: CacheKind::CurrentSeason })),
        Err(e) => Err(e),
    }
}

/// What an index is narrowed to: a name search, a season, a page.
pub struct IndexQuery {
    pub q: Option<NameQuery>,
    pub season: Option<Year>,
    pub page: PageSpec,
}

impl IndexQuery {
    fn filter(&self) -> IdsFilter {
        IdsFilter {
            ids: vec![],
            page: Some(self.page.to_wire()),
            q: self.q.as_ref().map(|q| q.as_str().to_string()).unwrap_or_default(),
            season: self.season.map_or(0, Year::get),
        }
    }
}

/// One page of an index and the number of records across every page.
pub struct IndexPage<T> {
    pub items: Vec<T>,
    pub total: i32,
}

pub async fn drivers(app: &AppState, q: &IndexQuery) -> Result<(IndexPage<Driver>, Meta), ApiError> {
    let res = app.call(app.client().get_drivers(q.filter())).await?;
    Ok((IndexPage { items: res.drivers, total: res.total }, Meta::of(res.metadata)))
}

pub async fn constructors(app: &AppState, q: &IndexQuery) -> Result<(IndexPage<Constructor>, Meta), ApiError> {
    let res = app.call(app.client().get_constructors(q.filter())).await?;
    Ok((IndexPage { items: res.constructors, total: res.total }, Meta::of(res.metadata)))
}

pub async fn circuits(app: &AppState, q: &IndexQuery) -> Result<(IndexPage<Circuit>, Meta), ApiError> {
    let res = app.call(app.client().get_circuits(q.filter())).await?;
    Ok((IndexPage { items: res.circuits, total: res.total }, Meta::of(res.metadata)))
}

pub async fn driver(app: &AppState, id: String) -> Result<(Driver, Meta), ApiError> {
    let res = app.call(app.client().get_driver(IdKey { id })).await?;
    Ok((res.driver.ok_or_else(|| missing("a driver"))?, Meta::of(res.metadata)))
}

pub async fn constructor(app: &AppState, id: String) -> Result<(Constructor, Meta), ApiError> {
    let res = app.call(app.client().get_constructor(IdKey { id })).await?;
    Ok((res.constructor.ok_or_else(|| missing("a constructor"))?, Meta::of(res.metadata)))
}

/// A driver's career from every race entry, newest season first.
pub async fn driver_career(app: &AppState, id: String) -> Result<(DriverCareerResponse, Meta), ApiError> {
    let res = app.call(app.client().get_driver_career(IdKey { id })).await?;
    let meta = Meta::of(res.metadata);
    Ok((res, meta))
}

/// A constructor's history from every race entry, newest season first.
pub async fn constructor_career(app: &AppState, id: String) -> Result<(ConstructorCareerResponse, Meta), ApiError> {
    let res = app.call(app.client().get_constructor_career(IdKey { id })).await?;
    let meta = Meta::of(res.metadata);
    Ok((res, meta))
}

pub async fn circuit(app: &AppState, id: String) -> Result<(Circuit, Meta), ApiError> {
    let res = app.call(app.client().get_circuit(IdKey { id })).await?;
    Ok((res.circuit.ok_or_else(|| missing("a circuit"))?, Meta::of(res.metadata)))
}

/// Every round held at the circuit, newest first, with its winner.
pub async fn circuit_rounds(app: &AppState, id: String) -> Result<(CircuitRoundsResponse, Meta), ApiError> {
    let res = app.call(app.client().get_circuit_rounds(IdKey { id })).await?;
    let meta = Meta::of(res.metadata);
    Ok((res, meta))
}

pub async fn circuit_image(app: &AppState, id: String) -> Result<CircuitImage, ApiError> {
    let res = app.call(app.client().get_circuit_image(IdKey { id })).await?;
    res.image.ok_or_else(|| missing("an image"))
}

/// The live session state, or None when data_scheduler holds none.
pub async fn live(app: &AppState) -> Result<Option<(LiveSessionState, Meta)>, ApiError> {
    match app.call(app.live_client().get_live_state(Empty {})).await {
        Ok(res) => Ok(res.state.map(|s| (s, Meta::of(res.metadata)))),
        Err(ApiError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A session's timing records by our season, round and type, with F1's
/// session key; `None` when none are stored.
pub async fn session_records(
    app: &AppState,
    year: Year,
    round: RoundNumber,
    t: SessionType,
) -> Result<Option<(livetiming::openf1::SessionRecords, i64, Meta)>, ApiError> {
    let key = SessionDataKey { session_key: 0, season: year.get(), round: round.get(), r#type: t as i32 };
    match app.call(app.client().get_session_data(key)).await {
        Ok(res) => {
            let data = res.data.ok_or_else(|| missing("session data"))?;
            let records = livetiming::wire::from_wire(&data)
                .map_err(|e| ApiError::Internal(format!("session data {}: {e}", data.session_key)))?;
            Ok(Some((records, data.session_key, Meta::of(res.metadata))))
        }
        Err(ApiError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The summary of a session's stored timing records, if any (from the
/// season's index, a small read).
pub async fn session_data_summary(
    app: &AppState,
    year: Year,
    round: RoundNumber,
    t: SessionType,
) -> Result<(Option<SessionDataSummary>, Meta), ApiError> {
    let filter = SessionDataFilter { season: Some(year.get()), meeting_key: None };
    let res = app.call(app.client().get_session_data_index(filter)).await?;
    let found =
        res.sessions.into_iter().find(|s| s.season == year.get() && s.round == round.get() && s.r#type == t as i32);
    Ok((found, Meta::of(res.metadata)))
}
