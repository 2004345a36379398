//! Where the engine's time comes from: the system clock in production, a
//! clock that tests set and advance (so a whole race weekend runs in a
//! second and every trigger time is exact).
use std::pin::Pin;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
    /// Completes once `now() >= at`.
    fn sleep_until(&self, at: DateTime<Utc>) -> Sleep;
}

/// The real UTC clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, at: DateTime<Utc>) -> Sleep {
        // Wall-clock jumps are tolerated: the engine also wakes every tick.
        let wait = (at - Utc::now()).to_std().unwrap_or_default();
        Box::pin(tokio::time::sleep(wait))
    }
}

/// A clock that stands still until told to move. Moving it wakes every
/// sleeper whose instant has come.
#[derive(Debug, Clone)]
pub struct TestClock {
    now: watch::Sender<DateTime<Utc>>,
}

impl TestClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { now: watch::channel(start).0 }
    }

    /// Moves the clock to `at` (never backwards).
    pub fn set(&self, at: DateTime<Utc>) {
        self.now.send_modify(|now| *now = (*now).max(at));
    }

    pub fn advance(&self, by: chrono::Duration) {
        self.now.send_modify(|now| *now += by);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.borrow()
    }

    fn sleep_until(&self, at: DateTime<Utc>) -> Sleep {
        let mut rx = self.now.subscribe();
        Box::pin(async move {
            // The sender lives as long as the clock; if it is gone, stop waiting.
            let _ = rx.wait_for(|now| *now >= at).await;
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn test_clock_wakes_sleepers_when_moved() {
        let start = DateTime::parse_from_rfc3339("2024-04-18T00:00:00Z").unwrap().to_utc();
        let clock = TestClock::new(start);
        let sleeper = tokio::spawn(clock.sleep_until(start + chrono::Duration::minutes(5)));
        clock.advance(chrono::Duration::minutes(4));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished());
        clock.advance(chrono::Duration::minutes(1));
        tokio::time::timeout(Duration::from_secs(5), sleeper).await.unwrap().unwrap();
        clock.set(start);
        assert_eq!(clock.now(), start + chrono::Duration::minutes(5), "never goes backwards");
    }
}
