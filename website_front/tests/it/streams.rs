//! `/live/stream` has its own budget on the website too: with more viewers'
//! streams open than the site has ordinary connections, the live page and
//! `/health` still answer, and content_api's API too; a stream past the
//! budget or past the per-address cap is told at once when to try again
//! (`retry:`, which a browser's EventSource follows; a 503 would stop it).
//! The site passes each viewer's address on, so content_api's own cap
//! counts viewers, not the website. Each viewer is a loopback address.
use common::Shutdown;
use protobuf::v1::{LiveSessionState, SessionStatus, SessionType};
use testkit::clients::{answers, stream, turned_away};
use testkit::data_scheduler::TestDataScheduler;

use crate::stack::{start_content_with, start_site_with};

const STREAM: &str = "/live/stream";

fn addr(url: &str) -> std::net::SocketAddr {
    url.trim_start_matches("http://").parse().expect("a test server's address")
}

#[tokio::test]
async fn viewers_past_the_stream_budget_are_refused_at_once_and_the_site_still_answers() {
    let ds = TestDataScheduler::start().await;
    let live = LiveSessionState {
        season: 2026,
        round: 3,
        session_type: SessionType::Race as i32,
        session_name: "Race".into(),
        status: SessionStatus::Live as i32,
        current_lap: 12,
        total_laps: 57,
        ..Default::default()
    };
    ds.client().live().write_live_state(live).await.unwrap();
    let shutdown = Shutdown::new();
    let token: secrecy::SecretString = "streams-test-token".to_string().into();
    // content_api at its default budget, believing the website's forwarded address.
    let content_cfg = content_api::Config {
        data_scheduler_url: ds.url(),
        internal_token: Some(token.clone()),
        content_trust_forwarded_for: true,
        ..Default::default()
    };
    let (content, _) = start_content_with(&content_cfg, &shutdown).await;
    // Sizes only: 8 ordinary connections, 12 streams; 8 per address (the default).
    let site_cfg = website_front::Config {
        content_url: content.clone(),
        internal_token: Some(token),
        website_max_connections: 8,
        website_max_streams: 12,
        ..Default::default()
    };
    let (site, _) = start_site_with(&site_cfg, &shutdown).await;
    let (site, content) = (addr(&site), addr(&content));

    // 8 viewers' streams from one address (content_api, also capped at 8
    // per address, counts that viewer, not the site); the 9th is refused.
    let mut open = Vec::new();
    for _ in 0..8 {
        open.push(stream(site, 2, STREAM).await);
    }
    turned_away(site, 2, STREAM, 200, "retry: 10000\n\n", &["text/event-stream", "from your address"]).await;
    // More streams than ordinary connections, then the budget is spent.
    for _ in 0..4 {
        open.push(stream(site, 3, STREAM).await);
    }
    turned_away(site, 4, STREAM, 200, "retry: 10000\n\n", &["text/event-stream", "too many live streams"]).await;

    // The site and the API still answer.
    answers(site, 5, "/health", "\r\n\r\n").await;
    answers(site, 5, "/live", "</html>").await;
    answers(content, 5, "/content/v1/live", "\"current_lap\":12").await;
    shutdown.trigger();
}
