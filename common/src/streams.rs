//! Long-lived streams (Server-Sent Events) have their own budget, apart
//! from ordinary requests, so a crowd of live viewers (or one client with
//! thousands of sockets) cannot keep `/health`, the API and the pages from
//! answering. A stream route is wrapped in the [`admit`] layer: a
//! request past the budget, or past the cap of streams open from one
//! client address, is answered at once with a 503 and `Retry-After` or,
//! for browsers' `EventSource` (which gives up on a 503), with a stream that
//! only says when to try again ([`Refusal`]).
//! An admitted stream's connection leaves the ordinary connections' count
//! (see [`crate::serve`]) for as long as the stream is open. When the server
//! shuts down, every admitted stream ends at once with a comment saying so
//! and a `retry` hint ([`SHUTTING_DOWN`]), so it does not hold the drain.
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::Stream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::client_addr::Forwarded;
use crate::serve::ConnectionSlot;
use crate::shutdown::Shutdown;

/// The sizes of a [`StreamBudget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// Streams open at once.
    pub max_streams: usize,
    /// Streams open at once from one client address.
    pub per_client: usize,
    /// What a refused client is told to wait, in seconds.
    pub retry_after_secs: u64,
}

impl StreamLimits {
    /// As a service configures them: `max_streams` 0 is this process's
    /// share of its open-files limit ([`crate::serve::Budgets`]).
    pub fn configured(max_streams: usize, per_client: usize, retry_after_secs: u64) -> Self {
        let max_streams = if max_streams == 0 { crate::serve::Budgets::of_this_process().streams } else { max_streams };
        Self { max_streams, per_client, retry_after_secs }
    }
}

/// How a stream that cannot be opened is answered (at once, either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 503 with `Retry-After` and the JSON error body: for programs.
    Unavailable,
    /// 200 with an event stream holding only a comment saying why and
    /// `retry: <Retry-After in ms>`: a browser's `EventSource` reconnects
    /// by itself after that delay, where a 503 would make it stop for good.
    RetryEvent,
}

/// Streams open now, in total and by client address. Clones share it.
#[derive(Clone)]
pub struct StreamBudget {
    inner: Arc<Inner>,
}

struct Inner {
    limits: StreamLimits,
    refusal: Refusal,
    total: Arc<Semaphore>,
    by_client: Mutex<HashMap<String, usize>>,
    forwarded: Forwarded,
}

/// Why a stream was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Every stream of the budget is open.
    Full,
    /// This client has its share open already.
    ClientFull,
}

impl StreamBudget {
    /// A budget counting clients by `forwarded`'s rule, refusing with a 503.
    pub fn new(limits: StreamLimits, forwarded: Forwarded) -> Self {
        Self::refusing(limits, forwarded, Refusal::Unavailable)
    }

    /// As [`StreamBudget::new`], refusing as `refusal` says.
    pub fn refusing(limits: StreamLimits, forwarded: Forwarded, refusal: Refusal) -> Self {
        let inner = Inner {
            limits,
            refusal,
            total: Arc::new(Semaphore::new(limits.max_streams)),
            by_client: Mutex::new(HashMap::new()),
            forwarded,
        };
        Self { inner: Arc::new(inner) }
    }

    pub fn limits(&self) -> StreamLimits {
        self.inner.limits
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        self.inner.limits.max_streams - self.inner.total.available_permits()
    }

    /// A place for one stream of `client`, held until the ticket drops.
    pub fn take(&self, client: String) -> Result<Ticket, Refused> {
        let permit = self.inner.total.clone().try_acquire_owned().map_err(|_| Refused::Full)?;
        let mut by_client = self.inner.by_client.lock().expect("stream budget lock");
        let open = by_client.entry(client.clone()).or_default();
        if *open >= self.inner.limits.per_client {
            if *open == 0 {
                by_client.remove(&client);
            }
            return Err(Refused::ClientFull);
        }
        *open += 1;
        metrics::gauge!("http_streams_open").increment(1.0);
        Ok(Ticket { budget: self.inner.clone(), client, _permit: permit, connection: None })
    }

    async fn serve(self, req: Request, next: Next) -> Response {
        let client = self.inner.forwarded.client_addr(req.headers(), req.extensions());
        let mut ticket = match self.take(client) {
            Ok(ticket) => ticket,
            Err(why) => return self.refused(why),
        };
        // On HTTP/1 the connection carries only this stream from now on: it
        // stops counting among ordinary connections (HTTP/2 multiplexes, so
        // its connection stays counted).
        if req.version() < Version::HTTP_2
            && let Some(slot) = req.extensions().get::<ConnectionSlot>()
            && slot.release()
        {
            ticket.connection = Some(slot.clone());
        }
        let shutdown = req.extensions().get::<Shutdown>().cloned();
        let response = next.run(req).await;
        let (parts, body) = response.into_parts();
        let ending = shutdown.map(|s| Box::pin(s.signalled()) as Ending);
        let held = Held { inner: body.into_data_stream(), _ticket: ticket, ending, ended: false };
        Response::from_parts(parts, Body::from_stream(held))
    }

