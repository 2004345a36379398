//! `/content/v1`: where to start — the docs, the OpenAPI document and the
//! collections, so a client (or a person with a browser) can find its way.
use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use content_types::{ApiRoot, Collection};

const INDEX_PARAMETERS: [&str; 4] = ["q", "season", "page", "per_page"];

fn collection(name: &str, href: &str, parameters: &[&str]) -> Collection {
    Collection {
        name: name.into(),
        href: href.into(),
        parameters: parameters.iter().map(|p| (*p).to_string()).collect(),
    }
}

/// The API's front door: links, no data.
#[utoipa::path(
    get, path = "/content/v1", operation_id = "get_root", tag = "reference",
    responses((status = 200, description = "Links to the documentation and the collections", body = ApiRoot))
)]
pub async fn root() -> Response {
    let body = ApiRoot {
        name: "willitbemax content API".into(),
        docs: "/content/v1/docs".into(),
        openapi: "/content/v1/openapi.json".into(),
        ergast: "/ergast/f1".into(),
        collections: vec![
            collection("seasons", "/content/v1/seasons", &["year", "status", "page", "per_page"]),
            collection("drivers", "/content/v1/drivers", &INDEX_PARAMETERS),
            collection("constructors", "/content/v1/constructors", &INDEX_PARAMETERS),
            collection("circuits", "/content/v1/circuits", &INDEX_PARAMETERS),
            collection("live", "/content/v1/live", &[]),
        ],
    };
    let mut res = Json(body).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}
