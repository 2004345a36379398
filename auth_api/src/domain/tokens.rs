//! Access tokens (HS256 JWTs with issuer, audience and expiry), opaque
//! refresh tokens and API keys (random, stored only as SHA-256 hex).
use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Role, now_unix};
use crate::error::AuthError;

/// Shortest signing key accepted (HS256 wants at least 256 bits).
pub const MIN_SECRET_BYTES: usize = 32;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

/// Signs and checks access tokens.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: Duration,
}

impl JwtKeys {
    pub fn new(secret: &SecretString, issuer: &str, audience: &str, ttl: Duration) -> Result<Self, AuthError> {
        let bytes = secret.expose_secret().as_bytes();
        if bytes.len() < MIN_SECRET_BYTES {
            return Err(AuthError::invalid("auth secret", format!("must be at least {MIN_SECRET_BYTES} bytes")));
        }
        // Only HS256: a token naming another algorithm (or `none`) is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Only this service checks its tokens, so there is no clock skew to allow for.
        validation.leeway = 0;
        Ok(Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            issuer: issuer.to_string(),
            audience: audience.to_string(),
            ttl,
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A signed access token for `user_id` with `role`.
    pub fn issue(&self, user_id: &str, role: Role) -> Result<String, AuthError> {
        let now = now_unix();
        let claims = Claims {
            sub: user_id.to_string(),
            role,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now.saturating_add(i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX)),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AuthError::Internal(format!("signing a token: {e}")))
    }

    /// The claims of a valid token; any failure is `InvalidToken`.
    pub fn check(&self, token: &str) -> Result<Claims, AuthError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|data| data.claims).map_err(|e| {
            tracing::debug!(reason = ?e.kind(), "access token refused");
            AuthError::InvalidToken
        })
    }
}

/// A new random secret (256 bits) as hex, with an optional prefix.
pub fn random_secret(prefix: &str) -> SecretString {
    let bytes: [u8; 32] = rand::random();
    format!("{prefix}{}", hex(&bytes)).into()
}

/// SHA-256 of `value`, lower-case hex: how refresh tokens and API keys are stored.
pub fn sha256_hex(value: &str) -> String {
    hex(&Sha256::digest(value.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(&secret.to_string().into(), "willitbemax", "willitbemax", Duration::from_secs(900)).unwrap()
    }

    #[test]
    fn a_token_round_trips_with_its_claims() {
        let keys = keys("0123456789abcdef0123456789abcdef");
        let token = keys.issue("user-1", Role::Admin).unwrap();
        let claims = keys.check(&token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.role), ("user-1", Role::Admin));
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn another_key_or_audience_is_refused() {
        let token = keys("0123456789abcdef0123456789abcdef").issue("u", Role::Viewer).unwrap();
        assert_eq!(keys("fedcba9876543210fedcba9876543210").check(&token), Err(AuthError::InvalidToken));
        let other_aud = JwtKeys::new(
            &"0123456789abcdef0123456789abcdef".to_string().into(),
            "willitbemax",
            "someone-else",
            Duration::from_secs(60),
        )
        .unwrap();
        assert_eq!(other_aud.check(&token), Err(AuthError::InvalidToken));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtKeys::new(&"too short".to_string().into(), "i", "a", Duration::from_secs(1)).is_err());
    }

    #[test]
    fn sha256_is_lower_hex() {
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let s = random_secret("wibm_");
        assert!(s.expose_secret().starts_with("wibm_") && s.expose_secret().len() == 5 + 64);
    }
}
