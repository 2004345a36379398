//! The client's limits against a real local HTTP server: answers over the
//! size limit (announced or streamed) and redirects to another origin are
//! refused; redirects within the origin are followed.
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream;

use super::{Policy, Upstream};
use crate::upstream::{Fetch, SourceName, UpstreamError};

const KIB: usize = 1024;

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn redirect(to: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

async fn server() -> SocketAddr {
    // A second origin (another port) to redirect to.
    let other = serve(Router::new().route("/secret", get(|| async { "from another origin" }))).await;
    let app = Router::new()
        .route("/small", get(|| async { vec![b'x'; 10 * KIB] }))
        .route("/announced", get(|| async { vec![b'x'; 200 * KIB] }))
        .route(
            "/streamed",
            get(|| async {
                // No Content-Length: the size shows only while reading.
                let chunks = (0..50).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 8 * KIB]));
                Body::from_stream(stream::iter(chunks))
            }),
        )
        .route("/moved", get(|| async { redirect("/small".into()) }))
        .route("/away", get(move || async move { redirect(format!("http://{other}/secret")) }));
    serve(app).await
}

fn upstream(addr: SocketAddr) -> Upstream {
    let policy = Policy { attempts: 1, timeout: Duration::from_secs(5), ..Policy::default() };
    Upstream::new(SourceName::Jolpica, &format!("http://{addr}"), policy, None).unwrap().with_max_body(100 * KIB)
}

fn message(e: UpstreamError) -> String {
    e.to_string()
}

#[tokio::test]
async fn answers_over_the_limit_are_refused_whether_announced_or_streamed() {
    let addr = server().await;
    let client = upstream(addr).sync();
    assert_eq!(client.get("/small").await.unwrap().len(), 10 * KIB);
    let announced = message(client.get("/announced").await.unwrap_err());
    assert!(announced.contains("larger than"), "{announced}");
    let streamed = message(client.get("/streamed").await.unwrap_err());
    assert!(streamed.contains("larger than"), "{streamed}");
}

#[tokio::test]
async fn redirects_are_followed_only_within_the_origin() {
    let addr = server().await;
    let client = upstream(addr).sync();
    assert_eq!(client.get("/moved").await.unwrap().len(), 10 * KIB);
    match client.get("/away").await {
        Err(UpstreamError::Status { status: 302, .. }) => {}
        other => panic!("a redirect to another origin must not be followed: {other:?}"),
    }
}

#[tokio::test]
async fn a_sync_keeps_what_it_gets_and_not_what_it_reads_once() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let asked = Arc::new(AtomicUsize::new(0));
    let count = asked.clone();
    let addr = serve(Router::new().route(
        "/{name}",
        get(move || {
            count.fetch_add(1, Ordering::SeqCst);
            async { vec![b'x'; KIB] }
        }),
    ))
    .await;
    let client = upstream(addr).sync();
    // An index: fetched once, then from the sync's cache.
    client.get("/index").await.unwrap();
    client.get("/index").await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    // A stream read once is not kept: asked again, it is fetched again.
    client.get_once("/stream").await.unwrap();
    assert!(client.cached("/stream").is_none(), "not kept");
    client.get_once("/stream").await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 3);
    // What is kept serves a read-once ask too.
    client.get_once("/index").await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 3);
}

#[test]
fn every_source_has_a_limit() {
    for source in [SourceName::Jolpica, SourceName::Formula1, SourceName::Livetiming, SourceName::F1db] {
        assert!(source.max_body_bytes() >= 8 * 1024 * KIB, "{source}");
    }
}
