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
use protobuf::v1::data_scheduler_client::DataSchedulerClient;
use protobuf::v1::data_scheduler_server;
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

/// The generated gRPC client, for calls the facade does not wrap.
pub type Grpc = DataSchedulerClient<InterceptedService<Failover, Outgoing>>;

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
    grpc: Grpc,
    health: HealthClient<InterceptedService<Failover, Outgoing>>,
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
        let grpc = DataSchedulerClient::with_interceptor(channel.clone(), outgoing.clone())
            .max_decoding_message_size(protobuf::MAX_MESSAGE_BYTES)
            .max_encoding_message_size(protobuf::MAX_MESSAGE_BYTES);
        let health = HealthClient::with_interceptor(channel, outgoing);
        Ok(Self { grpc, health })
    }

    /// The generated client (a cheap clone sharing the connection).
    pub fn grpc(&self) -> Grpc {
        self.grpc.clone()
    }

    /// Ok when data_scheduler's health service says the DataScheduler
    /// service is serving.
    /// Answers within [`READY_DEADLINE`], whatever the calls' deadline.
    pub async fn ready(&self) -> Result<(), Status> {
        let req = HealthCheckRequest { service: data_scheduler_server::SERVICE_NAME.to_string() };
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
        Ok(self.grpc().write_batch(batch).await?.into_inner().records_affected)
    }

    pub async fn season(&self, year: i32) -> Result<Option<Season>, Status> {
        Ok(self.grpc().get_season(SeasonKey { season: year }).await.found()?.and_then(|r| r.season))
    }

    /// The stored rounds of `year` with their sessions (empty when none).
    pub async fn rounds(&self, year: i32) -> Result<Vec<Round>, Status> {
        Ok(self.grpc().get_rounds(SeasonKey { season: year }).await.found()?.map(|r| r.rounds).unwrap_or_default())
    }

    /// The stored rounds of `year` with their sessions, without results (a
    /// calendar; empty when none).
    pub async fn calendar(&self, year: i32) -> Result<Vec<Round>, Status> {
        Ok(self.grpc().get_calendar(SeasonKey { season: year }).await.found()?.map(|r| r.rounds).unwrap_or_default())
    }

    /// The stored round with its sessions (and its circuit joined), if any.
    pub async fn round(&self, year: i32, round: i32) -> Result<Option<Round>, Status> {
        Ok(self.grpc().get_round(RoundKey { season: year, round }).await.found()?.and_then(|r| r.round))
    }

    pub async fn circuit(&self, id: &str) -> Result<Option<Circuit>, Status> {
        Ok(self.grpc().get_circuit(IdKey { id: id.into() }).await.found()?.and_then(|r| r.circuit))
    }

    /// The stored standings after every round of `year` (empty when none).
    pub async fn standings_progression(&self, year: i32) -> Result<Vec<Standings>, Status> {
        let r = self.grpc().get_standings_progression(SeasonKey { season: year }).await.found()?;
        Ok(r.map(|r| r.rounds).unwrap_or_default())
    }

    pub async fn aliases(&self, kind: &str, source: &str) -> Result<Vec<IdAlias>, Status> {
        let filter = IdAliasFilter { kind: kind.into(), source: source.into() };
        Ok(self.grpc().get_id_aliases(filter).await?.into_inner().aliases)
    }

    /// Every stored driver.
    pub async fn drivers(&self) -> Result<Vec<Driver>, Status> {
        all_pages(|page| async move {
            let r = self.grpc().get_drivers(IdsFilter { page: Some(page), ..Default::default() }).await?.into_inner();
            Ok((r.drivers, r.total))
        })
        .await
    }

    /// Every stored constructor.
    pub async fn constructors(&self) -> Result<Vec<Constructor>, Status> {
        all_pages(|page| async move {
            let r =
                self.grpc().get_constructors(IdsFilter { page: Some(page), ..Default::default() }).await?.into_inner();
            Ok((r.constructors, r.total))
        })
        .await
    }

    /// Every stored circuit.
    pub async fn circuits(&self) -> Result<Vec<Circuit>, Status> {
        all_pages(|page| async move {
            let r = self.grpc().get_circuits(IdsFilter { page: Some(page), ..Default::default() }).await?.into_inner();
            Ok((r.circuits, r.total))
        })
        .await
    }

    /// The newest `limit` runs (newest first) of `kind` (any kind when
    /// unspecified) recorded by `source` (any source when empty).
    pub async fn sync_runs(&self, kind: SyncKind, source: &str, limit: usize) -> Result<Vec<SyncRun>, Status> {
        let mut runs = all_pages_until(limit, |page| async move {
            let filter = SyncRunFilter { kind: kind as i32, source: source.to_string(), page: Some(page) };
            let r = self.grpc().get_sync_runs(filter).await?.into_inner();
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
