//! When to send a failed upload again, and how long to wait first. Which failures may be sent
//! again at all is [`UploadError::disposition`](crate::client::UploadError::disposition): only
//! what the service did not take.

use rand::Rng;
use std::time::{Duration, SystemTime};

/// Bounds on retrying: exponential backoff with jitter, honouring the service's `Retry-After`
/// with a floor, limited in attempts, in rate-limit waits and in total time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts for failures the service did not take, the first included (1 means never retry,
    /// not even after a rate limit).
    pub max_attempts: u32,
    /// Rate-limit waits for one upload, at most.
    pub max_rate_limit_waits: u32,
    /// Wait before the first retry; doubled for each further one. Also the shortest wait, even
    /// when the service asks for none (`Retry-After: 0`).
    pub base_delay: Duration,
    /// No single wait is longer than this, whatever `Retry-After` says.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            max_rate_limit_waits: 30,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            max_total: Duration::from_secs(180),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How long to wait before the next attempt, or `None` to give up.
    ///
    /// `failed_attempts` counts the attempts made so far (at least 1), `elapsed` the time since
    /// the first began. A `Retry-After` from the service is honoured (with a little jitter so
    /// that waiting uploads do not all return at once); otherwise the wait grows exponentially
    /// with "equal jitter": half of it fixed, half random.
    pub fn next_wait(
        &self,
        failed_attempts: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
    ) -> Option<Duration> {
        if failed_attempts >= self.max_attempts {
            return None;
        }
        let mut rng = rand::rng();
        let wait = match retry_after {
            Some(asked) => {
                let jitter = rng.random_range(0..=asked.as_millis().min(1000) as u64 / 10);
                asked + Duration::from_millis(jitter)
            }
            None => {
                let exponent = failed_attempts.saturating_sub(1).min(20);
                let full = self
                    .base_delay
                    .saturating_mul(1 << exponent)
                    .min(self.max_delay);
                let half = full / 2;
                half + half.mul_f64(rng.random::<f64>())
            }
        };
        let wait = wait.max(self.base_delay).min(self.max_delay);
        (elapsed + wait <= self.max_total).then_some(wait)
    }

    /// Whether an upload refused for the service's rate may wait `hold` and go again:
    /// `waits_so_far` counts its earlier rate-limit waits, `elapsed` the time since its first
    /// attempt. Rate limits say "later", not "broken", so they do not use up the attempts, but
    /// they are bounded in count as well as in time.
    pub fn may_wait_for_rate_limit(
        &self,
        waits_so_far: u32,
        hold: Duration,
        elapsed: Duration,
    ) -> bool {
        self.max_attempts > 1
            && waits_so_far < self.max_rate_limit_waits
            && elapsed + hold <= self.max_total
    }
}

/// Reads a `Retry-After` header: a number of seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            max_rate_limit_waits: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_total: Duration::from_secs(10),
        }
    }

    #[test]
    fn backoff_grows_exponentially_within_jitter_bounds() {
        for _ in 0..200 {
            for (attempt, full_ms) in [(1, 100), (2, 200), (3, 400), (4, 800)] {
                let wait = policy().next_wait(attempt, None, Duration::ZERO).unwrap();
                let full = Duration::from_millis(full_ms);
                assert!(
                    wait >= full / 2 && wait <= full,
                    "attempt {attempt}: {wait:?}"
                );
            }
        }
    }

    #[test]
    fn jitter_spreads_the_waits() {
        let waits: std::collections::HashSet<_> = (0..50)
            .map(|_| policy().next_wait(3, None, Duration::ZERO).unwrap())
            .collect();
        assert!(waits.len() > 10, "waits barely vary: {waits:?}");
    }

    #[test]
    fn long_backoff_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 40,
            max_total: Duration::from_secs(3600),
            ..policy()
        };
        let wait = policy.next_wait(30, None, Duration::ZERO).unwrap();
        assert!(wait <= Duration::from_secs(2));
    }

    #[test]
    fn retry_after_is_honoured_with_small_jitter() {
        for _ in 0..100 {
            let wait = policy()
                .next_wait(1, Some(Duration::from_secs(1)), Duration::ZERO)
                .unwrap();
            assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_millis(1100));
        }
    }

    #[test]
    fn retry_after_longer_than_max_delay_is_capped() {
        let wait = policy()
            .next_wait(1, Some(Duration::from_secs(30)), Duration::ZERO)
            .unwrap();
        assert_eq!(wait, Duration::from_secs(2));
    }

    #[test]
    fn gives_up_after_max_attempts() {
        assert!(policy().next_wait(4, None, Duration::ZERO).is_some());
        assert!(policy().next_wait(5, None, Duration::ZERO).is_none());
        assert!(RetryPolicy::never()
            .next_wait(1, None, Duration::ZERO)
            .is_none());
    }

    #[test]
    fn gives_up_when_the_total_time_would_be_exceeded() {
        let near_end = Duration::from_millis(9_950);
        assert!(policy()
            .next_wait(1, Some(Duration::from_secs(1)), near_end)
            .is_none());
        assert!(policy()
            .next_wait(1, Some(Duration::from_secs(1)), Duration::from_secs(5))
            .is_some());
    }

    #[test]
    fn rate_limit_waits_are_bounded_in_count_and_time_not_attempts() {
        let second = Duration::from_secs(1);
        assert!(policy().may_wait_for_rate_limit(2, second, Duration::ZERO));
        assert!(!policy().may_wait_for_rate_limit(3, second, Duration::ZERO));
        assert!(!policy().may_wait_for_rate_limit(0, second, Duration::from_millis(9_500)));
        assert!(!RetryPolicy::never().may_wait_for_rate_limit(0, second, Duration::ZERO));
    }

    #[test]
    fn every_wait_has_a_floor_even_when_the_service_asks_for_none() {
        for _ in 0..50 {
            let wait = policy()
                .next_wait(1, Some(Duration::ZERO), Duration::ZERO)
                .unwrap();
            assert!(wait >= Duration::from_millis(100), "{wait:?}");
        }
    }

    #[test]
    fn parses_retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(42));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(42))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(42));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }
}
