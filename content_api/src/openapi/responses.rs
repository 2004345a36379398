//! The answers many routes share besides their own 200 and 404, written
//! once: list them in a route's `responses(...)` by type.
use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};

/// 304: an answer with an ETag, asked again with `If-None-Match`.
pub struct NotModified;

/// 400: a path or query parameter that does not parse, named.
pub struct BadParameter;

/// 503: data_scheduler did not answer in time.
pub struct Unavailable;

/// The three answers every read of the store shares: 304, 400 and 503.
pub struct ReadErrors;

fn plain(description: &str) -> RefOr<Response> {
    ResponseBuilder::new().description(description).build().into()
}

/// A response whose body is the error body.
fn error(description: &str) -> RefOr<Response> {
    let schema = Ref::from_schema_name("ErrorBody");
    ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(schema)))
        .build()
        .into()
}

impl IntoResponses for NotModified {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([("304".to_string(), plain("Not modified (If-None-Match)"))])
    }
}

impl IntoResponses for BadParameter {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([("400".to_string(), error("A bad parameter, named"))])
    }
}

impl IntoResponses for Unavailable {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([("503".to_string(), error("data_scheduler did not answer in time"))])
    }
}

impl IntoResponses for ReadErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut all = NotModified::responses();
        all.append(&mut BadParameter::responses());
        all.append(&mut Unavailable::responses());
        all
    }
}
