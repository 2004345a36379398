//! website_front: the website, server-rendered HTML over content_api's
//! public REST API (never gRPC or storage).
//!
//! Handlers live in [`routes`] (one module per page): they validate the
//! path, fetch everything a page needs from content_api at once through
//! [`client`], and render a [`views`] template (maud, compiled into the
//! binary). [`pages`] keeps each rendered page, with its compressed forms
//! and an ETag, until content_api says the data it was built from changed. Charts are SVG drawn by [`chart`]; CSS, JS and the icon are
//! embedded and served under fingerprinted names by [`assets`].

pub mod assets;
pub(crate) mod chart;
pub(crate) mod client;
pub use client::VersionSource;
pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod pages;
pub(crate) mod routes;
pub(crate) mod state;
pub mod views;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use common::Shutdown;
use tokio::net::TcpListener;

pub use config::Config;
pub use state::AppState;

use error::{PageError, RETRY, RetryAfter};

/// Every page, the assets, `/health`, `/health/ready` and `/metrics`,
/// wrapped in the shared HTTP frame (request ids, tracing, metrics, timeout).
pub fn router(state: AppState) -> Router {
    use routes::{circuits, home, index, live, ops, people, rounds, seasons, sessions, whatif};
    // Pages are kept (`pages::keep`) and sent as the visitor accepts them
    // (compressed forms, 304 for If-None-Match).
    let app = Router::new()
        .route("/", get(home::page))
        .route("/seasons", get(seasons::list))
        .route("/seasons/{year}", get(seasons::one))
        .route("/seasons/{year}/rounds/{round}", get(rounds::one))
        .route("/seasons/{year}/rounds/{round}/sessions/{type}", get(sessions::one))
        .route("/circuits/{id}", get(index::circuit))
        .route("/drivers/{id}", get(people::driver))
        .route("/constructors/{id}", get(people::constructor))
        .route_layer(middleware::from_fn_with_state(state.page_keeper(), pages::keep))
        .route_layer(middleware::from_fn(common::conditional::conditional))
        // The what-if reads its query, so it is answered afresh each time
        // (a kept page is named by its path alone).
        .route("/seasons/{year}/what-if", get(whatif::page).layer(middleware::from_fn(client::noting)))
        // So do the indexes and the search (content_api keeps their answers).
        .route("/drivers", get(index::drivers).layer(middleware::from_fn(client::noting)))
        .route("/constructors", get(index::constructors).layer(middleware::from_fn(client::noting)))
        .route("/circuits", get(index::circuits).layer(middleware::from_fn(client::noting)))
        .route("/search", get(index::search).layer(middleware::from_fn(client::noting)))
        // The live board changes by the second: never kept.
        .route("/live", get(live::page))
        .route(
            "/live/stream",
            get(live::stream).layer(middleware::from_fn_with_state(state.streams.clone(), common::streams::admit)),
        )
        .route("/live/fight", get(live::fight))
        .route("/live/charts", get(routes::live_plus::charts))
        .route("/live/now", get(live::now))
        .route("/images/circuits/{id}", get(circuits::image))
        .route("/assets/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/health", get(common::health::liveness))
        .route("/health/ready", get(ops::ready))
        .route("/metrics", get(common::metrics::render))
        .fallback(not_found)
        .method_not_allowed_fallback(common::error::method_not_allowed)
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state.retry_secs, retry_scope))
        .with_state(state.clone());
    common::http::frame(app, "website_front", state.request_timeout)
}

async fn not_found() -> Response {
    PageError::not_found("such page").into_response()
}

/// Makes the 503 page's retry delay known to [`PageError`] for this request.
async fn retry_scope(State(secs): State<u64>, req: Request, next: Next) -> Response {
    RETRY.scope(RetryAfter(secs), next.run(req)).await
}

/// Same-origin only: no external scripts, styles, fonts or frames.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; \
             base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    res
}

/// Serves the router on `listener` until `shutdown` triggers, within the
/// configured limits of ordinary connections ([`Config::serve_limits`];
/// `/live/stream` has its own budget, [`Config::stream_limits`]).
pub async fn serve(listener: TcpListener, state: AppState, shutdown: Shutdown) -> std::io::Result<()> {
    let limits = state.serve_limits;
    common::serve::serve_with(listener, router(state), shutdown, limits).await
}
