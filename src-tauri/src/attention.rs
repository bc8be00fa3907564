//! When the app speaks outside its window. The window itself shows every change; a desktop
//! notification is sent only when the musician cannot see the window (hidden, minimised or not
//! in front) and the batch took more than a few seconds, or when the app is about to quit after
//! finishing in the background (then nothing else will say it), or when songs are ready or
//! could not be made. The status-area icon is shown only while work (uploads, songs being made)
//! runs with the window hidden: it is the way back to the window.

use producer_upload::summary::Work;
use std::time::Duration;

/// A batch at most this long ends without a notification (the musician has hardly turned away).
pub const FEW_SECONDS: Duration = Duration::from_secs(5);

/// What the musician can see of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sight {
    /// The window is on the screen (not hidden by "Finish in background").
    pub shown: bool,
    /// The window is minimised.
    pub minimized: bool,
    /// The window has the keyboard focus (it is the one in front).
    pub focused: bool,
}

impl Sight {
    /// A window on the screen, in front.
    pub const IN_FRONT: Sight = Sight {
        shown: true,
        minimized: false,
        focused: true,
    };

    /// Whether the musician is looking at the window.
    pub fn in_front(self) -> bool {
        self.shown && !self.minimized && self.focused
    }
}

/// Whether a batch that has just ended, after running for `took`, is told in a notification.
/// `leaving`: the app quits now that the batch is through (it was finished in the background).
pub fn notify_batch_end(sight: Sight, took: Duration, leaving: bool) -> bool {
    !sight.in_front() && (leaving || took > FEW_SECONDS)
}

/// Whether a generation that has just ended (its songs ready, or failed) is told in a
/// notification: songs take minutes, so whenever the musician cannot see the window.
pub fn notify_song_end(sight: Sight) -> bool {
    !sight.in_front()
}

/// Whether the status-area icon is shown: while uploads wait or run or songs are being made
/// (`work`), and the window is hidden.
pub fn tray_wanted(sight: Sight, work: &Work) -> bool {
    !work.is_idle() && !sight.shown
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(40);
    const SHORT: Duration = Duration::from_secs(2);

    #[test]
    fn songs_ready_are_told_only_when_the_window_cannot_be_seen() {
        assert!(!notify_song_end(Sight::IN_FRONT));
        let behind = Sight {
            focused: false,
            ..Sight::IN_FRONT
        };
        assert!(notify_song_end(behind));
        assert!(notify_song_end(Sight::default()), "hidden");
    }

    #[test]
    fn no_notification_while_the_window_is_in_front() {
        assert!(!notify_batch_end(Sight::IN_FRONT, SHORT, false));
        assert!(
            !notify_batch_end(Sight::IN_FRONT, LONG, false),
            "however long"
        );
    }

    #[test]
    fn a_long_batch_is_told_when_the_window_cannot_be_seen() {
        let behind = Sight {
            focused: false,
            ..Sight::IN_FRONT
        };
        let minimised = Sight {
            minimized: true,
            ..Sight::IN_FRONT
        };
        let hidden = Sight::default();
        for sight in [behind, minimised, hidden] {
            assert!(notify_batch_end(sight, LONG, false), "{sight:?}");
            assert!(!notify_batch_end(sight, SHORT, false), "short: {sight:?}");
            assert!(!notify_batch_end(sight, FEW_SECONDS, false), "{sight:?}");
        }
    }

    #[test]
    fn quitting_after_a_background_batch_always_tells() {
        assert!(notify_batch_end(Sight::default(), SHORT, true));
        assert!(notify_batch_end(Sight::default(), LONG, true));
    }

    #[test]
    fn the_tray_icon_only_while_work_runs_with_the_window_hidden() {
        let uploading = Work::from(producer_upload::queue::Summary {
            total: 2,
            uploading: 1,
            waiting: 1,
            ..Default::default()
        });
        let making_songs = Work {
            songs: 2,
            ..Work::default()
        };
        let hidden = Sight::default();
        assert!(tray_wanted(hidden, &uploading));
        assert!(tray_wanted(hidden, &making_songs), "songs are work too");
        assert!(!tray_wanted(hidden, &Work::default()), "nothing running");
        assert!(
            !tray_wanted(Sight::IN_FRONT, &uploading),
            "the window is there"
        );
        assert!(!tray_wanted(Sight::IN_FRONT, &making_songs));
        let behind = Sight {
            focused: false,
            ..Sight::IN_FRONT
        };
        assert!(
            !tray_wanted(behind, &making_songs),
            "the window is on the screen"
        );
    }
}
