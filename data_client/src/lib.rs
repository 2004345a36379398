//! The one data_scheduler client every other service uses.
//!
//! It sits apart from data_scheduler so that a caller links the contract
//! (`protobuf`) and tonic, never the storage drivers. The plumbing every
//! caller needs lives here once: a lazy connection (a service may start
//! before data_scheduler) with a per-call deadline, request-id propagation,
//! NOT_FOUND read as `None` ([`Found`]), whole listings collected page by
//! page, readiness through the standard gRPC health service, and several
//! replicas behind one client ([`failover`]).
use std::future::Future;
use std::time::Duration;

use common::internal::InternalToken;
use common::request_id::Propagate;
use protobuf::v1::accounts_client::AccountsClient;
use protobuf::v1::leases_client::LeasesClient;
use protobuf::v1::live_state_client::LiveStateClient;
use protobuf::v1::sport_data_client::SportDataClient;
use protobuf::v1::sport_data_server;
use protobuf::v1::sync_history_client::SyncHistoryClient;
use protobuf::v1::{
    Circuit, Constructor, Driver, IdAlias, IdAliasFilter, IdKey, IdsFilter, Page, Round, RoundKey, Season, SeasonKey,
    Standings, SyncKind, SyncRun, SyncRunFilter, WriteBatchRequest,
};
use tonic::codegen::InterceptedService;
use tonic::metadata::MetadataValue;
use tonic::service::Interceptor;
use tonic::transport::{Channel, Endpoint};
use tonic::{Code, Status};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

pub mod failover;
use failover::Failover;

/// The channel every generated client sends through.
pub type Wire = InterceptedService<Failover, Outgoing>;
/// The sport data service: seasons to race timings, and change announcements.
pub type SportData = SportDataClient<Wire>;
/// The accounts service: users, API keys, refresh tokens (auth_api).
pub type Accounts = AccountsClient<Wire>;
/// The leases service (scheduler_api's leader election).
pub type Leases = LeasesClient<Wire>;
/// The live state service: the board of the session running now.
pub type LiveState = LiveStateClient<Wire>;
/// The sync history service.
pub type SyncHistory = SyncHistoryClient<Wire>;

/// What every call carries: the request id, and the internal credential
/// when one is configured (data_scheduler then refuses calls without it).
#[derive(Clone)]
pub struct Outgoing {
    token: Option<MetadataValue<tonic::metadata::Ascii>>,
}

impl Interceptor for Outgoing {
    fn call(&mut self, req: tonic::Request<()>) -> Result<tonic::Request<()>, Status> {
        let mut req = Propagate.call(req)?;
        if let Some(token) = &self.token {
            req.metadata_mut().insert(common::internal::HEADER, token.clone());
        }
        Ok(req)
    }
}

/// How long a readiness probe waits for data_scheduler's health service.
pub const READY_DEADLINE: Duration = Duration::from_secs(2);

/// Records asked for per page when a whole listing is collected.
const PER_PAGE: i32 = 1000;

/// A cheap-to-clone handle on data_scheduler.
#[derive(Clone)]
pub struct Client {
    sport: SportData,
    accounts: Accounts,
    leases: Leases,
    live: LiveState,
    history: SyncHistory,
    health: HealthClient<Wire>,
}

/// `Ok(None)` for NOT_FOUND, the answer otherwise: "nothing stored" is an
/// answer, not an error, for most callers.
pub trait Found<T> {
    fn found(self) -> Result<Option<T>, Status>;
}

impl<T> Found<T> for Result<tonic::Response<T>, Status> {
    fn found(self) -> Result<Option<T>, Status> {
        match self {
            Ok(r) => Ok(Some(r.into_inner())),
            Err(status) if status.code() == Code::NotFound => Ok(None),
            Err(status) => Err(status),
        }
    }
}

impl Client {
    /// A client for `url` (e.g. `http://127.0.0.1:50051`, or several
    /// replicas comma-separated, see [`failover`]) whose calls fail with
    /// DEADLINE_EXCEEDED/UNAVAILABLE after `timeout`.
    pub fn connect_lazy(url: &str, timeout: Duration) -> Result<Self, tonic::transport::Error> {
        Self::connect_lazy_with(url, timeout, None)
    }

