//! One sending pace shared by every upload of an [`Uploader`](crate::batch::Uploader).
//!
//! Until the service first refuses a request for its rate (429), uploads go as fast as the
//! concurrency limit lets them. A refusal holds back every upload until the service's
//! `Retry-After` (at least [`MIN_HOLD`]), and from then on requests are spaced at a rate learned
//! from what the service accepted, probing slowly upward while it keeps accepting.
//!
//! How the rate is learned: the service is taken to be a token bucket (a burst, refilled at a
//! steady rate). The burst is about what it accepted before its first refusal. When it refuses
//! again, its bucket is empty, so over any recent stretch it accepted at most the burst plus the
//! rate times the stretch: the most that any stretch of `k` acceptances implies is a lower bound
//! on the rate. With too few acceptances for that, the rate over the last stretch and its hold
//! is the lower bound, and the pace climbs quickly from it until the next refusal.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The shortest hold after a rate limit, whatever `Retry-After` says (`0`, a past date).
pub const MIN_HOLD: Duration = Duration::from_secs(1);
/// The slowest pace ever set: one request every ten seconds.
const MIN_RATE: f64 = 0.1;
/// Acceptances beyond the burst needed before a stretch says anything about the rate.
const MIN_SAMPLES: f64 = 5.0;
/// Below the learned rate by this factor, to leave room for timing jitter.
const MARGIN: f64 = 0.97;
/// A burst this small absorbs no jitter: [`SMALL_BURST_MARGIN`] instead.
const SMALL_BURST: f64 = 2.0;
/// The margin below the learned rate for a service with a small burst.
const SMALL_BURST_MARGIN: f64 = 0.92;
/// While the rate is known only as a rough lower bound: growth per second (doubling per 0.25 s).
const FAST_GROWTH_PER_SECOND: f64 = 16.0;
/// Once the rate is learned: growth per second, probing for more.
const PROBE_GROWTH_PER_SECOND: f64 = 1.003;
/// Acceptances remembered for learning (the rest are too old to matter).
const REMEMBERED: usize = 4096;

/// What the pace says now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clearance {
    /// Every upload is held back until then (a rate limit): wait without a slot.
    HeldUntil(Instant),
    /// The next request may go then, at the pace as it is now: ask again then.
    NotBefore(Instant),
    /// Send now: this turn is taken.
    Go,
}

/// The shared pace. Cheap to consult; every method takes a short lock.
#[derive(Debug)]
pub struct Pace {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Requests per second; `None` until the service first refuses one.
    rate: Option<f64>,
    /// True while climbing quickly from a rough lower bound.
    fast: bool,
    last_growth: Instant,
    /// When the last request went.
    last_send: Option<Instant>,
    hold_until: Instant,
    /// When the first hold ended: acceptances that arrive before then belong to the burst.
    first_hold_end: Option<Instant>,
    /// How long the last hold lasted.
    last_hold: Duration,
    /// When sending last resumed (the start, or the end of the last hold).
    stretch_start: Instant,
    /// The burst the service allows, as first seen.
    burst: Option<f64>,
    /// When recent acceptances arrived, oldest first.
    accepted: VecDeque<Instant>,
}

impl Default for Pace {
    fn default() -> Self {
        Self::new(Instant::now())
    }
}

