//! Forged credentials on the routes behind verify: `alg: none`, a wrong
//! key, an expired token signed with the stack's real key, a tampered
//! payload, another algorithm with the real key. Each is a 401 with the
//! JSON error body; the real admin token is accepted (so the probe can fail).
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

fn claims(exp_from_now: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": "00000000-0000-0000-0000-000000000001", "role": "admin",
        "iss": "willitbemax", "aud": "willitbemax",
        "iat": now, "exp": now + exp_from_now, "jti": "forged",
    })
}

fn sign(alg: Algorithm, key: &[u8], claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(alg), claims, &EncodingKey::from_secret(key)).unwrap()
}

/// Returns how many forged tokens were refused (all, or the test fails).
pub async fn forgeries(http: &reqwest::Client, base: &str, admin: &str, data_dir: &Path) -> usize {
    // The single-process stack keeps its signing key in the data directory.
    let real_key = std::fs::read_to_string(data_dir.join(auth_api::secret::SECRET_FILE)).unwrap();
    let real_key = real_key.trim().as_bytes();
    let none = format!("{}.{}.", B64.encode(br#"{"alg":"none","typ":"JWT"}"#), B64.encode(claims(600).to_string()));
    let tampered = {
        let parts: Vec<&str> = admin.split('.').collect();
        let mut payload: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
        payload["exp"] = json!(payload["exp"].as_i64().unwrap() + 10 * 365 * 86_400);
        format!("{}.{}.{}", parts[0], B64.encode(payload.to_string()), parts[2])
    };
    let forged = [
        ("alg none", none),
        ("wrong key", sign(Algorithm::HS256, &[7u8; 32], &claims(600))),
        ("expired, real key", sign(Algorithm::HS256, real_key, &claims(-60))),
        ("tampered payload", tampered),
        ("HS512 with the real key", sign(Algorithm::HS512, real_key, &claims(600))),
        ("not a JWT", "a.b.c".to_string()),
    ];
    let targets = [("GET", "/fetcher/v1/status"), ("POST", "/scheduler/v1/trigger/seasons"), ("GET", "/auth/v1/me")];

    let status = |method: &str, path: &str, token: &str| {
        let req = match method {
            "POST" => http.post(format!("{base}{path}")),
            _ => http.get(format!("{base}{path}")),
        };
        req.bearer_auth(token.to_string()).send()
    };
    let accepted = status("GET", "/fetcher/v1/status", admin).await.unwrap();
    assert_eq!(accepted.status(), 200, "the real admin token is accepted");

    let mut refused = 0;
    for (what, token) in &forged {
        for (method, path) in targets {
            let resp = status(method, path, token).await.unwrap();
            let code = resp.status();
            let body: Value = resp.json().await.unwrap_or_default();
            assert_eq!(code, 401, "{what} on {method} {path}: {body}");
            assert!(body["error"]["code"].is_string(), "{what} on {path}: the JSON error body: {body}");
            refused += 1;
        }
    }
    refused
}
