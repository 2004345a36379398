//! How long to wait before the next attempt: exponential backoff with
//! jitter for 5xx and timeouts, the server's `Retry-After` for 429.
use std::time::Duration;

use rand::Rng;

/// Attempts, timeouts and waits of every request to one upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Per request, connection to last body byte.
    pub timeout: Duration,
    /// Tries per request (1 = no retry).
    pub attempts: u32,
    /// First backoff; doubles per attempt, with jitter.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// A 429 asking to wait longer than this fails at once instead.
    pub max_retry_after: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            attempts: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl Policy {
    /// The wait after failed attempt `attempt` (1-based): half the
    /// exponential step plus a random part of the other half ("equal
    /// jitter"), so parallel clients spread out yet always back off.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let step = self.backoff.saturating_mul(1u32 << attempt.saturating_sub(1).min(16)).min(self.max_backoff);
        let half = step / 2;
        let jitter = rand::rng().random_range(0..=half.as_millis() as u64);
        half + Duration::from_millis(jitter)
    }
}

/// Parses `Retry-After`: delay seconds or an HTTP date.
pub fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.with_timezone(&chrono::Utc) - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_bounded() {
        let p = Policy {
            backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..Policy::default()
        };
        for _ in 0..50 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let third = p.backoff(3);
            assert!(third >= Duration::from_millis(175) && third <= Duration::from_millis(350), "{third:?}");
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:27:50Z").unwrap().with_timezone(&chrono::Utc);
        assert_eq!(retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(retry_after("soon", now), None);
    }
}
