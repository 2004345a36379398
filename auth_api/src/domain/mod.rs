//! What auth_api knows, independent of HTTP: validated inputs, password
//! hashing, tokens, rate limits, the access policy, and the operations
//! (accounts, sessions, API keys, authentication) built from them.

pub mod accounts;
pub mod api_keys;
pub mod authn;
pub mod password;
pub mod policy;
pub mod ratelimit;
pub mod session;
pub mod tokens;
mod types;

pub(crate) use types::normalize_email as normalize_email_for_limits;

pub use types::{Credential, Email, Identity, MIN_PASSWORD_CHARS, Password, Role, UserView};

/// Now, in unix seconds.
pub(crate) fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
