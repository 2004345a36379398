//! `Json`, `Query` and `Path` extractors whose rejections are the JSON error
//! body, in our words and naming the field: never serde's or axum's text
//! (`expected struct Credentials ...`, `Failed to deserialize query string`)
//! nor a Rust type name.
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request, path::ErrorKind};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::HttpError;

/// A JSON request body (`Content-Type: application/json`) or a JSON answer.
#[derive(Debug, Clone, Copy, Default)]
#[must_use]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, HttpError> {
        if !is_json(req.headers()) {
            return Err(HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be JSON, sent with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(unreadable)?;
        parse_json(&bytes).map(Json)
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn unreadable(rejection: BytesRejection) -> HttpError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        HttpError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the body is larger than this route accepts")
    } else {
        HttpError::new(StatusCode::BAD_REQUEST, "invalid_request", "the body could not be read")
    }
}

/// Parses a JSON body, naming the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, HttpError> {
    parse_json_fields(bytes).map_err(|e| HttpError::invalid_body(e.field, e.message))
}

/// A JSON body that does not parse: the field at fault (`body` for the
/// whole document, `sessions[0].round` inside it) and what is wrong with
/// it, in our words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadField {
    pub field: String,
    pub message: String,
}

/// Parses a JSON body into `T`, for callers that answer a bad field in
/// their own error type.
pub fn parse_json_fields<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BadField> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let syntax = |e: serde_json::Error| {
        let at = format!("line {}, column {}", e.line(), e.column());
        let what = if e.is_eof() { "the JSON ends early" } else { "not valid JSON" };
        BadField { field: "body".into(), message: format!("{what} ({at})") }
    };
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return syntax(inner);
        }
        let (field, message) = describe(&path, &inner.to_string());
        BadField { field, message }
    })?;
    // Trailing text after the document is as wrong as a broken document.
    de.end().map_err(syntax)?;
    Ok(value)
}

/// A query string, parsed by serde into `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, HttpError> {
        parse_query(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// Parses a query string, naming the parameter at fault.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, HttpError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let (field, message) = describe(&path, &e.into_inner().to_string());
        let field = if field == "body" { "query".to_string() } else { field };
        HttpError::invalid_parameter(field, message)
    })
}

/// Path parameters, parsed by serde into `T` (a `String`, a tuple or a struct).
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HttpError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let names: Vec<String> = RawPathParams::from_request_parts(parts, state)
                    .await
                    .map(|raw| raw.iter().map(|(k, _)| k.to_string()).collect())
                    .unwrap_or_default();
                Err(path_error(e.into_kind(), &names))
            }
            Err(other) => Err(HttpError::internal(format!("path parameters: {other}"))),
        }
    }
}

/// Our words for a path parameter that does not parse; `names` are the
/// route's parameters in order, to name a tuple's element.
fn path_error(kind: ErrorKind, names: &[String]) -> HttpError {
    let first = || names.first().cloned().unwrap_or_else(|| "path".into());
    match kind {
        ErrorKind::ParseErrorAtKey { key, value, .. } => {
            HttpError::invalid_parameter(key, format!("`{value}` is not valid here"))
        }
        ErrorKind::ParseErrorAtIndex { index, value, .. } => {
            let name = names.get(index).cloned().unwrap_or_else(|| "path".into());
            HttpError::invalid_parameter(name, format!("`{value}` is not valid here"))
        }
        ErrorKind::ParseError { value, .. } => {
            HttpError::invalid_parameter(first(), format!("`{value}` is not valid here"))
        }
        ErrorKind::InvalidUtf8InPathParam { key } => HttpError::invalid_parameter(key, "is not valid UTF-8 text"),
        ErrorKind::DeserializeError { key, value, message } => {
            let (_, message) = describe("", &message);
            HttpError::invalid_parameter(key, format!("`{value}`: {message}"))
        }
        other => HttpError::internal(format!("path parameters: {other}")),
    }
}

