//! API keys: shown once, stored hashed, work with X-API-Key, stop when deleted.
use axum::http::{Method, StatusCode};
use protobuf::v1::UserKey;
use serde_json::json;

use crate::helpers::{Credential, TestApp};

#[tokio::test]
async fn a_key_works_until_deleted() {
    let app = TestApp::start().await;
    let (admin_id, admin) = app.admin().await;

    let created = app.post("/auth/v1/api-keys", Some(&admin.access), json!({"name": "cron box"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let key = created.body["key"].as_str().expect("the key is shown once").to_string();
    let id = created.body["id"].as_str().unwrap().to_string();
    assert!(key.starts_with("wibm_"));
    assert_eq!(created.body["user_id"], admin_id.as_str());
    assert!(key.starts_with(created.body["prefix"].as_str().unwrap()));

    let ok = app.verify(Credential::ApiKey(&key), "POST", "/fetcher/v1/fetch/seasons").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!((ok.header("x-user-id"), ok.header("x-user-role")), (Some(admin_id.as_str()), Some("admin")));

    // Listing never shows the key nor its hash.
    let listed = app.get("/auth/v1/api-keys", Some(&admin.access)).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
    assert!(!listed.body.to_string().contains(&key[12..]));
    assert!(listed.body[0].get("key_hash").is_none());
    assert!(listed.body[0]["last_used_at"].as_i64().unwrap() > 0, "use was recorded");

    // Stored as a SHA-256 hash, never in clear.
    let stored = app.ds_client().get_api_keys(UserKey::default()).await.unwrap().into_inner().keys;
    assert_eq!(stored[0].key_hash, auth_api::domain::tokens::sha256_hex(&key));
    assert!(!format!("{stored:?}").contains(&key[12..]));

    let deleted = app.call(Method::DELETE, &format!("/auth/v1/api-keys/{id}"), Some(&admin.access), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let refused = app.verify(Credential::ApiKey(&key), "GET", "/content/v1/seasons").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let again = app.call(Method::DELETE, &format!("/auth/v1/api-keys/{id}"), Some(&admin.access), None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_viewer_key_has_viewer_rights_and_viewers_cannot_make_keys() {
    let app = TestApp::start().await;
    let (viewer_id, viewer) = app.viewer().await;
    let (_, admin) = app.admin().await;

    let denied = app.post("/auth/v1/api-keys", Some(&viewer.access), json!({"name": "mine"})).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    let created =
        app.post("/auth/v1/api-keys", Some(&admin.access), json!({"name": "for viewer", "user_id": viewer_id})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let key = created.body["key"].as_str().unwrap();
    assert_eq!(app.verify(Credential::ApiKey(key), "GET", "/content/v1/seasons").await.status, StatusCode::OK);
    let trigger = app.verify(Credential::ApiKey(key), "POST", "/scheduler/v1/trigger/seasons").await;
    assert_eq!(trigger.status, StatusCode::FORBIDDEN);

    let nobody = app.post("/auth/v1/api-keys", Some(&admin.access), json!({"name": "x", "user_id": "ghost"})).await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
    let unnamed = app.post("/auth/v1/api-keys", Some(&admin.access), json!({"name": "  "})).await;
    assert_eq!(unnamed.status, StatusCode::BAD_REQUEST);
}
