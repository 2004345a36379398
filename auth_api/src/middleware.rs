//! The same check as `/auth/v1/verify`, in-process, for the single-process
//! gateway. Layer one of these onto the routes it protects:
//!
//! ```ignore
//! let protected = Router::new()
//!     .nest("/fetcher/v1", fetcher_routes)
//!     .route_layer(axum::middleware::from_fn_with_state(auth_state.clone(), auth_api::require_admin));
//! ```
//!
//! On success the request carries the caller's [`Identity`] as an extension
//! and `X-User-Id`/`X-User-Role` headers (any values the client sent are
//! replaced), like a request Traefik forwards after forwardAuth.
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::{Identity, Role, authn};
use crate::routes::verify::{USER_ID_HEADER, USER_ROLE_HEADER};
use crate::state::AppState;

/// Lets only admins through: 401 without valid credentials, 403 for viewers.
pub async fn require_admin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let identity = match authn::authenticate(&state, req.headers()).await.and_then(|id| authn::require(id, Role::Admin))
    {
        Ok(identity) => identity,
        Err(e) => return e.into_response(),
    };
    next.run(with_identity(req, identity)).await
}

/// Applies the route policy ([`crate::domain::policy`]) to the request's own
/// method and path: for a gateway that guards a whole prefix at once.
pub async fn require_policy(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let identity = match authn::authorize(&state, req.headers(), req.method(), req.uri()).await {
        Ok(identity) => identity,
        Err(e) => return e.into_response(),
    };
    next.run(with_identity(req, identity)).await
}

fn with_identity(mut req: Request, identity: Identity) -> Request {
    let headers = req.headers_mut();
    headers.remove(USER_ID_HEADER);
    headers.remove(USER_ROLE_HEADER);
    if let Ok(id) = HeaderValue::from_str(&identity.user_id) {
        headers.insert(USER_ID_HEADER, id);
    }
    headers.insert(USER_ROLE_HEADER, HeaderValue::from_static(identity.role.as_str()));
    req.extensions_mut().insert(identity);
    req
}
