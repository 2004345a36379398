//! What is stored, read back through data_scheduler: hashes only; and the
//! first admin from the environment.
use auth_api::{Bootstrap, Role};
use protobuf::v1::UserKey;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn the_stored_password_is_an_argon2id_hash() {
    let app = TestApp::start().await;
    let id = app.user("max@example.com", Role::Viewer).await;
    let stored = app
        .ds_client()
        .get_user(UserKey { id, ..Default::default() })
        .await
        .expect("user")
        .into_inner()
        .user
        .expect("user");
    // PHC string: algorithm, version, parameters, salt, hash.
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=256,t=1,p=1$"), "{}", stored.password_hash);
    assert_eq!(stored.password_hash.split('$').count(), 6);
    assert!(!stored.password_hash.contains(PASSWORD));
    assert_eq!(stored.email, "max@example.com");
}

#[tokio::test]
async fn the_first_admin_is_created_once() {
    let app = TestApp::start().await;
    let first = auth_api::ensure_admin(&app.state, "Root@Example.com", PASSWORD.to_string().into()).await.unwrap();
    assert_eq!(first, Bootstrap::Created);
    // A second start with another password changes nothing.
    let second = auth_api::ensure_admin(&app.state, "root@example.com", "another long password".to_string().into())
        .await
        .unwrap();
    assert_eq!(second, Bootstrap::Existed);

    let users = app.ds_client().get_users(protobuf::v1::Page::default()).await.unwrap().into_inner();
    assert_eq!(users.total, 1);
    assert_eq!(users.users[0].role, "admin");
    app.login("root@example.com").await;
}

#[tokio::test]
async fn the_cli_path_refuses_short_passwords_and_taken_emails() {
    let app = TestApp::start().await;
    let short = auth_api::create_user(&app.state, "a@example.com", "short".to_string().into(), Role::Admin).await;
    assert!(matches!(short, Err(auth_api::AuthError::Invalid { .. })), "{short:?}");
    app.user("a@example.com", Role::Viewer).await;
    let taken = auth_api::create_user(&app.state, "A@example.com", PASSWORD.to_string().into(), Role::Admin).await;
    assert!(matches!(taken, Err(auth_api::AuthError::Conflict(_))), "{taken:?}");
}

#[tokio::test]
async fn the_background_bootstrap_creates_the_admin_and_stops() {
    let app = TestApp::start().await;
    let run = auth_api::bootstrap::run(
        app.state.clone(),
        "root@example.com".into(),
        PASSWORD.to_string().into(),
        common::Shutdown::new(),
    );
    tokio::time::timeout(std::time::Duration::from_secs(10), run).await.expect("bootstrap finishes");
    let tokens = app.login("root@example.com").await;
    assert_eq!(app.get("/auth/v1/users", Some(&tokens.access)).await.status, axum::http::StatusCode::OK);
}

#[tokio::test]
async fn the_background_bootstrap_gives_up_on_shutdown_while_data_scheduler_is_down() {
    let app = TestApp::start().await;
    let TestApp { ds, state, .. } = app;
    let _dir = ds.stop().await;
    let shutdown = common::Shutdown::new();
    let task = tokio::spawn(auth_api::bootstrap::run(
        state,
        "root@example.com".into(),
        PASSWORD.to_string().into(),
        shutdown.clone(),
    ));
    shutdown.trigger();
    tokio::time::timeout(std::time::Duration::from_secs(10), task).await.expect("stops on shutdown").unwrap();
}
