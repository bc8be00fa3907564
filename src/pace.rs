//! One sending pace shared by every upload of an [`Uploader`](crate::batch::Uploader).
//!
//! Until the service first refuses a request for its rate (429), uploads go as fast as the
//! concurrency limit lets them. That first refusal holds back every upload until the service's
//! `Retry-After` (at least [`MIN_HOLD`]): nothing is known of the rate yet. The pace then climbs
//! quickly from a rough rate (the burst the service accepted, over its hold) until the next
//! refusal, which sets it near the rate (see `State::end_climb`).
//!
//! From then on requests are spread evenly at the pace, and a refusal holds back only the
//! upload it refused, for its own `Retry-After` (the floor stays), while the others keep the
//! pace: a whole-second `Retry-After` would otherwise cost every upload up to a second for a
//! refusal that timing jitter alone can cause. Each refusal of a request sent since the pace
//! last changed lowers it a little, and more for refusals in a row; each acceptance raises it a
//! little, faster the longer the service keeps accepting. The pace so settles where about one
//! request in fifty is refused: near the rate, never far above it (no hammering).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The shortest hold after a rate limit, whatever `Retry-After` says (`0`, a past date).
pub const MIN_HOLD: Duration = Duration::from_secs(1);
/// The slowest pace ever set: one request every ten seconds.
const MIN_RATE: f64 = 0.1;
/// A burst this small refuses as soon as the pace passes the rate.
const SMALL_BURST: f64 = 2.0;
/// While the rate is known only as a rough lower bound: growth per second (doubling in a sixth
/// of a second).
const FAST_GROWTH_PER_SECOND: f64 = 64.0;
/// Probing growth for each acceptance just after the pace changed, as a fraction.
const PROBE_GROWTH: f64 = 0.0005;
/// Acceptances in a row that double the probing growth.
const PROBE_ACCELERATION: f64 = 10.0;
/// The most the pace grows with one acceptance, as a fraction.
const MAX_PROBE_GROWTH: f64 = 0.02;
/// What the service accepted over this long before the refusal that ends the climb sets the pace.
const CLIMB_WINDOW: Duration = Duration::from_secs(1);
/// The shortest window counted, so that a few acceptances do not make a huge rate.
const MIN_CLIMB_WINDOW: Duration = Duration::from_millis(100);
/// The pace after the climb, below what was measured.
const CLIMB_MARGIN: f64 = 0.95;
/// A refusal once the pace is learned lowers it by this factor. With the probing growth, the
/// pace settles where about one request in fifty is refused.
const STEADY_CUT: f64 = 0.95;
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
    /// When the pace was last set or lowered after a refusal.
    changed: Instant,
    /// Acceptances since then.
    accepted_since_change: u32,
    /// Refusals that lowered the pace since the last acceptance.
    refused_in_row: u32,
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
                changed: now,
                accepted_since_change: 0,
                refused_in_row: 0,
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
        state.refused_in_row = 0;
        if let (Some(rate), false) = (state.rate, state.fast) {
            // Probing: slowly just after a change, faster the longer the service keeps
            // accepting, so a pace set too low soon climbs back.
            let streak = f64::from(state.accepted_since_change);
            let growth = (PROBE_GROWTH * (1.0 + streak / PROBE_ACCELERATION)).min(MAX_PROBE_GROWTH);
            state.rate = Some(rate * (1.0 + growth));
            state.accepted_since_change = state.accepted_since_change.saturating_add(1);
        }
        state.accepted.push_back(now);
        if state.accepted.len() > REMEMBERED {
            state.accepted.pop_front();
        }
    }

    /// The service refused a request sent at `sent` for its rate, and asked for `retry_after`
    /// (if it said). Returns when that upload may be sent again: the end of its own wait (at
    /// least [`MIN_HOLD`]), spent without a slot while the others keep the pace.
    ///
    /// The first refusal holds back every upload (nothing is known of the rate yet, and the
    /// uploads would all be refused) and starts a quick climb from a rough rate; the refusal
    /// that ends the climb sets the pace from what the service accepted; later ones (the pace
    /// probing past the rate, or timing jitter) lower it a little, once for each request sent
    /// after the last change.
    pub fn refused(&self, now: Instant, sent: Instant, retry_after: Option<Duration>) -> Instant {
        let hold = retry_after.unwrap_or(MIN_HOLD).max(MIN_HOLD);
        let mut state = self.lock();
        if state.hold_until > now {
            // Another refusal of the same moment: the hold stands, only longer if asked.
            state.hold_until = state.hold_until.max(now + hold);
            return state.hold_until;
        }
        match state.rate {
            None => {
                state.start_climb(now);
                state.hold_until = now + hold;
                let hold_until = state.hold_until;
                state.first_hold_end = Some(hold_until);
                state.last_hold = hold;
                state.last_send = None;
                state.stretch_start = hold_until;
                state.last_growth = hold_until;
                state.changed = hold_until;
                return hold_until;
            }
            Some(_) if state.fast => {
                state.end_climb(now);
                state.changed = now;
                state.accepted_since_change = 0;
            }
            Some(rate) if sent >= state.changed => {
                // Refusals in a row, with no acceptance between, cut harder each time.
                state.refused_in_row = state.refused_in_row.saturating_add(1);
                let cut = STEADY_CUT.powi(state.refused_in_row.min(10) as i32);
                state.rate = Some((rate * cut).max(MIN_RATE));
                state.changed = now;
                state.accepted_since_change = 0;
            }
            // Sent at the pace before the last change: it says nothing new.
            Some(_) => {}
        }
        now + hold
    }

    /// The pace in requests per second, once one is set.
    pub fn rate(&self) -> Option<f64> {
        self.lock().rate
    }
}

