//! What every handler shares: the data_scheduler client with its deadline,
//! and the in-process reuse of rendered answers.
use std::any::Any;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::http::Uri;
use axum::response::Response;
use data_client::{Client, LiveState, SportData};

use crate::answers::AnswerCache;
use crate::config::Config;
use crate::error::ApiError;
use crate::respond::{CacheKind, Rendered};

/// The state every handler shares: one pointer, so the per-request clone
/// an extractor makes is a single reference count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] points at.
pub struct Shared {
    client: Client,
    deadline: Duration,
    answers: AnswerCache,
    /// The Ergast API's own state (its kept sources): made and read by
    /// that feature, held here without this module naming its type.
    pub(crate) ergast: FeatureSlot,
    /// The OpenF1 API's kept session records (see [`crate::openf1::Sources`]).
    pub(crate) openf1: FeatureSlot,
    /// car_data and location, read from the archive into the disk cache.
    pub(crate) telemetry: crate::telemetry::Telemetry,
    /// How long answers (and a feature's kept reads) may be reused.
    pub(crate) response_cache: Duration,
    pub(crate) retry_after_secs: u64,
    pub(crate) cors: Option<Vec<String>>,
    pub(crate) request_timeout: Duration,
    pub(crate) live: crate::live_stream::LiveHub,
    pub(crate) live_heartbeat: Duration,
    changes: crate::changes::Follower,
    /// Event streams open, apart from ordinary requests.
    pub(crate) streams: common::streams::StreamBudget,
    /// Ordinary connections (see [`crate::serve`]).
    pub serve_limits: common::serve::ServeLimits,
    /// Requests per client, when the operator sets limits.
    pub(crate) rate_limits: crate::ratelimit::RateLimits,
}

/// One feature's own state (its caches), made by the feature on first use
/// and kept for the life of the [`AppState`] (shared by its clones). The
/// state holds it without knowing its type, so a feature's module imports
/// the state and never the other way round.
#[derive(Clone, Default)]
pub(crate) struct FeatureSlot(Arc<OnceLock<Box<dyn Any + Send + Sync>>>);

impl FeatureSlot {
    /// The feature's state, made by `init` the first time.
    pub(crate) fn get_or_init<T: Any + Send + Sync>(&self, init: impl FnOnce() -> T) -> &T {
        let held = self.0.get_or_init(|| Box::new(init()));
        held.downcast_ref().expect("a feature slot holds one type")
    }
}

impl AppState {
    /// A state whose client connects lazily to `cfg.data_scheduler_url`
    /// (content_api may start before data_scheduler).
    pub fn new(cfg: &Config) -> anyhow::Result<Self> {
        let token = common::internal::InternalToken::from_config(cfg.internal_token.as_ref())?;
        let client = Client::connect_lazy_with(&cfg.data_scheduler_url, cfg.grpc_timeout(), token.as_ref())?;
        Ok(Self::with_client(client, cfg))
    }

    pub fn with_client(client: Client, cfg: &Config) -> Self {
        let answers = AnswerCache::new(cfg.response_cache());
        // A configured token means X-Forwarded-For is believed only on requests carrying it.
        let token = common::internal::InternalToken::from_config(cfg.internal_token.as_ref()).ok().flatten();
        let forwarded =
            common::client_addr::Forwarded { trusted: cfg.content_trust_forwarded_for, token: token.clone() };
        let rate_limits = crate::ratelimit::RateLimits::new(
            cfg.content_rate_per_second,
            cfg.content_rate_per_hour,
            cfg.auth_url.as_deref().filter(|u| !u.is_empty()),
            forwarded.clone(),
            token.clone(),
        );
        Self(Arc::new(Shared {
            rate_limits,
            streams: common::streams::StreamBudget::new(cfg.stream_limits(), forwarded),
            serve_limits: cfg.serve_limits(),
            deadline: cfg.grpc_timeout(),
            changes: crate::changes::Follower::new(client.clone(), answers.clone()),
            answers,
            ergast: FeatureSlot::default(),
            openf1: FeatureSlot::default(),
            telemetry: crate::telemetry::Telemetry::new(cfg),
            response_cache: cfg.response_cache(),
            retry_after_secs: cfg.content_retry_after_secs.count(),
            cors: cfg.cors_allowlist(),
            request_timeout: cfg.request_timeout(),
            live: crate::live_stream::LiveHub::new(client.clone(), cfg.live_silence_secs.get()),
            live_heartbeat: cfg.live_heartbeat_secs.get(),
            client,
        }))
    }

