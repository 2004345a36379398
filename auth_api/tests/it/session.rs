//! Register, login, me, refresh (rotation and reuse), logout.
use auth_api::Role;
use axum::http::StatusCode;
use protobuf::v1::RefreshTokenKey;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, tokens};

#[tokio::test]
async fn registration_is_closed_by_default() {
    let app = TestApp::start().await;
    let answer = app.post("/auth/v1/register", None, json!({"email": "new@example.com", "password": PASSWORD})).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_code(), "registration_closed");
    assert_eq!(app.login_answer("new@example.com", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn register_login_me_refresh_logout() {
    let app = TestApp::with(|s| s.open_registration = true).await;

    let short = app.post("/auth/v1/register", None, json!({"email": "max@example.com", "password": "too short"})).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST, "{}", short.body);

    let registered =
        app.post("/auth/v1/register", None, json!({"email": " Max@Example.com ", "password": PASSWORD})).await;
    assert_eq!(registered.status, StatusCode::CREATED, "{}", registered.body);
    assert_eq!(registered.body["email"], "max@example.com");
    assert_eq!(registered.body["role"], "viewer", "open registration makes viewers");
    assert!(registered.body.get("password_hash").is_none());

    let again = app.post("/auth/v1/register", None, json!({"email": "max@example.com", "password": PASSWORD})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let login = app.login_answer("MAX@example.com", PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    assert_eq!(login.body["token_type"], "Bearer");
    assert_eq!(login.body["expires_in"], 900, "access tokens live 15 minutes by default");
    assert_eq!(login.header("cache-control"), Some("no-store"));
    let first = tokens(&login);

    let me = app.get("/auth/v1/me", Some(&first.access)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!((me.body["email"].as_str(), me.body["role"].as_str()), (Some("max@example.com"), Some("viewer")));
    assert_eq!(app.get("/auth/v1/me", None).await.status, StatusCode::UNAUTHORIZED);

    let refreshed = app.post("/auth/v1/refresh", None, json!({"refresh_token": first.refresh})).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.body);
    let second = tokens(&refreshed);
    assert_ne!(second.refresh, first.refresh, "refresh rotates the token");
    assert_eq!(app.get("/auth/v1/me", Some(&second.access)).await.status, StatusCode::OK);

    let logout = app.post("/auth/v1/logout", None, json!({"refresh_token": second.refresh})).await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    let after = app.post("/auth/v1/refresh", None, json!({"refresh_token": second.refresh})).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "a logged-out session cannot be refreshed");
    // Logging out twice is harmless.
    let twice = app.post("/auth/v1/logout", None, json!({"refresh_token": second.refresh})).await;
    assert_eq!(twice.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = TestApp::start().await;
    app.user("max@example.com", Role::Viewer).await;
    let wrong_password = app.login_answer("max@example.com", "not the password at all").await;
    let unknown_email = app.login_answer("nobody@example.com", "not the password at all").await;
    let not_an_email = app.login_answer("nobody", "not the password at all").await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    for other in [&unknown_email, &not_an_email] {
        assert_eq!(other.status, wrong_password.status);
        assert_eq!(other.raw, wrong_password.raw, "the bodies must not tell accounts apart");
    }
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_chain() {
    let app = TestApp::start().await;
    app.user("max@example.com", Role::Viewer).await;
    let a = app.login("max@example.com").await;
    let b = tokens(&app.post("/auth/v1/refresh", None, json!({"refresh_token": a.refresh})).await);
    let c = tokens(&app.post("/auth/v1/refresh", None, json!({"refresh_token": b.refresh})).await);

    // Someone replays the first token: refused, and the family is revoked...
    let replay = app.post("/auth/v1/refresh", None, json!({"refresh_token": a.refresh})).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    // ...so the newest token, which was valid a moment ago, is refused too.
    let newest = app.post("/auth/v1/refresh", None, json!({"refresh_token": c.refresh})).await;
    assert_eq!(newest.status, StatusCode::UNAUTHORIZED);

    // The stored record says so (looked up by its hash, as stored).
    let hash = auth_api::domain::tokens::sha256_hex(&c.refresh);
    let stored = app
        .ds_client()
        .get_refresh_token(RefreshTokenKey { token_hash: hash, ..Default::default() })
        .await
        .expect("stored token")
        .into_inner()
        .token
        .expect("token");
    assert!(stored.revoked);

    // Another login (another family) is unaffected.
    let other = app.login("max@example.com").await;
    let fresh = app.post("/auth/v1/refresh", None, json!({"refresh_token": other.refresh})).await;
    assert_eq!(fresh.status, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_refresh_token_is_refused() {
    let app = TestApp::start().await;
    let answer = app.post("/auth/v1/refresh", None, json!({"refresh_token": "deadbeef"})).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let malformed = app.post("/auth/v1/refresh", None, json!({"token": 1})).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.error_code(), "invalid_request");
}
