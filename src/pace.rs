//! One sending pace shared by every upload of an [`Uploader`](crate::batch::Uploader).
//!
//! Until the service first refuses a request for its rate (429), uploads go as fast as the
//! concurrency limit lets them. That first refusal holds back every upload until the service's
//! `Retry-After` (at least [`MIN_HOLD`]): nothing is known of the rate yet. The pace then climbs
//! quickly from a rough rate until the next refusal, which sets it near the rate (see
//! `State::end_climb`).
//!
//! From then on requests are spread evenly at the pace, on a schedule that a late wake-up does
//! not push back, and a refusal holds back only the upload it refused, for its own
//! `Retry-After` (the floor stays), while the others keep the pace: a whole-second `Retry-After`
//! would otherwise cost every upload up to a second for a refusal that timing jitter alone can
//! cause. The pace remembers the last pace the service refused (its ceiling). A refusal lowers
//! the pace a little (harder for refusals in a row, and straight to what the service accepted
//! when that is far below the pace); acceptances bring it back quickly to just below the
//! ceiling, where it waits a while before probing past it slowly, faster the longer the
//! service keeps accepting. The pace
//! so sits just under the service's rate with few refusals, and never far above it (no
//! hammering).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The shortest hold after a rate limit, whatever `Retry-After` says (`0`, a past date).
pub const MIN_HOLD: Duration = Duration::from_secs(1);
/// The slowest pace ever set: one request every ten seconds.
const MIN_RATE: f64 = 0.1;
/// The slowest pace a climb starts from: a service that refuses it only costs a few refusals.
const CLIMB_START: f64 = 5.0;
/// How late a turn may be taken and still count as on schedule.
const ON_SCHEDULE: Duration = Duration::from_micros(500);
/// A burst this small refuses as soon as the pace passes the rate.
const SMALL_BURST: f64 = 2.0;
/// While the rate is known only as a rough lower bound: growth per second (doubling in a tenth
/// of a second).
const FAST_GROWTH_PER_SECOND: f64 = 1024.0;
/// Probing growth for each acceptance just after the pace changed, as a fraction.
const PROBE_GROWTH: f64 = 0.00005;
/// Acceptances in a row that double the probing growth.
const PROBE_ACCELERATION: f64 = 200.0;
/// The most the pace grows with one acceptance, as a fraction.
const MAX_PROBE_GROWTH: f64 = 0.02;
/// Growth for each acceptance while the pace is well below the last refused one (after
/// refusals in a row), as a fraction.
const RECOVERY_GROWTH: f64 = 0.01;
/// A refusal when the service accepted less than this share of the pace says the pace is well
/// above its rate: the pace drops to what it accepted.
const OVERSHOOT: f64 = 0.6;
/// The shortest time what the service accepted is measured over.
const MEASURED_SPAN: Duration = Duration::from_millis(500);
/// The fewest acceptances that measure the service's rate.
const MIN_MEASURED: usize = 10;
/// Where the pace waits, as a fraction of the pace last refused, until the service has accepted
/// [`PATIENCE`] requests since the pace last changed; only then does it probe past it.
const JUST_UNDER: f64 = 0.995;
/// See [`JUST_UNDER`].
const PATIENCE: u32 = 300;
/// A refusal alone lowers the pace last refused by this factor, at most.
const CEILING_DECAY: f64 = 0.99;
/// What the service accepted over this long before the refusal that ends the climb sets the pace.
const CLIMB_WINDOW: Duration = Duration::from_secs(1);
/// The shortest window counted, so that a few acceptances do not make a huge rate.
const MIN_CLIMB_WINDOW: Duration = Duration::from_millis(100);
/// The pace after the climb, below what was measured.
const CLIMB_MARGIN: f64 = 0.95;
/// A refusal once the pace is learned lowers it by this factor. With the probing growth, the
/// pace settles where about one request in fifty is refused.
const STEADY_CUT: f64 = 0.98;
/// Acceptances remembered for learning (the rest are too old to matter).
const REMEMBERED: usize = 4096;
/// Turns remembered, to tell the pace a refused request went at.
const REMEMBERED_TURNS: usize = 64;

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
    /// The pace the service last refused (once learned).
    ceiling: Option<f64>,
    /// When the quick climb ended.
    climb_ended: Instant,
    /// How long the last hold lasted.
    last_hold: Duration,
    /// When sending last resumed (the start, or the end of the last hold).
    stretch_start: Instant,
    /// The burst the service allows, as first seen.
    burst: Option<f64>,
    /// When recent acceptances arrived, oldest first.
    accepted: VecDeque<Instant>,
    /// When the last turns were taken, oldest first.
    turns: VecDeque<Instant>,
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
                ceiling: None,
                climb_ended: now,
                last_hold: Duration::ZERO,
                stretch_start: now,
                burst: None,
                accepted: VecDeque::new(),
                turns: VecDeque::new(),
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
        let mut turn = now;
        if let (Some(rate), Some(last)) = (state.rate, state.last_send) {
            let next = last + Duration::from_secs_f64(1.0 / rate);
            if next > now {
                return Clearance::NotBefore(next);
            }
            // A turn taken a little late keeps its place on the schedule, so that wake-up delays
            // do not slow the pace; a long gap starts the schedule again.
            if now.saturating_duration_since(next) <= ON_SCHEDULE {
                turn = next;
            }
        }
        state.last_send = Some(turn);
        state.turns.push_back(now);
        if state.turns.len() > REMEMBERED_TURNS {
            state.turns.pop_front();
        }
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
            let streak = state.accepted_since_change;
            let growth = if state
                .ceiling
                .is_some_and(|ceiling| rate < ceiling * STEADY_CUT)
            {
                // Well below what the service last refused: back up quickly.
                RECOVERY_GROWTH
            } else {
                // Probing near it: slowly just after a change, faster the longer the service
                // keeps accepting, so that a rate that rose is found.
                (PROBE_GROWTH * (1.0 + f64::from(streak) / PROBE_ACCELERATION))
                    .min(MAX_PROBE_GROWTH)
            };
            let grown = rate * (1.0 + growth);
            state.rate = Some(match state.ceiling {
                // Just under what the service last refused, the pace waits a while before
                // probing past it: each refusal costs its upload a whole `Retry-After`.
                Some(ceiling) if streak < PATIENCE => grown.min(ceiling * JUST_UNDER).max(rate),
                _ => grown,
            });
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
                state.end_climb(now, sent);
                state.changed = now;
                state.accepted_since_change = 0;
            }
            Some(rate) if sent >= state.changed => {
                state.refused_in_row = state.refused_in_row.saturating_add(1);
                let (ceiling, pace) = match state.accepted_rate(now) {
                    // Well above what the service takes: what it took is its rate.
                    Some(accepted) if accepted < rate * OVERSHOOT => {
                        (accepted, accepted * STEADY_CUT)
                    }
                    // A refusal alone may be timing jitter: it lowers the ceiling only a
                    // little. Refusals in a row say the service's rate is lower, and cut harder
                    // each time.
                    _ => {
                        let ceiling = match state.ceiling {
                            Some(ceiling)
                                if state.refused_in_row == 1 && rate >= ceiling * STEADY_CUT =>
                            {
                                rate.max(ceiling * CEILING_DECAY)
                            }
                            _ => rate,
                        };
                        (
                            ceiling,
                            rate * STEADY_CUT.powi(state.refused_in_row.min(10) as i32),
                        )
                    }
                };
                state.ceiling = Some(ceiling);
                state.rate = Some(pace.max(MIN_RATE));
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
        self.rate = Some((burst / span).max(CLIMB_START));
        self.fast = true;
    }

    /// How many requests the service accepted at or after `start` (of those remembered).
    fn accepted_since(&self, start: Instant) -> usize {
        self.accepted
            .iter()
            .rev()
            .take_while(|&&at| at >= start)
            .count()
    }

    /// What the service accepted per second since the climb ended, over the last
    /// [`CLIMB_WINDOW`] or its last [`MIN_MEASURED`] acceptances, whichever is longer, if that
    /// is enough to tell.
    fn accepted_rate(&self, now: Instant) -> Option<f64> {
        let last_few = self
            .accepted
            .iter()
            .rev()
            .nth(MIN_MEASURED - 1)
            .copied()
            .unwrap_or(now);
        let start = self.climb_ended.max(last_few.min(now - CLIMB_WINDOW));
        let span = now.saturating_duration_since(start);
        let accepted = self.accepted_since(start);
        (span >= MEASURED_SPAN && accepted >= MIN_MEASURED)
            .then(|| accepted as f64 / span.as_secs_f64())
    }

    /// The paces (requests per second) of the last turn taken at or before `sent` and of the
    /// turn before it: the reciprocal of the time each followed its own previous turn.
    fn paces_before(&self, sent: Instant) -> (Option<f64>, Option<f64>) {
        let own = self.turns.partition_point(|&turn| turn <= sent);
        let pace = |index: Option<usize>| {
            let index = index?;
            let previous = *self.turns.get(index.checked_sub(1)?)?;
            // A turn that follows a hold was not paced: the gap is the hold's.
            if previous < self.stretch_start {
                return None;
            }
            let spacing = self.turns.get(index)?.saturating_duration_since(previous);
            (!spacing.is_zero()).then(|| 1.0 / spacing.as_secs_f64())
        };
        (pace(own.checked_sub(1)), pace(own.checked_sub(2)))
    }

    /// Sets the pace when the quick climb meets a refusal, a little under an estimate of the
    /// rate; the pace the climb had reached becomes the pace last refused. A service with a burst
    /// of one or two refuses as soon as the pace passes its rate, so the rate lies between the
    /// pace refused and the pace accepted just before it. A larger burst hides the rate while it
    /// drains: the estimate then lies between what the service accepted over the last second (a
    /// little high while the burst drains, which later refusals correct; a service with a large
    /// burst loses nothing to a pace a little too high) and the refused pace.
    fn end_climb(&mut self, now: Instant, sent: Instant) {
        self.grow(now);
        let Some(refused_pace) = self.rate else {
            return;
        };
        // The pace the refused request went at, and the one before it (accepted), as measured
        // from the turns taken: the estimate to start from. The pace set (not measured) is the
        // one last refused: timing jitter cannot make it too low.
        let (refused, accepted) = self.paces_before(sent);
        let refused = refused.map_or(refused_pace, |refused| refused.min(refused_pace));
        let burst = self.burst.unwrap_or(1.0);
        let window_start = self.stretch_start.max(now - CLIMB_WINDOW);
        let window = now
            .saturating_duration_since(window_start)
            .max(MIN_CLIMB_WINDOW)
            .as_secs_f64();
        let recent = self.accepted_since(window_start) as f64;
        let rate = if burst <= SMALL_BURST {
            // Between the pace refused and the pace accepted just before it.
            // With no paced turn accepted (the first turn after the hold is accepted by the
            // burst alone), the climb's turn before would have gone at about half the pace.
            accepted.map_or(refused / 2.0, |accepted| {
                (refused * accepted.min(refused)).sqrt()
            })
        } else {
            // Between what was accepted and what was refused: too high costs a few refusals
            // (a run of them cuts quickly), too low costs time.
            (refused * (recent / window).min(refused))
                .sqrt()
                .max(refused / 2.0)
        };
        self.ceiling = Some(refused_pace);
        self.rate = Some((rate * CLIMB_MARGIN).max(MIN_RATE));
        self.fast = false;
        self.climb_ended = now;
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
    /// `rate` per second. Returns the pace, when the climb ended and every turn taken.
    fn climbed(start: Instant, rate: f64) -> (Pace, Instant, Vec<Instant>) {
        let pace = Pace::new(start);
        pace.accepted(start);
        let hold_end = pace.refused(start, start, Some(Duration::from_secs(1)));
        let mut now = hold_end;
        let mut turns = Vec::new();
        loop {
            now = turn_at(&pace, now);
            turns.push(now);
            if pace.rate().unwrap() >= rate {
                break;
            }
            pace.accepted(now);
        }
        pace.refused(now, now, Some(Duration::from_secs(1)));
        (pace, now, turns)
    }

    fn ceiling(pace: &Pace) -> f64 {
        pace.lock().ceiling.unwrap()
    }

    /// Accepts `count` requests at the pace from `now`; returns when the last went.
    fn accept(pace: &Pace, mut now: Instant, count: usize) -> Instant {
        for _ in 0..count {
            now = turn_at(pace, now);
            pace.accepted(now);
        }
        now
    }

    /// Accepts requests at the pace from `now` until it is back near the pace last refused;
    /// returns when the last went.
    fn recovered(pace: &Pace, mut now: Instant) -> Instant {
        while pace.rate().unwrap() < ceiling(pace) * STEADY_CUT {
            now = accept(pace, now, 1);
        }
        now
    }

    #[test]
    fn a_small_burst_ends_the_climb_between_the_pace_refused_and_the_one_accepted_before() {
        let start = Instant::now();
        let (pace, _, turns) = climbed(start, 50.0);
        let pace_of = |at: usize| 1.0 / (turns[at] - turns[at - 1]).as_secs_f64();
        let refused = pace_of(turns.len() - 1);
        let accepted = pace_of(turns.len() - 2);
        assert!(accepted < refused, "the climb went faster at each turn");
        let rate = pace.rate().unwrap();
        assert!(
            (rate - (refused * accepted).sqrt() * CLIMB_MARGIN).abs() < 1e-6,
            "{rate} {refused} {accepted}"
        );
        // The pace last refused is the pace set, which the measured one never exceeds.
        assert!(ceiling(&pace) >= refused - 1e-9);
    }

    #[test]
    fn the_first_turn_after_the_hold_does_not_pace_the_climb() {
        // A service of five a second with a burst of one: after the hold its bucket holds one
        // request, so the climb's first turn is accepted and its second (at about ten a second)
        // refused. The first turn's gap is the hold, not a pace the service took: the pace set
        // is half the refused one, not pulled down towards one a second.
        let start = Instant::now();
        let pace = Pace::new(start);
        let first = turn_at(&pace, start);
        pace.accepted(first);
        let hold_end = pace.refused(start, start, Some(Duration::from_secs(1)));
        let after_hold = turn_at(&pace, hold_end);
        pace.accepted(after_hold);
        // The uploader asks again every few milliseconds while it waits: the climbing pace
        // lets the second turn go sooner than the pace of its first ask.
        let mut second = after_hold;
        while let Clearance::NotBefore(at) = pace.clearance(second) {
            second = at.min(second + crate::batch::PACE_RECHECK);
        }
        let refused = (1.0 / (second - after_hold).as_secs_f64()).min(pace.rate().unwrap());
        pace.refused(second, second, Some(Duration::from_secs(1)));
        let rate = pace.rate().unwrap();
        assert!(
            (rate - refused / 2.0 * CLIMB_MARGIN).abs() < 1e-6,
            "{rate} {refused}"
        );
        assert!(
            rate > 4.0,
            "{rate}: a pace near the service's five a second"
        );
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
            rate < refused && rate >= refused / 2.0 * 0.8,
            "{rate} {refused}"
        );
    }

    #[test]
    fn a_later_refusal_holds_back_only_its_own_upload_for_at_least_the_minimum() {
        let start = Instant::now();
        let (pace, ended, _) = climbed(start, 20.0);
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
    fn acceptances_bring_the_pace_back_quickly_to_just_below_the_pace_last_refused() {
        let start = Instant::now();
        let (pace, ended, _) = climbed(start, 50.0);
        let below = ceiling(&pace) * STEADY_CUT;
        let mut now = ended;
        let mut quick = 0;
        while pace.rate().unwrap() < below {
            let before = pace.rate().unwrap();
            now = accept(&pace, now, 1);
            assert!((pace.rate().unwrap() / before - (1.0 + RECOVERY_GROWTH)).abs() < 1e-9);
            quick += 1;
        }
        assert!(quick <= 40, "{quick} acceptances");
        // From there on it probes slowly.
        let before = pace.rate().unwrap();
        accept(&pace, now, 1);
        assert!(pace.rate().unwrap() / before < 1.0 + RECOVERY_GROWTH / 10.0);
    }

    #[test]
    fn probing_past_the_pace_last_refused_speeds_up_while_the_service_keeps_accepting() {
        let start = Instant::now();
        let (pace, ended, _) = climbed(start, 50.0);
        let mut now = recovered(&pace, ended);
        let mut grew = Vec::new();
        for _ in 0..3 {
            let before = pace.rate().unwrap();
            now = accept(&pace, now, 400);
            grew.push(pace.rate().unwrap() / before);
        }
        assert!(grew.windows(2).all(|pair| pair[1] > pair[0]), "{grew:?}");
        // A service that became faster is found: 1,200 acceptances later the pace is past the
        // one last refused by more than 5%.
        assert!(pace.rate().unwrap() > ceiling(&pace) * 1.05, "{grew:?}");
    }

    #[test]
    fn the_pace_waits_just_under_the_pace_last_refused_before_probing_past_it() {
        let start = Instant::now();
        let (pace, ended, _) = climbed(start, 50.0);
        let mut now = recovered(&pace, ended);
        let just_under = ceiling(&pace) * JUST_UNDER;
        while pace.lock().accepted_since_change < PATIENCE {
            now = accept(&pace, now, 1);
            assert!(pace.rate().unwrap() <= just_under + 1e-9);
        }
        assert!((pace.rate().unwrap() - just_under).abs() < 1e-9);
        accept(&pace, now, 50);
        assert!(pace.rate().unwrap() > ceiling(&pace));
    }

    #[test]
    fn a_lone_refusal_cuts_the_pace_a_little_and_moves_the_pace_last_refused_a_little() {
        let start = Instant::now();
        let (pace, ended, _) = climbed(start, 50.0);
        let now = recovered(&pace, ended);
        let (before, ceiling_before) = (pace.rate().unwrap(), ceiling(&pace));
        pace.refused(now, now, None);
        assert!((pace.rate().unwrap() - before * STEADY_CUT).abs() < 1e-9);
        assert!((ceiling(&pace) - before.max(ceiling_before * CEILING_DECAY)).abs() < 1e-9);
        // A request sent before that change says nothing new.
        pace.refused(now + ms(1), now - ms(1), None);
        assert!((pace.rate().unwrap() - before * STEADY_CUT).abs() < 1e-9);
    }

    #[test]
    fn refusals_in_a_row_cut_harder_each_time_and_set_the_pace_last_refused() {
        let start = Instant::now();
        let (pace, ended, _) = climbed(start, 50.0);
        let mut now = recovered(&pace, ended);
        let before = pace.rate().unwrap();
        let mut expected = before;
        for in_row in 1..=3 {
            now += ms(10);
            let refused_at = pace.rate().unwrap();
            pace.refused(now, now, None);
            expected *= STEADY_CUT.powi(in_row);
            assert!((pace.rate().unwrap() - expected).abs() < 1e-9);
            if in_row > 1 {
                assert!((ceiling(&pace) - refused_at).abs() < 1e-9);
            }
        }
        // An acceptance ends the run: the next refusal cuts a little again.
        now = accept(&pace, now, 1);
        let accepted = pace.rate().unwrap();
        pace.refused(now + ms(1), now + ms(1), None);
        assert!((pace.rate().unwrap() - accepted * STEADY_CUT).abs() < 1e-9);
    }

    #[test]
    fn a_refusal_far_above_what_the_service_accepts_drops_the_pace_to_that() {
        let start = Instant::now();
        let (pace, ended, _) = climbed(start, 50.0);
        // Over the next second the pace is 50 a second but the service accepted only 25.
        let mut now = ended;
        for _ in 0..25 {
            now += ms(40);
            pace.accepted(now);
        }
        assert!(pace.rate().unwrap() > 25.0 / OVERSHOOT);
        pace.refused(now, now, None);
        let accepted = 25.0 / (now - ended).as_secs_f64();
        assert!((ceiling(&pace) - accepted).abs() < 1e-6);
        assert!((pace.rate().unwrap() - accepted * STEADY_CUT).abs() < 1e-6);
    }

    #[test]
    fn requests_are_spread_evenly_at_the_pace_and_a_late_turn_keeps_the_schedule() {
        let start = Instant::now();
        let (pace, ended, _) = climbed(start, 50.0);
        let rate = pace.rate().unwrap();
        let spacing = Duration::from_secs_f64(1.0 / rate);
        let first = turn_at(&pace, ended);
        let second = turn_at(&pace, first);
        assert!(((second - first).as_secs_f64() - 1.0 / rate).abs() < 1e-6);
        // Taken a little late, the next turn does not push the one after it back.
        let late = second + spacing + ON_SCHEDULE / 2;
        assert_eq!(pace.clearance(late), Clearance::Go);
        match pace.clearance(late) {
            Clearance::NotBefore(next) => {
                let expected = second + spacing + spacing;
                let off = next.max(expected) - next.min(expected);
                assert!(off < Duration::from_micros(1), "{off:?}");
            }
            other => panic!("{other:?}"),
        }
        // After a long gap the schedule starts again from the turn taken.
        let gap = late + Duration::from_secs(2);
        assert_eq!(pace.clearance(gap), Clearance::Go);
        assert!(
            matches!(pace.clearance(gap), Clearance::NotBefore(next) if next > gap + spacing / 2)
        );
    }
}