    /// The version of the data this process answers from (what
    /// `/content/v1/changes` says): `None` while it does not follow the
    /// writes. For a website in the same process.
    pub fn changes_version(&self) -> Option<String> {
        self.answers().version()
    }

    /// The kept answers (and when a build begins, for keeping it).
    pub(crate) fn answers(&self) -> &AnswerCache {
        &self.answers
    }

    /// Starts following data_scheduler's change announcements when answers
    /// are kept (once per process; needs a Tokio runtime).
    pub fn start_following(&self) {
        if self.answers.enabled() {
            self.changes.start();
        }
    }

    /// Starts following data_scheduler's change announcements (once per
    /// process; done by the first answer otherwise) and waits until it
    /// follows them, or `within` passes; says whether it does. Until then
    /// no answer is kept.
    pub async fn follow_changes(&self, within: Duration) -> bool {
        if !self.answers.enabled() {
            return false;
        }
        self.start_following();
        let deadline = tokio::time::Instant::now() + within;
        while self.answers.since().is_none() {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }

    pub(crate) fn client(&self) -> SportData {
        self.client.sport()
    }

    pub(crate) fn live_client(&self) -> LiveState {
        self.client.live()
    }

    /// data_scheduler's health check, within the calls' deadline.
    pub(crate) async fn ready(&self) -> Result<(), ApiError> {
        self.client.ready().await.map_err(ApiError::from)
    }

    /// Awaits a gRPC call, turning a missed deadline into `Unavailable` even
    /// if the channel's own timeout did not fire.
    pub(crate) async fn call<T>(
        &self,
        fut: impl Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    ) -> Result<T, ApiError> {
        match tokio::time::timeout(self.deadline, fut).await {
            Ok(Ok(res)) => Ok(res.into_inner()),
            Ok(Err(status)) => Err(status.into()),
            Err(_) => Err(ApiError::Unavailable {
                detail: format!("no answer within {:?}", self.deadline),
                retry_after: None,
            }),
        }
    }

    /// Serves the answer for `uri`: reused when a fresh rendering is kept,
    /// else built by `build` (and kept unless it is live data).
    pub(crate) async fn answer(
        &self,
        uri: &Uri,
        build: impl Future<Output = Result<Rendered, ApiError>>,
    ) -> Result<Response, ApiError> {
        let key = uri.path_and_query().map_or_else(|| uri.path().to_string(), |pq| pq.as_str().to_string());
        self.answer_keyed(key, build).await
    }

    /// [`Self::answer`] under an explicit key (answers that depend on more
    /// than the path and query).
    pub(crate) async fn answer_keyed(
        &self,
        key: String,
        build: impl Future<Output = Result<Rendered, ApiError>>,
    ) -> Result<Response, ApiError> {
        let arrived = self.answers.since();
        if let Some(hit) = self.answers.get(&key) {
            return Ok(hit.response());
        }
        if !self.answers.enabled() {
            return Ok(build.await?.response());
        }
        self.start_following();
        if arrived.is_none() {
            // Not following the writes: nothing is kept, and a build that
            // began before this request may predate a write, so each builds
            // its own (rather than queueing for one another's).
            return Ok(build.await?.response());
        }
        // One build per key at a time; who waited gets what it made. While
        // an expired answer is rebuilt, it is served to the others if it is
        // still within its max-age (as an HTTP cache could have served it),
        // rather than all of them waiting for the build.
        let flight = self.answers.flights().join(&key);
        let mut made = match flight.try_lock() {
            Ok(made) => made,
            Err(_) => match self.answers.stale(&key) {
                Some(stale) => return Ok(stale.response()),
                None => flight.lock().await,
            },
        };
        // Shared only if it began after this request came (no write since
        // then could have been missed).
        if let Some((Some(began), r)) = made.as_ref()
            && arrived.is_some_and(|a| *began >= a)
        {
            return Ok(r.response());
        }
        if let Some(hit) = self.answers.get(&key) {
            return Ok(hit.response());
        }
        let _landing = self.answers.flights().landing(&key);
        let began = self.answers.since();
        let rendered = build.await?;
        if rendered.kind() != CacheKind::Live {
            self.answers.put(key.clone(), &rendered, began);
        }
        *made = Some((began, rendered.clone()));
        Ok(rendered.response())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::respond::Meta;

    /// Sixteen concurrent misses of one answer of class `kind`, while the
    /// writes are `following` or not: how many builds ran.
    async fn concurrent_builds(kind: CacheKind, following: bool) -> usize {
        let cfg = Config { content_response_cache_secs: 5, ..Config::default() };
        let client = Client::connect_lazy("http://127.0.0.1:9", Duration::from_secs(1)).unwrap();
        let app = AppState::with_client(client, &cfg);
        app.answers.set_following(following);
        let builds = Arc::new(AtomicUsize::new(0));
        let release = Arc::new(tokio::sync::Notify::new());
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (app, builds, release) = (app.clone(), builds.clone(), release.clone());
            tasks.push(tokio::spawn(async move {
                let uri: Uri = "/content/v1/seasons/2024/rounds".parse().unwrap();
                app.answer(&uri, async {
                    builds.fetch_add(1, Ordering::SeqCst);
                    release.notified().await;
                    Rendered::json(&"rounds", Meta { date: 1, cached: false, kind })
                })
                .await
                .unwrap()
                .status()
            }));
        }
        // Every task runs until it waits: one in its build, the rest for its turn.
        while builds.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        for _ in 0..16 {
            tokio::task::yield_now().await;
        }
        release.notify_waiters();
        for t in tasks {
            assert_eq!(t.await.unwrap(), axum::http::StatusCode::OK);
        }
        builds.load(Ordering::SeqCst)
    }

    /// Concurrent misses of one answer build it once; the others are served
    /// what that build made.
    #[tokio::test(flavor = "current_thread")]
    async fn concurrent_misses_build_an_answer_once() {
        assert_eq!(concurrent_builds(CacheKind::CompletedSeason, true).await, 1, "one build served all sixteen");
    }

    /// While the writes are not followed, a build that began earlier may
    /// predate a write: each request builds its own, none waits for another's.
    #[tokio::test(flavor = "current_thread")]
    async fn not_following_each_miss_builds_its_own_at_once() {
        let builds =
            tokio::time::timeout(Duration::from_secs(10), concurrent_builds(CacheKind::CompletedSeason, false))
                .await
                .expect("no request queued behind another's build");
        assert_eq!(builds, 16);
    }

    /// An answer past its reuse but within its max-age is served while one
    /// request builds its successor; later requests get the new one.
    #[tokio::test(flavor = "current_thread")]
    async fn an_expired_answer_is_served_while_it_is_rebuilt() {
        let cfg = Config { content_response_cache_secs: 5, ..Config::default() };
        let client = Client::connect_lazy("http://127.0.0.1:9", Duration::from_secs(1)).unwrap();
        let mut app = AppState::with_client(client, &cfg);
        Arc::get_mut(&mut app.0).expect("not shared yet").answers = AnswerCache::new(Duration::from_millis(20));
        app.answers.set_following(true);
        let uri: Uri = "/content/v1/seasons/2024/rounds".parse().unwrap();
        let meta = Meta { date: 1, cached: false, kind: CacheKind::CompletedSeason };
        let result = |r: Response| async move {
            let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["result"].as_str().unwrap().to_string()
        };
        let old = app.answer(&uri, async { Rendered::json(&"old", meta) }).await.unwrap();
        assert_eq!(result(old).await, "old");
        tokio::time::sleep(Duration::from_millis(40)).await;

        let release = Arc::new(tokio::sync::Notify::new());
        let rebuild = tokio::spawn({
            let (app, uri, release) = (app.clone(), uri.clone(), release.clone());
            async move {
                app.answer(&uri, async {
                    release.notified().await;
                    Rendered::json(&"new", meta)
                })
                .await
                .unwrap()
            }
        });
        while app.answers.flights().in_flight() == 0 {
            tokio::task::yield_now().await;
        }
        let during = app.answer(&uri, async { panic!("a second build while one is in flight") });
        let during = tokio::time::timeout(Duration::from_secs(5), during)
            .await
            .expect("served at once, not after the build it would wait for")
            .unwrap();
        assert_eq!(result(during).await, "old", "the expired answer, while its successor is built");
        release.notify_one();
        assert_eq!(result(rebuild.await.unwrap()).await, "new");
        let after = app.answer(&uri, async { panic!("kept: no build") }).await.unwrap();
        assert_eq!(result(after).await, "new");
    }

    /// Live answers are never kept, but those who waited for one build share
    /// it rather than taking turns to build their own.
    #[tokio::test(flavor = "current_thread")]
    async fn concurrent_misses_of_a_live_answer_share_one_build() {
        assert_eq!(concurrent_builds(CacheKind::Live, true).await, 1, "one build served all sixteen");
    }
}
