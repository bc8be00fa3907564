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
/// While the rate is known only as a rough lower bound: growth per second (doubling per 0.25 s).
const FAST_GROWTH_PER_SECOND: f64 = 16.0;
/// Once the rate is learned: growth per second, probing for more.
const PROBE_GROWTH_PER_SECOND: f64 = 1.003;
/// Acceptances remembered for learning (the rest are too old to matter).
const REMEMBERED: usize = 4096;

/// A turn to send: the time it starts and the pace's epoch, which a hold ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    /// When the request may go.
    pub at: Instant,
    epoch: u64,
}

/// What the pace says now: send at a turn, or wait for a hold to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clearance {
    /// Every upload is held back until then.
    HeldUntil(Instant),
    /// This upload's turn.
    Turn(Turn),
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
    next_send: Instant,
    hold_until: Instant,
    /// How long the last hold lasted.
    last_hold: Duration,
    epoch: u64,
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
                next_send: now,
                hold_until: now,
                last_hold: Duration::ZERO,
                epoch: 0,
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

    /// Takes the next turn to send, or tells that every upload is held back.
    pub fn clearance(&self, now: Instant) -> Clearance {
        let mut state = self.lock();
        if state.hold_until > now {
            return Clearance::HeldUntil(state.hold_until);
        }
        state.grow(now);
        let at = state.next_send.max(now);
        if let Some(rate) = state.rate {
            state.next_send = at + Duration::from_secs_f64(1.0 / rate);
        }
        Clearance::Turn(Turn {
            at,
            epoch: state.epoch,
        })
    }

    /// True while `turn` still stands: no hold has begun since it was given.
    pub fn stands(&self, turn: Turn) -> bool {
        self.lock().epoch == turn.epoch
    }

    /// The service accepted a request.
    pub fn accepted(&self, now: Instant) {
        let mut state = self.lock();
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
        state.epoch += 1;
        state.hold_until = now + hold;
        state.last_hold = hold;
        state.next_send = state.hold_until;
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
        let (rate, fast) = match from_tail {
            Some(rate) => (rate * MARGIN, false),
            None => {
                let span = now.saturating_duration_since(self.stretch_start) + self.last_hold;
                let span = span.max(MIN_HOLD).as_secs_f64();
                (count / span, true)
            }
        };
        // Never above the pace that was just refused.
        let rate = match self.rate {
            Some(refused) if rate > refused => refused * MARGIN,
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

    fn turn_at(pace: &Pace, now: Instant) -> Instant {
        match pace.clearance(now) {
            Clearance::Turn(turn) => turn.at,
            Clearance::HeldUntil(until) => panic!("held until {until:?}"),
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
    fn turns_from_before_a_hold_no_longer_stand() {
        let start = Instant::now();
        let pace = Pace::new(start);
        let Clearance::Turn(turn) = pace.clearance(start) else {
            panic!()
        };
        assert!(pace.stands(turn));
        pace.refused(start, None);
        assert!(!pace.stands(turn));
    }

    #[test]
    fn learns_the_rate_of_a_steady_service_and_spaces_requests_by_it() {
        // A service allowing 1 at once and 50 per second, paced a little above it.
        let start = Instant::now();
        let pace = Pace::new(start);
        pace.accepted(start);
        let hold_end = pace.refused(start + ms(1), Some(Duration::from_secs(1)));
        turn_at(&pace, hold_end);
        // Accepted every 20 ms for two seconds, then refused.
        for i in 0..100 {
            pace.accepted(hold_end + ms(20 * i));
        }
        pace.refused(hold_end + ms(2000), Some(Duration::from_secs(1)));
        let rate = pace.rate().unwrap();
        assert!((45.0..=50.0).contains(&rate), "{rate}");
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
