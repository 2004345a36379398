//! Many clients at once over raw HTTP/1.1 sockets, each from a loopback
//! address of its own (`127.0.0.<host>`, all loopback on Linux), for the
//! tests of connection and stream budgets that count by client address.
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// How long any step may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Connects to `server` from `127.0.0.<host>`.
pub async fn connect(server: SocketAddr, host: u8) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)), 0)).expect("bind a loopback address");
    tokio::time::timeout(DEADLINE, socket.connect(server)).await.expect("connected in time").expect("connect")
}

/// Sends `GET path` on `conn` and reads until `until` has arrived (within
/// [`DEADLINE`]); returns what was read.
pub async fn get(conn: &mut TcpStream, path: &str, until: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nhost: test\r\n\r\n");
    conn.write_all(request.as_bytes()).await.expect("send the request");
    let mut read = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&read).contains(until) {
        let n = tokio::time::timeout(DEADLINE, conn.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("{path}: no {until:?} in time; got {}", String::from_utf8_lossy(&read)))
            .expect("read");
        assert!(n > 0, "{path}: closed before {until:?}: {}", String::from_utf8_lossy(&read));
        read.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&read).into_owned()
}

/// An event stream at `path` opened from `127.0.0.<host>`: answered 200
/// and its first `snapshot` received. Keep it to keep the stream open.
pub async fn stream(server: SocketAddr, host: u8, path: &str) -> TcpStream {
    let mut conn = connect(server, host).await;
    let head = get(&mut conn, path, "event: snapshot").await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    conn
}

/// A request at `path` from `127.0.0.<host>` that must be turned away at
/// once: its answer, read until `until`, has status `status` and holds each
/// of `holds` (compared in lower case, headers included).
pub async fn turned_away(server: SocketAddr, host: u8, path: &str, status: u16, until: &str, holds: &[&str]) {
    let mut conn = connect(server, host).await;
    let answer = get(&mut conn, path, until).await;
    assert!(answer.starts_with(&format!("HTTP/1.1 {status} ")), "{answer}");
    for held in holds {
        assert!(answer.to_ascii_lowercase().contains(&held.to_ascii_lowercase()), "no {held:?} in {answer}");
    }
}

/// A plain request from `127.0.0.<host>`: asserts a 200 whose answer holds
/// `expect`.
pub async fn answers(server: SocketAddr, host: u8, path: &str, expect: &str) {
    let mut conn = connect(server, host).await;
    let answer = get(&mut conn, path, expect).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{path}: {answer}");
}
