//! The one description of a batch: how many of its items are where, and the words for it. The
//! window's bar and the line above its list, the window title, the tray, the desktop
//! notification and the command's progress line all say [`Summary::words`], so they agree.
//!
//! One vocabulary: *refused* (cannot be uploaded), *held* (not sent: needs your OK), *waiting*,
//! *uploading*, *done*, *failed*, *stopped* (stopped before it was sent). A batch is every item
//! but the refused ones: "3 of 8 done" counts done items out of those.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// The app's name, the window title when the list is empty.
pub const APP_TITLE: &str = "Producer Uploader";

/// Counts over the items of a batch, and how long the rest should take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Every item listed (cleared ones are gone), refused ones included.
    pub total: usize,
    /// Items that cannot be uploaded (not a link, a file that is not audio).
    pub refused: usize,
    /// Links not sent until the musician says so (a web page, a place the service cannot reach).
    pub held: usize,
    /// Links not started yet (files still arriving from the window included).
    pub waiting: usize,
    /// Links being uploaded (files being hosted included).
    pub uploading: usize,
    /// Links with an `audio_id`.
    pub done: usize,
    /// Links whose upload failed.
    pub failed: usize,
    /// Links not sent because they were stopped.
    pub stopped: usize,
    /// True while paused: no new upload starts.
    pub paused: bool,
    /// Seconds until the waiting and running links are through, at this batch's own pace
    /// (see [`crate::eta`]); `None` while paused or until that pace is steady.
    pub eta_seconds: Option<u64>,
}

/// What a batch is called, wherever it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Words {
    /// The counts, for the window's bar, the line above its list and the command's progress
    /// line: `3 of 8 done · 1 failed · 1 stopped · 1 held · 2 refused · 2 waiting`.
    pub counts: String,
    /// Where the batch stands: the time left, `Paused.`, `All done.`, or what is left to do.
    pub status: String,
    /// The window title and the tray's tooltip: `3 of 8 done, 1 failed – Producer Uploader`.
    pub title: String,
}

impl Summary {
    /// True when nothing waits or runs.
    pub fn is_idle(&self) -> bool {
        self.waiting == 0 && self.uploading == 0
    }

    /// The items of the batch: every item but the refused ones.
    pub fn batch(&self) -> usize {
        self.total - self.refused
    }

    /// Items that ended without an `audio_id` and can be sent again or let through.
    pub fn not_uploaded(&self) -> usize {
        self.failed + self.stopped + self.held
    }

    /// Each count that is not zero, in words: done out of the batch first, then what did not
    /// go, then what is still to come.
    fn parts(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if self.batch() > 0 {
            parts.push(format!("{} of {} done", self.done, self.batch()));
        }
        for (count, word) in [
            (self.failed, "failed"),
            (self.stopped, "stopped"),
            (self.held, "held"),
            (self.refused, "refused"),
            (self.uploading, "uploading"),
            (self.waiting, "waiting"),
        ] {
            if count > 0 {
                parts.push(format!("{count} {word}"));
            }
        }
        parts
    }

    /// The batch in words, for every place that shows it.
    pub fn words(&self) -> Words {
        let parts = self.parts();
        let settled: Vec<&str> = parts
            .iter()
            .map(String::as_str)
            .filter(|part| !part.ends_with("uploading") && !part.ends_with("waiting"))
            .collect();
        let mut title = settled.join(", ");
        if self.paused && !self.is_idle() {
            title.push_str(", paused");
        }
        Words {
            counts: parts.join(" · "),
            status: self.status(),
            title: if self.total == 0 {
                APP_TITLE.to_owned()
            } else {
                format!("{title} – {APP_TITLE}")
            },
        }
    }

    fn status(&self) -> String {
        if self.is_idle() {
            return match (self.failed + self.stopped, self.held) {
                (0, 0) => "All done.".to_owned(),
                (0, _) => {
                    "Finished. Held links wait for your OK: Upload anyway sends one.".to_owned()
                }
                _ => "Finished. Some links were not uploaded.".to_owned(),
            };
        }
        if self.paused {
            return if self.uploading > 0 {
                "Paused: the uploads already running are finishing.".to_owned()
            } else {
                "Paused.".to_owned()
            };
        }
        match self.eta_seconds {
            Some(seconds) => time_left(seconds),
            None => "Estimating time left…".to_owned(),
        }
    }

    /// The desktop notification for a batch that has just ended: its title and body.
    pub fn end_notice(&self) -> (String, String) {
        let title = if self.not_uploaded() == 0 {
            "Uploads finished"
        } else {
            "Uploads finished, some not uploaded"
        };
        let body = format!("{}. Every audio ID is in History.", self.parts().join(", "));
        (title.to_owned(), body)
    }
}

