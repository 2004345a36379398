//! Serving a router on a listener with the limits every public server
//! needs: a deadline for a request's headers (a client that sends half its
//! headers is dropped, not kept forever), a cap on ordinary connections
//! (past it a new connection is answered at once with a 503 and
//! `Retry-After`, never left waiting in the kernel's accept queue), and a
//! graceful shutdown that lets in-flight requests finish but does not wait
//! forever for long-lived ones (SSE streams).
//!
//! Long-lived streams are counted apart ([`crate::streams`]): a connection
//! whose request became a stream gives its ordinary place back (see
//! [`ConnectionSlot`]). Both budgets are sized by default from the
//! process's open-files limit, raised to its hard limit first
//! ([`open_files_limit`]).
use std::convert::Infallible;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use crate::Shutdown;

/// Limits of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// The longest wait for a request's headers (also how long an idle
    /// keep-alive connection stays open).
    pub header_read_timeout: Duration,
    /// Ordinary connections open at once (a connection carrying a stream
    /// counts in the stream budget instead).
    pub max_connections: usize,
    /// How long a shutdown waits for in-flight requests before closing them.
    pub drain: Duration,
    /// What a refused client is told to wait, in seconds.
    pub retry_after_secs: u64,
}

impl Default for ServeLimits {
    /// Ordinary connections sized from the open-files limit ([`Budgets`]).
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            max_connections: Budgets::of_this_process().connections,
            drain: Duration::from_secs(10),
            retry_after_secs: 5,
        }
    }
}

impl ServeLimits {
    /// The defaults with `max_connections` (0: this process's share of its
    /// open-files limit) and `retry_after_secs`, as a service configures them.
    pub fn configured(max_connections: usize, retry_after_secs: u64) -> Self {
        let defaults = Self::default();
        Self {
            max_connections: if max_connections == 0 { defaults.max_connections } else { max_connections },
            retry_after_secs,
            ..defaults
        }
    }
}

/// Connections being refused at once (each is read and answered a 503):
/// past this many, a new connection is closed without an answer.
const MAX_REFUSING: usize = 256;
/// File descriptors kept for everything but client connections: the
/// store, gRPC channels, logs, and the refusals in flight.
const RESERVED_FDS: u64 = 256 + MAX_REFUSING as u64;

/// How the open-files limit is shared between ordinary connections and
/// long-lived streams when they are not configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    pub connections: usize,
    pub streams: usize,
}

impl Budgets {
    /// A quarter of what is left after [`RESERVED_FDS`] for ordinary
    /// connections (requests are short: a few thousand carry a busy site),
    /// the rest for streams, which each hold a socket for as long as a
    /// viewer watches.
    pub fn of_open_files(limit: u64) -> Self {
        let usable = usize::try_from(limit.saturating_sub(RESERVED_FDS)).unwrap_or(usize::MAX).max(64);
        let connections = usable / 4;
        Self { connections, streams: usable - connections }
    }

    /// [`Budgets::of_open_files`] of this process's limit (raised first).
    pub fn of_this_process() -> Self {
        Self::of_open_files(open_files_limit())
    }
}

/// The process's open-files limit, after raising the soft limit to the
/// hard one (once per process; where it cannot be read, 1,024).
pub fn open_files_limit() -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(raise_open_files_limit)
}

#[cfg(unix)]
fn raise_open_files_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let soft = limit.current.unwrap_or(u64::MAX);
    if let Some(hard) = limit.maximum.filter(|hard| *hard > soft) {
        match setrlimit(Resource::Nofile, Rlimit { current: Some(hard), maximum: Some(hard) }) {
            Ok(()) => return hard,
            Err(e) => tracing::warn!(error = %e, soft, hard, "cannot raise the open-files limit"),
        }
    }
    limit.current.unwrap_or(1 << 20)
}

#[cfg(not(unix))]
fn raise_open_files_limit() -> u64 {
    1024
}