impl Pace {
    fn new(now: Instant) -> Self {
        Self {
            state: Mutex::new(State {
                rate: None,
                fast: false,
                last_growth: now,
                last_send: None,
                hold_until: now,
                first_hold_end: None,
                last_hold: Duration::ZERO,
                stretch_start: now,
                burst: None,
                accepted: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The end of the hold every upload is under, if any.
    pub fn held_until(&self, now: Instant) -> Option<Instant> {
        let state = self.lock();
        (state.hold_until > now).then_some(state.hold_until)
    }

    /// Takes the turn to send now, or tells how long to wait.
    pub fn clearance(&self, now: Instant) -> Clearance {
        let mut state = self.lock();
        if state.hold_until > now {
            return Clearance::HeldUntil(state.hold_until);
        }
        state.grow(now);
        if let (Some(rate), Some(last)) = (state.rate, state.last_send) {
            let next = last + Duration::from_secs_f64(1.0 / rate);
            if next > now {
                return Clearance::NotBefore(next);
            }
        }
        state.last_send = Some(now);
        Clearance::Go
    }

    /// The service accepted a request.
    pub fn accepted(&self, now: Instant) {
        let mut state = self.lock();
        if state.first_hold_end.is_some_and(|end| now < end) {
            // Sent before the first refusal, answered after it: part of the burst, and of the
            // rough rate to climb from.
            let burst = state.burst.map_or(1.0, |burst| burst + 1.0);
            state.burst = Some(burst);
            let rough = burst / (state.last_hold.as_secs_f64() + 1e-3);
            state.rate = state.rate.map(|rate| rate.max(rough));
        }
        state.accepted.push_back(now);
        if state.accepted.len() > REMEMBERED {
            state.accepted.pop_front();
        }
    }

    /// The service refused a request for its rate and asked for `retry_after` (if it said):
    /// holds back every upload and learns the rate. Returns the end of the hold.
    pub fn refused(&self, now: Instant, retry_after: Option<Duration>) -> Instant {
        let hold = retry_after.unwrap_or(MIN_HOLD).max(MIN_HOLD);
        let mut state = self.lock();
        if state.hold_until > now {
            // Another refusal of the same moment: the hold stands, only longer if asked.
            state.hold_until = state.hold_until.max(now + hold);
            return state.hold_until;
        }
        state.learn(now);
        state.hold_until = now + hold;
        let hold_until = state.hold_until;
        state.first_hold_end.get_or_insert(hold_until);
        state.last_hold = hold;
        state.last_send = None;
        state.stretch_start = state.hold_until;
        state.last_growth = state.hold_until;
        state.hold_until
    }

    /// The pace in requests per second, once one is set.
    pub fn rate(&self) -> Option<f64> {
        self.lock().rate
    }
}

impl State {
    /// Raises the rate for the time since it was last raised.
    fn grow(&mut self, now: Instant) {
        let Some(rate) = self.rate else { return };
        let seconds = now
            .saturating_duration_since(self.last_growth)
            .as_secs_f64();
        let growth = if self.fast {
            FAST_GROWTH_PER_SECOND
        } else {
            PROBE_GROWTH_PER_SECOND
        };
        self.rate = Some(rate * growth.powf(seconds));
        self.last_growth = now;
    }

    /// Sets the pace from what the service accepted in the stretch it has just ended.
    fn learn(&mut self, now: Instant) {
        self.grow(now);
        let stretch: Vec<Instant> = self
            .accepted
            .iter()
            .rev()
            .copied()
            .take_while(|&at| at >= self.stretch_start)
            .collect();
        let count = stretch.len() as f64;
        let burst = *self.burst.get_or_insert(count.max(1.0));
        // Newest first: the k-th newest acceptance and the k - 1 after it.
        let from_tail = stretch
            .iter()
            .enumerate()
            .map(|(index, &at)| ((index + 1) as f64, at))
            .filter(|(k, _)| *k >= burst + MIN_SAMPLES)
            .map(|(k, at)| (k - burst) / now.saturating_duration_since(at).as_secs_f64().max(1e-3))
            .fold(None, |best: Option<f64>, rate| {
                Some(best.map_or(rate, |best| best.max(rate)))
            });
        // With a burst of one or two, the service refuses as soon as the pace passes its rate, so
        // the refused pace measures it too (the bound from the tail is low after a quick climb);
        // such a service also absorbs no early arrival, so it gets a wider margin.
        let small_burst = burst <= SMALL_BURST;
        let margin = if small_burst {
            SMALL_BURST_MARGIN
        } else {
            MARGIN
        };
        let (rate, fast) = match (from_tail, self.rate) {
            (Some(bound), Some(refused)) if small_burst => (bound.max(refused) * margin, false),
            (Some(bound), _) => (bound * margin, false),
            (None, _) => {
                let span = now.saturating_duration_since(self.stretch_start) + self.last_hold;
                let span = span.max(MIN_HOLD).as_secs_f64();
                (count.max(1.0) / span, true)
            }
        };
        // Never above the pace that was just refused.
        let rate = match self.rate {
            Some(refused) if rate > refused => refused * margin,
            _ => rate,
        };
        self.rate = Some(rate.max(MIN_RATE));
        self.fast = fast;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    /// Takes the next turn at or after `now`, and returns when it is.
    fn turn_at(pace: &Pace, mut now: Instant) -> Instant {
        loop {
            match pace.clearance(now) {
                Clearance::Go => return now,
                Clearance::NotBefore(at) => now = at,
                Clearance::HeldUntil(until) => panic!("held until {until:?}"),
            }
        }
    }

    #[test]
    fn unpaced_until_the_first_refusal() {
        let start = Instant::now();
        let pace = Pace::new(start);
        for _ in 0..100 {
            assert_eq!(turn_at(&pace, start), start);
        }
        assert_eq!(pace.rate(), None);
    }

    #[test]
    fn a_refusal_holds_every_upload_for_at_least_the_minimum() {
        let start = Instant::now();
        let pace = Pace::new(start);
        let until = pace.refused(start, Some(Duration::ZERO));
        assert_eq!(until, start + MIN_HOLD);
        assert_eq!(pace.clearance(start + ms(500)), Clearance::HeldUntil(until));
        assert_eq!(pace.held_until(start + ms(999)), Some(until));
        // A refusal of the same moment does not shorten or restart it.
        let again = pace.refused(start + ms(10), None);
        assert!(again >= until && again <= until + ms(10));
        assert_eq!(
            pace.refused(start + ms(10), Some(Duration::from_secs(3))),
            start + ms(3010)
        );
        assert!(pace.held_until(start + ms(3010)).is_none());
    }

    #[test]
    fn learns_the_rate_of_a_steady_service_and_spaces_requests_by_it() {
        // A service allowing 5 at once and 50 per second, paced a little above it.
        let start = Instant::now();
        let pace = Pace::new(start);
        for _ in 0..5 {
            pace.accepted(start);
        }
        let hold_end = pace.refused(start + ms(1), Some(Duration::from_secs(1)));
        turn_at(&pace, hold_end);
        // Accepted every 20 ms for two seconds, then refused.
        for i in 0..100 {
            pace.accepted(hold_end + ms(20 * i));
        }
        pace.refused(hold_end + ms(2000), Some(Duration::from_secs(1)));
        let rate = pace.rate().unwrap();
        assert!((44.0..=50.0).contains(&rate), "{rate}");
        let resume = hold_end + ms(3000);
        let first = turn_at(&pace, resume);
        let second = turn_at(&pace, resume);
        let gap = (second - first).as_secs_f64();
        assert!((0.019..=0.023).contains(&gap), "{gap}");
    }

    #[test]
    fn climbs_quickly_from_a_rough_bound_and_slowly_once_learned() {
        let start = Instant::now();
        let pace = Pace::new(start);
        pace.accepted(start);
        let hold_end = pace.refused(start, Some(Duration::from_secs(1)));
        let rough = pace.rate().unwrap();
        assert!(rough <= 1.0, "{rough}");
        turn_at(&pace, hold_end);
        turn_at(&pace, hold_end + ms(500));
        assert!(pace.rate().unwrap() >= rough * 3.9);

        for i in 0..100 {
            pace.accepted(hold_end + ms(600 + 20 * i));
        }
        let later = pace.refused(hold_end + ms(2600), None);
        let learned = pace.rate().unwrap();
        turn_at(&pace, later);
        turn_at(&pace, later + Duration::from_secs(10));
        let probed = pace.rate().unwrap();
        assert!(
            probed > learned && probed < learned * 1.05,
            "{learned} {probed}"
        );
    }
}
