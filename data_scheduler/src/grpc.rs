//! The `DataScheduler` gRPC service: a thin shell over [`Repo`]; every error
//! goes through the one `DomainError -> Status` table in the protobuf crate.
use std::pin::Pin;
use std::sync::Arc;

use futures_util::Stream;
use protobuf::v1::data_scheduler_server::DataScheduler;
use protobuf::v1::*;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;
use tonic::{Request, Response, Status};

use crate::repo::Repo;

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

fn written(r: Result<impl Into<crate::repo::Written>, protobuf::DomainError>) -> Answer<WriteResponse> {
    ok(r.map(|w| {
        let w = w.into();
        let message = match w.kept_official {
            0 => format!("{} records written", w.records),
            k => format!("{} records written; {k} kept the stored official record", w.records),
        };
        WriteResponse { success: true, message, records_affected: w.records, kept_official: w.kept_official }
    }))
}

#[tonic::async_trait]
impl DataScheduler for Service {
    async fn write_batch(&self, req: Request<WriteBatchRequest>) -> Answer<WriteResponse> {
        written(self.repo.write_batch(req.into_inner()).await)
    }

    async fn write_seasons(&self, req: Request<WriteSeasonsRequest>) -> Answer<WriteResponse> {
        written(
            self.repo.write_batch(WriteBatchRequest { seasons: req.into_inner().seasons, ..Default::default() }).await,
        )
    }

    async fn get_seasons(&self, req: Request<SeasonFilter>) -> Answer<SeasonsResponse> {
        ok(self.repo.seasons(req.into_inner()).await)
    }

    async fn get_season(&self, req: Request<SeasonKey>) -> Answer<SeasonResponse> {
        ok(self.repo.season(req.into_inner().season).await)
    }

    async fn write_rounds(&self, req: Request<WriteRoundsRequest>) -> Answer<WriteResponse> {
        written(
            self.repo.write_batch(WriteBatchRequest { rounds: req.into_inner().rounds, ..Default::default() }).await,
        )
    }

    async fn get_rounds(&self, req: Request<SeasonKey>) -> Answer<RoundsResponse> {
        ok(self.repo.rounds(req.into_inner().season).await)
    }

    async fn get_round(&self, req: Request<RoundKey>) -> Answer<RoundResponse> {
        let k = req.into_inner();
        ok(self.repo.round(k.season, k.round).await)
    }

    async fn write_sessions(&self, req: Request<WriteSessionsRequest>) -> Answer<WriteResponse> {
        written(
            self.repo
                .write_batch(WriteBatchRequest { sessions: req.into_inner().sessions, ..Default::default() })
                .await,
        )
    }