impl State {
    /// While climbing, raises the rate for the time since it was last raised.
    fn grow(&mut self, now: Instant) {
        let (Some(rate), true) = (self.rate, self.fast) else {
            return;
        };
        let seconds = now
            .saturating_duration_since(self.last_growth)
            .as_secs_f64();
        self.rate = Some(rate * FAST_GROWTH_PER_SECOND.powf(seconds));
        self.last_growth = now;
    }

    /// Sets a rough pace to climb from at the first refusal: the burst the service accepted
    /// (all it accepted so far) spread over its hold, or at least a second.
    fn start_climb(&mut self, now: Instant) {
        let burst = (self.accepted.len() as f64).max(1.0);
        self.burst = Some(burst);
        let span = now
            .saturating_duration_since(self.stretch_start)
            .max(MIN_HOLD)
            .as_secs_f64();
        self.rate = Some((burst / span).max(MIN_RATE));
        self.fast = true;
    }

    /// Sets the pace when the quick climb meets a refusal. A service with a burst of one or two
    /// refuses as soon as the pace passes its rate, so the refused pace measures it. A larger
    /// burst hides the rate while it drains: the pace is then what the service accepted over
    /// the last second (a little high while the burst drains, which later refusals correct; a
    /// service with a large burst loses nothing to a pace a little too high), never more than
    /// the refused pace.
    fn end_climb(&mut self, now: Instant) {
        self.grow(now);
        let Some(refused) = self.rate else { return };
        let burst = self.burst.unwrap_or(1.0);
        let window_start = self.stretch_start.max(now - CLIMB_WINDOW);
        let window = now
            .saturating_duration_since(window_start)
            .max(MIN_CLIMB_WINDOW)
            .as_secs_f64();
        let recent = self
            .accepted
            .iter()
            .rev()
            .take_while(|&&at| at >= window_start)
            .count() as f64;
        let rate = if burst <= SMALL_BURST {
            refused
        } else {
            // Between what was accepted and what was refused: too high costs a few refusals
            // (a run of them cuts quickly), too low costs time.
            (refused * (recent / window).min(refused))
                .sqrt()
                .max(refused / 2.0)
        };
        self.rate = Some((rate * CLIMB_MARGIN).max(MIN_RATE));
        self.fast = false;
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
        let until = pace.refused(start, start, Some(Duration::ZERO));
        assert_eq!(until, start + MIN_HOLD);
        assert_eq!(pace.clearance(start + ms(500)), Clearance::HeldUntil(until));
        assert_eq!(pace.held_until(start + ms(999)), Some(until));
        // A refusal of the same moment does not shorten or restart it.
        let again = pace.refused(start + ms(10), start + ms(10), None);
        assert!(again >= until && again <= until + ms(10));
        assert_eq!(
            pace.refused(start + ms(10), start + ms(10), Some(Duration::from_secs(3))),
            start + ms(3010)
        );
        assert!(pace.held_until(start + ms(3010)).is_none());
    }

    /// A pace past its climb: a service with a burst of one that refused the climb at about
    /// `rate` per second. Returns the pace and when the climb ended.
    fn climbed(start: Instant, rate: f64) -> (Pace, Instant) {
        let pace = Pace::new(start);
        pace.accepted(start);
        let hold_end = pace.refused(start, start, Some(Duration::from_secs(1)));
        let mut now = hold_end;
        while pace.rate().unwrap() < rate {
            now = turn_at(&pace, now);
            pace.accepted(now);
        }
        pace.refused(now, now, Some(Duration::from_secs(1)));
        (pace, now)
    }

