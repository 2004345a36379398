//! Login rate limits per account and per client address.
use std::net::SocketAddr;
use std::time::Duration;

use auth_api::Role;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::helpers::{Answer, PASSWORD, TestApp};

const WRONG: &str = "definitely the wrong password";

#[tokio::test]
async fn the_sixth_wrong_password_in_a_minute_gets_429_with_retry_after() {
    let app = TestApp::start().await;
    app.user("max@example.com", Role::Viewer).await;
    for i in 1..=5 {
        let answer = app.login_answer("max@example.com", WRONG).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        app.clock.advance(Duration::from_secs(1));
    }
    let sixth = app.login_answer("max@example.com", WRONG).await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sixth.error_code(), "rate_limited");
    // The first failure leaves the window 60 s after it happened, 55 s from now.
    assert_eq!(sixth.header("retry-after"), Some("55"));

    // From the failing address even the right password waits: the limit is
    // checked before the password.
    let right = app.login_answer("max@example.com", PASSWORD).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    // The owner, from an address that has not been failing, gets in (slowed down).
    let owner = login_with(&app, [192, 0, 2, 10], "max@example.com", PASSWORD).await;
    assert_eq!(owner.status, StatusCode::OK, "nobody can lock the owner out");
    // Spelling the email differently is the same account.
    assert_eq!(app.login_answer(" MAX@example.com", WRONG).await.status, StatusCode::TOO_MANY_REQUESTS);

    app.clock.advance(Duration::from_secs(55));
    assert_eq!(app.login_answer("max@example.com", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_accounts_are_limited_the_same_way() {
    let app = TestApp::start().await;
    for _ in 0..5 {
        assert_eq!(app.login_answer("nobody@example.com", WRONG).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.login_answer("nobody@example.com", WRONG).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn successful_logins_do_not_use_up_the_limit() {
    let app = TestApp::start().await;
    app.user("max@example.com", Role::Viewer).await;
    for _ in 0..8 {
        app.login("max@example.com").await;
    }
}

async fn login_with(app: &TestApp, ip: [u8; 4], email: &str, password: &str) -> Answer {
    let req = Request::post("/auth/v1/login")
        .header("content-type", "application/json")
        .extension(ConnectInfo(SocketAddr::from((ip, 50000))))
        .body(Body::from(json!({"email": email, "password": password}).to_string()))
        .unwrap();
    app.send(req).await
}

async fn login_from(app: &TestApp, ip: [u8; 4], email: &str) -> Answer {
    login_with(app, ip, email, WRONG).await
}

#[tokio::test]
async fn failures_from_many_addresses_slow_the_owner_down_but_never_lock_them_out() {
    let app = TestApp::with(|s| {
        s.login.slowdown = Duration::from_millis(10);
        s.login.max_slowdown = Duration::from_millis(80);
    })
    .await;
    app.user("max@example.com", Role::Admin).await;
    for i in 0..12 {
        let answer = login_from(&app, [10, 9, 0, i], "max@example.com").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attacker attempt {i} is answered, not refused");
    }
    let owner = login_with(&app, [192, 0, 2, 10], "max@example.com", PASSWORD).await;
    assert_eq!(owner.status, StatusCode::OK);
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_limited() {
    let app = TestApp::with(|s| s.login.per_address = 3).await;
    for i in 0..3 {
        let answer = login_from(&app, [10, 0, 0, 1], &format!("user{i}@example.com")).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let limited = login_from(&app, [10, 0, 0, 1], "user9@example.com").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.header("retry-after").is_some());
    // Another address is not affected.
    assert_eq!(login_from(&app, [10, 0, 0, 2], "user9@example.com").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forwarded_for_is_used_only_when_trusted() {
    let app = TestApp::with(|s| {
        s.login.per_address = 1;
        s.trust_forwarded_for = true;
    })
    .await;
    let from = |client: &'static str| {
        Request::post("/auth/v1/login")
            .header("content-type", "application/json")
            .header("x-forwarded-for", format!("203.0.113.50, {client}"))
            .body(Body::from(json!({"email": "a@example.com", "password": WRONG}).to_string()))
            .unwrap()
    };
    assert_eq!(app.send(from("198.51.100.1")).await.status, StatusCode::UNAUTHORIZED);
    // Same peer (127.0.0.1) but another client behind the proxy.
    assert_eq!(app.send(from("198.51.100.2")).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.send(from("198.51.100.2")).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn with_an_internal_token_forwarded_for_is_believed_only_from_our_proxy() {
    let token = common::internal::InternalToken::generate();
    let app = TestApp::with(|s| {
        s.login.per_address = 1;
        s.trust_forwarded_for = true;
        s.forwarded_by = Some(token.clone());
    })
    .await;
    let from = |client: &'static str, credential: Option<axum::http::HeaderValue>| {
        let mut req = Request::post("/auth/v1/login")
            .header("content-type", "application/json")
            .header("x-forwarded-for", client)
            .body(Body::from(json!({"email": "a@example.com", "password": WRONG}).to_string()))
            .unwrap();
        if let Some(value) = credential {
            req.headers_mut().insert(common::internal::HEADER, value);
        }
        req
    };
    // A caller on auth_api's own port (peer 127.0.0.1) cannot spread its
    // failures over made-up addresses: without the token the header is ignored.
    assert_eq!(app.send(from("198.51.100.1", None)).await.status, StatusCode::UNAUTHORIZED);
    let forged = axum::http::HeaderValue::from_static("forged");
    assert_eq!(app.send(from("198.51.100.2", Some(forged))).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Passed on by the gateway (with the token): the client's own address counts.
    assert_eq!(app.send(from("198.51.100.3", Some(token.header_value()))).await.status, StatusCode::UNAUTHORIZED);
}
