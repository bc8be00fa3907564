//! The one description of a batch: how many of its items are where, and the words for it. The
//! window's bar and the line above its list, the window title, the tray, the desktop
//! notification and the command's progress line all say [`Summary::words`], so they agree.
//!
//! One vocabulary: *refused* (cannot be uploaded), *held* (not sent: needs your OK), *waiting*,
//! *uploading*, *done*, *failed*, *stopped* (stopped before it was sent). A batch is every item
//! but the refused ones: "3 of 8 done" counts done items out of those.

use crate::words::{FluentArgs, Words as Catalogue};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// The app's name (a brand, the same in every language), as the system knows the program.
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
    /// go, then what is still to come. The last two (uploading, waiting) are not settled.
    fn parts(&self, words: &Catalogue) -> (Vec<String>, Vec<String>) {
        let mut settled = Vec::new();
        if self.batch() > 0 {
            let mut args = FluentArgs::new();
            args.set("done", self.done);
            args.set("count", self.batch());
            settled.push(words.message("batch-done-of", Some(&args)));
        }
        let count = |count: usize, id: &str| {
            (count > 0).then(|| {
                let mut args = FluentArgs::new();
                args.set("count", count);
                words.message(id, Some(&args))
            })
        };
        settled.extend(
            [
                (self.failed, "batch-failed"),
                (self.stopped, "batch-stopped"),
                (self.held, "batch-held"),
                (self.refused, "batch-refused"),
            ]
            .into_iter()
            .filter_map(|(n, id)| count(n, id)),
        );
        let coming = [
            (self.uploading, "batch-uploading"),
            (self.waiting, "batch-waiting"),
        ]
        .into_iter()
        .filter_map(|(n, id)| count(n, id))
        .collect();
        (settled, coming)
    }

    /// The batch in words, in the language in use, for every place that shows it.
    pub fn words(&self) -> Words {
        self.words_in(&crate::words::current())
    }

    /// The batch in the language of `words`.
    pub fn words_in(&self, words: &Catalogue) -> Words {
        let (settled, coming) = self.parts(words);
        let title = title_of(words, self.title_parts(words, &settled));
        let all: Vec<String> = settled.into_iter().chain(coming).collect();
        Words {
            counts: all.join(" · "),
            status: self.status(words),
            title,
        }
    }

    /// What the title says of the batch: its settled counts, and that it is paused.
    fn title_parts(&self, words: &Catalogue, settled: &[String]) -> Vec<String> {
        let mut parts = settled.to_vec();
        if self.paused && !self.is_idle() {
            parts.push(words.message("batch-paused-part", None));
        }
        parts
    }

    fn status(&self, words: &Catalogue) -> String {
        let id = if self.is_idle() {
            match (self.failed + self.stopped, self.held) {
                (0, 0) => "batch-all-done",
                (0, _) => "batch-finished-held",
                _ => "batch-finished-some-not",
            }
        } else if self.paused {
            if self.uploading > 0 {
                "batch-paused-running"
            } else {
                "batch-paused"
            }
        } else {
            match self.eta_seconds {
                Some(seconds) => return time_left_in(words, seconds),
                None => "batch-estimating",
            }
        };
        words.message(id, None)
    }

    /// The desktop notification for a batch that has just ended, in the language in use: its
    /// title and body.
    pub fn end_notice(&self) -> (String, String) {
        self.end_notice_in(&crate::words::current())
    }

    /// [`Summary::end_notice`] in the language of `words`.
    pub fn end_notice_in(&self, words: &Catalogue) -> (String, String) {
        let title = if self.not_uploaded() == 0 {
            "batch-end-title"
        } else {
            "batch-end-title-some-not"
        };
        let (settled, coming) = self.parts(words);
        let all: Vec<String> = settled.into_iter().chain(coming).collect();
        let mut args = FluentArgs::new();
        args.set("counts", all.join(&words.message("batch-comma", None)));
        (
            words.message(title, None),
            words.message("batch-end-body", Some(&args)),
        )
    }
}

/// The window title and the tray's tooltip from their parts: the app's name alone when there
/// are none.
fn title_of(words: &Catalogue, parts: Vec<String>) -> String {
    if parts.is_empty() {
        return words.message("app-name", None);
    }
    let mut args = FluentArgs::new();
    args.set("counts", parts.join(&words.message("batch-comma", None)));
    words.message("batch-title", Some(&args))
}

/// Everything the app has running at once: a batch of uploads, and songs being made (sent or
/// followed by the songs engine). The window title and the tray say [`Work::title`]; the app
/// quits on its own only once it [`is_idle`](Work::is_idle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Work {
    /// The batch of uploads.
    #[serde(flatten)]
    pub batch: Summary,
    /// Songs being made: sent, or followed until they are ready or failed.
    pub songs: usize,
}

impl From<Summary> for Work {
    /// A batch, with no song being made.
    fn from(batch: Summary) -> Self {
        Self { batch, songs: 0 }
    }
}

impl Work {
    /// True when no upload waits or runs and no song is being made.
    pub fn is_idle(&self) -> bool {
        self.batch.is_idle() && self.songs == 0
    }

    /// The window title and the tray's tooltip, in the language in use: the batch's words
    /// (see [`Words::title`]), then the songs being made:
    /// `3 of 8 done, making 2 songs – Producer Uploader`, `Making 2 songs… – Producer Uploader`.
    pub fn title(&self) -> String {
        self.title_in(&crate::words::current())
    }

