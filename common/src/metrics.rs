//! Prometheus metrics: one recorder per process (the single-process stack
//! shares it; the `service` label tells services apart), rendered by each
//! service's own `/metrics` route.
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::http::Method;

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's Prometheus handle, installing the recorder on first use.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets(&[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0])
            .expect("static bucket list is not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (tests in one binary):
        // then metrics go there and this handle renders an empty page.
        if metrics::set_global_recorder(recorder).is_ok() {
            keep_up(handle.clone());
        }
        handle
    })
}

/// How often the recorded latencies are folded into their histograms.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Folds the latencies recorded since the last time into their histograms
/// every [`UPKEEP_EVERY`], on a thread of its own (the recorder may be made
/// before or outside a runtime). The recorder keeps every sample until then:
/// a process that nobody scrapes (one machine, no Prometheus) grew by every
/// request it answered, tens of megabytes a minute under load.
fn keep_up(handle: PrometheusHandle) {
    let started = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || {
        loop {
            std::thread::sleep(UPKEEP_EVERY);
            handle.run_upkeep();
        }
    });
    if let Err(e) = started {
        tracing::warn!(error = %e, "no metrics upkeep thread: latencies are folded only when /metrics is read");
    }
}

/// `GET /metrics` in the Prometheus text format.
pub async fn render() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle().render())
}

/// Middleware: counts requests and records latency by service, route
/// template (never the raw path, to bound label cardinality) and status.
/// The counter and histogram of each label set are registered once and
/// kept ([`http_handles`]): a request costs no label strings.
pub async fn track_http(State(service): State<&'static str>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let started = Instant::now();
    let response = next.run(req).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let (requests, duration) = http_handles(service, &method, route, response.status().as_u16());
    requests.increment(1);
    duration.record(started.elapsed().as_secs_f64());
    response
}

type HttpHandles = (metrics::Counter, metrics::Histogram);

/// One label set of the HTTP metrics.
struct HttpKey {
    service: &'static str,
    method: Method,
    route: Box<str>,
    status: u16,
}

/// The kept handles, by a hash of their labels (each bucket checks the
/// labels themselves).
static HTTP: OnceLock<RwLock<KeptHandles>> = OnceLock::new();

type KeptHandles = HashMap<u64, Vec<(HttpKey, HttpHandles)>>;

fn http_handles(service: &'static str, method: &Method, route: &str, status: u16) -> HttpHandles {
    let hash = {
        let mut h = std::hash::DefaultHasher::new();
        (service, method.as_str(), route, status).hash(&mut h);
        h.finish()
    };
    // Handles are bound to the recorder in place when they are made: make
    // sure it is ours before keeping any (else they would count nowhere).
    handle();
    let same = |k: &HttpKey| k.service == service && k.method == *method && &*k.route == route && k.status == status;
    let kept = HTTP.get_or_init(Default::default);
    if let Some(found) =
        kept.read().unwrap_or_else(PoisonError::into_inner).get(&hash).and_then(|b| b.iter().find(|(k, _)| same(k)))
    {
        return found.1.clone();
    }
    let mut kept = kept.write().unwrap_or_else(PoisonError::into_inner);
    let bucket = kept.entry(hash).or_default();
    if let Some((_, found)) = bucket.iter().find(|(k, _)| same(k)) {
        return found.clone();
    }
    let labels = [
        ("service", service.to_string()),
        ("method", method.to_string()),
        ("route", route.to_string()),
        ("status", status.to_string()),
    ];
    let handles = (
        metrics::counter!("http_requests_total", &labels),
        metrics::histogram!("http_request_duration_seconds", &labels),
    );
    bucket.push((HttpKey { service, method: method.clone(), route: route.into(), status }, handles.clone()));
    handles
}
