//! auth_api: users, password hashes, tokens, API keys and roles, and the
//! check that protects every mutating route.
//!
//! Records live in data_scheduler (reached over gRPC, never the store
//! directly) and only as hashes: argon2id PHC strings for passwords,
//! SHA-256 hex for refresh tokens and API keys.
//!
//! # For the single-process gateway and the CLI
//! - [`AppState::from_config`] builds the state from `WIBM_*` variables.
//! - [`router`] serves `/auth/v1/*` plus `/health`, `/health/ready` and
//!   `/metrics`; [`api_router`] serves only `/auth/v1/*` (to merge next to
//!   other services' routers without clashing health routes).
//! - [`authorize`] is the verify check as a function; [`require_admin`] and
//!   [`require_policy`] are the same check as axum middleware.
//! - [`create_user`] is what `wibm user add EMAIL [--admin]` calls;
//!   [`bootstrap`] creates the first admin from the environment.
use std::time::Duration;

use axum::Router;

pub mod bootstrap;
pub(crate) mod config;
pub mod domain;
pub(crate) mod error;
pub(crate) mod middleware;
pub(crate) mod routes;
pub mod secret;
pub(crate) mod state;
mod store;

pub use config::Config;
pub use domain::accounts::{Bootstrap, create_user, ensure_admin};
pub use domain::authn::{API_KEY_HEADER, authenticate, authorize};
pub use domain::policy::{checked_at_edge, required_role};
pub use domain::{Credential, Identity, Role, UserView};
pub use error::AuthError;
pub use middleware::{require_admin, require_policy};
pub use state::{AppState, Settings};

/// How long one request may take (argon2 included) before a 504.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole service: `/auth/v1/*`, `/health`, `/health/ready`, `/metrics`,
/// in the common HTTP frame (request ids, tracing, metrics, timeout).
pub fn router(state: AppState) -> Router {
    let app = routes::api(state.clone()).merge(routes::health::routes(state));
    let app = common::error::json_fallbacks(app);
    common::http::frame(app, "auth_api", REQUEST_TIMEOUT)
}

/// Only the `/auth/v1/*` routes, framed.
pub fn api_router(state: AppState) -> Router {
    common::http::frame(common::error::json_fallbacks(routes::api(state)), "auth_api", REQUEST_TIMEOUT)
}
