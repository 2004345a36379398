//! The indexes (issue 27): `/content/v1/drivers`, `/constructors` and
//! `/circuits` with paging, accent-insensitive `?q=` and `?season=`, and the
//! `/content/v1` root that links to them.
use axum::http::StatusCode;
use serde_json::Value;

use crate::support::TestApp;

fn ids<'a>(page: &'a Value, key: &str) -> Vec<&'a str> {
    page[key].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn drivers_page_through_every_driver_in_id_order() {
    let app = TestApp::shared();
    let first = app.result("/content/v1/drivers?per_page=50").await;
    let total = first["total"].as_i64().unwrap();
    assert!(total > 700, "every driver since 1950: {total}");
    assert_eq!((first["page"].as_i64(), first["per_page"].as_i64()), (Some(1), Some(50)));
    let one = ids(&first, "drivers");
    assert_eq!(one.len(), 50);
    assert!(one.windows(2).all(|w| w[0] < w[1]), "id order: {one:?}");
    let second = app.result("/content/v1/drivers?per_page=50&page=2").await;
    let two = ids(&second, "drivers");
    assert!(one.last() < two.first(), "page 2 follows page 1");
    assert_eq!(second["total"], total);
    let last = app.result(&format!("/content/v1/drivers?per_page=50&page={}", total / 50 + 2)).await;
    assert!(last["drivers"].as_array().unwrap().is_empty(), "past the end: an empty page");
}

#[tokio::test]
async fn q_finds_names_whatever_their_accents() {
    let app = TestApp::shared();
    let perez = app.result("/content/v1/drivers?q=perez").await;
    assert!(ids(&perez, "drivers").contains(&"sergio-perez"), "{perez}");
    let accented = app.result("/content/v1/drivers?q=P%C3%89REZ").await;
    assert_eq!(ids(&accented, "drivers"), ids(&perez, "drivers"), "PÉREZ finds the same");
    let senna = app.result("/content/v1/drivers?q=senna").await;
    assert!(ids(&senna, "drivers").contains(&"ayrton-senna"), "{senna}");
    let full = app.result("/content/v1/drivers?q=Ayrton%20Senna").await;
    assert_eq!(ids(&full, "drivers"), ["ayrton-senna"]);
    let hulk = app.result("/content/v1/drivers?q=hulkenberg").await;
    assert_eq!(hulk["drivers"][0]["full_name"], "Nico Hülkenberg");
    let ferrari = app.result("/content/v1/constructors?q=ferrari").await;
    assert!(ids(&ferrari, "constructors").contains(&"ferrari"), "{ferrari}");
    let monza = app.result("/content/v1/circuits?q=monza").await;
    assert_eq!(ids(&monza, "circuits"), ["monza"]);
    let sao_paulo = app.result("/content/v1/circuits?q=sao%20paulo").await;
    assert!(ids(&sao_paulo, "circuits").contains(&"interlagos"), "São Paulo, by its place: {sao_paulo}");
    let nobody = app.result("/content/v1/drivers?q=zzzz").await;
    assert_eq!(nobody["total"], 0);
}

#[tokio::test]
async fn season_narrows_to_those_who_took_part() {
    let app = TestApp::shared();
    let drivers = app.result("/content/v1/drivers?season=2024&per_page=1000").await;
    let d = ids(&drivers, "drivers");
    assert_eq!(drivers["total"], 24, "the 24 drivers of 2024: {d:?}");
    assert!(d.contains(&"oliver-bearman") && !d.contains(&"ayrton-senna"));
    let teams = app.result("/content/v1/constructors?season=2024").await;
    assert_eq!(teams["total"], 10);
    let circuits = app.result("/content/v1/circuits?season=2024").await;
    assert_eq!(circuits["total"], 24, "24 rounds at 24 circuits");
    let both = app.result("/content/v1/drivers?season=1994&q=hill").await;
    assert_eq!(ids(&both, "drivers"), ["damon-hill"], "q and season together");
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_field() {
    let app = TestApp::shared();
    for (uri, field) in [
        ("/content/v1/drivers?season=1900", "season"),
        ("/content/v1/drivers?season=abc", "season"),
        ("/content/v1/constructors?q=%3F%21", "q"),
        ("/content/v1/circuits?per_page=5000", "per_page"),
        ("/content/v1/drivers?page=0", "page"),
    ] {
        let body = app.error(uri, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_eq!(body["error"]["parameter"], field, "{uri}: {body}");
    }
    let long = format!("/content/v1/drivers?q={}", "a".repeat(101));
    let body = app.error(&long, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(body["error"]["parameter"], "q");
}

#[tokio::test]
async fn the_root_links_the_docs_the_openapi_document_and_the_collections() {
    let app = TestApp::shared();
    for root in ["/content/v1", "/content/v1/"] {
        let reply = app.get(root).await;
        assert_eq!(reply.status, StatusCode::OK, "{root}");
        let body = reply.json();
        assert_eq!(body["docs"], "/content/v1/docs");
        assert_eq!(body["openapi"], "/content/v1/openapi.json");
        let links: Vec<&str> =
            body["collections"].as_array().unwrap().iter().map(|c| c["href"].as_str().unwrap()).collect();
        for href in ["/content/v1/seasons", "/content/v1/drivers", "/content/v1/constructors", "/content/v1/circuits"] {
            assert!(links.contains(&href), "{href} in {links:?}");
            assert_eq!(app.get(href).await.status, StatusCode::OK, "{href} answers");
        }
    }
    assert_eq!(app.get("/content/v1/docs").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_indexes_are_in_the_openapi_document() {
    let app = TestApp::shared();
    let doc = app.get("/content/v1/openapi.json").await.json();
    for path in ["/content/v1", "/content/v1/drivers", "/content/v1/constructors", "/content/v1/circuits"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
    let params: Vec<&str> = doc["paths"]["/content/v1/drivers"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["q", "season", "page", "per_page"]);
}

#[tokio::test]
async fn a_circuit_lists_the_rounds_held_there_with_their_winners() {
    let app = TestApp::shared();
    let monza = app.result("/content/v1/circuits/monza/rounds").await;
    let rounds = monza["rounds"].as_array().unwrap();
    let seasons: Vec<i64> = rounds.iter().map(|r| r["season"].as_i64().unwrap()).collect();
    assert!(seasons.windows(2).all(|w| w[0] > w[1]), "newest first, one a season: {seasons:?}");
    assert!(!seasons.contains(&1980), "1980's Italian Grand Prix was at Imola");
    assert_eq!(rounds[0]["season"], 2026);
    assert!(rounds[0]["winner"].is_null(), "not raced yet in the bundled data");
    let y2024 = rounds.iter().find(|r| r["season"] == 2024).expect("2024");
    assert_eq!(
        (y2024["winner"]["id"].as_str(), y2024["team"]["id"].as_str()),
        (Some("charles-leclerc"), Some("ferrari"))
    );
    let first = rounds.last().unwrap();
    assert_eq!((first["season"].as_i64(), first["winner"]["id"].as_str()), (Some(1950), Some("nino-farina")));
    assert_eq!(first["name"], "Italian Grand Prix");
    app.error("/content/v1/circuits/nowhere/rounds", StatusCode::NOT_FOUND, "not_found").await;
}
