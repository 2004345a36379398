//! Login rate limits. Nobody can lock an account's owner out:
//! - failures from one address for one account are limited (the pair gets 429);
//! - failures from one address over all accounts are limited (password spraying);
//! - failures for one account from every address never refuse: past the
//!   per-account limit every further attempt is *slowed down* (a delay that
//!   doubles per failure, capped), so a distributed guesser gets few tries
//!   while the owner, from an address that has not been failing, still gets in.
//!
//! An attempt is recorded *before* the password is checked (so parallel
//! guesses count) and withdrawn when it succeeds, so only failures stay. The
//! clock is injectable: tests move time forward instead of sleeping.
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
    /// Failures allowed for one account from one address (then 429); also
    /// the account-wide count past which attempts are slowed down.
    pub per_account: u32,
    /// Failures allowed from one address over every account (then 429).
    pub per_address: u32,
    pub window: Duration,
    /// The first slow-down delay (doubled per further failure).
    pub slowdown: Duration,
    /// The longest slow-down delay.
    pub max_slowdown: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 20,
            window: Duration::from_secs(60),
            slowdown: Duration::from_millis(250),
            max_slowdown: Duration::from_secs(4),
        }
    }
}

impl LoginLimits {
    /// The delay before checking a password when the account has had
    /// `failures` failures (from any address) within the window.
    pub fn delay_after(&self, failures: usize) -> Duration {
        let Some(excess) = failures.checked_sub(self.per_account.max(1) as usize) else {
            return Duration::ZERO;
        };
        self.slowdown.saturating_mul(1 << excess.min(16)).min(self.max_slowdown)
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

    /// Records an attempt for `key` without ever refusing it; answers how many
    /// attempts of `key` were already within the window. Only the latest
    /// `max` are kept (the count saturates there).
    pub fn record(&self, key: &str) -> (Instant, usize) {
        let now = self.clock.now();
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        let queue = map.entry(key.to_string()).or_default();
        while queue.front().is_some_and(|t| now.saturating_duration_since(*t) >= self.window) {
            queue.pop_front();
        }
        let before = queue.len();
        if queue.len() >= self.max as usize {
            queue.pop_front();
        }
        queue.push_back(now);
        (now, before)
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

/// Every login limit together.
pub struct LoginLimiter {
    limits: LoginLimits,
    /// Failures per (account, address): refused past the limit.
    pair: FailureLimiter,
    /// Failures per address: refused past the limit.
    address: FailureLimiter,
    /// Failures per account from anywhere: never refused, only slowed down.
    account: FailureLimiter,
}

/// The attempt being made; give it back with [`LoginLimiter::succeeded`].
#[derive(Debug)]
pub struct Attempt {
    pair: (String, Instant),
    address: (String, Instant),
    account: (String, Instant),
    /// How long to wait before checking the password.
    pub delay: Duration,
}

/// Most failures remembered per account: enough to reach the longest delay.
const ACCOUNT_MEMORY: u32 = 64;

impl LoginLimiter {
    pub fn new(limits: LoginLimits, clock: Arc<dyn Clock>) -> Self {
        Self {
            limits,
            pair: FailureLimiter::new(limits.per_account.max(1), limits.window, clock.clone()),
            address: FailureLimiter::new(limits.per_address.max(1), limits.window, clock.clone()),
            account: FailureLimiter::new(ACCOUNT_MEMORY.max(limits.per_account), limits.window, clock),
        }
    }

    /// Starts an attempt for `account` from `address`, or says how long that
    /// address must wait.
    pub fn begin(&self, account: &str, address: &str) -> Result<Attempt, Duration> {
        let pair_key = format!("{account}\u{0}{address}");
        let by_pair = self.pair.acquire(&pair_key)?;
        let by_address = match self.address.acquire(address) {
            Ok(at) => at,
            Err(wait) => {
                self.pair.release(&pair_key, by_pair);
                return Err(wait);
            }
        };
        let (by_account, failures) = self.account.record(account);
        Ok(Attempt {
            pair: (pair_key, by_pair),
            address: (address.to_string(), by_address),
            account: (account.to_string(), by_account),
            delay: self.limits.delay_after(failures),
        })
    }

    /// The attempt did not fail (success, or an error before the check): it
    /// does not count.
    pub fn succeeded(&self, attempt: Attempt) {
        self.pair.release(&attempt.pair.0, attempt.pair.1);
        self.address.release(&attempt.address.0, attempt.address.1);
        self.account.release(&attempt.account.0, attempt.account.1);
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
        let limits = LoginLimits { per_account: 2, per_address: 10, ..LoginLimits::default() };
        let limiter = LoginLimiter::new(limits, clock);
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
        let limits = LoginLimits { per_account: 5, per_address: 1, ..LoginLimits::default() };
        let limiter = LoginLimiter::new(limits, clock);
        limiter.begin("a", "10.0.0.1").unwrap();
        assert!(limiter.begin("b", "10.0.0.1").is_err());
        // "b" was not charged by the refused attempt: from another address it still has 5.
        for i in 0..5 {
            limiter.begin("b", &format!("10.0.1.{i}")).unwrap();
        }
    }

    #[test]
    fn failures_from_other_addresses_slow_the_account_down_but_never_refuse_it() {
        let clock = Arc::new(ManualClock::default());
        let limiter = LoginLimiter::new(LoginLimits { per_account: 3, ..LoginLimits::default() }, clock);
        for i in 0..3 {
            let attempt = limiter.begin("owner", &format!("10.0.0.{i}")).unwrap();
            assert_eq!(attempt.delay, Duration::ZERO, "attempt {i}");
        }
        // Three failures: the fourth attempt, from a fresh address, goes on after a delay.
        let fourth = limiter.begin("owner", "192.0.2.7").unwrap();
        assert_eq!(fourth.delay, Duration::from_millis(250));
        let fifth = limiter.begin("owner", "192.0.2.8").unwrap();
        assert_eq!(fifth.delay, Duration::from_millis(500));
        for i in 0..40 {
            let attempt = limiter.begin("owner", &format!("10.1.0.{i}")).unwrap();
            assert!(attempt.delay <= Duration::from_secs(4));
        }
        assert_eq!(limiter.begin("owner", "192.0.2.9").unwrap().delay, Duration::from_secs(4));
    }

    #[test]
    fn one_address_failing_one_account_does_not_refuse_another_address() {
        let clock = Arc::new(ManualClock::default());
        let limiter = LoginLimiter::new(LoginLimits::default(), clock);
        for _ in 0..5 {
            limiter.begin("owner", "203.0.113.66").unwrap();
        }
        assert!(limiter.begin("owner", "203.0.113.66").is_err(), "the failing pair is refused");
        let owner = limiter.begin("owner", "198.51.100.1").expect("another address gets in");
        assert_eq!(owner.delay, Duration::from_millis(250));
    }
}
