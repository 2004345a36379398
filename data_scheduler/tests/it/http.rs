//! The plain HTTP side of data_scheduler's port: health, metrics, and a
//! JSON 404 for anything else, while gRPC keeps working on the same port.
use protobuf::v1::SeasonFilter;
use testkit::data_scheduler::TestDataScheduler;

#[tokio::test]
async fn unknown_http_paths_are_404_in_the_json_error_body() {
    let ds = TestDataScheduler::start().await;
    let http = reqwest::Client::new();
    for path in ["/nope", "/willitbemax.v1.SportData/GetSeasons", "/health/nope"] {
        let answer = http.get(format!("{}{path}", ds.url())).send().await.unwrap();
        assert_eq!(answer.status(), 404, "{path}");
        let body: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}: {body}");
    }
    assert_eq!(http.get(format!("{}/health", ds.url())).send().await.unwrap().status(), 200);
    assert_eq!(http.get(format!("{}/metrics", ds.url())).send().await.unwrap().status(), 200);
    // gRPC on the same port is unaffected.
    ds.client().sport().get_seasons(SeasonFilter::default()).await.unwrap();
}
