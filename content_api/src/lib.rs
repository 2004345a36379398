//! content_api: the public read API `/content/v1`.
//!
//! It answers from data_scheduler over gRPC and never touches storage.
//! Handlers live in [`routes`] (one module per resource), ask [`data`]
//! (one gRPC read per question), and render through [`respond`] (the
//! `{"metadata","result"}` envelope, ETag, Cache-Control). The title fight is
//! computed by the pure functions of [`championship`]. car_data and
//! location are the exception to "never touches storage": [`telemetry`]
//! reads them from the LiveTiming archive into a disk cache of its own.

pub use ::championship;
pub(crate) mod answers;
pub(crate) mod changes;
pub mod config;
pub(crate) mod data;
pub mod ergast;
pub(crate) mod error;
#[cfg(test)]
mod fuzz;
pub(crate) mod kept;
pub(crate) mod live_stream;
pub(crate) mod middleware;
pub(crate) mod model;
pub(crate) mod openapi;
pub(crate) mod openf1;
pub(crate) mod params;
pub(crate) mod ratelimit;
pub(crate) mod respond;
pub mod routes;
pub mod state;
pub(crate) mod telemetry;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::{get, post};
use common::Shutdown;
use tokio::net::TcpListener;
use tower_http::CompressionLevel;
use tower_http::compression::{CompressionLayer, DefaultPredicate, Predicate};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use config::Config;
pub use state::AppState;

/// Every route of the service, wrapped in its layers (see [`layered`]).
pub fn router(state: AppState) -> Router {
    layered(routes(state.clone()), &state)
}

/// The routes alone, before [`layered`] wraps them (the load benchmark adds
/// a static route here, so its ceiling goes through the same layers).
pub fn routes(state: AppState) -> Router {
    use routes::{
        career, championship, changes, circuits, live, openf1, ops, people, root, rounds, seasons, session_data,
        standings,
    };
    let routes = Router::new()
        .route("/content/v1", get(root::root))
        .route("/content/v1/", get(root::root))
        .route("/content/v1/seasons", get(seasons::list))
        .route("/content/v1/seasons/{year}", get(seasons::one))
        .route("/content/v1/seasons/{year}/rounds", get(rounds::list))
        .route("/content/v1/seasons/{year}/rounds/{round}", get(rounds::one))
        .route("/content/v1/seasons/{year}/rounds/{round}/sessions/{type}", get(rounds::session))
        .route("/content/v1/seasons/{year}/rounds/{round}/sessions/{type}/{kind}", get(session_data::records))
        .route("/content/v1/seasons/{year}/drivers", get(standings::drivers))
        .route("/content/v1/seasons/{year}/constructors", get(standings::constructors))
        .route("/content/v1/seasons/{year}/standings/progression", get(standings::progression))
        .route("/content/v1/seasons/{year}/championship", get(championship::fight))
        .route(
            "/content/v1/seasons/{year}/championship/what-if",
            post(championship::what_if).layer(axum::extract::DefaultBodyLimit::max(championship::body::MAX_BODY_BYTES)),
        )
        .route("/content/v1/drivers", get(people::drivers))
        .route("/content/v1/constructors", get(people::constructors))
        .route("/content/v1/circuits", get(circuits::list))
        .route("/content/v1/drivers/{id}", get(people::driver))
        .route("/content/v1/constructors/{id}", get(people::constructor))
        .route("/content/v1/drivers/{id}/seasons", get(career::driver))
        .route("/content/v1/constructors/{id}/seasons", get(career::constructor))
        .route("/content/v1/circuits/{id}", get(circuits::circuit))
        .route("/content/v1/circuits/{id}/image", get(circuits::image))
        .route("/content/v1/circuits/{id}/rounds", get(circuits::rounds))
        .route("/content/v1/live", get(live::now))
        .route(
            "/content/v1/live/stream",
            get(live::stream)
                .layer(axum::middleware::from_fn_with_state(state.streams.clone(), common::streams::admit)),
        )
        .route("/content/v1/changes", get(changes::version))
        .route("/openf1/v1/{endpoint}", get(openf1::endpoint))
        .route("/ergast/f1", get(ergast::handle))
        .route("/ergast/f1/", get(ergast::handle))
        .route("/ergast/f1/{*path}", get(ergast::handle))
        .route("/content/v1/openapi.json", get(openapi::json))
        .route("/content/v1/docs", get(openapi::docs))
        .route("/health", get(common::health::liveness))
        .route("/health/ready", get(ops::ready))
        .route("/metrics", get(common::metrics::render));
    common::error::json_fallbacks(routes).with_state(state)
}

/// The shared HTTP frame (request ids, tracing, metrics, request timeout),
/// CORS, compression and conditional GETs around `routes`. Rendered JSON
/// answers are sent in the encoding the client accepts by
/// [`common::conditional::conditional`] from forms kept with the answer; the
/// `CompressionLayer` compresses only the other responses (documents,
/// errors, metrics).
pub fn layered(routes: Router, state: &AppState) -> Router {
    let on_the_fly = DefaultPredicate::new().and(common::encoding::NotNegotiated);
    let api = routes
        .layer(axum::middleware::from_fn(common::conditional::conditional))
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)).compress_when(on_the_fly))
        .layer(cors(state.cors.as_deref()))
        .layer(axum::middleware::from_fn_with_state(state.retry_after_secs, middleware::retry_after))
        .layer(axum::middleware::from_fn_with_state(state.rate_limits.clone(), ratelimit::limit));
    common::http::frame(api, "content_api", state.request_timeout)
}

/// CORS for reads: `None` allows any origin, else only the listed ones;
/// the Ergast API is open to every origin whatever the list (browser
/// dashboards written for ergast.com call it from their own sites).
fn cors(allowlist: Option<&[String]>) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::IF_NONE_MATCH, HeaderName::from_static(common::request_id::HEADER)])
        .expose_headers([header::ETAG, header::RETRY_AFTER, HeaderName::from_static(common::request_id::HEADER)])
        .max_age(Duration::from_secs(3600));
    match allowlist {
        None => layer.allow_origin(AllowOrigin::any()),
        Some(list) => {
            let list: Vec<HeaderValue> = list.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
            layer.allow_origin(AllowOrigin::predicate(move |origin, parts| {
                parts.uri.path().starts_with(ergast::PREFIX) || list.contains(origin)
            }))
        }
    }
}

/// Serves the router on `listener` until `shutdown` triggers, within the
/// configured limits of ordinary connections ([`Config::serve_limits`];
/// streams have their own budget, [`Config::stream_limits`]).
pub async fn serve(listener: TcpListener, state: AppState, shutdown: Shutdown) -> std::io::Result<()> {
    state.start_following();
    // Held from the start, so `?delay=N` has the past N seconds to show.
    state.live.start();
    let limits = state.serve_limits;
    common::serve::serve_with(listener, router(state), shutdown, limits).await
}
