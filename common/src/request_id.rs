//! Request ids: set on entry (or taken from the caller's `x-request-id`),
//! echoed in the response, recorded on the request's span, and forwarded on
//! outbound HTTP and gRPC calls made while handling the request.
use axum::{extract::Request, middleware::Next, response::Response};
#[cfg(feature = "grpc")]
use tonic::{metadata::MetadataValue, service::Interceptor};

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being handled by this task, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: Future>(id: String, fut: F) -> F::Output {
    CURRENT.scope(id, fut).await
}

/// Axum middleware (after `SetRequestIdLayer`): makes the id current for the
/// handler so outbound calls carry it.
pub async fn make_current(req: Request, next: Next) -> Response {
    let id = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_string).unwrap_or_default();
    scope(id, next.run(req)).await
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
