//! formula1.com's hosts. Its pages link circuit maps as absolute URLs on
//! the image CDN (or on the site itself), so a download goes to the origin
//! the page names: [`Formula1Hosts::for_origin`] picks the client. Only
//! formula1.com hosts are ever fetched, so a page cannot send the fetcher
//! to an arbitrary address.
use super::{Pacing, Policy, Upstream, UpstreamClient};
use crate::upstream::{SourceName, UpstreamError};

/// The site's canonical origin: what its relative links resolve to.
pub const F1_SITE_ORIGIN: &str = "https://www.formula1.com";
/// The image CDN's canonical origin (`WIBM_F1_MEDIA_URL` says where to reach it).
pub const F1_MEDIA_ORIGIN: &str = "https://media.formula1.com";

/// The site (`WIBM_F1_WEBSITE_URL`), the image CDN (`WIBM_F1_MEDIA_URL`)
/// and how to build a client for any other formula1.com host.
#[derive(Debug, Clone)]
pub struct Formula1Hosts {
    site: Upstream,
    media: Upstream,
    policy: Policy,
    pacing: Option<Pacing>,
}

impl Formula1Hosts {
    /// The media client is built like the site's: same timeouts, retries
    /// and pacing budget (its own, since it is another host).
    pub fn new(site_url: &str, media_url: &str, policy: Policy, pacing: Option<Pacing>) -> Result<Self, UpstreamError> {
        Ok(Self {
            site: Upstream::new(SourceName::Formula1, site_url, policy, pacing)?,
            media: Upstream::new(SourceName::Formula1, media_url, policy, pacing)?,
            policy,
            pacing,
        })
    }

    pub fn site(&self) -> &Upstream {
        &self.site
    }

    pub fn media(&self) -> &Upstream {
        &self.media
    }

    /// A fetcher (for one sync) of paths on `origin` (`scheme://host`, as
    /// [`crate::sources::formula1::image_location`] gives it): the
    /// configured site or CDN for their canonical origins, a client built
    /// like theirs for another `*.formula1.com` host, and None for any
    /// other host.
    pub fn for_origin(&self, origin: &str) -> Result<Option<UpstreamClient>, UpstreamError> {
        let origin = origin.to_ascii_lowercase();
        let Some((scheme, host)) = origin.split_once("://").filter(|(s, _)| matches!(*s, "http" | "https")) else {
            return Ok(None);
        };
        let name = host.split(':').next().unwrap_or_default();
        let canonical = |o: &str| o.split_once("://").is_some_and(|(_, h)| h == host);
        if canonical(F1_MEDIA_ORIGIN) {
            return Ok(Some(self.media.sync()));
        }
        if canonical(F1_SITE_ORIGIN) || name == "formula1.com" {
            return Ok(Some(self.site.sync()));
        }
        if !name.ends_with(".formula1.com") {
            return Ok(None);
        }
        let other = Upstream::new(SourceName::Formula1, &format!("{scheme}://{host}"), self.policy, self.pacing)?;
        Ok(Some(other.sync()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Formula1Hosts {
        Formula1Hosts::new("http://127.0.0.1:1/site", "http://127.0.0.1:2/media", Policy::default(), None).unwrap()
    }

    fn base(origin: &str) -> Option<String> {
        hosts().for_origin(origin).unwrap().map(|c| c.base_url().to_string())
    }

    #[test]
    fn formula1_origins_map_to_their_configured_clients() {
        assert_eq!(base("https://media.formula1.com").as_deref(), Some("http://127.0.0.1:2/media"));
        assert_eq!(base("https://MEDIA.formula1.com").as_deref(), Some("http://127.0.0.1:2/media"));
        assert_eq!(base("https://www.formula1.com").as_deref(), Some("http://127.0.0.1:1/site"));
        assert_eq!(base("https://formula1.com").as_deref(), Some("http://127.0.0.1:1/site"));
        assert_eq!(base("https://img.formula1.com").as_deref(), Some("https://img.formula1.com"));
    }

    #[test]
    fn other_hosts_are_refused() {
        for origin in
            ["https://evil.example", "https://formula1.com.evil.example", "https://notformula1.com", "ftp://x"]
        {
            assert_eq!(base(origin), None, "{origin}");
        }
    }
}