/// A connection's place among the ordinary connections, in every request's
/// extensions: a request that becomes a long-lived stream gives it back
/// ([`ConnectionSlot::release`]) and takes one again when the stream ends
/// if one is free ([`ConnectionSlot::restore`]).
#[derive(Clone)]
pub struct ConnectionSlot(Arc<Mutex<Slot>>);

struct Slot {
    permit: Option<OwnedSemaphorePermit>,
    pool: Arc<Semaphore>,
    /// The connection has ended: it takes no place again.
    closed: bool,
}

impl ConnectionSlot {
    fn new(permit: OwnedSemaphorePermit, pool: Arc<Semaphore>) -> Self {
        Self(Arc::new(Mutex::new(Slot { permit: Some(permit), pool, closed: false })))
    }

    /// Gives the place back; false when it was given back already.
    pub fn release(&self) -> bool {
        self.0.lock().expect("connection slot lock").permit.take().is_some()
    }

    /// Takes a place again when one is free (the connection may carry
    /// ordinary requests after its stream).
    pub fn restore(&self) {
        let mut slot = self.0.lock().expect("connection slot lock");
        if slot.permit.is_none() && !slot.closed {
            slot.permit = slot.pool.clone().try_acquire_owned().ok();
        }
    }

    fn close(&self) {
        let mut slot = self.0.lock().expect("connection slot lock");
        slot.closed = true;
        slot.permit = None;
    }
}

/// Serves `router` until `shutdown` triggers. Handlers see the peer as
/// `ConnectInfo<SocketAddr>`, the connection's [`ConnectionSlot`] and the
/// [`Shutdown`] (streams end on it).
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    shutdown: Shutdown,
    limits: ServeLimits,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let ordinary = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let graceful = GracefulShutdown::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, never spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = shutdown.wait() => break,
        };
        let _ = stream.set_nodelay(true);
        let Ok(permit) = ordinary.clone().try_acquire_owned() else {
            metrics::counter!("http_connections_refused_total").increment(1);
            match refusing.clone().try_acquire_owned() {
                Ok(busy) => {
                    tokio::spawn(refuse(stream, limits, busy));
                }
                // Past that many, closed at once: still not left waiting.
                Err(_) => drop(stream),
            }
            continue;
        };
        let slot = ConnectionSlot::new(permit, ordinary.clone());
        let router = router.clone();
        let held = slot.clone();
        let ending = shutdown.clone();
        let service = tower::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            req.extensions_mut().insert(slot.clone());
            // Long-lived streams end at once when the server shuts down
            // (see `crate::streams`), instead of holding the drain.
            req.extensions_mut().insert(ending.clone());
            let router = router.clone();
            async move {
                // A Router never fails (its error type is Infallible).
                let response = match router.oneshot(req.map(axum::body::Body::new)).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                Ok::<_, Infallible>(response)
            }
        });
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            // A client going away mid-request is normal: nothing to report.
            let _ = conn.await;
            held.close();
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown()).await.is_err() {
        tracing::info!(drain_secs = limits.drain.as_secs(), "closed connections still open after the drain time");
    }
    Ok(())
}

/// Answers a connection past the cap: its request gets a 503 with
/// `Retry-After` (an event-stream request, a stream saying when to try
/// again, which a browser's `EventSource` follows where a 503 would stop
/// it), then the connection is closed.
async fn refuse(stream: TcpStream, limits: ServeLimits, _busy: OwnedSemaphorePermit) {
    let retry_after = limits.retry_after_secs.max(1);
    let service = tower::service_fn(move |req: Request<hyper::body::Incoming>| async move {
        const BUSY: &str = "the server is at its connection limit; try again shortly";
        let wants_events = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/event-stream"));
        let mut res = if wants_events {
            crate::error::retry_event(BUSY, retry_after)
        } else {
            crate::error::error_response(StatusCode::SERVICE_UNAVAILABLE, "busy", BUSY)
        };
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        Ok::<_, Infallible>(res)
    });
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1.keep_alive(false).timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    let _ = http1.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)).await;
}

