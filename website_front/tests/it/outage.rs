//! content_api stopped: the site answers a 503 page that retries by
//! itself, never an error trace.
use std::time::Duration;

use common::Shutdown;

use crate::stack::{get, stack, start_content, start_site};

#[tokio::test]
async fn content_api_stopped_gives_a_503_page_that_retries() {
    let ds = &stack().data_scheduler;
    let (content_down, site_down) = (Shutdown::new(), Shutdown::new());
    let (content, task) = start_content(ds, &content_down).await;
    let (site, _site_task) = start_site(&content, &site_down).await;
    let ok = get(&format!("{site}/seasons/2024")).await;
    assert_eq!(ok.status, 200, "{}", ok.body);

    content_down.trigger();
    tokio::time::timeout(Duration::from_secs(30), task)
        .await
        .expect("content_api stops")
        .expect("task")
        .expect("serve");
    let addr = content.trim_start_matches("http://").to_string();
    testkit::wait::until("content_api's port to refuse", Duration::from_secs(10), || {
        let addr = addr.clone();
        async move { tokio::net::TcpStream::connect(&addr).await.is_err().then_some(()) }
    })
    .await;

    for path in ["/", "/seasons/2024", "/seasons/2021/rounds/22", "/drivers/max-verstappen"] {
        let p = get(&format!("{site}{path}")).await;
        assert_eq!(p.status, 503, "{path}: {}", p.body);
        assert!(p.body.contains("The data service is unavailable"), "{path}");
        assert!(p.body.contains("<meta http-equiv=\"refresh\" content=\"7\">"), "{path}: retries by itself");
        assert_eq!(p.headers["retry-after"], "7");
        for leak in ["panicked", "reqwest", "error sending request", "127.0.0.1", "Connection refused"] {
            assert!(!p.body.contains(leak), "{path} leaks `{leak}`");
        }
    }
    let ready = get(&format!("{site}/health/ready")).await;
    assert_eq!(ready.status, 503, "{}", ready.body);
    site_down.trigger();
}
