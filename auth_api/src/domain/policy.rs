//! Which role a request needs. One table for Traefik's forwardAuth (through
//! `/auth/v1/verify`) and the single-process gateway (in-process).
//!
//! - anything under `/fetcher`, `/scheduler/v1/trigger`, `/auth/v1/users`
//!   or `/auth/v1/api-keys`: admin, whatever the method;
//! - any other request that is not GET, HEAD or OPTIONS: admin (everything
//!   that changes data or triggers work);
//! - the rest: any signed-in user (viewer).
//!
//! The path is normalised first (query dropped, percent-decoding, `.`/`..`,
//! repeated slashes, case), so spelling a path differently never lowers
//! the requirement.
use http::Method;

use super::Role;

/// Admin only, checked at the edge (Traefik's forwardAuth, the
/// single-process gateway) before the request reaches the service, which
/// does not check credentials itself.
const EDGE_PREFIXES: &[&str] = &["/fetcher", "/scheduler/v1/trigger"];

/// Admin only, checked by auth_api itself on its own routes.
const SELF_CHECKED_PREFIXES: &[&str] = &["/auth/v1/users", "/auth/v1/api-keys"];

fn under(path: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|prefix| path == *prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/')))
}

/// The role needed for `method` on `uri` (a path, optionally with a query).
pub fn required_role(method: &Method, uri: &str) -> Role {
    let path = normalize(uri);
    if under(&path, EDGE_PREFIXES) || under(&path, SELF_CHECKED_PREFIXES) {
        return Role::Admin;
    }
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) { Role::Viewer } else { Role::Admin }
}

/// Whether the edge must ask `/auth/v1/verify` before passing `uri` on: the
/// services under these prefixes trust the edge and check nothing
/// themselves. Traefik's `admin-auth` routers (traefik/dynamic.yml) cover
/// the same prefixes.
pub fn checked_at_edge(uri: &str) -> bool {
    under(&normalize(uri), EDGE_PREFIXES)
}

fn normalize(uri: &str) -> String {
    let raw = uri.split(['?', '#']).next().unwrap_or_default();
    // Decode repeatedly so double encoding (`%252F`) cannot hide a slash.
    let mut path = raw.to_string();
    for _ in 0..3 {
        let decoded = percent_decode(&path);
        if decoded == path {
            break;
        }
        path = decoded;
    }
    let path = path.replace('\\', "/").to_lowercase();
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    format!("/{}", segments.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) =
                (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex))
        {
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutating_and_administrative_routes_need_an_admin() {
        let admin = [
            (Method::POST, "/fetcher/v1/fetch/seasons"),
            (Method::GET, "/fetcher/v1/status"),
            (Method::POST, "/scheduler/v1/trigger/seasons"),
            (Method::GET, "/scheduler/v1/trigger/seasons"),
            (Method::GET, "/auth/v1/users"),
            (Method::DELETE, "/auth/v1/api-keys/abc"),
            (Method::PUT, "/content/v1/seasons/2024"),
            (Method::from_bytes(b"PURGE").unwrap(), "/content/v1/seasons"),
        ];
        for (m, uri) in admin {
            assert_eq!(required_role(&m, uri), Role::Admin, "{m} {uri}");
        }
    }

    #[test]
    fn the_edge_checks_the_services_that_do_not_check_themselves() {
        for uri in ["/fetcher/v1/fetch/seasons", "/scheduler/v1/trigger/results", "//Fetcher/v1", "/content/../fetcher"]
        {
            assert!(checked_at_edge(uri), "{uri}");
        }
        for uri in ["/scheduler/v1/status", "/content/v1/seasons", "/auth/v1/login", "/auth/v1/users", "/fetcherless"] {
            assert!(!checked_at_edge(uri), "{uri}");
        }
    }

    #[test]
    fn reads_need_only_a_viewer() {
        for uri in
            ["/content/v1/seasons?year=2024", "/scheduler/v1/runs", "/", "/fetcherless", "/scheduler/v1/triggers"]
        {
            assert_eq!(required_role(&Method::GET, uri), Role::Viewer, "{uri}");
        }
    }

    #[test]
    fn respelling_a_path_does_not_lower_the_requirement() {
        for uri in [
            "//fetcher/v1/x",
            "/content/../fetcher/v1/x",
            "/./scheduler/v1/trigger/seasons",
            "/fetch%65r/v1/x",
            "/content%2F..%2Ffetcher/v1",
            "/content%252F..%252Ffetcher/v1",
            "/Scheduler/V1/Trigger/seasons",
            "/auth/v1/users/",
            "\\fetcher\\v1",
        ] {
            assert_eq!(required_role(&Method::GET, uri), Role::Admin, "{uri}");
        }
    }
}