    /// [`Work::title`] in the language of `words`.
    pub fn title_in(&self, words: &Catalogue) -> String {
        let (settled, _) = self.batch.parts(words);
        let mut parts = self.batch.title_parts(words, &settled);
        if self.songs > 0 {
            let mut args = FluentArgs::new();
            args.set("count", self.songs);
            let id = if parts.is_empty() {
                "batch-songs-only"
            } else {
                "batch-songs"
            };
            parts.push(words.message(id, Some(&args)));
        }
        title_of(words, parts)
    }
}

/// "about 3 min left", from seconds, in the language in use.
pub fn time_left(seconds: u64) -> String {
    time_left_in(&crate::words::current(), seconds)
}

/// [`time_left`] in the language of `words`.
pub fn time_left_in(words: &Catalogue, seconds: u64) -> String {
    if seconds < 60 {
        return words.message("time-left-under-a-minute", None);
    }
    let minutes = (seconds as f64 / 60.0).round() as u64;
    let mut args = FluentArgs::new();
    if minutes < 60 {
        args.set("minutes", minutes);
        return words.message("time-left-minutes", Some(&args));
    }
    args.set("hours", minutes / 60);
    args.set("minutes", minutes % 60);
    words.message("time-left-hours", Some(&args))
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
    fn the_batch_in_simplified_chinese() {
        let chinese = Catalogue::of(&"zh-CN".parse().unwrap());
        let words = mixed().words_in(&chinese);
        assert_eq!(
            words.counts,
            "已完成 3/8 · 失败 1 个 · 已停止 1 个 · 已暂缓 1 个 · 无法上传 2 个 · 上传中 1 个 · 等待中 1 个"
        );
        assert_eq!(
            words.title,
            "已完成 3/8，失败 1 个，已停止 1 个，已暂缓 1 个，无法上传 2 个 – Producer Uploader"
        );
        assert_eq!(words.status, "剩余约 3 分钟");
        let ended = Summary {
            uploading: 0,
            waiting: 0,
            done: 5,
            ..mixed()
        };
        assert_eq!(
            ended.end_notice_in(&chinese),
            (
                "上传已结束，部分未上传".to_owned(),
                "已完成 5/8，失败 1 个，已停止 1 个，已暂缓 1 个，无法上传 2 个。所有音频 ID 都在“历史记录”中。"
                    .to_owned()
            )
        );
        let paused = Summary {
            total: 5,
            done: 1,
            waiting: 4,
            paused: true,
            ..Summary::default()
        };
        assert_eq!(
            paused.words_in(&chinese).title,
            "已完成 1/5，已暂停 – Producer Uploader"
        );
        assert_eq!(paused.words_in(&chinese).status, "已暂停。");
        assert_eq!(
            Summary::default().words_in(&chinese).title,
            "Producer Uploader"
        );
    }

    #[test]
    fn songs_being_made_are_said_with_the_batch_or_alone() {
        let english = Catalogue::of(&"en".parse().unwrap());
        let songs = |batch: Summary, songs: usize| Work { batch, songs }.title_in(&english);
        assert_eq!(songs(Summary::default(), 0), "Producer Uploader");
        assert_eq!(
            songs(Summary::default(), 1),
            "Making 1 song… – Producer Uploader"
        );
        assert_eq!(
            songs(Summary::default(), 2),
            "Making 2 songs… – Producer Uploader"
        );
        assert_eq!(
            songs(mixed(), 2),
            "3 of 8 done, 1 failed, 1 stopped, 1 held, 2 refused, making 2 songs – Producer Uploader"
        );
        assert_eq!(
            songs(mixed(), 0),
            mixed().words_in(&english).title,
            "without songs, the batch's own title"
        );
        let paused = Summary {
            total: 5,
            done: 1,
            waiting: 4,
            paused: true,
            ..Summary::default()
        };
        assert_eq!(
            songs(paused, 1),
            "1 of 5 done, paused, making 1 song – Producer Uploader"
        );
    }

    #[test]
    fn work_is_idle_only_when_no_upload_and_no_song_runs() {
        assert!(Work::default().is_idle());
        assert!(!Work {
            songs: 1,
            ..Work::default()
        }
        .is_idle());
        assert!(!Work {
            batch: mixed(),
            songs: 0
        }
        .is_idle());
        let ended = Summary {
            uploading: 0,
            waiting: 0,
            ..mixed()
        };
        assert!(Work {
            batch: ended,
            songs: 0
        }
        .is_idle());
        assert!(!Work {
            batch: ended,
            songs: 3
        }
        .is_idle());
        // The window's close question gets the batch's counts and the songs.
        let json = serde_json::to_value(Work {
            batch: mixed(),
            songs: 2,
        })
        .unwrap();
        assert_eq!(json["waiting"], 1);
        assert_eq!(json["uploading"], 1);
        assert_eq!(json["songs"], 2);
    }

    #[test]
    fn songs_being_made_in_simplified_chinese() {
        let chinese = Catalogue::of(&"zh-CN".parse().unwrap());
        let songs = |batch: Summary, songs: usize| Work { batch, songs }.title_in(&chinese);
        assert_eq!(
            songs(Summary::default(), 2),
            "正在生成 2 首歌曲… – Producer Uploader"
        );
        assert_eq!(
            songs(mixed(), 1),
            "已完成 3/8，失败 1 个，已停止 1 个，已暂缓 1 个，无法上传 2 个，正在生成 1 首歌曲 – Producer Uploader"
        );
    }

    #[test]
    fn time_left_in_simplified_chinese() {
        let chinese = Catalogue::of(&"zh-CN".parse().unwrap());
        assert_eq!(time_left_in(&chinese, 59), "剩余不到 1 分钟");
        assert_eq!(time_left_in(&chinese, 150), "剩余约 3 分钟");
        assert_eq!(
            time_left_in(&chinese, 3 * 3600 + 5 * 60),
            "剩余约 3 小时 5 分钟"
        );
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
