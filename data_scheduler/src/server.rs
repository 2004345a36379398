//! Assembly: backends from config, the repository, and one listener that
//! answers gRPC (the five services of `grpc`, health, reflection) and plain HTTP
//! (`/health`, `/health/ready`, `/metrics`) side by side.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::{Router, extract::State, routing::get};
use common::Shutdown;
use common::health::{Check, Readiness};
use common::internal::InternalToken;
use protobuf::raw::server::{
    accounts_server::AccountsServer, leases_server::LeasesServer, live_state_server::LiveStateServer,
    sport_data_server::SportDataServer, sync_history_server::SyncHistoryServer,
};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tonic::service::interceptor::InterceptedService;

use crate::cache::{Cache, memory::MemoryCache, redis::RedisCache};
use crate::config::Config;
use crate::grpc::Service;
use crate::lease::{Leases, LocalLeases, redis::RedisLeases};
use crate::repo::{Repo, Ttls};
#[cfg(feature = "mongodb")]
use crate::store::mongo::MongoStore;
use crate::store::{Store, embedded::EmbeddedStore};

pub use protobuf::MAX_MESSAGE_BYTES;

/// The store chosen by config: MongoDB when `WIBM_MONGODB_URI` is set.
pub async fn open_store(cfg: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match &cfg.mongodb_uri {
        #[cfg(feature = "mongodb")]
        Some(uri) => {
            Arc::new(MongoStore::connect(uri.expose_secret(), &cfg.mongodb_db).await.context("opening MongoDB")?)
        }
        #[cfg(not(feature = "mongodb"))]
        Some(_) => anyhow::bail!("WIBM_MONGODB_URI is set but this build has no MongoDB store (the `mongodb` feature)"),
        None => {
            let cache = usize::try_from(cfg.store_cache_mb).unwrap_or(usize::MAX).saturating_mul(1024 * 1024);
            Arc::new(EmbeddedStore::open_with_cache(&cfg.data_dir, cache).context("opening the embedded store")?)
        }
    })
}

/// The cache chosen by config: Redis when `WIBM_REDIS_URL` is set.
pub fn open_cache(cfg: &Config) -> anyhow::Result<Arc<dyn Cache>> {
    Ok(match &cfg.redis_url {
        Some(url) => {
            Arc::new(RedisCache::new(url.expose_secret(), cfg.redis_timeout_ms.get()).context("configuring Redis")?)
        }
        None => Arc::new(MemoryCache::new(cfg.cache_capacity)),
    })
}

pub fn ttls(cfg: &Config) -> Ttls {
    Ttls {
        completed: cfg.cache_ttl_completed_secs.get(),
        current: cfg.cache_ttl_current_secs.get(),
        reference: cfg.cache_ttl_reference_secs.get(),
    }
}

/// The lease backend: Redis when `WIBM_REDIS_URL` is set (shared by every
/// replica), in-process otherwise.
pub fn open_leases(cfg: &Config) -> anyhow::Result<Arc<dyn Leases>> {
    Ok(match &cfg.redis_url {
        Some(url) => Arc::new(
            RedisLeases::new(url.expose_secret(), cfg.redis_timeout_ms.get()).context("configuring Redis leases")?,
        ),
        None => {
            if cfg.mongodb_uri.is_some() {
                tracing::warn!(
                    "leases are kept in this process: several data_scheduler replicas need WIBM_REDIS_URL to share them"
                );
            }
            Arc::new(LocalLeases::new())
        }
    })
}

pub async fn open_repo(cfg: &Config) -> anyhow::Result<Arc<Repo>> {
    let store = open_store(cfg).await?;
    let cache = open_cache(cfg)?;
    let leases = open_leases(cfg)?;
    tracing::info!(store = store.backend(), cache = cache.backend(), leases = leases.backend(), "storage ready");
    Ok(Repo::with_leases(store, cache, ttls(cfg), leases).await?)
}

/// With Redis configured, fans live writes and change announcements out to
/// every replica's watchers and followers (Redis pub/sub) until `shutdown`.
pub fn fan_out_live(cfg: &Config, repo: &Arc<Repo>, shutdown: Shutdown) -> anyhow::Result<()> {
    if let Some(url) = &cfg.redis_url {
        let bus = crate::cache::live_bus::RedisLiveBus::new(url.expose_secret(), cfg.redis_timeout_ms.get())
            .context("configuring the Redis live fan-out")?;
        let bus = Arc::new(bus);
        repo.attach_live_bus(bus.clone(), shutdown.clone());
        repo.changes().attach(bus, shutdown);
    }
    Ok(())
}

