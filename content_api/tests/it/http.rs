use axum::http::StatusCode;
use content_api::Config;

use crate::support::{TestApp, config, fixture};

#[tokio::test]
async fn etag_and_if_none_match_give_304() {
    let app = TestApp::shared();
    let uri = "/content/v1/seasons/2024/rounds";
    let first = app.get(uri).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.header("etag").to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "a strong ETag: {etag}");
    let again = app.get_with(uri, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), etag);
    assert_eq!(again.header("cache-control"), "public, max-age=86400");
    let listed = app.get_with(uri, &[("if-none-match", &format!("\"other\", W/{etag}"))]).await;
    assert_eq!(listed.status, StatusCode::NOT_MODIFIED);
    let other = app.get_with(uri, &[("if-none-match", "\"something-else\"")]).await;
    assert_eq!(other.status, StatusCode::OK);
    // Another resource has another tag.
    assert_ne!(app.get("/content/v1/seasons/2023/rounds").await.header("etag"), etag);
}

#[tokio::test]
async fn cache_control_by_kind_of_data() {
    let app = TestApp::shared();
    let cases = [
        ("/content/v1/seasons/2023", "public, max-age=86400"),
        ("/content/v1/seasons/2023/rounds/5/sessions/race", "public, max-age=86400"),
        ("/content/v1/seasons/2026", "public, max-age=60"),
        ("/content/v1/seasons/2026/championship", "public, max-age=60"),
        ("/content/v1/seasons", "public, max-age=60"),
        ("/content/v1/drivers/lando-norris", "public, max-age=3600"),
    ];
    for (uri, want) in cases {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert_eq!(reply.header("cache-control"), want, "{uri}");
        assert!(!reply.header("etag").is_empty(), "{uri} has an ETag");
    }
}

#[tokio::test]
async fn metadata_is_passed_through_from_data_scheduler() {
    let app = TestApp::shared();
    // A season no other test reads, so the first read misses the cache.
    let first = app.get("/content/v1/seasons/1995/rounds/3").await.json();
    let second = app.get("/content/v1/seasons/1995/rounds/3").await.json();
    assert_eq!(first["metadata"]["cached"], false);
    assert_eq!(second["metadata"]["cached"], true);
    let date = first["metadata"]["date"].as_i64().unwrap();
    assert!(date > 1_700_000_000, "the write time of the import: {date}");
    assert_eq!(second["metadata"]["date"], first["metadata"]["date"]);
    assert_eq!(first["result"], second["result"]);
}

#[tokio::test]
async fn rendered_answers_are_reused_when_configured() {
    let addr = fixture::shared_data_scheduler();
    let app = TestApp::keeping(&format!("http://{addr}"), 60).await;
    let uri = "/content/v1/seasons/1996/rounds/2";
    let first = app.get(uri).await;
    let second = app.get(uri).await;
    assert_eq!(first.json()["metadata"]["cached"], false);
    assert_eq!(second.json()["metadata"]["cached"], true);
    assert_eq!(first.header("etag"), second.header("etag"), "the tag names the data, not the cached flag");
    assert_eq!(first.json()["result"], second.json()["result"]);
}

#[tokio::test]
async fn cors_only_for_the_allowlist() {
    let addr = fixture::shared_data_scheduler();
    let cfg = Config { cors_origins: "https://willitbemax.example".into(), ..config() };
    let app = TestApp::on(&format!("http://{addr}"), cfg);
    let allowed = app.get_with("/content/v1/seasons/2024", &[("origin", "https://willitbemax.example")]).await;
    assert_eq!(allowed.header("access-control-allow-origin"), "https://willitbemax.example");
    assert!(allowed.header("access-control-expose-headers").contains("etag"));
    let other = app.get_with("/content/v1/seasons/2024", &[("origin", "https://elsewhere.example")]).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(other.headers.get("access-control-allow-origin").is_none());
    let preflight = app
        .send(
            axum::http::Request::options("/content/v1/seasons/2024")
                .header("origin", "https://willitbemax.example")
                .header("access-control-request-method", "GET")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::OK);
    assert!(preflight.header("access-control-allow-methods").contains("GET"));
    // The default allows no cross-origin reads.
    let closed =
        TestApp::shared().get_with("/content/v1/seasons/2024", &[("origin", "https://willitbemax.example")]).await;
    assert!(closed.headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn request_ids_are_echoed() {
    let app = TestApp::shared();
    let mine = app.get_with("/content/v1/seasons/2024", &[("x-request-id", "abc-123")]).await;
    assert_eq!(mine.header("x-request-id"), "abc-123");
    let given = app.get("/content/v1/seasons/2024").await;
    assert!(!given.header("x-request-id").is_empty());
}
