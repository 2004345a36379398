//! Serving a router on a listener with the limits every public server
//! needs: a deadline for a request's headers (a client that sends half its
//! headers is dropped, not kept forever), a cap on open connections (past
//! it, new ones wait in the kernel's accept queue), and a graceful shutdown
//! that lets in-flight requests finish but does not wait forever for
//! long-lived ones (SSE streams).
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::Shutdown;

/// Limits of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// The longest wait for a request's headers (also how long an idle
    /// keep-alive connection stays open).
    pub header_read_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// How long a shutdown waits for in-flight requests before closing them.
    pub drain: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        Self { header_read_timeout: Duration::from_secs(10), max_connections: 4096, drain: Duration::from_secs(10) }
    }
}

/// Serves `router` until `shutdown` triggers. Handlers see the peer as
/// `ConnectInfo<SocketAddr>`.
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
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = shutdown.wait() => break,
        };
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
        let router = router.clone();
        let service = tower::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
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
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown()).await.is_err() {
        tracing::info!(drain_secs = limits.drain.as_secs(), "closed connections still open after the drain time");
    }
    Ok(())
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
    async fn past_the_connection_cap_new_connections_wait_for_a_free_slot() {
        let limits = ServeLimits { max_connections: 1, ..ServeLimits::default() };
        let (addr, _shutdown) = start(limits).await;
        let holder = TcpStream::connect(addr).await.unwrap();
        // Let the server accept the holder (it takes the only slot).
        let mut probe = TcpStream::connect(addr).await.unwrap();
        probe.write_all(REQUEST).await.unwrap();
        let mut byte = [0u8; 1];
        let waited = tokio::time::timeout(Duration::from_millis(300), probe.read(&mut byte)).await;
        assert!(waited.is_err(), "answered while the only slot was taken");
        drop(holder);
        let mut rest = String::from_utf8_lossy(&byte).into_owned();
        rest.push_str(&read_all(&mut probe).await);
        assert!(rest.contains("hello"), "{rest}");
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