/// "about 3 min left", from seconds.
pub fn time_left(seconds: u64) -> String {
    if seconds < 60 {
        return "less than a minute left".to_owned();
    }
    let minutes = (seconds as f64 / 60.0).round() as u64;
    if minutes < 60 {
        return format!("about {minutes} min left");
    }
    format!("about {} h {} min left", minutes / 60, minutes % 60)
}

/// The counts, and their [`Words`], as the window receives them.
impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("Summary", 11)?;
        fields.serialize_field("total", &self.total)?;
        fields.serialize_field("refused", &self.refused)?;
        fields.serialize_field("held", &self.held)?;
        fields.serialize_field("waiting", &self.waiting)?;
        fields.serialize_field("uploading", &self.uploading)?;
        fields.serialize_field("done", &self.done)?;
        fields.serialize_field("failed", &self.failed)?;
        fields.serialize_field("stopped", &self.stopped)?;
        fields.serialize_field("paused", &self.paused)?;
        fields.serialize_field("eta_seconds", &self.eta_seconds)?;
        fields.serialize_field("words", &self.words())?;
        fields.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten items: 2 refused, 1 held, 3 done, 1 failed, 1 stopped, 1 uploading, 1 waiting.
    fn mixed() -> Summary {
        Summary {
            total: 10,
            refused: 2,
            held: 1,
            done: 3,
            failed: 1,
            stopped: 1,
            uploading: 1,
            waiting: 1,
            paused: false,
            eta_seconds: Some(150),
        }
    }

    #[test]
    fn every_place_says_the_same_counts_out_of_the_same_batch() {
        let words = mixed().words();
        assert_eq!(
            words.counts,
            "3 of 8 done · 1 failed · 1 stopped · 1 held · 2 refused · 1 uploading · 1 waiting"
        );
        assert_eq!(
            words.title,
            "3 of 8 done, 1 failed, 1 stopped, 1 held, 2 refused – Producer Uploader"
        );
        assert_eq!(words.status, "about 3 min left");
        let ended = Summary {
            uploading: 0,
            waiting: 0,
            done: 5,
            ..mixed()
        };
        assert_eq!(
            ended.end_notice(),
            (
                "Uploads finished, some not uploaded".to_owned(),
                "5 of 8 done, 1 failed, 1 stopped, 1 held, 2 refused. Every audio ID is in History."
                    .to_owned()
            )
        );
        assert_eq!(
            ended.words().status,
            "Finished. Some links were not uploaded."
        );
    }

    #[test]
    fn stopped_links_are_stopped_not_failed() {
        let stopped = Summary {
            total: 4,
            done: 2,
            stopped: 2,
            ..Summary::default()
        };
        let (title, body) = stopped.end_notice();
        assert_eq!(title, "Uploads finished, some not uploaded");
        assert_eq!(
            body,
            "2 of 4 done, 2 stopped. Every audio ID is in History."
        );
        assert!(!stopped.words().title.contains("failed"));
    }

    #[test]
    fn an_empty_list_a_paused_batch_and_only_refused_items() {
        assert_eq!(Summary::default().words().title, "Producer Uploader");
        assert_eq!(Summary::default().words().counts, "");
        let paused = Summary {
            total: 5,
            done: 1,
            waiting: 3,
            uploading: 1,
            paused: true,
            ..Summary::default()
        };
        assert_eq!(
            paused.words().title,
            "1 of 5 done, paused – Producer Uploader"
        );
        assert_eq!(
            paused.words().status,
            "Paused: the uploads already running are finishing."
        );
        let refused = Summary {
            total: 2,
            refused: 2,
            ..Summary::default()
        };
        assert_eq!(refused.words().counts, "2 refused");
        assert_eq!(refused.words().title, "2 refused – Producer Uploader");
        let held = Summary {
            total: 2,
            done: 1,
            held: 1,
            ..Summary::default()
        };
        assert!(held.words().status.contains("Upload anyway"));
    }

    #[test]
    fn time_left_in_words() {
        assert_eq!(time_left(59), "less than a minute left");
        assert_eq!(time_left(150), "about 3 min left");
        assert_eq!(time_left(3 * 3600 + 5 * 60), "about 3 h 5 min left");
    }

    #[test]
    fn the_window_receives_the_counts_and_their_words() {
        let json = serde_json::to_value(mixed()).unwrap();
        assert_eq!(json["refused"], 2);
        assert_eq!(json["held"], 1);
        assert_eq!(json["stopped"], 1);
        assert_eq!(json["words"]["counts"], mixed().words().counts);
        assert_eq!(json["words"]["title"], mixed().words().title);
    }
}
