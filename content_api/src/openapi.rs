//! The OpenAPI 3.1 document, generated from the route annotations, and the
//! documentation page that renders it (self-contained: no CDN, works offline).
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

use crate::error::ErrorBody;
use crate::routes;

pub mod responses;
use content_types::{
    CarDataSample, Championship, ChampionshipAnswer, Interval, LocationSample, PitStop, PositionChange,
    RaceControlMessage, SessionStatusChange, Stint, TrackStatusChange, WeatherSample, WhatIf, WhatIfRequest,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "willitbemax content API",
        description = "The public read API of willitbemax: Formula 1 seasons, rounds, sessions, standings and \
                       the title fight. Every JSON answer is `{\"metadata\":{\"date\",\"cached\"},\"result\":...}` \
                       with a strong ETag (send If-None-Match for a 304). Errors are \
                       `{\"error\":{\"code\",\"message\"}}`. Data from F1DB (https://github.com/f1db/f1db, CC BY 4.0)."
    ),
    paths(
        routes::seasons::list,
        routes::seasons::one,
        routes::rounds::list,
        routes::rounds::one,
        routes::rounds::session,
        routes::session_data::records,
        routes::standings::drivers,
        routes::standings::constructors,
        routes::standings::progression,
        routes::championship::fight,
        routes::championship::what_if,
        routes::root::root,
        routes::people::drivers,
        routes::people::constructors,
        routes::circuits::list,
        routes::people::driver,
        routes::people::constructor,
        routes::career::driver,
        routes::career::constructor,
        routes::circuits::circuit,
        routes::circuits::image,
        routes::circuits::rounds,
        routes::live::now,
        routes::live::stream,
        routes::changes::version,
        crate::ergast::handle,
        routes::openf1::endpoint,
    ),
    components(schemas(
        ErrorBody, Championship, WhatIf, WhatIfRequest, ChampionshipAnswer, Stint, PitStop, RaceControlMessage,
        WeatherSample, TrackStatusChange, SessionStatusChange, PositionChange, Interval, CarDataSample, LocationSample
    )),
    tags(
        (name = "seasons", description = "Seasons and their status"),
        (name = "rounds", description = "Rounds, sessions and results"),
        (name = "standings", description = "Championship standings and the title fight"),
        (name = "reference", description = "Drivers, constructors and circuits"),
        (name = "live", description = "The session running now"),
        (name = "openf1", description = "Session data in OpenF1's format (its endpoints, fields and filters)"),
        (name = "ergast", description = "The Ergast-compatible API (Jolpica's paths and JSON)"),
        (name = "changes", description = "How far this process has followed the writes"),
    )
)]
pub struct ApiDoc;

/// The document as JSON text, built once.
pub fn document() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_json().expect("the OpenAPI document serialises"))
}

/// `GET /content/v1/openapi.json`.
pub async fn json() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], document()).into_response()
}

const DOCS_PAGE: &str = include_str!("docs.html");

/// `GET /content/v1/docs`: an interactive page that reads `openapi.json`
/// and lets the reader try each route; everything it needs is inline.
pub async fn docs() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:",
                ),
            ),
        ],
        DOCS_PAGE,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_1_with_the_envelopes() {
        let doc: serde_json::Value = serde_json::from_str(document()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        assert!(schemas.keys().any(|k| k.starts_with("Envelope")), "{:?}", schemas.keys().collect::<Vec<_>>());
        // Provenance and the place of every row are part of the contract.
        let props = |name: &str| schemas[name]["properties"].as_object().cloned().unwrap_or_default();
        assert!(props("Session").contains_key("provenance"));
        assert!(props("SessionResult").contains_key("classified"));
        assert!(props("Round").contains_key("provisional"));
        assert_eq!(
            props("Provenance").keys().map(String::as_str).collect::<Vec<_>>(),
            ["source", "status", "updated_at"]
        );
        let answer = serde_json::to_string(&schemas["ChampionshipAnswer"]).unwrap();
        assert!(answer.contains("provisional_note"), "{answer}");
        if std::env::var_os("PRINT_OPENAPI").is_some() {
            println!("{}", serde_json::to_string_pretty(&doc).unwrap());
        }
    }
}
