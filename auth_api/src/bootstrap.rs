//! The first admin from `WIBM_ADMIN_EMAIL`/`WIBM_ADMIN_PASSWORD`, created in
//! the background once data_scheduler answers (it may start after us).
use std::time::Duration;

use common::Shutdown;
use secrecy::{ExposeSecret, SecretString};

use crate::config::Config;
use crate::domain::accounts::{Bootstrap, ensure_admin};
use crate::domain::{Email, Password};
use crate::error::AuthError;
use crate::state::AppState;

/// The configured first admin, validated; `None` when not configured.
/// Empty values count as unset (compose passes `${WIBM_ADMIN_EMAIL:-}`).
pub fn configured_admin(cfg: &Config) -> anyhow::Result<Option<(String, SecretString)>> {
    let email = cfg.admin_email.as_ref().filter(|e| !e.trim().is_empty());
    let password = cfg.admin_password.as_ref().filter(|p| !p.expose_secret().is_empty());
    match (email, password) {
        (None, None) => Ok(None),
        (Some(email), Some(password)) => {
            Email::parse(email).map_err(|e| anyhow::anyhow!("WIBM_ADMIN_EMAIL: {e}"))?;
            Password::new(password.clone()).map_err(|e| anyhow::anyhow!("WIBM_ADMIN_PASSWORD: {e}"))?;
            Ok(Some((email.clone(), password.clone())))
        }
        _ => anyhow::bail!("set both WIBM_ADMIN_EMAIL and WIBM_ADMIN_PASSWORD, or neither"),
    }
}

/// Ensures the admin exists, retrying with backoff while data_scheduler is
/// unreachable, until done or `shutdown`.
pub async fn run(state: AppState, email: String, password: SecretString, shutdown: Shutdown) {
    let mut delay = Duration::from_millis(200);
    loop {
        match ensure_admin(&state, &email, password.clone()).await {
            Ok(Bootstrap::Created) => return tracing::info!("created the first admin from WIBM_ADMIN_EMAIL"),
            Ok(Bootstrap::Existed) => return tracing::debug!("the configured admin exists"),
            Err(e @ (AuthError::Unavailable(_) | AuthError::Internal(_))) => {
                tracing::warn!(error = %e, retry_in = ?delay, "cannot create the first admin yet");
            }
            Err(e) => return tracing::error!(error = %e, "cannot create the first admin"),
        }
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = shutdown.wait() => return,
        }
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(email: Option<&str>, password: Option<&str>) -> Config {
        Config {
            admin_email: email.map(str::to_string),
            admin_password: password.map(|p| p.to_string().into()),
            ..Config::default()
        }
    }

    #[test]
    fn the_first_admin_must_be_complete_and_valid() {
        assert!(configured_admin(&cfg(None, None)).unwrap().is_none());
        assert!(configured_admin(&cfg(Some(""), Some(""))).unwrap().is_none(), "compose's empty defaults");
        assert!(configured_admin(&cfg(Some("root@example.com"), Some("long enough password"))).unwrap().is_some());
        assert!(configured_admin(&cfg(Some("root@example.com"), None)).is_err());
        let short = configured_admin(&cfg(Some("root@example.com"), Some("short"))).unwrap_err().to_string();
        assert!(short.contains("WIBM_ADMIN_PASSWORD") && !short.contains("short\""), "{short}");
        assert!(configured_admin(&cfg(Some("not-an-email"), Some("long enough password"))).is_err());
    }
}
