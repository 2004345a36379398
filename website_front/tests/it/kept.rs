//! Kept pages: a repeat visit is served from the kept page (content_api is
//! only asked whether its answers changed, and answers 304), the visitor's
//! If-None-Match gets a 304, and a write through data_scheduler makes a
//! new page with a new ETag, at once. A small store of its own, and
//! content_api keeping its answers as deployed (it follows the writes).
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::response::Response;
use common::Shutdown;
use protobuf::v1::{
    Circuit, Provenance, ResultSource, Round, RoundFormat, Season, SeasonStatus, Session, SessionResult, SessionStatus,
    SessionType, WriteBatchRequest,
};
use testkit::data_scheduler::TestDataScheduler;

use crate::stack::{start_site, start_site_fresh_for};

/// content_api behind a proxy that counts its full answers (200) and its
/// 304s; a "not found" (an absent part of a page, asked again) is neither.
#[derive(Default)]
struct Counts {
    full: AtomicUsize,
    not_modified: AtomicUsize,
}

struct Proxy {
    target: String,
    http: reqwest::Client,
    counts: Arc<Counts>,
}

async fn forward(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let path = req.uri().path_and_query().map_or("/", |x| x.as_str());
    let mut out = p.http.get(format!("{}{path}", p.target));
    if let Some(tag) = req.headers().get(IF_NONE_MATCH) {
        out = out.header(IF_NONE_MATCH, tag.clone());
    }
    let res = out.send().await.expect("content_api answers");
    // The version asked on every visit is not an answer a page is built from.
    let counted = if path == "/content/v1/changes" { 0 } else { res.status().as_u16() };
    match counted {
        200 => p.counts.full.fetch_add(1, Ordering::SeqCst),
        304 => p.counts.not_modified.fetch_add(1, Ordering::SeqCst),
        _ => 0,
    };
    let mut built = Response::builder().status(res.status());
    for name in [ETAG, CONTENT_TYPE, CACHE_CONTROL] {
        if let Some(v) = res.headers().get(&name) {
            built = built.header(name, v.clone());
        }
    }
    built.body(Body::from(res.bytes().await.expect("body"))).expect("response")
}

async fn counting_proxy(target: String, shutdown: &Shutdown) -> (String, Arc<Counts>) {
    let counts = Arc::new(Counts::default());
    let proxy = Arc::new(Proxy { target, http: reqwest::Client::new(), counts: counts.clone() });
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", l.local_addr().expect("addr"));
    tokio::spawn(common::http::serve(l, app, shutdown.clone()));
    (url, counts)
}

fn fixture(second_round: &str) -> WriteBatchRequest {
    fixture_in(2027, second_round)
}

fn fixture_in(year: i32, second_round: &str) -> WriteBatchRequest {
    let round = |n: i32, name: &str| Round {
        season: year,
        round: n,
        name: name.into(),
        circuit_id: "test-ring".into(),
        format: RoundFormat::Conventional as i32,
        date: format!("{year}-0{n}-10"),
        ..Default::default()
    };
    WriteBatchRequest {
        seasons: vec![Season { year, status: SeasonStatus::Upcoming as i32, total_rounds: 2, ..Default::default() }],
        circuits: vec![Circuit { id: "test-ring".into(), name: "Test Ring".into(), ..Default::default() }],
        rounds: vec![round(1, "Opening Grand Prix"), round(2, second_round)],
        ..Default::default()
    }
}

