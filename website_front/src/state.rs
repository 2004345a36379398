//! What every handler shares: the content_api client and page settings.
use std::sync::Arc;
use std::time::Duration;

use crate::client::ContentClient;
use crate::config::Config;
use crate::pages::{PageCache, PageKeeper};

/// The state every handler shares: one pointer, so the per-request clone
/// an extractor makes is a single reference count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] points at.
pub struct Shared {
    pub(crate) content: ContentClient,
    /// Seconds before the 503 page reloads itself.
    pub(crate) retry_secs: u64,
    pub(crate) request_timeout: Duration,
    /// Rendered pages kept until their data changes.
    pub(crate) pages: PageCache,
    /// `/live/charts` as last built for each delay.
    pub(crate) charts: crate::routes::live_plus::ChartsKept,
    /// `/live/stream` streams open, apart from ordinary requests.
    pub(crate) streams: common::streams::StreamBudget,
    /// Whose address a request is (passed on to content_api with the stream).
    pub(crate) forwarded: common::client_addr::Forwarded,
    /// Ordinary connections (see [`crate::serve`]).
    pub serve_limits: common::serve::ServeLimits,
}

impl AppState {
    pub fn new(cfg: &Config) -> Result<Self, reqwest::Error> {
        Self::reading_version(cfg, None)
    }

    /// As [`AppState::new`], reading content_api's data version from
    /// `version` (content_api in the same process) instead of asking it on
    /// every visit.
    pub fn reading_version(
        cfg: &Config,
        version: Option<crate::client::VersionSource>,
    ) -> Result<Self, reqwest::Error> {
        let token = common::internal::InternalToken::from_config(cfg.internal_token.as_ref()).ok().flatten();
        let forwarded = common::client_addr::Forwarded { trusted: cfg.website_trust_forwarded_for, token };
        Ok(Self(Arc::new(Shared {
            content: ContentClient::new(&cfg.content_url, cfg.content_timeout())?
                .forwarding_with(forwarded.token.clone())
                .version_from(version),
            // Browsers follow the stream with EventSource, which stops for good on a 503.
            streams: common::streams::StreamBudget::refusing(
                cfg.stream_limits(),
                forwarded.clone(),
                common::streams::Refusal::RetryEvent,
            ),
            forwarded,
            charts: Default::default(),
            serve_limits: cfg.serve_limits(),
            retry_secs: cfg.website_retry_secs.count(),
            request_timeout: cfg.request_timeout(),
            pages: PageCache::new(cfg.website_page_cache_entries, cfg.page_cache_bytes())
                .fresh_for(Duration::from_millis(cfg.website_page_fresh_ms)),
        })))
    }

    /// What the page-keeping layer needs.
    pub(crate) fn page_keeper(&self) -> Arc<PageKeeper> {
        Arc::new(PageKeeper { pages: self.pages.clone(), content: self.content.clone() })
    }

    /// The base URL of content_api this site reads.
    pub fn content_url(&self) -> &str {
        self.content.base()
    }
}
