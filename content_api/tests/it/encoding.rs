//! Compressed answers: the form the client's `Accept-Encoding` asks for,
//! made once and kept with the rendered answer, each form with its own ETag.
use std::io::Read;

use axum::http::StatusCode;

use crate::support::{Reply, TestApp, fixture};

const ROUNDS: &str = "/content/v1/seasons/2024/rounds";

/// A router that reuses rendered answers (as deployed), over the shared
/// data_scheduler.
async fn reusing() -> TestApp {
    let addr = fixture::shared_data_scheduler();
    TestApp::keeping(&format!("http://{addr}"), 60).await
}

fn decoded(reply: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    match reply.header("content-encoding") {
        "gzip" => flate2::read::GzDecoder::new(&reply.body[..]).read_to_end(&mut out).expect("gzip"),
        "br" => brotli::Decompressor::new(&reply.body[..], 4096).read_to_end(&mut out).expect("brotli"),
        other => panic!("unexpected content-encoding `{other}`"),
    };
    out
}

/// Whether `Vary` names `Accept-Encoding` (CORS adds its own `Vary` values).
fn varies(reply: &Reply) -> bool {
    reply.headers.get_all("vary").iter().any(|v| v.to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"))
}

/// The identity tag with `suffix` inside the quotes.
fn tag_of(identity: &str, suffix: &str) -> String {
    format!("{}{suffix}\"", identity.strip_suffix('"').unwrap())
}

#[tokio::test]
async fn gzip_and_brotli_decode_to_the_identity_answer() {
    let app = reusing().await;
    let plain = app.get(ROUNDS).await;
    assert_eq!(plain.status, StatusCode::OK);
    // Served from the kept answer from now on, so every form holds the same bytes.
    let plain = app.get(ROUNDS).await;
    assert_eq!(plain.json()["metadata"]["cached"], true);
    let etag = plain.header("etag").to_string();
    for (accept, coding, suffix) in [("gzip", "gzip", "-gz"), ("br", "br", "-br")] {
        let reply = app.get_with(ROUNDS, &[("accept-encoding", accept)]).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("content-encoding"), coding);
        assert!(varies(&reply));
        assert_eq!(reply.header("content-type"), "application/json");
        assert_eq!(reply.header("cache-control"), "public, max-age=86400");
        assert_eq!(reply.header("etag"), tag_of(&etag, suffix), "a strong tag per form");
        assert!(reply.body.len() * 4 < plain.body.len(), "{coding}: {} vs {}", reply.body.len(), plain.body.len());
        // Decoded once it is the JSON answer: the CompressionLayer did not
        // compress it a second time.
        assert_eq!(decoded(&reply), plain.body, "{coding}");
        // Asked again, the same kept bytes.
        assert_eq!(app.get_with(ROUNDS, &[("accept-encoding", accept)]).await.body, reply.body, "{coding}");
    }
}

#[tokio::test]
async fn accept_encoding_preferences() {
    let app = reusing().await;
    let cases = [
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.4, gzip;q=0.9", "gzip"),
        ("*", "br"),
        ("deflate", ""),
        ("identity", ""),
        ("gzip;q=0", ""),
    ];
    for (accept, want) in cases {
        let reply = app.get_with(ROUNDS, &[("accept-encoding", accept)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept}");
        assert_eq!(reply.header("content-encoding"), want, "{accept}");
        assert!(varies(&reply), "{accept}");
    }
}

#[tokio::test]
async fn no_accept_encoding_gets_identity() {
    let app = TestApp::shared();
    let reply = app.get(ROUNDS).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers.get("content-encoding").is_none());
    assert!(varies(&reply), "the answer has other forms");
    assert!(!reply.header("etag").ends_with("-gz\"") && !reply.header("etag").ends_with("-br\""));
    assert_eq!(reply.json()["result"]["rounds"].as_array().unwrap().len(), 24);
}

#[tokio::test]
async fn answers_rendered_for_one_request_are_compressed_too() {
    // Without answer reuse (the tests' config) each answer is rendered for
    // its request and still sent in the form asked for, with its own tag.
    let app = TestApp::shared();
    let plain = app.get(ROUNDS).await;
    let gz = app.get_with(ROUNDS, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    assert_eq!(gz.header("etag"), tag_of(plain.header("etag"), "-gz"));
    let json: serde_json::Value = serde_json::from_slice(&decoded(&gz)).expect("JSON once decoded");
    assert_eq!(json["result"], plain.json()["result"]);
}

#[tokio::test]
async fn if_none_match_with_any_form_gives_304() {
    let app = reusing().await;
    let plain = app.get(ROUNDS).await;
    let identity = plain.header("etag").to_string();
    let gz = app.get_with(ROUNDS, &[("accept-encoding", "gzip")]).await;
    let gz_tag = gz.header("etag").to_string();
    assert_eq!(gz_tag, tag_of(&identity, "-gz"));

    let again = app.get_with(ROUNDS, &[("accept-encoding", "gzip"), ("if-none-match", &gz_tag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), gz_tag);
    assert!(varies(&again));
    assert_eq!(again.header("cache-control"), "public, max-age=86400");
    assert!(again.headers.get("content-encoding").is_none());

    // A client holding another form of the same data: its copy is current,
    // and the 304 names the form it holds.
    let other = app.get_with(ROUNDS, &[("accept-encoding", "br"), ("if-none-match", &gz_tag)]).await;
    assert_eq!(other.status, StatusCode::NOT_MODIFIED);
    assert_eq!(other.header("etag"), gz_tag);
    let listed = format!("\"x\", {identity}, {}", tag_of(&identity, "-br"));
    let cache = app.get_with(ROUNDS, &[("accept-encoding", "br"), ("if-none-match", &listed)]).await;
    assert_eq!(cache.status, StatusCode::NOT_MODIFIED);
    assert_eq!(cache.header("etag"), tag_of(&identity, "-br"), "the form it would send, when listed");
    let plain_again = app.get_with(ROUNDS, &[("if-none-match", &identity)]).await;
    assert_eq!(plain_again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(plain_again.header("etag"), identity);

    // Another answer's tag does not match.
    let season_2023 = app.get_with("/content/v1/seasons/2023/rounds", &[("accept-encoding", "gzip")]).await;
    let stale =
        app.get_with(ROUNDS, &[("accept-encoding", "gzip"), ("if-none-match", season_2023.header("etag"))]).await;
    assert_eq!(stale.status, StatusCode::OK);
    assert_eq!(stale.header("content-encoding"), "gzip");
}

#[tokio::test]
async fn small_answers_and_other_responses() {
    let app = reusing().await;
    // A small answer is sent as it is, by this layer and by the CompressionLayer.
    let uri = "/content/v1/seasons/2024";
    let plain = app.get(uri).await;
    assert!(plain.body.len() < common::encoding::MIN_COMPRESSED_SIZE, "{} bytes", plain.body.len());
    let small = app.get_with(uri, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(small.status, StatusCode::OK);
    assert!(small.headers.get("content-encoding").is_none());
    assert!(!varies(&small), "one form only");
    assert_eq!(small.header("etag"), plain.header("etag"));
    small.json();
    // Responses not rendered as answers are still compressed on the fly.
    let doc = app.get_with("/content/v1/openapi.json", &[("accept-encoding", "gzip")]).await;
    assert_eq!(doc.header("content-encoding"), "gzip");
    let doc: serde_json::Value = serde_json::from_slice(&decoded(&doc)).expect("the OpenAPI document");
    assert!(doc["paths"].as_object().is_some_and(|p| !p.is_empty()));
}
