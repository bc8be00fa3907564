//! The time left in a batch, from this batch's own pace.
//!
//! [`BatchPace`] keeps when the running batch started (or last resumed) and when its recent
//! uploads finished. A batch that starts after the queue was idle or paused starts the count
//! again: an earlier batch's pace (a slow one an hour ago, or the pause itself) says nothing of
//! this one. The estimate is given only once the pace is steady: enough finishes, and the
//! batch's first half and second half going at much the same speed. Once given, it stays for
//! the rest of the batch, so the line does not come and go.

use std::collections::VecDeque;
use std::time::Instant;

/// How many recent finishes the pace is measured over (with the batch's start while fewer).
pub const PACE_WINDOW: usize = 30;
/// Finishes needed before any estimate.
pub const MIN_FINISHES: usize = 5;
/// How far apart the pace of the two halves of the finishes so far may be (as a ratio) for the
/// estimate to be shown.
pub const STEADY_RATIO: f64 = 1.5;

/// The running batch's pace.
#[derive(Debug, Default, Clone)]
pub struct BatchPace {
    /// When the batch started or last resumed; `None` while nothing runs.
    started: Option<Instant>,
    /// The batch's start, then its recent finishes, oldest first (at most
    /// [`PACE_WINDOW`] + 1 moments).
    moments: VecDeque<Instant>,
    /// Finishes since the batch started.
    finishes: usize,
    /// Set once the pace was steady; kept until the batch ends.
    steady: bool,
}

impl BatchPace {
    /// Follows the queue: `running` is true while uploads wait or run and the queue is not
    /// paused. A batch that starts running after it was not starts the count again at `now`.
    pub fn follow(&mut self, now: Instant, running: bool) {
        match (self.started, running) {
            (None, true) => {
                *self = Self {
                    started: Some(now),
                    moments: VecDeque::from([now]),
                    ..Self::default()
                }
            }
            (Some(_), false) => self.started = None,
            _ => {}
        }
    }

    /// An upload of the running batch finished at `now`.
    pub fn finish(&mut self, now: Instant) {
        if self.started.is_none() {
            return;
        }
        self.finishes += 1;
        self.moments.push_back(now);
        if self.moments.len() > PACE_WINDOW + 1 {
            self.moments.pop_front();
        }
        if !self.steady && self.finishes >= MIN_FINISHES {
            self.steady = self.halves_agree();
        }
    }

    /// Seconds until `remaining` uploads are through at this batch's pace; `None` while the pace
    /// is not known well enough to say (or nothing runs).
    pub fn seconds_left(&self, remaining: usize) -> Option<u64> {
        if remaining == 0 {
            return Some(0);
        }
        if self.started.is_none() || !self.steady {
            return None;
        }
        let rate = rate_between(&self.moments, 0, self.moments.len() - 1)?;
        Some((remaining as f64 / rate).ceil() as u64)
    }

    /// Whether the finishes held went at much the same speed in their first and second halves.
    fn halves_agree(&self) -> bool {
        let last = self.moments.len() - 1;
        let middle = last / 2;
        match (
            rate_between(&self.moments, 0, middle),
            rate_between(&self.moments, middle, last),
        ) {
            (Some(first), Some(second)) => {
                let ratio = first.max(second) / first.min(second);
                ratio <= STEADY_RATIO
            }
            _ => false,
        }
    }
}

