//! Finishing in the background: once the window was closed during work, the app quits on its
//! own when the work it waits for is through. Uploads already sent always finish (an `audio_id`
//! is never lost); songs being made go on at the service whether the app waits or not (the next
//! start follows them again), so only "Finish in background" waits for them.

use producer_upload::summary::Work;
use serde::Deserialize;

/// What closing the window during work left the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Leave {
    /// The window is there, or came back ("Show window"): the app stays.
    #[default]
    Stay,
    /// Quit once the uploads already sent are through ("Stop uploads", "Quit now"); songs being
    /// made are followed again at the next start.
    AfterUploads,
    /// Quit once every upload is through and every song being made is ready or failed
    /// ("Finish in background").
    AfterAll,
}

/// What to do when the window is closed while uploads or songs run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseChoice {
    /// Hide the window and quit once every queued link is through (a paused batch resumes)
    /// and every song being made is ready or failed.
    FinishInBackground,
    /// Stop uploads, or quit now when only songs are being made: links not started become
    /// interrupted; running ones finish, then the app quits. Songs being made go on at the
    /// service and are followed again at the next start.
    Stop,
}

impl CloseChoice {
    /// What the app waits for before it quits, after this choice.
    pub fn leave(self) -> Leave {
        match self {
            CloseChoice::Stop => Leave::AfterUploads,
            CloseChoice::FinishInBackground => Leave::AfterAll,
        }
    }
}

/// Whether the app quits now, with `work` running.
pub fn may_quit(leave: Leave, work: &Work) -> bool {
    match leave {
        Leave::Stay => false,
        Leave::AfterUploads => work.batch.is_idle(),
        Leave::AfterAll => work.is_idle(),
    }
}

/// Whether closing the window asks first (finish in the background, or stop): while uploads
/// wait or run or songs are being made, unless the app is already leaving.
pub fn asks_before_closing(leave: Leave, work: &Work) -> bool {
    leave == Leave::Stay && !work.is_idle()
}

#[cfg(test)]
mod tests {
    use super::*;
    use producer_upload::queue::Summary;

    fn work(uploading: usize, songs: usize) -> Work {
        Work {
            batch: Summary {
                total: uploading + 1,
                done: 1,
                uploading,
                ..Summary::default()
            },
            songs,
        }
    }

    #[test]
    fn finishing_in_the_background_waits_for_uploads_and_songs() {
        assert!(!may_quit(Leave::AfterAll, &work(2, 0)));
        assert!(!may_quit(Leave::AfterAll, &work(0, 1)), "a song is made");
        assert!(!may_quit(Leave::AfterAll, &work(2, 1)));
        assert!(may_quit(Leave::AfterAll, &work(0, 0)));
        assert!(may_quit(Leave::AfterAll, &Work::default()));
    }

    #[test]
    fn quitting_waits_only_for_uploads_already_sent() {
        assert!(!may_quit(Leave::AfterUploads, &work(1, 0)));
        assert!(may_quit(Leave::AfterUploads, &work(0, 3)), "songs go on");
        assert!(may_quit(Leave::AfterUploads, &Work::default()));
    }

    #[test]
    fn with_the_window_there_the_app_never_quits_by_itself() {
        for running in [work(0, 0), work(1, 0), work(0, 1)] {
            assert!(!may_quit(Leave::Stay, &running), "{running:?}");
        }
    }

    #[test]
    fn closing_asks_while_uploads_or_songs_run() {
        assert!(asks_before_closing(Leave::Stay, &work(1, 0)));
        assert!(asks_before_closing(Leave::Stay, &work(0, 1)), "songs only");
        assert!(!asks_before_closing(Leave::Stay, &work(0, 0)));
        assert!(
            !asks_before_closing(Leave::AfterAll, &work(0, 1)),
            "already leaving"
        );
        assert!(!asks_before_closing(Leave::AfterUploads, &work(1, 1)));
    }
}
