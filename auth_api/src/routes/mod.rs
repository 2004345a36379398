//! HTTP routes under `/auth/v1`, one file per resource, and the extractors
//! they share.

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{delete, get, post};

use crate::domain::{Identity, Role, authn};
use crate::error::AuthError;
use crate::state::AppState;

pub mod api_keys;
pub mod health;
pub mod session;
pub mod users;
pub mod verify;

/// Every `/auth/v1` route (no `/health` nor `/metrics`).
pub fn api(state: AppState) -> Router {
    Router::new()
        .route("/auth/v1/register", post(session::register))
        .route("/auth/v1/login", post(session::login))
        .route("/auth/v1/refresh", post(session::refresh))
        .route("/auth/v1/logout", post(session::logout))
        .route("/auth/v1/me", get(session::me))
        .route("/auth/v1/users", get(users::list).post(users::create))
        .route("/auth/v1/users/{id}", get(users::show).post(users::update).patch(users::update).delete(users::disable))
        .route("/auth/v1/api-keys", get(api_keys::list).post(api_keys::create))
        .route("/auth/v1/api-keys/{id}", delete(api_keys::delete))
        .route("/auth/v1/verify", get(verify::verify))
        .with_state(state)
}

/// A JSON body whose rejections are the common JSON error body, naming the field.
pub use common::extract::Json as ApiJson;

/// Any signed-in caller.
pub struct Authenticated(pub Identity);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AuthError> {
        Ok(Self(authn::authenticate(state, &parts.headers).await?))
    }
}

/// A signed-in admin.
pub struct Admin(pub Identity);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AuthError> {
        let identity = authn::authenticate(state, &parts.headers).await?;
        Ok(Self(authn::require(identity, Role::Admin)?))
    }
}

/// The client's address for rate limiting: the peer, or the last
/// `X-Forwarded-For` entry (the one our proxy added) when trusted.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AuthError> {
        let settings = state.settings();
        let forwarded = common::client_addr::Forwarded {
            trusted: settings.trust_forwarded_for,
            token: settings.forwarded_by.clone(),
        };
        Ok(Self(forwarded.client_addr(&parts.headers, &parts.extensions)))
    }
}