    async fn get_session(&self, req: Request<SessionKey>) -> Answer<SessionResponse> {
        let k = req.into_inner();
        ok(self.repo.session(k.season, k.round, k.r#type).await)
    }

    async fn write_standings(&self, req: Request<WriteStandingsRequest>) -> Answer<WriteResponse> {
        written(
            self.repo
                .write_batch(WriteBatchRequest { standings: req.into_inner().standings, ..Default::default() })
                .await,
        )
    }

    async fn get_standings(&self, req: Request<StandingsFilter>) -> Answer<StandingsResponse> {
        ok(self.repo.standings(req.into_inner()).await)
    }

    async fn get_standings_progression(&self, req: Request<SeasonKey>) -> Answer<StandingsProgressionResponse> {
        ok(self.repo.standings_progression(req.into_inner().season).await)
    }

    async fn write_drivers(&self, req: Request<WriteDriversRequest>) -> Answer<WriteResponse> {
        written(
            self.repo.write_batch(WriteBatchRequest { drivers: req.into_inner().drivers, ..Default::default() }).await,
        )
    }

    async fn get_driver(&self, req: Request<IdKey>) -> Answer<DriverResponse> {
        ok(self.repo.driver(&req.into_inner().id).await)
    }

    async fn get_drivers(&self, req: Request<IdsFilter>) -> Answer<DriversResponse> {
        ok(self.repo.drivers(req.into_inner()).await)
    }

    async fn write_constructors(&self, req: Request<WriteConstructorsRequest>) -> Answer<WriteResponse> {
        let constructors = req.into_inner().constructors;
        written(self.repo.write_batch(WriteBatchRequest { constructors, ..Default::default() }).await)
    }

    async fn get_constructor(&self, req: Request<IdKey>) -> Answer<ConstructorResponse> {
        ok(self.repo.constructor(&req.into_inner().id).await)
    }

    async fn get_constructors(&self, req: Request<IdsFilter>) -> Answer<ConstructorsResponse> {
        ok(self.repo.constructors(req.into_inner()).await)
    }

    async fn write_circuits(&self, req: Request<WriteCircuitsRequest>) -> Answer<WriteResponse> {
        written(
            self.repo
                .write_batch(WriteBatchRequest { circuits: req.into_inner().circuits, ..Default::default() })
                .await,
        )
    }

    async fn get_circuit(&self, req: Request<IdKey>) -> Answer<CircuitResponse> {
        ok(self.repo.circuit(&req.into_inner().id).await)
    }

    async fn get_circuits(&self, req: Request<IdsFilter>) -> Answer<CircuitsResponse> {
        ok(self.repo.circuits(req.into_inner()).await)
    }

    async fn write_circuit_image(&self, req: Request<CircuitImage>) -> Answer<WriteResponse> {
        written(
            self.repo
                .write_batch(WriteBatchRequest { circuit_images: vec![req.into_inner()], ..Default::default() })
                .await,
        )
    }

    async fn get_circuit_image(&self, req: Request<IdKey>) -> Answer<CircuitImageResponse> {
        ok(self.repo.circuit_image(&req.into_inner().id).await)
    }

    async fn write_id_aliases(&self, req: Request<WriteIdAliasesRequest>) -> Answer<WriteResponse> {
        written(
            self.repo.write_batch(WriteBatchRequest { aliases: req.into_inner().aliases, ..Default::default() }).await,
        )
    }

    async fn get_id_aliases(&self, req: Request<IdAliasFilter>) -> Answer<IdAliasesResponse> {
        ok(self.repo.aliases(req.into_inner()).await)
    }

    async fn write_sync_run(&self, req: Request<SyncRun>) -> Answer<SyncRunResponse> {
        ok(self.repo.write_sync_run(req.into_inner()).await.map(|run| SyncRunResponse { run: Some(run) }))
    }

    async fn get_sync_runs(&self, req: Request<SyncRunFilter>) -> Answer<SyncRunsResponse> {
        ok(self.repo.sync_runs(req.into_inner()).await)
    }

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

    async fn write_live_state(&self, req: Request<LiveSessionState>) -> Answer<WriteResponse> {
        written(self.repo.write_live(req.into_inner()).await)
    }

    async fn get_live_state(&self, _req: Request<Empty>) -> Answer<LiveStateResponse> {
        ok(self.repo.live_state().await)
    }

    async fn write_race_timings(&self, req: Request<WriteRaceTimingsRequest>) -> Answer<WriteResponse> {
        written(self.repo.write_race_timings(req.into_inner().races).await)
    }

    async fn get_race_timing(&self, req: Request<RoundKey>) -> Answer<RaceTimingResponse> {
        let k = req.into_inner();
        ok(self.repo.race_timing(k.season, k.round).await)
    }

    type WatchLiveStateStream = Pin<Box<dyn Stream<Item = Result<LiveSessionState, Status>> + Send + 'static>>;

    async fn watch_live_state(&self, _req: Request<Empty>) -> Answer<Self::WatchLiveStateStream> {
        // WatchStream yields the current value first, then every change.
        let stream = WatchStream::new(self.repo.watch_live()).filter_map(|s| s.map(Ok));
        Ok(Response::new(Box::pin(stream)))
    }
}