    /// As [`Client::connect_lazy`], every call carrying `token` (the
    /// internal credential a guarded data_scheduler requires).
    pub fn connect_lazy_with(
        url: &str,
        timeout: Duration,
        token: Option<&InternalToken>,
    ) -> Result<Self, tonic::transport::Error> {
        let outgoing = Outgoing {
            token: token.map(|t| {
                let mut v =
                    MetadataValue::try_from(t.header_value().as_bytes()).expect("checked to be printable ASCII");
                v.set_sensitive(true);
                v
            }),
        };
        let channels = failover::split(url)
            .into_iter()
            .map(|url| {
                Ok(Endpoint::from_shared(url.to_string())?
                    .connect_timeout(timeout.min(Duration::from_secs(5)))
                    .timeout(timeout)
                    .tcp_nodelay(true)
                    .connect_lazy())
            })
            .collect::<Result<Vec<Channel>, tonic::transport::Error>>()?;
        if channels.is_empty() {
            // The error an empty address has always given.
            Endpoint::from_shared(String::new())?;
        }
        let channel = Failover::new(channels);
        let channel = InterceptedService::new(channel, outgoing);
        macro_rules! sized {
            ($client:ident) => {
                $client::new(channel.clone())
                    .max_decoding_message_size(protobuf::MAX_MESSAGE_BYTES)
                    .max_encoding_message_size(protobuf::MAX_MESSAGE_BYTES)
            };
        }
        Ok(Self {
            sport: sized!(SportDataClient),
            accounts: sized!(AccountsClient),
            leases: sized!(LeasesClient),
            live: sized!(LiveStateClient),
            history: sized!(SyncHistoryClient),
            health: HealthClient::new(channel),
        })
    }

    /// The sport data service (a cheap clone sharing the connection).
    pub fn sport(&self) -> SportData {
        self.sport.clone()
    }

    /// The accounts service (a cheap clone sharing the connection).
    pub fn accounts(&self) -> Accounts {
        self.accounts.clone()
    }

    /// The leases service (a cheap clone sharing the connection).
    pub fn leases(&self) -> Leases {
        self.leases.clone()
    }

    /// The live state service (a cheap clone sharing the connection).
    pub fn live(&self) -> LiveState {
        self.live.clone()
    }

    /// The sync history service (a cheap clone sharing the connection).
    pub fn history(&self) -> SyncHistory {
        self.history.clone()
    }

    /// Ok when data_scheduler's health service says the sport data service
    /// is serving (all five are served by the same process and store).
    /// Answers within [`READY_DEADLINE`], whatever the calls' deadline.
    pub async fn ready(&self) -> Result<(), Status> {
        let req = HealthCheckRequest { service: sport_data_server::SERVICE_NAME.to_string() };
        let answer = tokio::time::timeout(READY_DEADLINE, self.health.clone().check(req))
            .await
            .map_err(|_| Status::deadline_exceeded(format!("no answer within {READY_DEADLINE:?}")))?;
        let status = answer?.into_inner().status();
        match status {
            ServingStatus::Serving => Ok(()),
            other => Err(Status::unavailable(format!("data_scheduler is {}", other.as_str_name()))),
        }
    }

    /// Writes `batch` in one transaction; returns the records written.
    pub async fn write(&self, batch: WriteBatchRequest) -> Result<i64, Status> {
        Ok(self.sport().write_batch(batch).await?.into_inner().records_affected)
    }

    pub async fn season(&self, year: i32) -> Result<Option<Season>, Status> {
        Ok(self.sport().get_season(SeasonKey { season: year }).await.found()?.and_then(|r| r.season))
    }

    /// The stored rounds of `year` with their sessions (empty when none).
    pub async fn rounds(&self, year: i32) -> Result<Vec<Round>, Status> {
        Ok(self.sport().get_rounds(SeasonKey { season: year }).await.found()?.map(|r| r.rounds).unwrap_or_default())
    }

