//! Several data_scheduler replicas behind one channel.
//!
//! `WIBM_DATA_SCHEDULER_URL` may list addresses, comma-separated. Calls go
//! round robin over the replicas that answered last time; a replica whose
//! connection fails is skipped for [`DOWN_FOR`] and the call goes to the next
//! one at once:
//! - a read (`Get*`, `Watch*`, the health check) is sent again whatever
//!   happened to the connection: reads change nothing;
//! - a write is sent again only when the connection was refused (it never
//!   left). A write cut off in flight fails as UNAVAILABLE: it was one
//!   transaction, written whole or not at all, and the caller decides.
//!
//! Only failures of the connection move a call; a gRPC status (NOT_FOUND,
//! UNAVAILABLE from a replica whose store is down, ...) is the answer.
//! With one address the channel is used as it is, nothing buffered.
//!
//! A call whose connection failed or broke, on every replica tried, ends
//! as UNAVAILABLE (gRPC's "transient, try again"): tonic calls a connection
//! closed in the middle of a call UNKNOWN, which callers would answer as a
//! server error (500) instead of a 503 with `Retry-After`.
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use tonic::body::Body;
use tonic::transport::Channel;
use tonic::{Code, Status};
use tower::{Service, ServiceExt};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How long a replica whose connection failed is tried only after the others.
pub const DOWN_FOR: Duration = Duration::from_secs(2);

/// The channel [`crate::Client`] sends through: one replica, or several.
#[derive(Clone)]
pub struct Failover {
    replicas: Arc<[Replica]>,
    next: Arc<AtomicUsize>,
}

struct Replica {
    channel: Channel,
    down_until: Mutex<Option<Instant>>,
}

impl Replica {
    fn is_down(&self, now: Instant) -> bool {
        self.down_until.lock().unwrap_or_else(|e| e.into_inner()).is_some_and(|until| until > now)
    }

    fn set_down(&self, down: bool) {
        *self.down_until.lock().unwrap_or_else(|e| e.into_inner()) = down.then(|| Instant::now() + DOWN_FOR);
    }
}

impl Failover {
    pub(crate) fn new(channels: Vec<Channel>) -> Self {
        assert!(!channels.is_empty(), "at least one data_scheduler address");
        let replicas = channels.into_iter().map(|channel| Replica { channel, down_until: Mutex::new(None) }).collect();
        Self { replicas, next: Arc::new(AtomicUsize::new(0)) }
    }

    /// The replicas to try, in order: round robin over those up, then those down.
    fn order(&self) -> Vec<usize> {
        let n = self.replicas.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let now = Instant::now();
        let (up, down): (Vec<usize>, Vec<usize>) =
            (0..n).map(|i| (start + i) % n).partition(|&i| !self.replicas[i].is_down(now));
        up.into_iter().chain(down).collect()
    }

    async fn send(self, req: http::Request<Body>) -> Result<http::Response<Body>, BoxError> {
        let (parts, body) = req.into_parts();
        // A unary or server-streaming request is one message: keep it to send again.
        let body = body.collect().await?.to_bytes();
        let read = is_read(parts.uri.path());
        let order = self.order();
        let last = order.len() - 1;
        for (n, i) in order.into_iter().enumerate() {
            let replica = &self.replicas[i];
            let req = http::Request::from_parts(parts.clone(), Body::new(Full::new(body.clone())));
            let sent = match replica.channel.clone().ready().await {
                Ok(channel) => channel.call(req).await,
                Err(e) => Err(e),
            };
            match sent {
                Ok(resp) => {
                    replica.set_down(false);
                    return Ok(resp);
                }
                Err(e) => {
                    replica.set_down(true);
                    if n == last || !(read || refused(&e)) {
                        return Err(unavailable(e));
                    }
                    tracing::debug!(error = %e, path = parts.uri.path(), "data_scheduler replica failed; trying the next");
                }
            }
        }
        unreachable!("the last replica returns")
    }
}