/// Finishes a second between `moments[from]` and `moments[to]`; `None` when no time passed.
fn rate_between(moments: &VecDeque<Instant>, from: usize, to: usize) -> Option<f64> {
    let seconds = moments[to].duration_since(moments[from]).as_secs_f64();
    (to > from && seconds > 0.0).then(|| (to - from) as f64 / seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    /// A batch started at `start` whose uploads finished at these milliseconds.
    fn batch(start: Instant, finishes: &[u64]) -> BatchPace {
        let mut pace = BatchPace::default();
        pace.follow(start, true);
        for &millis in finishes {
            pace.follow(at(start, millis), true);
            pace.finish(at(start, millis));
        }
        pace
    }

    #[test]
    fn no_estimate_before_five_finishes_then_one_from_the_batchs_pace() {
        let start = Instant::now();
        // One upload every 2 s.
        let pace = batch(start, &[2_000, 4_000, 6_000, 8_000]);
        assert_eq!(pace.seconds_left(10), None, "four finishes say too little");
        let pace = batch(start, &[2_000, 4_000, 6_000, 8_000, 10_000]);
        assert_eq!(pace.seconds_left(10), Some(20));
        assert_eq!(
            pace.seconds_left(0),
            Some(0),
            "nothing left is no time left"
        );
    }

    #[test]
    fn a_slow_earlier_batch_does_not_slow_the_next_ones_estimate() {
        // The report: "about 3 min left" at 7 of 55, all finished 15 s later. An earlier batch
        // finished one upload every 20 s; this one finishes 3 a second.
        let start = Instant::now();
        let mut pace = batch(start, &[20_000, 40_000, 60_000, 80_000, 100_000, 120_000]);
        pace.follow(at(start, 121_000), false);
        let again = at(start, 600_000);
        pace.follow(again, true);
        assert_eq!(pace.seconds_left(48), None, "a new batch starts unknown");
        for finished in 1..=7u64 {
            let now = again + Duration::from_millis(finished * 333);
            pace.follow(now, true);
            pace.finish(now);
        }
        let left = pace.seconds_left(48).unwrap();
        assert!(
            (15..=18).contains(&left),
            "48 to go at 3 a second: {left} s"
        );
    }

    #[test]
    fn a_pause_is_not_counted_as_time_spent_uploading() {
        let start = Instant::now();
        let mut pace = batch(start, &[1_000, 2_000, 3_000, 4_000, 5_000, 6_000]);
        assert_eq!(pace.seconds_left(10), Some(10));
        // Paused for ten minutes, then resumed: the pace is measured again from the resume.
        pace.follow(at(start, 6_500), false);
        assert_eq!(pace.seconds_left(10), None);
        let resumed = at(start, 606_500);
        pace.follow(resumed, true);
        for finished in 1..=6u64 {
            let now = resumed + Duration::from_millis(finished * 500);
            pace.finish(now);
        }
        assert_eq!(pace.seconds_left(10), Some(5));
    }

    #[test]
    fn an_unsteady_start_shows_nothing_until_the_pace_settles() {
        let start = Instant::now();
        // Three fast finishes, then the service holds everything back for 10 s (a rate limit
        // found): the halves disagree, so no estimate yet.
        let mut pace = batch(start, &[100, 200, 300, 10_300, 10_400, 10_500]);
        assert_eq!(pace.seconds_left(20), None);
        // Then one a second for a while: steady again.
        for second in 1..=12u64 {
            pace.finish(at(start, 10_500 + second * 1_000));
        }
        let left = pace.seconds_left(20).unwrap();
        assert!((10..=30).contains(&left), "{left}");
    }

    #[test]
    fn once_shown_the_estimate_stays_and_follows_recent_finishes() {
        let start = Instant::now();
        let mut pace = batch(start, &[1_000, 2_000, 3_000, 4_000, 5_000, 6_000]);
        assert_eq!(pace.seconds_left(60), Some(60));
        // The pace doubles: after a window of fast finishes the estimate is from them alone.
        for finished in 1..=PACE_WINDOW as u64 {
            pace.finish(at(start, 6_000 + finished * 500));
        }
        assert_eq!(pace.seconds_left(60), Some(30));
    }

    #[test]
    fn finishes_while_nothing_runs_are_not_counted() {
        let start = Instant::now();
        let mut pace = BatchPace::default();
        pace.finish(start);
        pace.follow(at(start, 1), true);
        assert_eq!(pace.seconds_left(3), None);
    }
}
