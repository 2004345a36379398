//! data_scheduler's gRPC services (one per concern, one `Service` behind
//! them all): a thin shell over [`Repo`]; every error
//! goes through the one `DomainError -> Status` table in the protobuf crate.
//! Cached reads answer [`Raw`] bytes (the generated server of
//! `protobuf::raw`), so a cache hit is sent without being decoded.
use std::pin::Pin;
use std::sync::Arc;

use futures_util::Stream;
use protobuf::raw::Raw;
use protobuf::raw::server::{
    accounts_server::Accounts, leases_server::Leases, live_state_server::LiveState, sport_data_server::SportData,
    sync_history_server::SyncHistory,
};
use protobuf::v1::*;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;
use tonic::{Request, Response, Status};

use crate::repo::{self, Repo};

#[derive(Clone)]
pub struct Service {
    repo: Arc<Repo>,
}

impl Service {
    pub fn new(repo: Arc<Repo>) -> Self {
        Self { repo }
    }
}

type Answer<T> = Result<Response<T>, Status>;

fn ok<T>(r: Result<T, protobuf::DomainError>) -> Answer<T> {
    r.map(Response::new).map_err(|e| {
        if let protobuf::DomainError::Internal(detail) = &e {
            tracing::error!(error = %detail, "internal error");
        }
        Status::from(e)
    })
}

fn raw(r: Result<repo::Answer, protobuf::DomainError>) -> Answer<Raw> {
    ok(r.map(|a| a.raw()))
}

fn written(r: Result<impl Into<crate::repo::Written>, protobuf::DomainError>) -> Answer<WriteResponse> {
    ok(r.map(|w| {
        let w = w.into();
        let mut message = match w.kept_official {
            0 => format!("{} records written", w.records),
            k => format!("{} records written; {k} kept the stored official record", w.records),
        };
        if w.replaced > 0 {
            message.push_str(&format!("; replaced the {} stored records", w.replaced));
        }
        WriteResponse {
            success: true,
            message,
            records_affected: w.records,
            kept_official: w.kept_official,
            replaced: w.replaced,
        }
    }))
}

fn lease(r: Result<bool, protobuf::DomainError>) -> Answer<LeaseResponse> {
    ok(r.map(|held| LeaseResponse { held }))
}

/// Seasons to race timings and session data, and the change announcements.
#[tonic::async_trait]
impl SportData for Service {
    async fn write_batch(&self, req: Request<WriteBatchRequest>) -> Answer<WriteResponse> {
        written(self.repo.write_batch(req.into_inner()).await)
    }

    async fn get_seasons(&self, req: Request<SeasonFilter>) -> Answer<SeasonsResponse> {
        ok(self.repo.seasons(req.into_inner()).await)
    }

    async fn get_season(&self, req: Request<SeasonKey>) -> Answer<Raw> {
        raw(self.repo.season(req.into_inner().season).await)
    }

    async fn get_rounds(&self, req: Request<SeasonKey>) -> Answer<Raw> {
        raw(self.repo.rounds(req.into_inner().season).await)
    }

    async fn get_calendar(&self, req: Request<SeasonKey>) -> Answer<Raw> {
        raw(self.repo.calendar(req.into_inner().season).await)
    }

    async fn get_round(&self, req: Request<RoundKey>) -> Answer<Raw> {
        let k = req.into_inner();
        raw(self.repo.round(k.season, k.round).await)
    }

