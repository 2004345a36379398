//! The shared state of auth_api's handlers, and of the gateway and CLI
//! when they call the library directly.
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::config::Config;
use crate::domain::password::{Argon2Cost, Hasher};
use crate::domain::ratelimit::{Clock, LoginLimiter, LoginLimits, SystemClock};
use crate::domain::tokens::JwtKeys;
use crate::error::AuthError;
use crate::secret;
use crate::store::Accounts;

/// What the domain needs from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub open_registration: bool,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub issuer: String,
    pub audience: String,
    pub argon2: Argon2Cost,
    pub login: LoginLimits,
    pub trust_forwarded_for: bool,
    /// With a token, `X-Forwarded-For` is believed only on requests that
    /// carry it: a caller that reaches auth_api's own port cannot pick the
    /// address its failed logins are counted against.
    pub forwarded_by: Option<common::internal::InternalToken>,
}

impl Default for Settings {
    fn default() -> Self {
        Self::from(&Config::default())
    }
}

impl From<&Config> for Settings {
    fn from(cfg: &Config) -> Self {
        Self {
            open_registration: cfg.auth_open_registration,
            access_ttl: cfg.auth_access_ttl_secs.get(),
            refresh_ttl: cfg.auth_refresh_ttl_secs.get(),
            issuer: cfg.auth_issuer.clone(),
            audience: cfg.auth_audience.clone(),
            argon2: cfg.argon2_cost(),
            login: cfg.login_limits(),
            trust_forwarded_for: cfg.auth_trust_forwarded_for,
            forwarded_by: common::internal::InternalToken::from_config(cfg.internal_token.as_ref()).ok().flatten(),
        }
    }
}

/// Refreshes of one token are serialised through one of these stripes, so
/// two concurrent uses of one token cannot both rotate it.
const REFRESH_STRIPES: usize = 32;

/// Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Settings,
    accounts: Accounts,
    hasher: Hasher,
    jwt: JwtKeys,
    login_limiter: LoginLimiter,
    refresh_stripes: [tokio::sync::Mutex<()>; REFRESH_STRIPES],
}

impl AppState {
    /// Builds the state from its parts; `clock` drives the login limits.
    pub fn new(
        settings: Settings,
        client: data_client::Client,
        signing_key: &SecretString,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, AuthError> {
        let jwt = JwtKeys::new(signing_key, &settings.issuer, &settings.audience, settings.access_ttl)?;
        let hasher = Hasher::new(settings.argon2)?;
        let login_limiter = LoginLimiter::new(settings.login, clock);
        Ok(Self {
            inner: Arc::new(Inner {
                accounts: Accounts::new(client),
                hasher,
                jwt,
                login_limiter,
                refresh_stripes: std::array::from_fn(|_| tokio::sync::Mutex::new(())),
                settings,
            }),
        })
    }

    /// Everything from the configuration: the signing key (refusing to start
    /// in a container without `WIBM_AUTH_SECRET`), a lazy data_scheduler
    /// client, the system clock.
    pub fn from_config(cfg: &Config) -> anyhow::Result<Self> {
        use anyhow::Context;
        let key = secret::resolve(
            cfg.auth_secret.as_ref(),
            common::config::in_container() && !cfg.single_process,
            &cfg.data_dir,
        )?;
        let token = common::internal::InternalToken::required_in_container(cfg.internal_token.as_ref())?;
        let client = data_client::Client::connect_lazy_with(
            &cfg.data_scheduler_url,
            cfg.data_scheduler_timeout(),
            token.as_ref(),
        )
        .with_context(|| format!("data_scheduler address {}", cfg.data_scheduler_url))?;
        Ok(Self::new(Settings::from(cfg), client, &key, Arc::new(SystemClock))?)
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub(crate) fn accounts(&self) -> &Accounts {
        &self.inner.accounts
    }

    pub(crate) fn hasher(&self) -> &Hasher {
        &self.inner.hasher
    }

    pub(crate) fn jwt(&self) -> &JwtKeys {
        &self.inner.jwt
    }

    pub(crate) fn login_limiter(&self) -> &LoginLimiter {
        &self.inner.login_limiter
    }

    pub(crate) fn refresh_stripe(&self, token_hash: &str) -> &tokio::sync::Mutex<()> {
        let index = token_hash.bytes().fold(0usize, |acc, b| acc.wrapping_mul(31).wrapping_add(b.into()));
        &self.inner.refresh_stripes[index % REFRESH_STRIPES]
    }
}
