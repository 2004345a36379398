use std::collections::BTreeSet;

use axum::http::StatusCode;

use crate::support::TestApp;

/// Every public route of the router under `/content/v1`, the Ergast API and the OpenF1 API.
const ROUTES: &[&str] = &[
    "/content/v1",
    "/content/v1/seasons",
    "/content/v1/seasons/{year}",
    "/content/v1/seasons/{year}/rounds",
    "/content/v1/seasons/{year}/rounds/{round}",
    "/content/v1/seasons/{year}/rounds/{round}/sessions/{type}",
    "/content/v1/seasons/{year}/rounds/{round}/sessions/{type}/{kind}",
    "/content/v1/seasons/{year}/drivers",
    "/content/v1/seasons/{year}/constructors",
    "/content/v1/seasons/{year}/standings/progression",
    "/content/v1/seasons/{year}/championship",
    "/content/v1/drivers",
    "/content/v1/constructors",
    "/content/v1/circuits",
    "/content/v1/drivers/{id}",
    "/content/v1/constructors/{id}",
    "/content/v1/drivers/{id}/seasons",
    "/content/v1/constructors/{id}/seasons",
    "/content/v1/circuits/{id}",
    "/content/v1/circuits/{id}/image",
    "/content/v1/circuits/{id}/rounds",
    "/content/v1/live",
    "/content/v1/live/stream",
    "/content/v1/changes",
    "/ergast/f1/{path}",
    "/openf1/v1/{endpoint}",
];

/// The routes answered by POST (the rest by GET).
const POST_ROUTES: &[&str] = &["/content/v1/seasons/{year}/championship/what-if"];

#[tokio::test]
async fn the_document_lists_every_route() {
    let app = TestApp::shared();
    let reply = app.get("/content/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths: BTreeSet<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(paths, ROUTES.iter().chain(POST_ROUTES).copied().collect());
    let mut operation_ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let method = if POST_ROUTES.contains(&path.as_str()) { "post" } else { "get" };
        let op = &item[method];
        assert!(op.is_object(), "{path} has a {method}");
        assert!(operation_ids.insert(op["operationId"].as_str().unwrap()), "{path}: operationId is unique");
        assert!(op["responses"]["200"].is_object(), "{path} documents its answer");
    }
    assert!(doc["components"]["schemas"]["Championship"].is_object());
    assert!(doc["components"]["schemas"]["WhatIfRequest"].is_object());
    let what_if = &doc["paths"]["/content/v1/seasons/{year}/championship/what-if"]["post"];
    assert!(what_if["requestBody"].is_object() && what_if["responses"]["400"].is_object());
    // A POST route answers its method (a bad body here), not the fallback.
    for path in POST_ROUTES {
        let req = axum::http::Request::post(path.replace("{year}", "2023"))
            .body(axum::body::Body::from("{}"))
            .expect("request");
        let reply = app.send(req).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(reply.json()["error"]["parameter"], "sessions");
    }
    // Every documented route is served (not the router's fallback).
    // (The live stream never ends; the e2e stream test reads it.)
    for path in ROUTES.iter().filter(|p| !p.ends_with("/stream")) {
        let uri = path
            .replace("{year}", "2023")
            .replace("{round}", "17")
            .replace("{type}", "sprint")
            .replace("{id}", "lusail");
        let reply = app.get(&uri).await;
        let fallback = reply.status == StatusCode::NOT_FOUND
            && reply.json()["error"]["message"].as_str().is_some_and(|m| m.starts_with("no route"));
        assert!(!fallback, "{uri} is documented but not routed");
    }
}

#[tokio::test]
async fn the_docs_page_works_offline() {
    let app = TestApp::shared();
    let page = app.get("/content/v1/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    let html = String::from_utf8(page.body.to_vec()).unwrap();
    assert!(html.contains("openapi.json"), "the page reads the document");
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"), "no external URL");
    assert!(!html.contains("<script src"), "every script is inline");
}