    /// The stored rounds of `year` with their sessions, without results (a
    /// calendar; empty when none).
    pub async fn calendar(&self, year: i32) -> Result<Vec<Round>, Status> {
        Ok(self.sport().get_calendar(SeasonKey { season: year }).await.found()?.map(|r| r.rounds).unwrap_or_default())
    }

    /// The stored round with its sessions (and its circuit joined), if any.
    pub async fn round(&self, year: i32, round: i32) -> Result<Option<Round>, Status> {
        Ok(self.sport().get_round(RoundKey { season: year, round }).await.found()?.and_then(|r| r.round))
    }

    pub async fn circuit(&self, id: &str) -> Result<Option<Circuit>, Status> {
        Ok(self.sport().get_circuit(IdKey { id: id.into() }).await.found()?.and_then(|r| r.circuit))
    }

    /// The stored standings after every round of `year` (empty when none).
    pub async fn standings_progression(&self, year: i32) -> Result<Vec<Standings>, Status> {
        let r = self.sport().get_standings_progression(SeasonKey { season: year }).await.found()?;
        Ok(r.map(|r| r.rounds).unwrap_or_default())
    }

    pub async fn aliases(&self, kind: &str, source: &str) -> Result<Vec<IdAlias>, Status> {
        let filter = IdAliasFilter { kind: kind.into(), source: source.into() };
        Ok(self.sport().get_id_aliases(filter).await?.into_inner().aliases)
    }

    /// Every stored driver.
    pub async fn drivers(&self) -> Result<Vec<Driver>, Status> {
        all_pages(|page| async move {
            let r = self.sport().get_drivers(IdsFilter { page: Some(page), ..Default::default() }).await?.into_inner();
            Ok((r.drivers, r.total))
        })
        .await
    }

    /// Every stored constructor.
    pub async fn constructors(&self) -> Result<Vec<Constructor>, Status> {
        all_pages(|page| async move {
            let r =
                self.sport().get_constructors(IdsFilter { page: Some(page), ..Default::default() }).await?.into_inner();
            Ok((r.constructors, r.total))
        })
        .await
    }

    /// Every stored circuit.
    pub async fn circuits(&self) -> Result<Vec<Circuit>, Status> {
        all_pages(|page| async move {
            let r = self.sport().get_circuits(IdsFilter { page: Some(page), ..Default::default() }).await?.into_inner();
            Ok((r.circuits, r.total))
        })
        .await
    }

    /// The newest `limit` runs (newest first) of `kind` (any kind when
    /// unspecified) recorded by `source` (any source when empty).
    pub async fn sync_runs(&self, kind: SyncKind, source: &str, limit: usize) -> Result<Vec<SyncRun>, Status> {
        let mut runs = all_pages_until(limit, |page| async move {
            let filter = SyncRunFilter { kind: kind as i32, source: source.to_string(), page: Some(page) };
            let r = self.history().get_sync_runs(filter).await?.into_inner();
            Ok((r.runs, r.total))
        })
        .await?;
        runs.truncate(limit);
        Ok(runs)
    }
}

/// Collects every page of a listing (`fetch` answers one page and the total).
async fn all_pages<T, F, Fut>(fetch: F) -> Result<Vec<T>, Status>
where
    F: FnMut(Page) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, i32), Status>>,
{
    all_pages_until(usize::MAX, fetch).await
}

/// Collects pages until `limit` records or the end of the listing.
async fn all_pages_until<T, F, Fut>(limit: usize, mut fetch: F) -> Result<Vec<T>, Status>
where
    F: FnMut(Page) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, i32), Status>>,
{
    let mut out = Vec::new();
    for n in 1.. {
        let (items, total) = fetch(Page { page: n, per_page: Some(PER_PAGE) }).await?;
        let short = items.len() < PER_PAGE as usize;
        out.extend(items);
        if short || out.len() >= limit || out.len() >= total.max(0) as usize {
            break;
        }
    }
    Ok(out)
}