async fn get(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(url).timeout(Duration::from_secs(60));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

fn etag(res: &reqwest::Response) -> String {
    res.headers().get(ETAG).expect("an ETag").to_str().expect("ASCII").to_string()
}

/// A store holding the fixture, and content_api (keeping its answers, once
/// it follows the writes) behind the counting proxy: (store, shutdown,
/// proxy URL, counts).
async fn counted_content() -> (TestDataScheduler, Shutdown, String, Arc<Counts>) {
    let ds = TestDataScheduler::start().await;
    ds.client().write(fixture("Second Grand Prix")).await.expect("fixture");
    let shutdown = Shutdown::new();
    let cfg =
        content_api::Config { data_scheduler_url: ds.url(), content_response_cache_secs: 60, ..Default::default() };
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let content = format!("http://{}", l.local_addr().expect("addr"));
    let state = content_api::AppState::new(&cfg).expect("content_api state");
    assert!(state.follow_changes(Duration::from_secs(20)).await, "content_api follows the writes");
    tokio::spawn(content_api::serve(l, state, shutdown.clone()));
    let (proxy, counts) = counting_proxy(content, &shutdown).await;
    (ds, shutdown, proxy, counts)
}

#[tokio::test]
async fn pages_are_kept_until_their_data_changes() {
    let (ds, shutdown, proxy, counts) = counted_content().await;
    let client = ds.client();
    let (site, _) = start_site(&proxy, &shutdown).await;
    let url = format!("{site}/seasons/2027");

    let first = get(&url, &[]).await;
    assert_eq!(first.status(), 200);
    let tag = etag(&first);
    let body = first.text().await.expect("body");
    assert!(body.contains(">Second<"), "{body}");
    let full = counts.full.load(Ordering::SeqCst);
    assert!(full > 0 && counts.not_modified.load(Ordering::SeqCst) == 0);

    // A repeat visit: content_api only confirms (304) that nothing changed.
    let again = get(&url, &[]).await;
    assert_eq!(again.status(), 200);
    assert_eq!(etag(&again), tag);
    assert_eq!(again.text().await.expect("body"), body);
    assert_eq!(counts.full.load(Ordering::SeqCst), full, "no answer was sent again");
    assert!(counts.not_modified.load(Ordering::SeqCst) > 0, "the sources were revalidated");

    // The visitor's own copy is current: 304, and the compressed form has its own tag.
    let held = get(&url, &[("if-none-match", &tag)]).await;
    assert_eq!(held.status(), 304);
    assert_eq!(etag(&held), tag);
    let gz = get(&url, &[(ACCEPT_ENCODING.as_str(), "gzip")]).await;
    assert_eq!(gz.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(etag(&gz), format!("{}-gz\"", tag.trim_end_matches('"')));
    assert_eq!(counts.full.load(Ordering::SeqCst), full);

    // A write through data_scheduler: the next visit builds a new page.
    client.write(fixture("Renamed Grand Prix")).await.expect("the change");
    let changed = get(&url, &[("if-none-match", &tag)]).await;
    assert_eq!(changed.status(), 200, "the visitor's copy is out of date");
    let new_tag = etag(&changed);
    assert_ne!(new_tag, tag);
    assert!(changed.text().await.expect("body").contains(">Renamed<"));
    assert!(counts.full.load(Ordering::SeqCst) > full, "the changed answers were read");
    let kept = get(&url, &[("if-none-match", &new_tag)]).await;
    assert_eq!(kept.status(), 304, "the new page is kept in turn");

    shutdown.trigger();
    tokio::time::timeout(Duration::from_secs(10), ds.stop()).await.expect("data_scheduler stops");
}

/// A race of `year`'s round 1 classified from `source`, `order` first to last.
fn race(year: i32, source: ResultSource, order: [&str; 3]) -> WriteBatchRequest {
    let results = order
        .iter()
        .enumerate()
        .map(|(i, name)| SessionResult {
            position: i as i32 + 1,
            position_text: (i + 1).to_string(),
            classified: true,
            driver_number: i as i32 + 1,
            driver_name: (*name).into(),
            driver_id: name.to_lowercase().replace(' ', "-"),
            points: [25.0, 18.0, 15.0][i],
            ..Default::default()
        })
        .collect();
    let race = Session {
        season: year,
        round: 1,
        r#type: SessionType::Race as i32,
        date: format!("{year}-01-10"),
        status: SessionStatus::Finished as i32,
        results,
        provenance: Some(Provenance::from_source(source)),
        ..Default::default()
    };
    WriteBatchRequest { sessions: vec![race], ..Default::default() }
}

/// Within the freshness window a kept page is served after asking
/// content_api only for its version (no answer is read or revalidated);
/// a write changes that version before it answers, so the visit right
/// after it gets the new page, while a page the write did not touch stays
/// kept (revalidated: 304s, no answer sent again).
#[tokio::test]
async fn a_visit_after_a_write_gets_the_new_page_and_untouched_pages_stay_kept() {
    let (ds, shutdown, proxy, counts) = counted_content().await;
    let client = ds.client();
    client.write(fixture_in(2026, "Other Grand Prix")).await.expect("another season");
    let provisional = ["Lando Norris", "Max Verstappen", "Oscar Piastri"];
    client.write(race(2027, ResultSource::LivetimingArchive, provisional)).await.expect("provisional race");
    // A window far longer than the test: every repeat visit falls in it.
    let (site, _) = start_site_fresh_for(&proxy, &shutdown, 600_000).await;
    let (round, other) = (format!("{site}/seasons/2027/rounds/1"), format!("{site}/seasons/2026"));

    let first = get(&round, &[]).await;
    assert_eq!(first.status(), 200);
    assert!(first.headers()["cache-control"].to_str().unwrap().contains("must-revalidate"), "provisional results");
    let tag = etag(&first);
    let body = first.text().await.expect("body");
    assert!(body.find("Lando Norris") < body.find("Max Verstappen"), "the provisional order");
    let other_tag = get_tag(other.clone()).await;
    let asked = (counts.full.load(Ordering::SeqCst), counts.not_modified.load(Ordering::SeqCst));
    assert!(asked.0 > 0);
    for _ in 0..5 {
        assert_eq!(get_tag(round.clone()).await, tag);
        assert_eq!(get_tag(other.clone()).await, other_tag);
    }
    let held = get(&round, &[("if-none-match", &tag)]).await;
    assert_eq!(held.status(), 304);
    let now = (counts.full.load(Ordering::SeqCst), counts.not_modified.load(Ordering::SeqCst));
    assert_eq!(now, asked, "no answer was read or revalidated within the window");

    // The official classification; the very next visit shows it.
    let official = ["Max Verstappen", "Lando Norris", "Oscar Piastri"];
    client.write(race(2027, ResultSource::F1db, official)).await.expect("official race");
    let after = get(&round, &[]).await;
    assert_eq!(after.status(), 200);
    assert_eq!(after.headers()["cache-control"], "public, max-age=30");
    assert_ne!(etag(&after), tag);
    let body = after.text().await.expect("body");
    assert!(body.find("Max Verstappen") < body.find("Lando Norris"), "the official order");

    // The other season's page is still the kept one: revalidated, not rebuilt.
    let full = counts.full.load(Ordering::SeqCst);
    assert_eq!(get_tag(other.clone()).await, other_tag);
    assert_eq!(counts.full.load(Ordering::SeqCst), full, "no answer of the untouched page was sent again");

    shutdown.trigger();
    tokio::time::timeout(Duration::from_secs(10), ds.stop()).await.expect("data_scheduler stops");
}

/// A burst of first visits to a page not kept yet builds it once: content_api
/// sends its answers for one build, and every visit gets the same page.
#[tokio::test]
async fn a_burst_of_first_visits_builds_the_page_once() {
    let (ds, shutdown, proxy, counts) = counted_content().await;
    let (site, _) = start_site(&proxy, &shutdown).await;
    // A page not kept yet, asked for by sixteen visits at once.
    let burst_url = format!("{site}/seasons/2027/rounds/2");
    let before = counts.full.load(Ordering::SeqCst);
    let visits: Vec<_> = (0..16).map(|_| tokio::spawn(get_tag(burst_url.clone()))).collect();
    let mut tags = Vec::new();
    for v in visits {
        tags.push(v.await.expect("a visit"));
    }
    tags.dedup();
    assert_eq!(tags.len(), 1, "every visit got the same page: {tags:?}");
    let asked = counts.full.load(Ordering::SeqCst) - before;
    let alone = {
        // The same page built by one visit, for comparison (a fresh site).
        let (fresh, _) = start_site(&proxy, &shutdown).await;
        let before = counts.full.load(Ordering::SeqCst);
        assert_eq!(get(&format!("{fresh}/seasons/2027/rounds/2"), &[]).await.status(), 200);
        counts.full.load(Ordering::SeqCst) - before
    };
    assert_eq!(asked, alone, "sixteen visits asked content_api for what one build needs");

    shutdown.trigger();
    tokio::time::timeout(Duration::from_secs(10), ds.stop()).await.expect("data_scheduler stops");
}

async fn get_tag(url: String) -> String {
    let res = get(&url, &[]).await;
    assert_eq!(res.status(), 200);
    etag(&res)
}