/// gRPC services plus the HTTP health and metrics routes. With `token`,
/// every call to a data service must carry it (metadata `x-wibm-internal`):
/// a local user (one machine) or a container on the network that is not
/// one of our services is refused. Health and reflection stay open.
pub async fn router(repo: Arc<Repo>, token: Option<InternalToken>) -> anyhow::Result<Router> {
    let (reporter, health) = tonic_health::server::health_reporter();
    reporter.set_serving::<SportDataServer<Service>>().await;
    reporter.set_serving::<AccountsServer<Service>>().await;
    reporter.set_serving::<LeasesServer<Service>>().await;
    reporter.set_serving::<LiveStateServer<Service>>().await;
    reporter.set_serving::<SyncHistoryServer<Service>>().await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(protobuf::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .context("building gRPC reflection")?;
    let service = Service::new(repo.clone());
    let guard = Guard { token };
    macro_rules! sized {
        ($server:ident) => {
            InterceptedService::new(
                $server::new(service.clone())
                    .max_decoding_message_size(MAX_MESSAGE_BYTES)
                    .max_encoding_message_size(MAX_MESSAGE_BYTES),
                guard.clone(),
            )
        };
    }
    let grpc = tonic::service::Routes::new(sized!(SportDataServer))
        .add_service(sized!(AccountsServer))
        .add_service(sized!(LeasesServer))
        .add_service(sized!(LiveStateServer))
        .add_service(sized!(SyncHistoryServer))
        .add_service(health)
        .add_service(reflection)
        .prepare()
        .into_axum_router()
        .layer(axum::middleware::from_fn(grpc_only));
    let http = Router::new()
        .route("/health", get(common::health::liveness))
        .route("/health/ready", get(readiness))
        .route("/metrics", get(common::metrics::render))
        .with_state(repo);
    Ok(common::http::frame(grpc.merge(http), "data_scheduler", Duration::from_secs(60)))
}

/// Refuses a call without the internal credential, when one is configured.
#[derive(Clone)]
struct Guard {
    token: Option<InternalToken>,
}

impl tonic::service::Interceptor for Guard {
    fn call(&mut self, req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        match &self.token {
            Some(t) if !req.metadata().get(common::internal::HEADER).is_some_and(|v| t.matches(v.as_bytes())) => {
                Err(tonic::Status::unauthenticated("data_scheduler is only reachable by the platform's services"))
            }
            _ => Ok(req),
        }
    }
}

/// Plain HTTP requests to anything but the health and metrics routes get a
/// 404 in the JSON error body (tonic would answer them 200 with a gRPC
/// status in the headers and an empty body).
async fn grpc_only(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let content_type = req.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if content_type.is_some_and(|v| v.starts_with("application/grpc")) {
        next.run(req).await
    } else {
        common::http::error_response(axum::http::StatusCode::NOT_FOUND, "not_found", "no such path")
    }
}

async fn readiness(State(repo): State<Arc<Repo>>) -> Readiness {
    let store = match repo.store().ping().await {
        Ok(()) => Check::ok(),
        Err(e) => Check::unavailable(e.to_string()),
    };
    // Without the cache, reads still answer from the store: degraded, not down.
    let cache = match repo.cache().ping().await {
        Ok(()) => Check::ok(),
        Err(e) => Check::degraded(format!("{}: {e}; reads fall back to the store", repo.cache().backend())),
    };
    Readiness::new("data_scheduler")
        .with(&format!("store ({})", repo.store().backend()), store)
        .with(&format!("cache ({})", repo.cache().backend()), cache)
}

/// A running data_scheduler (in-process: tests and the single-process stack).
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub repo: Arc<Repo>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Serves on `listener` until `shutdown` triggers, to any caller (tests).
pub async fn spawn(listener: TcpListener, repo: Arc<Repo>, shutdown: Shutdown) -> anyhow::Result<Running> {
    spawn_guarded(listener, repo, None, shutdown).await
}

/// As [`spawn`], refusing calls without `token` when there is one.
pub async fn spawn_guarded(
    listener: TcpListener,
    repo: Arc<Repo>,
    token: Option<InternalToken>,
    shutdown: Shutdown,
) -> anyhow::Result<Running> {
    let addr = listener.local_addr()?;
    let app = router(repo.clone(), token).await?;
    tracing::info!(%addr, "data_scheduler listening (gRPC + /health, /metrics)");
    let task = tokio::spawn(common::http::serve(listener, app, shutdown));
    Ok(Running { addr, repo, task })
}
