//! Inputs validated at the edge into types that cannot be invalid.
use std::fmt;

use protobuf::v1::User;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::error::AuthError;

/// Shortest password accepted for a new account or a password change.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, to bound the work one request can cause.
const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Self, AuthError> {
        match s {
            "viewer" => Ok(Self::Viewer),
            "admin" => Ok(Self::Admin),
            other => Err(AuthError::invalid("role", format!("unknown role `{other}` (expected viewer or admin)"))),
        }
    }

    /// Whether this role may do what `required` allows (admin ⊇ viewer).
    pub fn satisfies(self, required: Role) -> bool {
        self >= required
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A trimmed, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, AuthError> {
        let email = normalize_email(raw);
        let bad = |m: &str| AuthError::invalid("email", m);
        if email.is_empty() || email.len() > 254 {
            return Err(bad("must be between 1 and 254 characters"));
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("must not contain spaces"));
        }
        match email.split_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => {
                Ok(Self(email))
            }
            _ => Err(bad("is not an email address")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The form emails are stored and rate limited under, valid or not.
pub(crate) fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A password that meets the rules for a new one. Never printed.
pub struct Password(SecretString);

impl Password {
    pub fn new(secret: SecretString) -> Result<Self, AuthError> {
        let value = secret.expose_secret();
        if value.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AuthError::invalid("password", format!("must be at least {MIN_PASSWORD_CHARS} characters")));
        }
        if value.len() > MAX_PASSWORD_BYTES {
            return Err(AuthError::invalid("password", format!("must be at most {MAX_PASSWORD_BYTES} bytes")));
        }
        Ok(Self(secret))
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([REDACTED])")
    }
}

/// How a caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    AccessToken,
    ApiKey { key_id: String },
}

/// An authenticated caller. The role is the user's current one (read on
/// every check), so a demotion or a disable takes effect at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user_id: String,
    pub email: String,
    pub role: Role,
    pub credential: Credential,
}

/// A user as shown to clients: never the password hash.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TryFrom<&User> for UserView {
    type Error = AuthError;

    fn try_from(u: &User) -> Result<Self, AuthError> {
        Ok(Self {
            id: u.id.clone(),
            email: u.email.clone(),
            role: Role::parse(&u.role)
                .map_err(|_| AuthError::Internal(format!("user {} has role {}", u.id, u.role)))?,
            disabled: u.disabled,
            created_at: u.created_at,
            updated_at: u.updated_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Max@Example.COM ").unwrap().as_str(), "max@example.com");
        for bad in ["", "no-at-sign", "@example.com", "max@", "a@b@c", "max @example.com"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(Password::new("elevenchars".to_string().into()).is_err());
        // Characters, not bytes: 12 accented letters pass.
        assert!(Password::new("éééééééééééé".to_string().into()).is_ok());
        assert!(Password::new("x".repeat(2000).into()).is_err());
        let shown = format!("{:?}", Password::new("correct horse battery".to_string().into()).unwrap());
        assert!(!shown.contains("horse"));
    }

    #[test]
    fn admin_satisfies_viewer_not_the_reverse() {
        assert!(Role::Admin.satisfies(Role::Viewer));
        assert!(!Role::Viewer.satisfies(Role::Admin));
        assert_eq!(Role::parse("admin").unwrap(), Role::Admin);
        assert!(Role::parse("root").is_err());
    }
}
