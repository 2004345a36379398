//! Every service, through the gateway, answers a bad path, a bad query, a
//! bad JSON body, an unserved method and an unknown path with the one JSON
//! error body: a code, and a message in our words naming the field, never a
//! Rust type name nor a parser's text.
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

/// One malformed request and what it must be answered with.
struct Case {
    method: Method,
    path: &'static str,
    /// A JSON body, sent as `application/json`.
    body: Option<&'static str>,
    status: StatusCode,
    code: &'static str,
    /// The field or parameter the answer names (in `parameter` and the message).
    field: Option<&'static str>,
}

const fn case(
    method: Method,
    path: &'static str,
    status: u16,
    code: &'static str,
    field: Option<&'static str>,
) -> Case {
    let status = match StatusCode::from_u16(status) {
        Ok(s) => s,
        Err(_) => panic!("a status code"),
    };
    Case { method, path, body: None, status, code, field }
}

const fn with_body(mut c: Case, body: &'static str) -> Case {
    c.body = Some(body);
    c
}

/// Words that would show the answer came from Rust or a parser, not from us.
const INTERNALS: [&str; 10] =
    ["struct", "Credentials", "::", "i32", "u32", "String", "Failed to", "deserialize", "Option<", "expected a"];

pub async fn every_service_answers_json(http: &Client, base: &str, admin: &str) {
    use Method as M;
    let cases = [
        // content_api
        case(M::GET, "/content/v1/seasons/abc", 400, "invalid_parameter", Some("year")),
        case(M::GET, "/content/v1/seasons/%FF/rounds", 400, "invalid_parameter", Some("year")),
        case(M::GET, "/content/v1/seasons?page=x", 400, "invalid_parameter", Some("page")),
        case(M::POST, "/content/v1/seasons", 405, "method_not_allowed", None),
        case(M::GET, "/content/v1/teams", 404, "not_found", None),
        case(M::GET, "/content/v1/seasons/2023/rounds/99", 404, "not_found", None),
        // scheduler_api
        case(M::GET, "/scheduler/v1/history?page=x", 400, "invalid_parameter", Some("page")),
        case(M::DELETE, "/scheduler/v1/status", 405, "method_not_allowed", None),
        case(M::GET, "/scheduler/v1/trigger/seasons", 405, "method_not_allowed", None),
        // fetcher_service
        case(M::POST, "/fetcher/v1/fetch/rounds?season=abc", 400, "invalid_parameter", Some("season")),
        case(M::GET, "/fetcher/v1/fetch/rounds", 405, "method_not_allowed", None),
        case(M::GET, "/fetcher/v1/nothing", 404, "not_found", None),
        // auth_api
        with_body(case(M::POST, "/auth/v1/login", 400, "invalid_request", Some("body")), "[]"),
        with_body(case(M::POST, "/auth/v1/login", 400, "invalid_request", Some("body")), "{\"email\":"),
        with_body(case(M::POST, "/auth/v1/login", 400, "invalid_request", Some("password")), r#"{"email":"a@b.c"}"#),
        with_body(
            case(M::POST, "/auth/v1/login", 400, "invalid_request", Some("email")),
            r#"{"email":1,"password":"x"}"#,
        ),
        with_body(case(M::POST, "/auth/v1/refresh", 400, "invalid_request", Some("refresh_token")), "{}"),
        with_body(
            case(M::POST, "/auth/v1/users", 400, "invalid_request", Some("role")),
            r#"{"email":"x@example.com","password":"a long password","role":"owner"}"#,
        ),
        case(M::GET, "/auth/v1/users?page=x", 400, "invalid_parameter", Some("page")),
        case(M::GET, "/auth/v1/users/%FF", 400, "invalid_parameter", Some("id")),
        case(M::PUT, "/auth/v1/login", 405, "method_not_allowed", None),
        case(M::POST, "/auth/v1/login", 415, "unsupported_media_type", None),
        // website_front
        case(M::POST, "/seasons", 405, "method_not_allowed", None),
        case(M::GET, "/seasons/%FF", 400, "invalid_parameter", Some("year")),
    ];
    for c in cases {
        let what = format!("{} {} {}", c.method, c.path, c.body.unwrap_or(""));
        let mut req = http.request(c.method.clone(), format!("{base}{}", c.path)).bearer_auth(admin);
        if let Some(body) = c.body {
            req = req.header("content-type", "application/json").body(body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let content_type = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let text = resp.text().await.unwrap();
        assert_eq!(status, c.status, "{what}: {text}");
        assert!(content_type.starts_with("application/json"), "{what}: {content_type}: {text}");
        let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
        assert_eq!(body["error"]["code"], c.code, "{what}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_else(|| panic!("{what}: no message: {body}"));
        if let Some(field) = c.field {
            assert_eq!(body["error"]["parameter"], field, "{what}: {body}");
            assert!(message.contains(field), "{what}: the message names `{field}`: {message}");
        }
        for word in INTERNALS {
            assert!(!message.contains(word), "{what}: `{word}` in {message}");
        }
    }
}