#[cfg(test)]
mod tests {
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";

    async fn start(limits: ServeLimits) -> (std::net::SocketAddr, Shutdown) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new().route(
            "/",
            get(|ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>| async move { format!("hello {}", peer.ip()) }),
        );
        let shutdown = Shutdown::new();
        tokio::spawn(serve_with(listener, router, shutdown.clone(), limits));
        (addr, shutdown)
    }

    async fn read_all(stream: &mut TcpStream) -> String {
        let mut out = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out)).await.unwrap().unwrap();
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test]
    async fn a_client_that_sends_half_its_headers_is_dropped() {
        let limits = ServeLimits { header_read_timeout: Duration::from_millis(300), ..ServeLimits::default() };
        let (addr, _shutdown) = start(limits).await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nx-half: ").await.unwrap();
        // The server closes it (after a 408 or without an answer): the read ends.
        let answer = read_all(&mut slow).await;
        assert!(!answer.contains("hello"), "{answer}");
        // A whole request is answered, with the peer address.
        let mut ok = TcpStream::connect(addr).await.unwrap();
        ok.write_all(REQUEST).await.unwrap();
        assert!(read_all(&mut ok).await.contains("hello 127.0.0.1"));
    }

    #[tokio::test]
    async fn past_the_connection_cap_a_new_connection_is_refused_at_once() {
        let limits = ServeLimits { max_connections: 1, ..ServeLimits::default() };
        let (addr, _shutdown) = start(limits).await;
        let mut holder = TcpStream::connect(addr).await.unwrap();
        // The holder is served (so it has the only place)...
        holder.write_all(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n").await.unwrap();
        let mut first = [0u8; 12];
        holder.read_exact(&mut first).await.unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        // ...and keeps it (keep-alive): the next connection gets a 503 with
        // Retry-After, not a wait in the accept queue.
        let mut probe = TcpStream::connect(addr).await.unwrap();
        probe.write_all(REQUEST).await.unwrap();
        let refused = read_all(&mut probe).await;
        assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
        assert!(refused.to_ascii_lowercase().contains("retry-after: 5"), "{refused}");
        // A browser's EventSource is told when to try again instead (it stops for good on a 503).
        let mut events = TcpStream::connect(addr).await.unwrap();
        events.write_all(b"GET / HTTP/1.1\r\nhost: x\r\naccept: text/event-stream\r\n\r\n").await.unwrap();
        let told = read_all(&mut events).await;
        assert!(told.starts_with("HTTP/1.1 200") && told.contains("text/event-stream"), "{told}");
        assert!(told.ends_with("\nretry: 5000\n\n"), "{told}");
        drop(holder);
        // Once the place is free a connection is served again.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let mut again = TcpStream::connect(addr).await.unwrap();
            again.write_all(REQUEST).await.unwrap();
            if read_all(&mut again).await.contains("hello") {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "the freed place was never given out");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[test]
    fn the_open_files_limit_is_shared_between_requests_and_streams() {
        let b = Budgets::of_open_files(20_000);
        let usable = 20_000 - RESERVED_FDS as usize;
        assert_eq!((b.connections, b.streams), (usable / 4, usable - usable / 4));
        let tiny = Budgets::of_open_files(100);
        assert!(tiny.connections >= 16 && tiny.streams >= 48, "{tiny:?}");
    }

    #[cfg(unix)]
    #[test]
    fn the_soft_open_files_limit_is_raised_to_the_hard_one() {
        let limit = open_files_limit();
        let now = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        assert_eq!(now.current, Some(limit));
        assert_eq!(now.current, now.maximum, "soft limit raised to the hard one");
    }

    #[tokio::test]
    async fn shutdown_stops_accepting() {
        let (addr, shutdown) = start(ServeLimits::default()).await;
        shutdown.trigger();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(addr).await.is_ok() {
            assert!(tokio::time::Instant::now() < deadline, "still accepting after shutdown");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