/// The field and our message for a serde data error at `path` (`.` or ``
/// for the whole document): serde's wording is mapped to ours, dropping the
/// "expected ..." part that would name a Rust type.
fn describe(path: &str, serde_message: &str) -> (String, String) {
    let at = |child: &str| {
        if path.is_empty() || path == "." { child.to_string() } else { format!("{path}.{child}") }
    };
    let here = if path.is_empty() || path == "." { "body".to_string() } else { path.to_string() };
    // serde_json appends " at line L column C"; the field name says more.
    let msg = serde_message.split(" at line ").next().unwrap_or(serde_message);
    let ticked = |m: &str| m.split('`').nth(1).map(str::to_string);
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return (at(&ticked(rest).unwrap_or_default()), "is required".into());
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        // The path already ends at the unknown key (it was read as one).
        let name = ticked(rest).unwrap_or_default();
        let field = if path.ends_with(name.as_str()) { here } else { at(&name) };
        return (field, "is not a known field".into());
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let value = ticked(rest).unwrap_or_default();
        // The list after "expected" holds wire names (`admin`, `viewer`), not type names.
        let allowed = rest.split_once("expected ").map(|(_, a)| a.trim_start_matches("one of ")).unwrap_or("");
        let tail = if allowed.is_empty() { String::new() } else { format!("; expected {allowed}") };
        return (here, format!("`{value}` is not an allowed value{tail}"));
    }
    if msg.starts_with("invalid type: ") || msg.starts_with("invalid length ") {
        let found = msg.strip_prefix("invalid type: ").and_then(|m| m.split(", expected").next());
        let message = if here == "body" {
            "must be a JSON object".to_string()
        } else {
            match found {
                Some(found) => format!("has the wrong type ({found})"),
                None => "has the wrong number of elements".to_string(),
            }
        };
        return (here, message);
    }
    if msg.starts_with("invalid value: ") || msg.starts_with("invalid digit") || msg.starts_with("cannot parse") {
        return (here, "is not a valid value".into());
    }
    if msg.contains("expected") || msg.contains("::") || msg.contains("struct ") {
        return (here, "is not valid".into());
    }
    // A message of our own types' Deserialize impls.
    (here, msg.to_string())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Credentials {
        email: String,
        password: String,
        #[serde(default)]
        role: Option<Role>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Role {
        Admin,
        Viewer,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        page: Option<u32>,
        per_page: Option<u32>,
    }

    fn json_error(body: &str) -> HttpError {
        parse_json::<Credentials>(body.as_bytes()).unwrap_err()
    }

    fn no_type_names(e: &HttpError) {
        for word in ["Credentials", "struct", "Role", "u32", "i32", "String", "serde", "deserialize"] {
            assert!(!e.message.contains(word), "`{word}` in {:?}", e.message);
        }
    }

    #[test]
    fn json_errors_name_the_field_in_our_words() {
        let cases = [
            (r#"{"email":"a@b.c"}"#, "password", "invalid password: is required"),
            (r#"{"email":1,"password":"x"}"#, "email", "invalid email: has the wrong type (integer `1`)"),
            (r#"[]"#, "body", "invalid body: must be a JSON object"),
            (r#""x""#, "body", "invalid body: must be a JSON object"),
            (
                r#"{"email":"a","password":"b","role":"root"}"#,
                "role",
                "invalid role: `root` is not an allowed value; expected `admin` or `viewer`",
            ),
        ];
        for (body, field, message) in cases {
            let e = json_error(body);
            assert_eq!((e.status, e.code), (StatusCode::BAD_REQUEST, "invalid_request"), "{body}");
            assert_eq!(e.parameter.as_deref(), Some(field), "{body}");
            assert_eq!(e.message, message, "{body}");
            no_type_names(&e);
        }
        for body in ["{", "{\"email\":", "not json", r#"{"email":"a","password":"b"} x"#] {
            let e = json_error(body);
            assert_eq!(e.parameter.as_deref(), Some("body"), "{body}");
            assert!(e.message.contains("JSON"), "{body}: {}", e.message);
        }
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let e = parse_query::<Page>("page=2&per_page=x").unwrap_err();
        assert_eq!((e.status, e.code), (StatusCode::BAD_REQUEST, "invalid_parameter"));
        assert_eq!(e.parameter.as_deref(), Some("per_page"));
        assert_eq!(e.message, "invalid per_page: is not a valid value");
        no_type_names(&e);
        assert_eq!(parse_query::<Page>("page=3").unwrap().page, Some(3));
    }

    #[test]
    fn path_errors_name_the_parameter() {
        let names = ["year".to_string(), "round".to_string()];
        let e = path_error(ErrorKind::ParseErrorAtIndex { index: 1, value: "x".into(), expected_type: "u8" }, &names);
        assert_eq!(e.parameter.as_deref(), Some("round"));
        assert_eq!(e.message, "invalid round: `x` is not valid here");
        let e = path_error(ErrorKind::InvalidUtf8InPathParam { key: "year".into() }, &names);
        assert_eq!(e.message, "invalid year: is not valid UTF-8 text");
        no_type_names(&e);
    }
}
