//! Request pacing per upstream: a per-second and an optional per-hour
//! budget (Jolpica publishes both), shared by every sync in the process.
use std::num::NonZeroU32;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Budgets of one upstream; `per_hour` None means no hourly budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pacing {
    pub per_second: u32,
    pub per_hour: Option<u32>,
}

pub struct Pacer {
    second: DefaultDirectRateLimiter,
    hour: Option<DefaultDirectRateLimiter>,
}

impl std::fmt::Debug for Pacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pacer").field("hourly", &self.hour.is_some()).finish()
    }
}

impl Pacer {
    pub fn new(p: Pacing) -> Self {
        let per_second = NonZeroU32::new(p.per_second).unwrap_or(NonZeroU32::MIN);
        Self {
            second: RateLimiter::direct(Quota::per_second(per_second)),
            hour: p.per_hour.and_then(NonZeroU32::new).map(|n| RateLimiter::direct(Quota::per_hour(n))),
        }
    }

    /// Waits until both budgets allow one more request.
    pub async fn ready(&self) {
        if let Some(hour) = &self.hour {
            hour.until_ready().await;
        }
        self.second.until_ready().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn per_second_budget_spaces_requests() {
        let pacer = Pacer::new(Pacing { per_second: 20, per_hour: None });
        let start = Instant::now();
        for _ in 0..23 {
            pacer.ready().await;
        }
        // 20 pass at once (the burst), the next 3 wait 50 ms each.
        assert!(start.elapsed() >= Duration::from_millis(140), "{:?}", start.elapsed());
    }
}
