//! With an internal token, data_scheduler answers only callers that carry
//! it (the platform's services); health stays open for probes.
use std::sync::Arc;
use std::time::Duration;

use common::Shutdown;
use common::internal::InternalToken;
use data_client::Client;
use data_scheduler::cache::memory::MemoryCache;
use data_scheduler::repo::{Repo, Ttls};
use data_scheduler::store::embedded::EmbeddedStore;
use protobuf::v1::{SeasonFilter, UserKey};
use tonic::Code;

#[tokio::test]
async fn a_guarded_data_scheduler_refuses_callers_without_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
    let repo = Repo::new(store, Arc::new(MemoryCache::new(100)), Ttls::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let token = InternalToken::generate();
    let shutdown = Shutdown::new();
    let ds =
        data_scheduler::server::spawn_guarded(listener, repo, Some(token.clone()), shutdown.clone()).await.unwrap();
    let url = format!("http://{}", ds.addr);
    let deadline = Duration::from_secs(10);

    let seasons = SeasonFilter { year: None, status: 0, page: None };
    let stranger = Client::connect_lazy(&url, deadline).unwrap();
    let refused = stranger.sport().get_seasons(seasons).await.unwrap_err();
    assert_eq!(refused.code(), Code::Unauthenticated, "{refused:?}");
    // Accounts above all: no reading users or their refresh tokens.
    let users = stranger.accounts().get_user(UserKey { id: "x".into(), email: String::new() }).await.unwrap_err();
    assert_eq!(users.code(), Code::Unauthenticated);
    let wrong = Client::connect_lazy_with(&url, deadline, Some(&InternalToken::generate())).unwrap();
    assert_eq!(wrong.sport().get_seasons(seasons).await.unwrap_err().code(), Code::Unauthenticated);
    // Readiness probes need no credential.
    stranger.ready().await.expect("the health service stays open");

    let ours = Client::connect_lazy_with(&url, deadline, Some(&token)).unwrap();
    assert!(ours.sport().get_seasons(seasons).await.is_ok());
    shutdown.trigger();
}
