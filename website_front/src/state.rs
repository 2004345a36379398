//! What every handler shares: the content_api client and page settings.
use std::time::Duration;

use crate::client::ContentClient;
use crate::config::Config;
use crate::pages::PageCache;

#[derive(Clone)]
pub struct AppState {
    pub(crate) content: ContentClient,
    /// Seconds before the 503 page reloads itself.
    pub(crate) retry_secs: u64,
    pub(crate) request_timeout: Duration,
    /// Rendered pages kept until their data changes.
    pub(crate) pages: PageCache,
}

impl AppState {
    pub fn new(cfg: &Config) -> Result<Self, reqwest::Error> {
        Ok(Self {
            content: ContentClient::new(&cfg.content_url, cfg.content_timeout())?,
            retry_secs: cfg.website_retry_secs.count(),
            request_timeout: cfg.request_timeout(),
            pages: PageCache::new(cfg.website_page_cache_entries, cfg.page_cache_bytes())
                .fresh_for(Duration::from_millis(cfg.website_page_fresh_ms)),
        })
    }

    /// The base URL of content_api this site reads.
    pub fn content_url(&self) -> &str {
        self.content.base()
    }
}