    fn refused(&self, why: Refused) -> Response {
        let (reason, message) = match why {
            Refused::Full => ("full", "too many live streams are open; try again shortly"),
            Refused::ClientFull => ("client", "too many live streams are open from your address; close one first"),
        };
        metrics::counter!("http_streams_refused_total", "reason" => reason).increment(1);
        let secs = self.inner.limits.retry_after_secs.max(1);
        let mut res = match self.inner.refusal {
            Refusal::Unavailable => {
                crate::error::error_response(StatusCode::SERVICE_UNAVAILABLE, "too_many_streams", message)
            }
            Refusal::RetryEvent => crate::error::retry_event(message, secs),
        };
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        res
    }
}

/// One open stream's place in the budget; dropping it frees the place.
pub struct Ticket {
    budget: Arc<Inner>,
    client: String,
    _permit: OwnedSemaphorePermit,
    /// The connection's ordinary slot, given up while the stream is open.
    connection: Option<ConnectionSlot>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut by_client = self.budget.by_client.lock().expect("stream budget lock");
        if let Some(open) = by_client.get_mut(&self.client) {
            *open -= 1;
            if *open == 0 {
                by_client.remove(&self.client);
            }
        }
        drop(by_client);
        metrics::gauge!("http_streams_open").decrement(1.0);
        if let Some(slot) = self.connection.take() {
            slot.restore();
        }
    }
}

/// The layer of a stream route (`route(path, get(h).layer(from_fn_with_state(budget, streams::admit)))`):
/// admits each request, or answers 503 with `Retry-After` at once, and
/// holds the stream's place for as long as its response body is open.
pub async fn admit(State(budget): State<StreamBudget>, req: Request, next: Next) -> Response {
    budget.serve(req, next).await
}

type Ending = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The last words of a stream the server ends: a comment saying why, and a
/// `retry` so a browser's `EventSource` comes back soon (to another replica,
/// or to this one restarted).
pub const SHUTTING_DOWN: &[u8] = b": the server is shutting down\nretry: 1000\n\n";

/// A response body that holds its stream's ticket until it ends or the
/// client goes away, and ends it with [`SHUTTING_DOWN`] when the server
/// shuts down.
struct Held<S> {
    inner: S,
    _ticket: Ticket,
    ending: Option<Ending>,
    ended: bool,
}

impl<S: Stream<Item = Result<Bytes, axum::Error>> + Unpin> Stream for Held<S> {
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        if let Some(ending) = this.ending.as_mut()
            && ending.as_mut().poll(cx).is_ready()
        {
            this.ended = true;
            return Poll::Ready(Some(Ok(Bytes::from_static(SHUTTING_DOWN))));
        }
        Pin::new(&mut this.inner).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(max_streams: usize, per_client: usize) -> StreamBudget {
        StreamBudget::new(StreamLimits { max_streams, per_client, retry_after_secs: 5 }, Forwarded::default())
    }

    /// A stream that never ends by itself ends with its last words when
    /// the server shuts down, and frees its place.
    #[tokio::test]
    async fn streams_end_at_once_on_shutdown() {
        use futures_util::StreamExt;
        use tower::ServiceExt;
        let b = budget(4, 4);
        let forever = || async {
            let first =
                futures_util::stream::iter([Ok::<_, std::convert::Infallible>(Bytes::from_static(b"data: 1\n\n"))]);
            Response::new(Body::from_stream(first.chain(futures_util::stream::pending())))
        };
        let app = axum::Router::new()
            .route("/s", axum::routing::get(forever))
            .layer(axum::middleware::from_fn_with_state(b.clone(), admit));
        let shutdown = Shutdown::new();
        let mut req = Request::builder().uri("/s").body(Body::empty()).unwrap();
        req.extensions_mut().insert(shutdown.clone());
        let mut body = app.oneshot(req).await.unwrap().into_body().into_data_stream();
        let first = body.next().await.unwrap().unwrap();
        assert_eq!(&first[..], b"data: 1\n\n");
        assert_eq!(b.open(), 1);
        shutdown.trigger();
        let mut rest = Vec::new();
        while let Some(chunk) = body.next().await {
            rest.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(&rest[..], SHUTTING_DOWN, "the last words, then the end");
        drop(body);
        assert_eq!(b.open(), 0, "its place is free");
    }

    #[test]
    fn a_client_gets_its_share_and_the_budget_its_total() {
        let b = budget(3, 2);
        let a1 = b.take("a".into()).unwrap();
        let _a2 = b.take("a".into()).unwrap();
        assert_eq!(b.take("a".into()).err(), Some(Refused::ClientFull));
        let _b1 = b.take("b".into()).unwrap();
        assert_eq!(b.take("c".into()).err(), Some(Refused::Full));
        assert_eq!(b.open(), 3);
        drop(a1);
        assert_eq!(b.open(), 2);
        let _a3 = b.take("a".into()).expect("a place came free");
    }
}
