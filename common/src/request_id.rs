//! Request ids: set on entry (or taken from the caller's `x-request-id`),
//! echoed in the response, recorded on the request's span, and forwarded on
//! outbound HTTP and gRPC calls made while handling the request.
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderValue, Request as HttpRequest};
use axum::{extract::Request, middleware::Next, response::Response};
#[cfg(feature = "grpc")]
use tonic::{metadata::MetadataValue, service::Interceptor};
use tower_http::request_id::{MakeRequestId, RequestId};

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static CURRENT: HeaderValue;
}

/// The id of the request being handled by this task, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(|id| id.to_str().unwrap_or_default().to_string()).ok()
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: Future>(id: String, fut: F) -> F::Output {
    let id = HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static(""));
    CURRENT.scope(id, fut).await
}

/// Axum middleware (after `SetRequestIdLayer`): makes the id current for the
/// handler so outbound calls carry it.
pub async fn make_current(req: Request, next: Next) -> Response {
    let id = req.headers().get(HEADER).cloned().unwrap_or_else(|| HeaderValue::from_static(""));
    CURRENT.scope(id, next.run(req)).await
}

/// New request ids: this process's random prefix and a counter
/// (`3f9c2a71-000000000000002a`), unique across processes and restarts
/// without a random number per request.
#[derive(Clone, Copy, Debug, Default)]
pub struct NextRequestId;

impl MakeRequestId for NextRequestId {
    fn make_request_id<B>(&mut self, _request: &HttpRequest<B>) -> Option<RequestId> {
        static PREFIX: OnceLock<u32> = OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let prefix = *PREFIX.get_or_init(|| {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
            );
            h.write_u32(std::process::id());
            h.finish() as u32
        });
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{prefix:08x}-{n:016x}")).ok().map(RequestId::new)
    }
}

/// gRPC client interceptor forwarding the current request id.
#[cfg(feature = "grpc")]
#[derive(Clone, Copy, Debug, Default)]
pub struct Propagate;

#[cfg(feature = "grpc")]
impl Interceptor for Propagate {
    fn call(&mut self, mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(id) = current().filter(|id| !id.is_empty())
            && let Ok(value) = MetadataValue::try_from(id.as_str())
        {
            req.metadata_mut().insert(HEADER, value);
        }
        Ok(req)
    }
}