    #[test]
    fn the_climb_ends_just_below_the_pace_a_small_burst_refused() {
        let start = Instant::now();
        let pace = Pace::new(start);
        pace.accepted(start);
        let mut now = pace.refused(start, start, None);
        while pace.rate().unwrap() < 50.0 {
            now = turn_at(&pace, now);
            pace.accepted(now);
        }
        let refused = pace.rate().unwrap();
        pace.refused(now, now, None);
        assert_eq!(pace.rate().unwrap(), refused * CLIMB_MARGIN);
    }

    #[test]
    fn a_large_burst_ends_the_climb_between_what_was_accepted_and_what_was_refused() {
        let start = Instant::now();
        let pace = Pace::new(start);
        for _ in 0..20 {
            pace.accepted(start);
        }
        let hold_end = pace.refused(start, start, Some(Duration::from_secs(1)));
        // The service accepts 20 every second; the climb passes 100 per second.
        let mut now = hold_end;
        let mut accepted = 0.0;
        while pace.rate().unwrap() < 100.0 {
            now = turn_at(&pace, now);
            if accepted < (now - hold_end).as_secs_f64() * 20.0 + 1.0 {
                pace.accepted(now);
                accepted += 1.0;
            }
        }
        let refused = pace.rate().unwrap();
        pace.refused(now, now, None);
        let rate = pace.rate().unwrap();
        assert!(
            rate < refused && rate >= refused / 2.0 * 0.9,
            "{rate} {refused}"
        );
    }

    #[test]
    fn a_later_refusal_holds_back_only_its_own_upload_for_at_least_the_minimum() {
        let start = Instant::now();
        let (pace, ended) = climbed(start, 20.0);
        let later = ended + Duration::from_secs(5);
        let own = pace.refused(later, later, Some(Duration::ZERO));
        assert_eq!(own, later + MIN_HOLD);
        assert_eq!(pace.held_until(later), None);
        assert!(matches!(
            pace.clearance(later + ms(100)),
            Clearance::Go | Clearance::NotBefore(_)
        ));
    }

    #[test]
    fn refusals_cut_the_pace_a_little_and_harder_in_a_row_but_once_for_each_change() {
        let start = Instant::now();
        let (pace, ended) = climbed(start, 20.0);
        let before = pace.rate().unwrap();
        let at = ended + ms(500);
        pace.refused(at, at, None);
        assert_eq!(pace.rate().unwrap(), before * STEADY_CUT);
        // A request sent before that change says nothing new.
        pace.refused(at + ms(1), at - ms(1), None);
        assert_eq!(pace.rate().unwrap(), before * STEADY_CUT);
        // A second refusal in a row cuts twice as hard.
        pace.refused(at + ms(50), at + ms(40), None);
        let cut = before * STEADY_CUT.powi(3);
        assert!((pace.rate().unwrap() - cut).abs() < 1e-9);
        // An acceptance ends the run: the next refusal cuts a little again.
        pace.accepted(at + ms(100));
        let accepted = pace.rate().unwrap();
        assert!(accepted > cut && accepted < cut * 1.001);
        pace.refused(at + ms(200), at + ms(150), None);
        assert!((pace.rate().unwrap() - accepted * STEADY_CUT).abs() < 1e-9);
    }

    #[test]
    fn probing_speeds_up_while_the_service_keeps_accepting() {
        let start = Instant::now();
        let (pace, ended) = climbed(start, 20.0);
        let set = pace.rate().unwrap();
        let mut now = ended;
        let mut grew = Vec::new();
        for _ in 0..4 {
            let before = pace.rate().unwrap();
            for _ in 0..50 {
                now = turn_at(&pace, now);
                pace.accepted(now);
            }
            grew.push(pace.rate().unwrap() / before);
        }
        assert!(grew.windows(2).all(|pair| pair[1] > pair[0]), "{grew:?}");
        // A pace set a third too low is back within 200 acceptances.
        assert!(pace.rate().unwrap() > set * 1.5, "{grew:?}");
    }

    #[test]
    fn requests_are_spread_evenly_at_the_pace() {
        let start = Instant::now();
        let (pace, ended) = climbed(start, 50.0);
        let rate = pace.rate().unwrap();
        let first = turn_at(&pace, ended);
        let second = turn_at(&pace, first);
        let gap = (second - first).as_secs_f64();
        assert!((gap - 1.0 / rate).abs() < 1e-3, "{gap} {rate}");
    }
}
