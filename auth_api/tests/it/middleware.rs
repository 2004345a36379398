//! The in-process check the single-process gateway layers onto protected
//! routes, on a tiny router standing in for fetcher_service.
use auth_api::{Identity, Role};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower::ServiceExt;

use crate::helpers::TestApp;

async fn fetch(Extension(who): Extension<Identity>, headers: axum::http::HeaderMap) -> String {
    format!("{} {} {:?}", who.user_id, who.role, headers.get_all("x-user-role").iter().collect::<Vec<_>>())
}

fn fetcher(app: &TestApp) -> Router {
    Router::new()
        .route("/fetcher/v1/fetch/seasons", post(fetch))
        .route_layer(axum::middleware::from_fn_with_state(app.state.clone(), auth_api::require_admin))
}

async fn call(router: &Router, req: Request<Body>) -> (StatusCode, String) {
    let response = router.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn post_seasons(auth: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/fetcher/v1/fetch/seasons").header("x-user-role", "admin");
    if let Some(token) = auth {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn require_admin_guards_a_fetch_route() {
    let app = TestApp::start().await;
    let (_, viewer) = app.viewer().await;
    let (admin_id, admin) = app.admin().await;
    let router = fetcher(&app);

    // A client-sent X-User-Role: admin grants nothing.
    let (status, body) = call(&router, post_seasons(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("unauthenticated"), "{body}");

    assert_eq!(call(&router, post_seasons(Some(&viewer.access))).await.0, StatusCode::FORBIDDEN);

    let (status, body) = call(&router, post_seasons(Some(&admin.access))).await;
    assert_eq!(status, StatusCode::OK);
    // The handler sees who called, and only the verified role header.
    assert_eq!(body, format!("{admin_id} admin [\"admin\"]"));
}

#[tokio::test]
async fn require_policy_applies_the_verify_table_to_the_request() {
    let app = TestApp::start().await;
    let (_, viewer) = app.viewer().await;
    let router = Router::new()
        .route("/scheduler/v1/runs", get(|| async { "runs" }))
        .route("/scheduler/v1/trigger/seasons", post(|| async { "triggered" }))
        .route_layer(axum::middleware::from_fn_with_state(app.state.clone(), auth_api::require_policy));
    let req = |method: &str, uri: &str| {
        Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {}", viewer.access))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(call(&router, req("GET", "/scheduler/v1/runs")).await, (StatusCode::OK, "runs".into()));
    assert_eq!(call(&router, req("POST", "/scheduler/v1/trigger/seasons")).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn authorize_is_callable_directly() {
    let app = TestApp::start().await;
    let (viewer_id, viewer) = app.viewer().await;
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {}", viewer.access).parse().unwrap());
    let get =
        auth_api::authorize(&app.state, &headers, &axum::http::Method::GET, &"/content/v1/seasons".parse().unwrap())
            .await
            .unwrap();
    assert_eq!((get.user_id.as_str(), get.role), (viewer_id.as_str(), Role::Viewer));
    let post = auth_api::authorize(
        &app.state,
        &headers,
        &axum::http::Method::POST,
        &"/fetcher/v1/fetch/seasons".parse().unwrap(),
    )
    .await;
    assert_eq!(post, Err(auth_api::AuthError::Forbidden));
}
