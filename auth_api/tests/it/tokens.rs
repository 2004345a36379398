//! Access tokens that must be refused: expired, tampered, `alg: none`,
//! signed with another key, for another audience or issuer.
use auth_api::Role;
use auth_api::domain::tokens::Claims;
use axum::http::StatusCode;
use jsonwebtoken::{Algorithm, EncodingKey, Header};

use crate::helpers::{SECRET, TestApp};

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn claims(sub: &str) -> Claims {
    Claims {
        sub: sub.to_string(),
        role: Role::Admin,
        iss: "willitbemax".into(),
        aud: "willitbemax".into(),
        iat: now(),
        exp: now() + 600,
        jti: "test".into(),
    }
}

fn sign(claims: &Claims, key: &str) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(key.as_bytes())).unwrap()
}

/// Unpadded base64url, as JWTs use.
fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

async fn me_status(app: &TestApp, token: &str) -> StatusCode {
    app.get("/auth/v1/me", Some(token)).await.status
}

#[tokio::test]
async fn a_well_formed_token_passes_so_the_refusals_below_mean_something() {
    let app = TestApp::start().await;
    let id = app.user("max@example.com", Role::Admin).await;
    assert_eq!(me_status(&app, &sign(&claims(&id), SECRET)).await, StatusCode::OK);
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let app = TestApp::start().await;
    let id = app.user("max@example.com", Role::Admin).await;
    let mut expired = claims(&id);
    expired.iat = now() - 3600;
    expired.exp = now() - 1;
    let answer = app.get("/auth/v1/me", Some(&sign(&expired, SECRET))).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.error_code(), "invalid_token");
    assert!(answer.header("www-authenticate").is_some_and(|v| v.starts_with("Bearer")));
}

#[tokio::test]
async fn tampered_tokens_are_refused() {
    let app = TestApp::start().await;
    let viewer = app.user("viewer@example.com", Role::Viewer).await;
    let admin = app.user("admin@example.com", Role::Admin).await;
    let token = app.login("viewer@example.com").await.access;
    let parts: Vec<&str> = token.split('.').collect();

    // Swap in a payload naming the admin, keeping the viewer's signature.
    let forged_payload = b64url(serde_json::to_string(&claims(&admin)).unwrap().as_bytes());
    let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    assert_eq!(me_status(&app, &forged).await, StatusCode::UNAUTHORIZED);

    // Change the signature's first character (its last one holds padding bits).
    let mut sig = parts[2].to_string();
    let first = if sig.starts_with('A') { "B" } else { "A" };
    sig.replace_range(..1, first);
    assert_eq!(me_status(&app, &format!("{}.{}.{}", parts[0], parts[1], sig)).await, StatusCode::UNAUTHORIZED);

    assert_eq!(me_status(&app, "not.a.jwt").await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&app, &token).await, StatusCode::OK, "the untouched token of {viewer} works");
}

#[tokio::test]
async fn alg_none_tokens_are_refused() {
    let app = TestApp::start().await;
    let id = app.user("max@example.com", Role::Admin).await;
    let header = b64url(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64url(serde_json::to_string(&claims(&id)).unwrap().as_bytes());
    for token in [format!("{header}.{payload}."), format!("{header}.{payload}")] {
        assert_eq!(me_status(&app, &token).await, StatusCode::UNAUTHORIZED, "{token}");
    }
    // HS512 with the right key is still not the algorithm we issue.
    let hs512 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        &claims(&id),
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    assert_eq!(me_status(&app, &hs512).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn other_keys_audiences_and_issuers_are_refused() {
    let app = TestApp::start().await;
    let id = app.user("max@example.com", Role::Admin).await;
    assert_eq!(
        me_status(&app, &sign(&claims(&id), "another-signing-key-0123456789abcdef")).await,
        StatusCode::UNAUTHORIZED
    );
    let mut other_aud = claims(&id);
    other_aud.aud = "someone-else".into();
    assert_eq!(me_status(&app, &sign(&other_aud, SECRET)).await, StatusCode::UNAUTHORIZED);
    let mut other_iss = claims(&id);
    other_iss.iss = "evil".into();
    assert_eq!(me_status(&app, &sign(&other_iss, SECRET)).await, StatusCode::UNAUTHORIZED);
    // A validly signed token for a user that does not exist.
    assert_eq!(me_status(&app, &sign(&claims("ghost"), SECRET)).await, StatusCode::UNAUTHORIZED);
}
