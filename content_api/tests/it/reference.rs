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
    ds.client().write_batch(batch).await.expect("write");
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