    async fn get_session(&self, req: Request<SessionKey>) -> Answer<Raw> {
        let k = req.into_inner();
        raw(self.repo.session(k.season, k.round, k.r#type).await)
    }

    async fn get_standings(&self, req: Request<StandingsFilter>) -> Answer<Raw> {
        raw(self.repo.standings(req.into_inner()).await)
    }

    async fn get_standings_progression(&self, req: Request<SeasonKey>) -> Answer<Raw> {
        raw(self.repo.standings_progression(req.into_inner().season).await)
    }

    async fn get_driver(&self, req: Request<IdKey>) -> Answer<Raw> {
        raw(self.repo.driver(&req.into_inner().id).await)
    }

    async fn get_drivers(&self, req: Request<IdsFilter>) -> Answer<DriversResponse> {
        ok(self.repo.drivers(req.into_inner()).await)
    }

    async fn get_circuit_rounds(&self, req: Request<IdKey>) -> Answer<Raw> {
        raw(self.repo.circuit_rounds(&req.into_inner().id).await)
    }

    async fn get_driver_career(&self, req: Request<IdKey>) -> Answer<Raw> {
        raw(self.repo.driver_career(&req.into_inner().id).await)
    }

    async fn get_constructor(&self, req: Request<IdKey>) -> Answer<Raw> {
        raw(self.repo.constructor(&req.into_inner().id).await)
    }

    async fn get_constructors(&self, req: Request<IdsFilter>) -> Answer<ConstructorsResponse> {
        ok(self.repo.constructors(req.into_inner()).await)
    }

    async fn get_constructor_career(&self, req: Request<IdKey>) -> Answer<Raw> {
        raw(self.repo.constructor_career(&req.into_inner().id).await)
    }

    async fn get_circuit(&self, req: Request<IdKey>) -> Answer<Raw> {
        raw(self.repo.circuit(&req.into_inner().id).await)
    }

    async fn get_circuits(&self, req: Request<IdsFilter>) -> Answer<CircuitsResponse> {
        ok(self.repo.circuits(req.into_inner()).await)
    }

    async fn get_circuit_image(&self, req: Request<IdKey>) -> Answer<Raw> {
        raw(self.repo.circuit_image(&req.into_inner().id).await)
    }

    async fn get_id_aliases(&self, req: Request<IdAliasFilter>) -> Answer<IdAliasesResponse> {
        ok(self.repo.aliases(req.into_inner()).await)
    }

    async fn write_race_timings(&self, req: Request<WriteRaceTimingsRequest>) -> Answer<WriteResponse> {
        written(self.repo.write_race_timings(req.into_inner().races).await)
    }

    async fn get_race_timing(&self, req: Request<RoundKey>) -> Answer<Raw> {
        let k = req.into_inner();
        raw(self.repo.race_timing(k.season, k.round).await)
    }

    async fn write_session_data(&self, req: Request<SessionData>) -> Answer<WriteResponse> {
        written(self.repo.write_session_data(req.into_inner()).await)
    }

    async fn get_session_data(&self, req: Request<SessionDataKey>) -> Answer<Raw> {
        raw(self.repo.session_data(req.into_inner()).await)
    }

    async fn get_session_data_index(&self, req: Request<SessionDataFilter>) -> Answer<Raw> {
        raw(self.repo.session_data_index(req.into_inner()).await)
    }

    type FollowChangesStream = Pin<Box<dyn Stream<Item = Result<Changes, Status>> + Send + 'static>>;

    async fn follow_changes(
        &self,
        req: Request<tonic::Streaming<ChangesApplied>>,
    ) -> Answer<Self::FollowChangesStream> {
        let ending = ends_on_shutdown(&req);
        let mut acks_in = req.into_inner();
        let following = self.repo.changes().follow();
        let acks = following.acks();
        // Acknowledgements until the follower goes; the stream below holds
        // the registration, so when either side ends the follower is dropped.
        let reader = tokio::spawn(async move {
            while let Ok(Some(applied)) = acks_in.message().await {
                acks.send_if_modified(|a| {
                    let newer = applied.seq > *a;
                    *a = (*a).max(applied.seq);
                    newer
                });
            }
        });
        let stream = futures_util::stream::unfold((following, reader), |(mut f, reader)| async move {
            if reader.is_finished() {
                return None;
            }
            let next = f.changes.recv().await?;
            Some((Ok(next), (f, reader)))
        });
        Ok(Response::new(Box::pin(futures_util::StreamExt::take_until(stream, ending))))
    }
}

/// auth_api's users, API keys and refresh tokens.
#[tonic::async_trait]
impl Accounts for Service {
    async fn write_user(&self, req: Request<User>) -> Answer<WriteResponse> {
        written(self.repo.write_user(req.into_inner()).await)
    }

    async fn get_user(&self, req: Request<UserKey>) -> Answer<UserResponse> {
        ok(self.repo.user(req.into_inner()).await)
    }

    async fn get_users(&self, req: Request<Page>) -> Answer<UsersResponse> {
        ok(self.repo.users(req.into_inner()).await)
    }

    async fn write_api_key(&self, req: Request<ApiKey>) -> Answer<WriteResponse> {
        written(self.repo.write_api_key(req.into_inner()).await)
    }

    async fn get_api_key(&self, req: Request<ApiKeyKey>) -> Answer<ApiKeyResponse> {
        ok(self.repo.api_key(req.into_inner()).await)
    }

    async fn get_api_keys(&self, req: Request<UserKey>) -> Answer<ApiKeysResponse> {
        ok(self.repo.api_keys(req.into_inner()).await)
    }

    async fn delete_api_key(&self, req: Request<ApiKeyKey>) -> Answer<WriteResponse> {
        written(self.repo.delete_api_key(req.into_inner()).await)
    }

    async fn write_refresh_tokens(&self, req: Request<WriteRefreshTokensRequest>) -> Answer<WriteResponse> {
        written(self.repo.write_refresh_tokens(req.into_inner().tokens).await)
    }

    async fn get_refresh_token(&self, req: Request<RefreshTokenKey>) -> Answer<RefreshTokenResponse> {
        ok(self.repo.refresh_token(req.into_inner()).await)
    }

    async fn revoke_refresh_token_family(&self, req: Request<RefreshTokenKey>) -> Answer<WriteResponse> {
        written(self.repo.revoke_refresh_family(req.into_inner()).await)
    }
}

/// scheduler_api's leader election.
#[tonic::async_trait]
impl Leases for Service {
    async fn acquire_lease(&self, req: Request<LeaseRequest>) -> Answer<LeaseResponse> {
        lease(self.repo.acquire_lease(req.into_inner()).await)
    }

    async fn renew_lease(&self, req: Request<LeaseRequest>) -> Answer<LeaseResponse> {
        lease(self.repo.renew_lease(req.into_inner()).await)
    }

    async fn release_lease(&self, req: Request<LeaseRequest>) -> Answer<LeaseResponse> {
        lease(self.repo.release_lease(req.into_inner()).await)
    }
}

/// The board of the session running now.
#[tonic::async_trait]
impl LiveState for Service {
    async fn write_live_state(&self, req: Request<LiveSessionState>) -> Answer<WriteResponse> {
        written(self.repo.write_live(req.into_inner()).await)
    }

    async fn get_live_state(&self, _req: Request<Empty>) -> Answer<LiveStateResponse> {
        ok(self.repo.live_state().await)
    }

    type WatchLiveStateStream = Pin<Box<dyn Stream<Item = Result<LiveSessionState, Status>> + Send + 'static>>;

    async fn watch_live_state(&self, req: Request<Empty>) -> Answer<Self::WatchLiveStateStream> {
        // WatchStream yields the current value first, then every change.
        let stream = WatchStream::new(self.repo.watch_live()).filter_map(|s| s.map(Ok));
        Ok(Response::new(Box::pin(futures_util::StreamExt::take_until(stream, ends_on_shutdown(&req)))))
    }
}

/// What every sync did.
#[tonic::async_trait]
impl SyncHistory for Service {
    async fn write_sync_run(&self, req: Request<SyncRun>) -> Answer<SyncRunResponse> {
        ok(self.repo.write_sync_run(req.into_inner()).await.map(|run| SyncRunResponse { run: Some(run) }))
    }

    async fn get_sync_runs(&self, req: Request<SyncRunFilter>) -> Answer<SyncRunsResponse> {
        ok(self.repo.sync_runs(req.into_inner()).await)
    }
}

/// Completes when the server shuts down (the server puts its [`Shutdown`]
/// on every request), so an endless stream ends then instead of holding
/// the drain; never, for a request served without one.
fn ends_on_shutdown<T>(req: &Request<T>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    match req.extensions().get::<common::Shutdown>() {
        Some(shutdown) => Box::pin(shutdown.signalled()),
        None => Box::pin(std::future::pending()),
    }
}
