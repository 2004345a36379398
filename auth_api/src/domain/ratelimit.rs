//! Login rate limits: at most N failed attempts per key (account, client
//! address) within a sliding window. An attempt is recorded *before* the
//! password is checked (so parallel guesses count) and withdrawn when it
//! succeeds, so only failures stay. The clock is injectable: tests move
//! time forward instead of sleeping.
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where "now" comes from.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Instant;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when told to (tests).
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    offset: Mutex<Duration>,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self { start: Instant::now(), offset: Mutex::new(Duration::ZERO) }
    }
}

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Limits applied to `POST /auth/v1/login`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    pub per_account: u32,
    pub per_address: u32,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self { per_account: 5, per_address: 20, window: Duration::from_secs(60) }
    }
}

/// Sweep empty keys once the map holds this many, to bound memory.
const SWEEP_AT: usize = 10_000;

/// Failed attempts per key within a sliding window.
pub struct FailureLimiter {
    max: u32,
    window: Duration,
    clock: Arc<dyn Clock>,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl FailureLimiter {
    pub fn new(max: u32, window: Duration, clock: Arc<dyn Clock>) -> Self {
        Self { max: max.max(1), window, clock, attempts: Mutex::new(HashMap::new()) }
    }

    /// Records an attempt for `key`, or says how long to wait when `max`
    /// attempts already happened within the window.
    pub fn acquire(&self, key: &str) -> Result<Instant, Duration> {
        let now = self.clock.now();
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= SWEEP_AT {
            let window = self.window;
            map.retain(|_, q| q.back().is_some_and(|t| now.saturating_duration_since(*t) < window));
        }
        let queue = map.entry(key.to_string()).or_default();
        while queue.front().is_some_and(|t| now.saturating_duration_since(*t) >= self.window) {
            queue.pop_front();
        }
        if queue.len() >= self.max as usize {
            let oldest = *queue.front().expect("max is at least 1, so a full queue has a front");
            return Err((oldest + self.window).saturating_duration_since(now).max(Duration::from_secs(1)));
        }
        queue.push_back(now);
        Ok(now)
    }

    /// Withdraws an attempt recorded at `at` (it succeeded, or never got checked).
    pub fn release(&self, key: &str, at: Instant) {
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(queue) = map.get_mut(key) {
            if let Some(i) = queue.iter().rposition(|t| *t == at) {
                queue.remove(i);
            }
            if queue.is_empty() {
                map.remove(key);
            }
        }
    }
}

/// Both login limits together.
pub struct LoginLimiter {
    account: FailureLimiter,
    address: FailureLimiter,
}

/// The attempt being made; give it back with [`LoginLimiter::succeeded`].
#[derive(Debug)]
pub struct Attempt {
    account: (String, Instant),
    address: (String, Instant),
}

impl LoginLimiter {
    pub fn new(limits: LoginLimits, clock: Arc<dyn Clock>) -> Self {
        Self {
            account: FailureLimiter::new(limits.per_account.max(1), limits.window, clock.clone()),
            address: FailureLimiter::new(limits.per_address.max(1), limits.window, clock),
        }
    }

    pub fn begin(&self, account: &str, address: &str) -> Result<Attempt, Duration> {
        let by_account = self.account.acquire(account)?;
        match self.address.acquire(address) {
            Ok(by_address) => {
                Ok(Attempt { account: (account.to_string(), by_account), address: (address.to_string(), by_address) })
            }
            Err(wait) => {
                self.account.release(account, by_account);
                Err(wait)
            }
        }
    }

    /// The attempt did not fail (success, or an error before the check): it
    /// does not count.
    pub fn succeeded(&self, attempt: Attempt) {
        self.account.release(&attempt.account.0, attempt.account.1);
        self.address.release(&attempt.address.0, attempt.address.1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_failure_in_a_window_waits_for_the_oldest_to_expire() {
        let clock = Arc::new(ManualClock::default());
        let limiter = FailureLimiter::new(5, Duration::from_secs(60), clock.clone());
        for _ in 0..5 {
            limiter.acquire("max@example.com").unwrap();
            clock.advance(Duration::from_secs(1));
        }
        assert_eq!(limiter.acquire("max@example.com"), Err(Duration::from_secs(55)));
        assert!(limiter.acquire("other@example.com").is_ok(), "keys are independent");
        clock.advance(Duration::from_secs(55));
        assert!(limiter.acquire("max@example.com").is_ok(), "the oldest failure left the window");
    }

    #[test]
    fn successes_do_not_count() {
        let clock = Arc::new(ManualClock::default());
        let limiter =
            LoginLimiter::new(LoginLimits { per_account: 2, per_address: 10, window: Duration::from_secs(60) }, clock);
        for _ in 0..10 {
            let attempt = limiter.begin("a", "127.0.0.1").unwrap();
            limiter.succeeded(attempt);
        }
        limiter.begin("a", "127.0.0.1").unwrap();
        limiter.begin("a", "127.0.0.1").unwrap();
        assert!(limiter.begin("a", "127.0.0.1").is_err());
    }

    #[test]
    fn an_address_limit_does_not_charge_the_account() {
        let clock = Arc::new(ManualClock::default());
        let limiter =
            LoginLimiter::new(LoginLimits { per_account: 5, per_address: 1, window: Duration::from_secs(60) }, clock);
        limiter.begin("a", "10.0.0.1").unwrap();
        assert!(limiter.begin("b", "10.0.0.1").is_err());
        // "b" was not charged by the refused attempt: from another address it still has 5.
        for i in 0..5 {
            limiter.begin("b", &format!("10.0.1.{i}")).unwrap();
        }
    }
}