/// The status of a call whose connection failed: tonic's, unless it would
/// say UNKNOWN or INTERNAL about a connection (then UNAVAILABLE, with the
/// causes for the log).
fn unavailable(e: tonic::transport::Error) -> BoxError {
    let mut causes = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(err) = source {
        causes.push_str(": ");
        causes.push_str(&err.to_string());
        source = err.source();
    }
    match Status::try_from_error(Box::new(e)) {
        Ok(status) if !matches!(status.code(), Code::Unknown | Code::Internal) => Box::new(status),
        _ => Box::new(Status::unavailable(format!("data_scheduler connection failed: {causes}"))),
    }
}

/// Whether the gRPC method at `path` only reads (safe to send twice).
fn is_read(path: &str) -> bool {
    if path.starts_with("/grpc.health.v1.Health/") {
        return true;
    }
    let method = path.rsplit('/').next().unwrap_or_default();
    method.starts_with("Get") || method.starts_with("Watch")
}

/// Whether the connection was refused: the request never left.
fn refused(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(e);
    while let Some(err) = source {
        if err.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused) {
            return true;
        }
        source = err.source();
    }
    false
}

impl Service<http::Request<Body>> for Failover {
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Each call waits for its channel's readiness itself.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        if let [one] = &*self.replicas {
            let channel = one.channel.clone();
            return Box::pin(async move { channel.oneshot(req).await.map_err(unavailable) });
        }
        Box::pin(self.clone().send(req))
    }
}

/// The addresses in `urls`: comma-separated, blanks ignored.
pub fn split(urls: &str) -> Vec<&str> {
    urls.split(',').map(str::trim).filter(|u| !u.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes() {
        assert!(is_read("/willitbemax.v1.SportData/GetRound"));
        assert!(is_read("/willitbemax.v1.LiveState/WatchLiveState"));
        assert!(is_read("/grpc.health.v1.Health/Check"));
        assert!(!is_read("/willitbemax.v1.SportData/WriteBatch"));
        assert!(!is_read("/willitbemax.v1.Leases/AcquireLease"));
    }

    #[test]
    fn addresses() {
        assert_eq!(split("http://a:1"), ["http://a:1"]);
        assert_eq!(split(" http://a:1 , http://b:2,"), ["http://a:1", "http://b:2"]);
    }

    /// A port nobody listens on (connections are refused).
    fn dead_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    #[tokio::test]
    async fn a_replica_that_refuses_is_passed_over() {
        let (_reporter, health) = tonic_health::server::health_reporter();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let live = listener.local_addr().unwrap().port();
        let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
        tokio::spawn(tonic::transport::Server::builder().add_service(health).serve_with_incoming(incoming));
        let health = |urls: String| async move {
            let client = crate::Client::connect_lazy(&urls, Duration::from_secs(5)).unwrap();
            let req = tonic_health::pb::HealthCheckRequest { service: String::new() };
            client.health.clone().check(req).await.map(|_| ())
        };
        let dead = dead_port();
        // Round robin starts on each replica in turn; every call gets through.
        let urls = format!("http://127.0.0.1:{dead},http://127.0.0.1:{live}");
        let client = crate::Client::connect_lazy(&urls, Duration::from_secs(5)).unwrap();
        for _ in 0..4 {
            let req = tonic_health::pb::HealthCheckRequest { service: String::new() };
            client.health.clone().check(req).await.expect("answered by the live replica");
        }
        let all_dead = health(format!("http://127.0.0.1:{dead},http://127.0.0.1:{}", dead_port())).await;
        assert_eq!(all_dead.unwrap_err().code(), Code::Unavailable);
        let one_dead = health(format!("http://127.0.0.1:{dead}")).await;
        assert_eq!(one_dead.unwrap_err().code(), Code::Unavailable);
    }

    #[test]
    fn refused_is_found_in_the_chain() {
        #[derive(Debug)]
        struct Wrap(std::io::Error);
        impl std::fmt::Display for Wrap {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("tcp connect error")
            }
        }
        impl std::error::Error for Wrap {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        assert!(refused(&Wrap(std::io::ErrorKind::ConnectionRefused.into())));
        assert!(!refused(&Wrap(std::io::ErrorKind::ConnectionReset.into())));
    }
}
