//! `GET /auth/v1/verify`, for Traefik's forwardAuth: 200 with `X-User-Id`
//! and `X-User-Role` (Traefik copies them onto the forwarded request via
//! `authResponseHeaders`), 401 without valid credentials, 403 when the
//! role is not enough for `X-Forwarded-Method` on `X-Forwarded-Uri`.
//! Without those headers it only authenticates.
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::IntoResponse;

use crate::domain::authn;
use crate::error::AuthError;
use crate::state::AppState;

pub const USER_ID_HEADER: &str = "x-user-id";
pub const USER_ROLE_HEADER: &str = "x-user-role";

pub async fn verify(State(state): State<AppState>, headers: HeaderMap) -> Result<impl IntoResponse, AuthError> {
    // An unknown method is kept as is: the policy treats it as mutating.
    let method = headers
        .get("x-forwarded-method")
        .map_or(Ok(Method::GET), |m| Method::from_bytes(m.as_bytes()))
        .map_err(|_| AuthError::invalid("x-forwarded-method", "is not an HTTP method"))?;
    let target = headers.get("x-forwarded-uri").map_or_else(|| "/".into(), |u| String::from_utf8_lossy(u.as_bytes()));
    let identity = authn::authorize_target(&state, &headers, &method, &target).await?;
    Ok((StatusCode::OK, [(USER_ID_HEADER, identity.user_id), (USER_ROLE_HEADER, identity.role.as_str().to_string())]))
}
