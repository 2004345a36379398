//! The address a request is counted under (login limits, streams per
//! client): the peer's, or the last `X-Forwarded-For` entry (the one our
//! proxy added) when the proxy is trusted.
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::{Extensions, HeaderMap};

use crate::internal::InternalToken;

/// When to believe `X-Forwarded-For`.
#[derive(Debug, Clone, Default)]
pub struct Forwarded {
    /// Only behind a proxy that sets it (Traefik, the gateway, the website).
    pub trusted: bool,
    /// With a token, only on requests that carry it (those our proxy
    /// passed on), so a caller on the service's own port cannot pose as
    /// another address.
    pub token: Option<InternalToken>,
}

impl Forwarded {
    /// The client's address: the forwarded one when believed, else the
    /// peer's (`unknown` when neither is known).
    pub fn client_addr(&self, headers: &HeaderMap, extensions: &Extensions) -> String {
        let from_our_proxy = match &self.token {
            Some(token) => headers.get(crate::internal::HEADER).is_some_and(|v| token.matches(v.as_bytes())),
            None => true,
        };
        let forwarded = (self.trusted && from_our_proxy)
            .then(|| headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
            .flatten()
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        forwarded.or(peer).unwrap_or_else(|| "unknown".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> (HeaderMap, Extensions) {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        let mut ext = Extensions::new();
        ext.insert(ConnectInfo::<SocketAddr>("10.0.0.2:4000".parse().unwrap()));
        (map, ext)
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let (h, e) = request(&[("x-forwarded-for", "203.0.113.9, 198.51.100.7")]);
        assert_eq!(Forwarded::default().client_addr(&h, &e), "10.0.0.2", "untrusted: the peer");
        let trusted = Forwarded { trusted: true, token: None };
        assert_eq!(trusted.client_addr(&h, &e), "198.51.100.7", "the entry our proxy added");

        let token = InternalToken::from_config(Some(&"s3cret".to_string().into())).unwrap();
        let guarded = Forwarded { trusted: true, token };
        assert_eq!(guarded.client_addr(&h, &e), "10.0.0.2", "no token: the peer");
        let (h, e) = request(&[("x-forwarded-for", "198.51.100.7"), (crate::internal::HEADER, "s3cret")]);
        assert_eq!(guarded.client_addr(&h, &e), "198.51.100.7");
    }
}
