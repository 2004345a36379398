//! Sessions: login (an access token and a refresh token), refresh with
//! rotation and reuse detection, logout.
//!
//! Every login starts a refresh-token *family*. A refresh replaces the
//! presented token by a new one of the same family (`replaced_by` is set
//! on the old one, both written in one batch). Presenting a token that was
//! already replaced means it was copied: the whole family is revoked, so
//! neither the thief nor the user can continue that session.
use protobuf::v1::{RefreshToken, User};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::normalize_email_for_limits as limit_key;
use super::tokens::{random_secret, sha256_hex};
use super::{Role, now_unix};
use crate::error::AuthError;
use crate::state::AppState;

/// What login and refresh answer. The tokens are shown to the client only.
#[derive(Serialize)]
pub struct Tokens {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds the access token is valid for.
    pub expires_in: u64,
    #[serde(serialize_with = "expose")]
    pub refresh_token: SecretString,
    pub refresh_expires_in: u64,
}

fn expose<S: serde::Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").field("expires_in", &self.expires_in).finish_non_exhaustive()
    }
}

/// Checks `email`/`password` under the login rate limits. An unknown email,
/// a wrong password and a disabled account give the same error after the
/// same work (a hash is verified in every case).
pub async fn login(state: &AppState, email: &str, password: &SecretString, client: &str) -> Result<Tokens, AuthError> {
    let limiter = state.login_limiter();
    let attempt = limiter.begin(&limit_key(email), client).map_err(|retry_after| {
        metrics::counter!("auth_logins_total", "outcome" => "rate_limited").increment(1);
        AuthError::RateLimited { retry_after }
    })?;
    if !attempt.delay.is_zero() {
        // Many failures for this account from elsewhere: slow down, never lock out.
        metrics::counter!("auth_logins_slowed_total").increment(1);
        tokio::time::sleep(attempt.delay).await;
    }
    match check_password(state, email, password).await {
        Ok(user) => {
            limiter.succeeded(attempt);
            metrics::counter!("auth_logins_total", "outcome" => "success").increment(1);
            tracing::info!(user_id = %user.id, "login");
            start_session(state, &user).await
        }
        Err(AuthError::InvalidCredentials) => {
            // The attempt stays counted. The email is not logged: people
            // type passwords into the email field.
            metrics::counter!("auth_logins_total", "outcome" => "failure").increment(1);
            tracing::info!("login failed");
            Err(AuthError::InvalidCredentials)
        }
        Err(other) => {
            limiter.succeeded(attempt);
            Err(other)
        }
    }
}

async fn check_password(state: &AppState, email: &str, password: &SecretString) -> Result<User, AuthError> {
    let user = match super::Email::parse(email) {
        Ok(email) => state.accounts().user_by_email(email.as_str()).await?,
        Err(_) => None,
    };
    let matched = state.hasher().verify(password, user.as_ref().map(|u| u.password_hash.as_str())).await?;
    match user {
        Some(user) if matched && !user.disabled => Ok(user),
        _ => Err(AuthError::InvalidCredentials),
    }
}

async fn start_session(state: &AppState, user: &User) -> Result<Tokens, AuthError> {
    let family = uuid::Uuid::new_v4().to_string();
    let (secret, record) = new_refresh_token(state, &user.id, &family);
    state.accounts().put_refresh_tokens(vec![record]).await?;
    tokens(state, user, secret)
}

fn new_refresh_token(state: &AppState, user_id: &str, family_id: &str) -> (SecretString, RefreshToken) {
    let secret = random_secret("");
    let now = now_unix();
    let ttl = i64::try_from(state.settings().refresh_ttl.as_secs()).unwrap_or(i64::MAX);
    let record = RefreshToken {
        token_hash: sha256_hex(secret.expose_secret()),
        user_id: user_id.to_string(),
        family_id: family_id.to_string(),
        created_at: now,
        expires_at: now.saturating_add(ttl),
        revoked: false,
        replaced_by: String::new(),
    };
    (secret, record)
}

fn tokens(state: &AppState, user: &User, refresh_token: SecretString) -> Result<Tokens, AuthError> {
    let role =
        Role::parse(&user.role).map_err(|_| AuthError::Internal(format!("user {} has role {}", user.id, user.role)))?;
    Ok(Tokens {
        access_token: state.jwt().issue(&user.id, role)?,
        token_type: "Bearer",
        expires_in: state.jwt().ttl().as_secs(),
        refresh_token,
        refresh_expires_in: state.settings().refresh_ttl.as_secs(),
    })
}

/// Rotates `presented`: a new access token and a new refresh token; the
/// presented one stops working. Reuse of a rotated token revokes its family.
pub async fn refresh(state: &AppState, presented: &SecretString) -> Result<Tokens, AuthError> {
    let hash = sha256_hex(presented.expose_secret());
    let _serialised = state.refresh_stripe(&hash).lock().await;
    let mut old = state.accounts().refresh_token(&hash).await?.ok_or(AuthError::InvalidToken)?;
    if !old.replaced_by.is_empty() {
        metrics::counter!("auth_refresh_reuse_total").increment(1);
        tracing::warn!(user_id = %old.user_id, family_id = %old.family_id, "refresh token reused; revoking its family");
        state.accounts().revoke_refresh_family(&old.family_id).await?;
        return Err(AuthError::InvalidToken);
    }
    if old.revoked || old.expires_at <= now_unix() {
        return Err(AuthError::InvalidToken);
    }
    let user = match state.accounts().user_by_id(&old.user_id).await? {
        Some(user) if !user.disabled => user,
        _ => return Err(AuthError::InvalidToken),
    };
    let (secret, new) = new_refresh_token(state, &user.id, &old.family_id);
    old.replaced_by = new.token_hash.clone();
    state.accounts().put_refresh_tokens(vec![old, new]).await?;
    tokens(state, &user, secret)
}

/// Ends the session of `presented` (its whole family). Unknown tokens are
/// ignored, so logging out twice is harmless.
pub async fn logout(state: &AppState, presented: &SecretString) -> Result<(), AuthError> {
    let hash = sha256_hex(presented.expose_secret());
    if let Some(token) = state.accounts().refresh_token(&hash).await? {
        state.accounts().revoke_refresh_family(&token.family_id).await?;
        tracing::info!(user_id = %token.user_id, "logout");
    }
    Ok(())
}
