//! argon2id password hashing. Hashes are PHC strings carrying their own salt
//! and parameters, so a later change of cost still verifies old hashes.
//! The work runs on the blocking pool, bounded by a semaphore so a burst of
//! logins cannot exhaust memory (each hash holds `memory_kib`).
use std::sync::Arc;

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

use super::Password;
use crate::error::AuthError;

/// argon2id cost. Production uses [`Argon2Cost::default`]; tests may lower it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon2Cost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Cost {
    /// OWASP's recommendation: 19 MiB, 2 iterations, 1 lane.
    fn default() -> Self {
        Self {
            memory_kib: Params::DEFAULT_M_COST,
            iterations: Params::DEFAULT_T_COST,
            parallelism: Params::DEFAULT_P_COST,
        }
    }
}

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the account does
    /// not exist, so that costs the same work as a wrong password.
    dummy: Arc<str>,
}

impl Hasher {
    pub fn new(cost: Argon2Cost) -> Result<Self, AuthError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| AuthError::invalid("argon2 parameters", e.to_string()))?;
        let random: [u8; 32] = rand::random();
        let dummy = argon2(&params)
            .hash_password(&random)
            .map_err(|e| AuthError::Internal(format!("hashing the dummy password: {e}")))?
            .to_string();
        let lanes = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Self { params, permits: Arc::new(Semaphore::new(lanes)), dummy: dummy.into() })
    }

    /// A fresh PHC string (`$argon2id$v=19$m=..,t=..,p=..$salt$hash`).
    pub async fn hash(&self, password: &Password) -> Result<String, AuthError> {
        let secret = password.secret().clone();
        let params = self.params.clone();
        self.blocking(move || {
            argon2(&params)
                .hash_password(secret.expose_secret().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| AuthError::Internal(format!("hashing a password: {e}")))
        })
        .await?
    }

    /// Whether `password` matches `stored`. With no stored hash (unknown
    /// account) the dummy is verified instead and the answer is false.
    /// The comparison of the digests is constant-time (password-hash's `Output`).
    pub async fn verify(&self, password: &SecretString, stored: Option<&str>) -> Result<bool, AuthError> {
        let known = stored.is_some();
        let phc = stored.map_or_else(|| self.dummy.to_string(), str::to_string);
        let secret = password.clone();
        let params = self.params.clone();
        let matched = self
            .blocking(move || {
                let parsed = match PasswordHash::new(&phc) {
                    Ok(parsed) => parsed,
                    Err(e) => {
                        tracing::warn!(error = %e, "a stored password hash does not parse");
                        return false;
                    }
                };
                argon2(&params).verify_password(secret.expose_secret().as_bytes(), &parsed).is_ok()
            })
            .await?;
        Ok(known && matched)
    }

    /// Runs `f` on the blocking pool under a permit, keeping the caller's
    /// tracing dispatcher (so spans and test log captures follow).
    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, AuthError> {
        let _permit =
            self.permits.acquire().await.map_err(|_| AuthError::Internal("hashing pool closed".to_string()))?;
        let dispatch = tracing::dispatcher::get_default(Clone::clone);
        tokio::task::spawn_blocking(move || tracing::dispatcher::with_default(&dispatch, f))
            .await
            .map_err(|e| AuthError::Internal(format!("hashing task failed: {e}")))
    }
}

fn argon2(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Hasher {
        Hasher::new(Argon2Cost { memory_kib: 64, iterations: 1, parallelism: 1 }).unwrap()
    }

    fn password(s: &str) -> Password {
        Password::new(s.to_string().into()).unwrap()
    }

    #[tokio::test]
    async fn hashes_are_salted_argon2id_that_verify() {
        let hasher = cheap();
        let pw = password("correct horse battery staple");
        let (a, b) = (hasher.hash(&pw).await.unwrap(), hasher.hash(&pw).await.unwrap());
        assert!(a.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(hasher.verify(pw.secret(), Some(&a)).await.unwrap());
        assert!(!hasher.verify(&"correct horse battery stapl".to_string().into(), Some(&a)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_account_and_garbage_hash_never_match() {
        let hasher = cheap();
        let pw: SecretString = "whatever password".to_string().into();
        assert!(!hasher.verify(&pw, None).await.unwrap());
        assert!(!hasher.verify(&pw, Some("not a phc string")).await.unwrap());
    }

    #[tokio::test]
    async fn the_dummy_costs_what_a_real_hash_costs() {
        // Unknown accounts verify against the dummy: same parameters, same work.
        let hasher = cheap();
        let real = hasher.hash(&password("correct horse battery staple")).await.unwrap();
        let params = |phc: &str| phc.split('$').take(4).collect::<Vec<_>>().join("$");
        assert_eq!(params(&hasher.dummy), params(&real));
        assert_eq!(params(&real), "$argon2id$v=19$m=64,t=1,p=1");
    }

    #[test]
    fn invalid_cost_is_refused() {
        assert!(Hasher::new(Argon2Cost { memory_kib: 1, iterations: 1, parallelism: 1 }).is_err());
    }
}
