//! Who is calling, and may they do this: the check behind
//! `GET /auth/v1/verify`, the gateway's middleware and the admin routes.
use http::{HeaderMap, Method, Uri, header};
use protobuf::v1::User;
use subtle::ConstantTimeEq;

use super::tokens::sha256_hex;
use super::{Credential, Identity, Role, now_unix, policy};
use crate::error::AuthError;
use crate::state::AppState;

pub const API_KEY_HEADER: &str = "x-api-key";
/// An API key's `last_used_at` is refreshed at most this often (seconds),
/// so checking a key rarely costs a write.
const LAST_USED_RESOLUTION: i64 = 300;

/// The caller named by `Authorization: Bearer <access token>` or
/// `X-API-Key: <key>`. The user is read on every call: a disabled or
/// deleted user's tokens and keys stop working at once, and the role is
/// the current one.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Identity, AuthError> {
    let outcome = if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value.to_str().ok().and_then(bearer).ok_or(AuthError::InvalidToken)?;
        from_access_token(state, token).await
    } else if let Some(value) = headers.get(API_KEY_HEADER) {
        from_api_key(state, value.to_str().map_err(|_| AuthError::InvalidToken)?.trim()).await
    } else {
        Err(AuthError::MissingCredentials)
    };
    if let Err(e) = &outcome {
        let reason = match e {
            AuthError::MissingCredentials => "missing",
            AuthError::InvalidToken => "invalid",
            _ => "error",
        };
        metrics::counter!("auth_verify_total", "outcome" => reason).increment(1);
    }
    outcome
}

/// [`authenticate`], then the role [`policy::required_role`] asks for
/// `method` on `uri`: `Forbidden` when it is not enough. This is the same
/// check Traefik's forwardAuth gets from `/auth/v1/verify`.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
) -> Result<Identity, AuthError> {
    authorize_target(state, headers, method, uri.path()).await
}

/// [`authorize`] with the target as raw text (a forwarded URI may not parse).
pub async fn authorize_target(
    state: &AppState,
    headers: &HeaderMap,
    method: &Method,
    target: &str,
) -> Result<Identity, AuthError> {
    let identity = authenticate(state, headers).await?;
    require(identity, policy::required_role(method, target))
}

/// `identity` if its role satisfies `role`.
pub fn require(identity: Identity, role: Role) -> Result<Identity, AuthError> {
    if identity.role.satisfies(role) {
        metrics::counter!("auth_verify_total", "outcome" => "allowed").increment(1);
        Ok(identity)
    } else {
        metrics::counter!("auth_verify_total", "outcome" => "forbidden").increment(1);
        tracing::info!(user_id = %identity.user_id, role = %identity.role, required = %role, "forbidden");
        Err(AuthError::Forbidden)
    }
}

fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

async fn from_access_token(state: &AppState, token: &str) -> Result<Identity, AuthError> {
    let claims = state.jwt().check(token)?;
    let user = active_user(state, &claims.sub).await?;
    identity(&user, Credential::AccessToken)
}

async fn from_api_key(state: &AppState, key: &str) -> Result<Identity, AuthError> {
    if key.is_empty() {
        return Err(AuthError::InvalidToken);
    }
    let hash = sha256_hex(key);
    let mut record = state.accounts().api_key_by_hash(&hash).await?.ok_or(AuthError::InvalidToken)?;
    // The lookup is by hash already; compare once more without early exit.
    if !bool::from(record.key_hash.as_bytes().ct_eq(hash.as_bytes())) {
        return Err(AuthError::InvalidToken);
    }
    let user = active_user(state, &record.user_id).await?;
    let now = now_unix();
    if now - record.last_used_at >= LAST_USED_RESOLUTION {
        let key_id = record.id.clone();
        record.last_used_at = now;
        if let Err(e) = state.accounts().put_api_key(record).await {
            tracing::warn!(error = %e, %key_id, "could not record an API key's last use");
        }
        return identity(&user, Credential::ApiKey { key_id });
    }
    identity(&user, Credential::ApiKey { key_id: record.id })
}

async fn active_user(state: &AppState, id: &str) -> Result<User, AuthError> {
    match state.accounts().user_by_id(id).await? {
        Some(user) if !user.disabled => Ok(user),
        _ => Err(AuthError::InvalidToken),
    }
}

fn identity(user: &User, credential: Credential) -> Result<Identity, AuthError> {
    Ok(Identity {
        user_id: user.id.clone(),
        email: user.email.clone(),
        role: Role::parse(&user.role)
            .map_err(|_| AuthError::Internal(format!("user {} has role {}", user.id, user.role)))?,
        credential,
    })
}

#[cfg(test)]
mod tests {
    use super::bearer;

    #[test]
    fn bearer_scheme_is_case_insensitive_and_needs_a_token() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
    }
}
