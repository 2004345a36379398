//! Issue 15 item 5: every service of `wibm serve` listens on its own
//! loopback port, which any local user can find (as this test does, from
//! /proc). The fetcher's routes and the scheduler's triggers on those ports
//! refuse callers without the internal credential only the gateway adds.
use std::collections::BTreeSet;

use serde_json::Value;

/// The TCP ports process `pid` listens on, from /proc (what `ss -ltnp` shows).
pub fn listening_ports(pid: u32) -> BTreeSet<u16> {
    let inodes: BTreeSet<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("reading the process's descriptors")
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|target| {
            let t = target.to_string_lossy();
            Some(t.strip_prefix("socket:[")?.strip_suffix(']')?.to_string())
        })
        .collect();
    let mut ports = BTreeSet::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else { continue };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // local_address is `ADDR:PORT` in hex; state 0A is LISTEN; column 9 the inode.
            if cols.len() > 9 && cols[3] == "0A" && inodes.contains(cols[9]) {
                let port = cols[1].rsplit(':').next().and_then(|p| u16::from_str_radix(p, 16).ok());
                ports.extend(port);
            }
        }
    }
    ports
}

/// Calls the fetcher's and the scheduler's mutating routes on every port
/// of the stack other than the public one: each is refused (401 with the
/// JSON error body) where it exists, and the fetch never happens.
pub async fn direct_calls_are_refused(http: &reqwest::Client, pid: u32, public: u16) {
    let ports = listening_ports(pid);
    assert!(ports.contains(&public), "the public port {public} is among {ports:?}");
    let forged = [("x-wibm-internal", "guess"), ("x-user-role", "admin"), ("x-user-id", "1")];
    let (mut fetcher, mut scheduler) = (0, 0);
    for port in ports.iter().filter(|p| **p != public) {
        for (path, seen) in [
            ("/fetcher/v1/fetch/rounds?season=2022&round=3", &mut fetcher),
            ("/scheduler/v1/trigger/rounds?season=2022&round=3", &mut scheduler),
        ] {
            let mut req = http.post(format!("http://127.0.0.1:{port}{path}"));
            for (name, value) in forged {
                req = req.header(name, value);
            }
            // The gRPC port (HTTP/2 only) does not answer HTTP/1: not this route's owner.
            let Ok(resp) = req.send().await else { continue };
            match resp.status().as_u16() {
                404 | 405 => {}
                401 => {
                    let body: Value = resp.json().await.expect("a JSON error body");
                    assert_eq!(body["error"]["code"], "unauthorized", "port {port} {path}: {body}");
                    *seen += 1;
                }
                other => panic!("port {port} {path} answered {other} without the internal credential"),
            }
        }
    }
    assert_eq!((fetcher, scheduler), (1, 1), "one fetcher and one scheduler port refused the direct calls");
}

/// Calls data_scheduler's gRPC service on every port of the stack other
/// than the public one, as a local user could, with no credential and with
/// a guessed one: the one port that speaks gRPC refuses both
/// (UNAUTHENTICATED), so accounts cannot be read nor data written around
/// the services.
pub async fn grpc_calls_are_refused(pid: u32, public: u16) {
    use protobuf::v1::{SeasonFilter, UserKey};
    let guess = common::internal::InternalToken::from_config(Some(&"guess".to_string().into())).unwrap();
    let mut refused = 0;
    for port in listening_ports(pid).into_iter().filter(|p| *p != public) {
        let url = format!("http://127.0.0.1:{port}");
        let deadline = std::time::Duration::from_secs(5);
        for token in [None, guess.as_ref()] {
            let client = data_client::Client::connect_lazy_with(&url, deadline, token).unwrap();
            let seasons = client.sport().get_seasons(SeasonFilter { year: None, status: 0, page: None }).await;
            let user =
                client.accounts().get_user(UserKey { id: String::new(), email: "admin@example.com".into() }).await;
            match (seasons, user) {
                (Err(a), Err(b)) if a.code() == tonic::Code::Unauthenticated => {
                    assert_eq!(b.code(), tonic::Code::Unauthenticated, "port {port}");
                    refused += 1;
                }
                // An HTTP/1 service: no gRPC answer at all.
                (Err(a), Err(_)) if a.code() != tonic::Code::Ok => {}
                (s, u) => panic!("port {port} answered gRPC without the credential: {s:?} {u:?}"),
            }
        }
    }
    assert_eq!(refused, 2, "one gRPC port refused both callers");
}
