//! Admin-only user administration: create, list, change role, disable.
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn an_admin_creates_lists_promotes_and_disables_users() {
    let app = TestApp::start().await;
    let (admin_id, admin) = app.admin().await;
    let auth = Some(admin.access.as_str());

    let created = app.post("/auth/v1/users", auth, json!({"email": "ops@example.com", "password": PASSWORD})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["role"], "viewer");
    let id = created.body["id"].as_str().unwrap().to_string();

    let listed = app.get("/auth/v1/users?per_page=10", auth).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body["total"], 2);
    let emails: Vec<&str> =
        listed.body["users"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["admin@example.com", "ops@example.com"]);
    assert!(!listed.body.to_string().contains("argon2"), "hashes are never listed");
    let page_zero = app.get("/auth/v1/users?page=0", auth).await;
    assert_eq!(page_zero.status, StatusCode::BAD_REQUEST, "pages start at 1: {}", page_zero.body);
    assert_eq!(page_zero.body["error"]["parameter"], "page", "{}", page_zero.body);

    let promoted = app.call(Method::POST, &format!("/auth/v1/users/{id}"), auth, Some(json!({"role": "admin"}))).await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(promoted.body["role"], "admin");
    let shown = app.get(&format!("/auth/v1/users/{id}"), auth).await;
    assert_eq!(shown.body["role"], "admin");

    let disabled = app.call(Method::DELETE, &format!("/auth/v1/users/{id}"), auth, None).await;
    assert_eq!(disabled.status, StatusCode::OK);
    assert_eq!(disabled.body["disabled"], true);
    assert_eq!(app.login_answer("ops@example.com", PASSWORD).await.status, StatusCode::UNAUTHORIZED);

    let enabled =
        app.call(Method::PATCH, &format!("/auth/v1/users/{id}"), auth, Some(json!({"disabled": false}))).await;
    assert_eq!(enabled.body["disabled"], false);
    app.login("ops@example.com").await;

    // An admin cannot lock themselves out.
    let demote_self =
        app.call(Method::PATCH, &format!("/auth/v1/users/{admin_id}"), auth, Some(json!({"role": "viewer"}))).await;
    assert_eq!(demote_self.status, StatusCode::CONFLICT);
    let disable_self = app.call(Method::DELETE, &format!("/auth/v1/users/{admin_id}"), auth, None).await;
    assert_eq!(disable_self.status, StatusCode::CONFLICT);

    let missing = app.get("/auth/v1/users/nobody", auth).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad_role = app.call(Method::PATCH, &format!("/auth/v1/users/{id}"), auth, Some(json!({"role": "root"}))).await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_admin_resets_a_password() {
    let app = TestApp::start().await;
    let (_, admin) = app.admin().await;
    let (viewer_id, _) = app.viewer().await;
    let new = "a brand new long password";
    let changed = app
        .call(
            Method::PATCH,
            &format!("/auth/v1/users/{viewer_id}"),
            Some(&admin.access),
            Some(json!({"password": new})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(app.login_answer("viewer@example.com", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login_answer("viewer@example.com", new).await.status, StatusCode::OK);
}

#[tokio::test]
async fn viewers_and_strangers_cannot_administer_users() {
    let app = TestApp::start().await;
    let (viewer_id, viewer) = app.viewer().await;
    let as_viewer = Some(viewer.access.as_str());
    assert_eq!(app.get("/auth/v1/users", as_viewer).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/auth/v1/users", None).await.status, StatusCode::UNAUTHORIZED);
    let create = app.post("/auth/v1/users", as_viewer, json!({"email": "x@example.com", "password": PASSWORD})).await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    let promote_self = app
        .call(Method::PATCH, &format!("/auth/v1/users/{viewer_id}"), as_viewer, Some(json!({"role": "admin"})))
        .await;
    assert_eq!(promote_self.status, StatusCode::FORBIDDEN);
}
