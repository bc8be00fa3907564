//! The token bucket behind [`RateLimit`](super::RateLimit).

use super::RateLimit;
use std::time::{Duration, Instant};

/// Allows `burst` requests at once, refilled at `per_second`.
#[derive(Debug)]
pub(super) struct TokenBucket {
    per_second: f64,
    capacity: f64,
    tokens: f64,
    updated: Instant,
}

impl TokenBucket {
    /// A full bucket. The limit must have a positive, finite rate.
    pub fn new(limit: RateLimit, now: Instant) -> Self {
        Self {
            per_second: limit.per_second,
            capacity: f64::from(limit.burst),
            tokens: f64::from(limit.burst),
            updated: now,
        }
    }

    /// Takes one token, or tells how long until one is available.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.updated = self.updated.max(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - self.tokens) / self.per_second;
            Err(Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX))
        }
    }
}

/// The `Retry-After` value for a wait: whole seconds, rounded up, at least 1.
pub(super) fn retry_after_secs(wait: Duration) -> u64 {
    let whole = wait
        .as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0));
    whole.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(per_second: f64, burst: u32, now: Instant) -> TokenBucket {
        TokenBucket::new(RateLimit { per_second, burst }, now)
    }

    #[test]
    fn allows_the_burst_then_refuses() {
        let now = Instant::now();
        let mut bucket = bucket(2.0, 3, now);
        for _ in 0..3 {
            assert_eq!(bucket.try_take(now), Ok(()));
        }
        assert_eq!(bucket.try_take(now), Err(Duration::from_millis(500)));
    }

    #[test]
    fn refills_at_the_rate_up_to_the_burst() {
        let start = Instant::now();
        let mut bucket = bucket(10.0, 2, start);
        assert!(bucket.try_take(start).is_ok());
        assert!(bucket.try_take(start).is_ok());
        assert!(bucket.try_take(start).is_err());
        assert!(bucket.try_take(start + Duration::from_millis(100)).is_ok());
        assert!(bucket.try_take(start + Duration::from_millis(100)).is_err());
        // A long pause refills only up to the burst.
        let later = start + Duration::from_secs(60);
        assert!(bucket.try_take(later).is_ok());
        assert!(bucket.try_take(later).is_ok());
        assert!(bucket.try_take(later).is_err());
    }

    #[test]
    fn a_clock_going_backwards_neither_refills_nor_panics() {
        let start = Instant::now() + Duration::from_secs(1);
        let mut bucket = bucket(1.0, 1, start);
        assert!(bucket.try_take(start).is_ok());
        assert!(bucket.try_take(start - Duration::from_millis(500)).is_err());
        assert!(bucket.try_take(start + Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn a_tiny_rate_waits_very_long_without_panicking() {
        let now = Instant::now();
        let mut bucket = bucket(1e-300, 1, now);
        assert!(bucket.try_take(now).is_ok());
        assert_eq!(bucket.try_take(now), Err(Duration::MAX));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(50)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
        assert_eq!(retry_after_secs(Duration::from_millis(2001)), 3);
        assert_eq!(retry_after_secs(Duration::MAX), u64::MAX);
    }
}
