//! `GET /auth/v1/verify` as Traefik's forwardAuth calls it.
use auth_api::Role;
use axum::http::StatusCode;

use crate::helpers::{Credential, TestApp};

#[tokio::test]
async fn a_viewer_is_forbidden_a_trigger_and_an_admin_gets_through() {
    let app = TestApp::start().await;
    let (viewer_id, viewer) = app.viewer().await;
    let (admin_id, admin) = app.admin().await;

    let denied = app.verify(Credential::Bearer(&viewer.access), "POST", "/scheduler/v1/trigger/seasons").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(denied.error_code(), "forbidden");
    assert!(denied.header("x-user-id").is_none());

    let allowed = app.verify(Credential::Bearer(&admin.access), "POST", "/scheduler/v1/trigger/seasons").await;
    assert_eq!(allowed.status, StatusCode::OK);
    assert_eq!(allowed.header("x-user-id"), Some(admin_id.as_str()));
    assert_eq!(allowed.header("x-user-role"), Some("admin"));

    // Reads need only a signed-in user.
    let read = app.verify(Credential::Bearer(&viewer.access), "GET", "/content/v1/seasons?year=2024").await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!((read.header("x-user-id"), read.header("x-user-role")), (Some(viewer_id.as_str()), Some("viewer")));

    // Fetcher routes and user administration are admin only, whatever the method.
    for (method, uri) in [("POST", "/fetcher/v1/fetch/seasons"), ("GET", "/auth/v1/users"), ("DELETE", "/x")] {
        let answer = app.verify(Credential::Bearer(&viewer.access), method, uri).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{method} {uri}");
        let answer = app.verify(Credential::Bearer(&admin.access), method, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{method} {uri}");
    }
}

#[tokio::test]
async fn missing_or_invalid_credentials_get_401() {
    let app = TestApp::start().await;
    let missing = app.verify(Credential::None, "POST", "/fetcher/v1/fetch/seasons").await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.error_code(), "unauthenticated");
    let bad = app.verify(Credential::Bearer("garbage"), "GET", "/content/v1/seasons").await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let bad_key = app.verify(Credential::ApiKey("wibm_nope"), "GET", "/content/v1/seasons").await;
    assert_eq!(bad_key.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_disabled_user_is_refused_at_once() {
    let app = TestApp::start().await;
    let (viewer_id, viewer) = app.viewer().await;
    let (_, admin) = app.admin().await;
    assert_eq!(app.verify(Credential::Bearer(&viewer.access), "GET", "/").await.status, StatusCode::OK);
    let disabled =
        app.call(axum::http::Method::DELETE, &format!("/auth/v1/users/{viewer_id}"), Some(&admin.access), None).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert_eq!(disabled.body["disabled"], true);
    // The access token is still unexpired, but the account is off.
    assert_eq!(app.verify(Credential::Bearer(&viewer.access), "GET", "/").await.status, StatusCode::UNAUTHORIZED);
    let refresh = app.post("/auth/v1/refresh", None, serde_json::json!({"refresh_token": viewer.refresh})).await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    let login = app.login_answer("viewer@example.com", crate::helpers::PASSWORD).await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_promotion_takes_effect_without_a_new_token() {
    let app = TestApp::start().await;
    let (viewer_id, viewer) = app.viewer().await;
    let (_, admin) = app.admin().await;
    let target = "/scheduler/v1/trigger/seasons";
    assert_eq!(app.verify(Credential::Bearer(&viewer.access), "POST", target).await.status, StatusCode::FORBIDDEN);
    let promoted = app
        .call(
            axum::http::Method::PATCH,
            &format!("/auth/v1/users/{viewer_id}"),
            Some(&admin.access),
            Some(serde_json::json!({"role": "admin"})),
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(promoted.body["role"], Role::Admin.as_str());
    assert_eq!(app.verify(Credential::Bearer(&viewer.access), "POST", target).await.status, StatusCode::OK);
}
