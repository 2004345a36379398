//! Ctrl-C with live streams open: the API's and the website's event
//! streams end at once with a comment saying the server is shutting down
//! (and a `retry` for `EventSource`), instead of holding the 10 s drain,
//! and the process exits cleanly.
use std::time::Duration;

use testkit::replay::ReplayServer;

use crate::stack::Stack;

const LAST_WORDS: &str = ": the server is shutting down\nretry: 1000\n\n";
/// The drain a stream used to hold the exit for.
const DRAIN: Duration = Duration::from_secs(10);

async fn open(http: &reqwest::Client, url: &str) -> reqwest::Response {
    let mut res = http.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"), "{url}");
    // The stream is open once its first bytes (the snapshot) arrived.
    let first = tokio::time::timeout(Duration::from_secs(30), res.chunk()).await.expect("first bytes");
    assert!(first.unwrap().is_some(), "{url} sent something");
    res
}

async fn rest(mut res: reqwest::Response) -> String {
    let mut out = Vec::new();
    while let Some(chunk) =
        tokio::time::timeout(DRAIN, res.chunk()).await.expect("the stream ends before the drain").unwrap()
    {
        out.extend_from_slice(&chunk);
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn ctrl_c_ends_open_streams_at_once() {
    let replay = ReplayServer::start(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jolpica")).await;
    let data = tempfile::tempdir().unwrap();
    let mut stack = Stack::start(data.path(), &replay.url()).await;
    let http = reqwest::Client::new();
    let api = open(&http, &format!("{}/content/v1/live/stream", stack.url)).await;
    let site = open(&http, &format!("{}/live/stream", stack.url)).await;
    let (took, api_rest, site_rest) = tokio::join!(stack.stop_with("-INT"), rest(api), rest(site));
    assert!(api_rest.ends_with(LAST_WORDS), "the API's stream ends with its last words: {api_rest:?}");
    assert!(site_rest.contains(": the server is shutting down"), "the website's stream says so: {site_rest:?}");
    eprintln!("exited {took:?} after Ctrl-C with two streams open");
    assert!(took < DRAIN / 2, "the exit did not wait for the streams: {took:?}");
}
