use axum::http::StatusCode;
use insta::assert_json_snapshot;
use protobuf::v1::{Circuit, CircuitImage, WriteBatchRequest};
use testkit::data_scheduler::TestDataScheduler;

use crate::support::{TestApp, config};

#[tokio::test]
async fn driver_constructor_and_circuit() {
    let app = TestApp::shared();
    let driver = app.get("/content/v1/drivers/max-verstappen").await;
    assert_json_snapshot!("driver_max_verstappen", driver.json(), { ".metadata.date" => "[date]", ".metadata.cached" => "[cached]" });
    let team = app.result("/content/v1/constructors/mclaren").await;
    assert_eq!(team["name"], "McLaren");
    let circuit = app.get("/content/v1/circuits/monza").await;
    assert_json_snapshot!("circuit_monza", circuit.json(), { ".metadata.date" => "[date]", ".metadata.cached" => "[cached]" });
    assert_eq!(circuit.header("cache-control"), "public, max-age=3600");
}

#[tokio::test]
async fn unknown_ids_are_404_and_malformed_ids_400() {
    let app = TestApp::shared();
    app.error("/content/v1/drivers/nobody-at-all", StatusCode::NOT_FOUND, "not_found").await;
    app.error("/content/v1/constructors/nobody-at-all", StatusCode::NOT_FOUND, "not_found").await;
    app.error("/content/v1/circuits/nowhere", StatusCode::NOT_FOUND, "not_found").await;
    app.error("/content/v1/circuits/nowhere/image", StatusCode::NOT_FOUND, "not_found").await;
    let body = app.error("/content/v1/drivers/Max%20Verstappen", StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(body["error"]["parameter"], "id");
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

#[tokio::test]
async fn circuit_image_bytes_and_its_url_on_the_circuit() {
    let ds = TestDataScheduler::start().await;
    let circuit = Circuit { id: "lusail".into(), name: "Lusail".into(), ..Default::default() };
    let image = CircuitImage {
        circuit_id: "lusail".into(),
        content_type: "image/png".into(),
        data: PNG.to_vec(),
        source_url: String::new(),
    };
    let batch = WriteBatchRequest { circuits: vec![circuit], circuit_images: vec![image], ..Default::default() };
    ds.client().sport().write_batch(batch).await.expect("write");
    let app = TestApp::on(&ds.url(), config());

    let c = app.result("/content/v1/circuits/lusail").await;
    assert_eq!(c["image_url"], "/content/v1/circuits/lusail/image");
    let img = app.get("/content/v1/circuits/lusail/image").await;
    assert_eq!(img.status, StatusCode::OK);
    assert_eq!(img.header("content-type"), "image/png");
    assert_eq!(&img.body[..], PNG);
    let etag = img.header("etag").to_string();
    assert!(etag.starts_with('"'), "strong ETag: {etag}");
    let again = app.get_with("/content/v1/circuits/lusail/image", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
}

#[tokio::test]
async fn a_driver_career_is_one_answer_with_every_season() {
    let app = TestApp::shared();
    let res = app.get("/content/v1/drivers/max-verstappen/seasons").await;
    assert_eq!(res.status, StatusCode::OK);
    let career = &res.json()["result"];
    assert_eq!(career["driver"]["id"], "max-verstappen");
    let seasons = career["seasons"].as_array().unwrap();
    assert!(seasons.windows(2).all(|w| w[0]["season"].as_i64() > w[1]["season"].as_i64()), "newest first");
    let s2024 = seasons.iter().find(|s| s["season"] == 2024).expect("2024");
    assert_eq!(s2024["standing"]["position"], 1);
    assert_eq!(s2024["standing"]["points"], 437.0);
    assert_eq!(
        seasons.iter().find(|s| s["season"] == 2015).expect("2015, his first")["standing"]["team"],
        "Toro Rosso"
    );
    assert!(seasons.iter().all(|s| s["season"].as_i64() >= Some(2015)));
    let races = career["latest_races"].as_array().unwrap();
    assert!(races.iter().all(|r| r["season"] == seasons[0]["season"]), "races of the newest season");
    app.error("/content/v1/drivers/nobody-at-all/seasons", StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_constructor_career_lists_its_drivers_each_season() {
    let app = TestApp::shared();
    let career = app.result("/content/v1/constructors/mclaren/seasons").await;
    assert_eq!(career["constructor"]["name"], "McLaren");
    let latest = career["seasons"].as_array().unwrap().iter().find(|s| s["season"] == 2024).expect("2024");
    assert_eq!(latest["standing"]["position"], 1, "2024 constructors' champion");
    let drivers: Vec<&str> =
        latest["drivers"].as_array().unwrap().iter().map(|d| d["driver_id"].as_str().unwrap()).collect();
    assert!(drivers.contains(&"lando-norris") && drivers.contains(&"oscar-piastri"), "{drivers:?}");
}

#[tokio::test]
async fn rounds_without_results_are_a_calendar() {
    let app = TestApp::shared();
    let calendar = app.result("/content/v1/seasons/2024/rounds?results=false").await;
    let rounds = calendar["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 24);
    assert!(
        rounds
            .iter()
            .flat_map(|r| r["sessions"].as_array().unwrap())
            .all(|s| s["results"].as_array().is_none_or(|r| r.is_empty()))
    );
    let full = app.result("/content/v1/seasons/2024/rounds").await;
    assert!(full.to_string().len() > 10 * calendar.to_string().len(), "results are most of the answer");
    let body =
        app.error("/content/v1/seasons/2024/rounds?results=maybe", StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(body["error"]["parameter"], "results");
}
