//! Long batches and songs being made seen from outside the window: progress in the window title
//! and in a status-area (tray) icon with "Show window", and a desktop notification when a batch
//! ends or songs are ready, in the language in use (shown again at once when it changes).
//!
//! [`ProgressWatch`] decides what to say from everything running ([`Work`]: the batch's
//! [`Summary`], the songs being made); [`ProgressShell`] says it through Tauri (the tray from
//! Tauri's core, the notification plugin), when [`attention`] says the musician needs it.

use crate::attention::{self, Sight};
use crate::state::AppState;
use producer_upload::queue::Summary;
use producer_upload::songs::{Generation, GenerationId, TaskState};
use producer_upload::summary::Work;
use producer_upload::tr;
use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

pub use producer_upload::summary::APP_TITLE;
/// The tray icon's id.
pub const TRAY_ID: &str = "progress";
/// The tray menu item that brings the window back.
pub const SHOW_WINDOW_ID: &str = "show-window";

/// The window title and the tray's tooltip: the app's name, with the batch's words while it has
/// items (the same words as the window's bar and the command's progress line), then the songs
/// being made.
pub fn window_title(work: &Work) -> String {
    work.title()
}

/// A desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The notification for a batch that has just ended.
pub fn batch_end_notice(summary: &Summary) -> Notice {
    let (title, body) = summary.end_notice();
    Notice { title, body }
}

/// The notification for a generation that has just ended: its songs ready, or why it failed;
/// `None` while it runs.
pub fn song_end_notice(generation: &Generation) -> Option<Notice> {
    match &generation.state {
        TaskState::Succeeded { songs } => Some(Notice {
            title: tr!("notify-songs-ready-title", count = songs.len()),
            body: tr!(
                "notify-songs-ready-body",
                count = songs.len(),
                others = songs.len().saturating_sub(1),
                title = songs.first().map_or("", |song| song.title.as_str())
            ),
        }),
        TaskState::Failed { error } => Some(Notice {
            title: tr!("notify-song-failed-title"),
            body: error.message.clone(),
        }),
        _ => None,
    }
}

/// Follows the batch: knows when one ends, and how long it ran.
#[derive(Debug, Default)]
pub struct ProgressWatch {
    /// When the running batch started; `None` while the queue is idle.
    busy_since: Mutex<Option<Instant>>,
}

/// What to show after a change of the batch or of a song.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The window title and the tray's tooltip.
    pub title: String,
    /// The notification to send: the batch has just ended.
    pub notice: Option<Notice>,
    /// How long the batch that has just ended ran (zero while one runs).
    pub took: Duration,
}

impl ProgressWatch {
    /// What to show for `work`; a notice once each time its batch goes from running to ended.
    pub fn update(&self, work: impl Into<Work>) -> Shown {
        self.update_at(work, Instant::now())
    }

    /// [`ProgressWatch::update`] at the moment `now`.
    pub fn update_at(&self, work: impl Into<Work>, now: Instant) -> Shown {
        let work = work.into();
        let summary = &work.batch;
        let mut busy_since = self
            .busy_since
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let started = match (*busy_since, summary.is_idle()) {
            (None, false) => Some(now),
            (started, false) => started,
            (_, true) => None,
        };
        let ended = std::mem::replace(&mut *busy_since, started).filter(|_| summary.is_idle());
        Shown {
            title: window_title(&work),
            notice: ended.map(|_| batch_end_notice(summary)),
            took: ended.map_or(Duration::ZERO, |since| now.duration_since(since)),
        }
    }
}

/// The status-area icon and its menu's one item, whose words follow the language.
struct Tray<R: Runtime> {
    icon: TrayIcon<R>,
    show: MenuItem<R>,
}

/// Shows a batch's progress outside the window: title, tray icon, notification.
pub struct ProgressShell<R: Runtime> {
    app: AppHandle<R>,
    watch: ProgressWatch,
    tray: Mutex<Option<Tray<R>>>,
    /// Set once the icon was made or failed to be, so a failure is not tried on every change.
    tray_tried: AtomicBool,
    /// Generations whose end was told: each is told once, however often it is sent again.
    songs_told: Mutex<HashSet<GenerationId>>,
}

impl<R: Runtime> ProgressShell<R> {
    /// A shell for `app`; the tray icon appears with the first batch.
    pub fn new(app: AppHandle<R>) -> Self {
        Self {
            app,
            watch: ProgressWatch::default(),
            tray: Mutex::new(None),
            tray_tried: AtomicBool::new(false),
            songs_told: Mutex::new(HashSet::new()),
        }
    }

    /// Shows `work`: the window title; the tray icon while work runs with the window hidden;
    /// a notification when the batch has just ended and the musician cannot see the window
    /// (see [`attention`]). Safe to call from any thread.
    pub fn show(&self, work: &Work) {
        let shown = self.watch.update(*work);
        let window = self.app.get_webview_window("main");
        let sight = self.sight();
        if let Some(window) = window {
            let _ = window.set_title(&shown.title);
        }
        self.show_in_tray(&shown.title, attention::tray_wanted(sight, work));
        let leaving = self
            .app
            .try_state::<AppState>()
            .is_some_and(|state| state.is_leaving());
        let told = shown
            .notice
            .filter(|_| attention::notify_batch_end(sight, shown.took, leaving));
        if let Some(notice) = told {
            self.notify(&notice);
        }
    }

    /// Tells a generation that has just ended (its songs ready, or failed) in a notification,
    /// once, when the musician cannot see the window.
    pub fn song_changed(&self, generation: &Generation) {
        let Some(notice) = song_end_notice(generation) else {
            return;
        };
        let first_time = self
            .songs_told
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(generation.id);
        if first_time && attention::notify_song_end(self.sight()) {
            self.notify(&notice);
        }
    }

    /// What the musician can see of the main window now.
    fn sight(&self) -> Sight {
        self.app
            .get_webview_window("main")
            .map_or(Sight::default(), |window| Sight {
                shown: window.is_visible().unwrap_or(false),
                minimized: window.is_minimized().unwrap_or(false),
                focused: window.is_focused().unwrap_or(false),
            })
    }

    fn notify(&self, notice: &Notice) {
        // No notification service (a bare X session) is no reason to stop: the window and the
        // history say the same.
        if let Err(error) = self
            .app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show()
        {
            tracing::warn!("notification not shown: {error}");
            eprintln!("producer-uploader: notification not shown: {error}");
        }
    }

    fn show_in_tray(&self, title: &str, wanted: bool) {
        let mut tray = self
            .tray
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if tray.is_none() && wanted && !self.tray_tried.swap(true, Ordering::SeqCst) {
            // Linux loads the status-area library when the first icon is made, and panics
            // without it: the app goes on without an icon (the title still shows progress).
            match std::panic::catch_unwind(AssertUnwindSafe(|| make_tray(&self.app))) {
                Ok(Ok(made)) => *tray = Some(made),
                Ok(Err(error)) => {
                    tracing::warn!("no status-area icon: {error}");
                    eprintln!("producer-uploader: no status-area icon: {error}");
                }
                Err(_) => {
                    tracing::warn!("no status-area icon: making it panicked (see stderr)");
                    eprintln!("producer-uploader: no status-area icon (see above)");
                }
            }
        }
        if let Some(tray) = tray.as_ref() {
            // The menu's words change only with the language.
            let words = tr!("tray-show-window");
            if tray.show.text().ok().as_deref() != Some(words.as_str()) {
                let _ = tray.show.set_text(words);
            }
            let _ = tray.icon.set_tooltip(Some(title));
            let _ = tray.icon.set_title(Some(title));
            let _ = tray.icon.set_visible(wanted);
        }
    }
}

/// The status-area icon: the app's icon, the progress as its tooltip, and "Show window".
fn make_tray<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Tray<R>> {
    let show = MenuItem::with_id(
        app,
        SHOW_WINDOW_ID,
        tr!("tray-show-window"),
        true,
        None::<&str>,
    )?;
    let menu = Menu::with_items(app, &[&show])?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .menu(&menu)
        .tooltip(APP_TITLE)
        .on_menu_event(|app, event| {
            if event.id() == SHOW_WINDOW_ID {
                show_window(app);
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    Ok(Tray {
        icon: builder.build(app)?,
        show,
    })
}

/// How long the app stays after a batch finished in the background, so that the notification
/// saying so (sent on its own task) reaches the desktop before the app quits.
pub const NOTICE_GRACE: std::time::Duration = std::time::Duration::from_millis(1500);

/// Quits the app once the last notification has had [`NOTICE_GRACE`] to go out, unless the
/// window was brought back meanwhile.
pub fn exit_after_notice<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(NOTICE_GRACE).await;
        if app
            .try_state::<AppState>()
            .is_none_or(|state| state.is_leaving())
        {
            app.exit(0);
        }
    });
}

/// Brings the main window back, in front; the app then stays open when the batch ends.
pub fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(state) = app.try_state::<AppState>() {
        state.stay();
    }
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation(state: TaskState) -> Generation {
        let now = time::OffsetDateTime::now_utc();
        Generation {
            id: 7,
            created_at: now,
            updated_at: now,
            request: producer_upload::songs::SongRequest::new(
                producer_upload::songs::Action::Extend,
                "a1",
            ),
            kind: None,
            task_id: Some("t1".into()),
            state,
        }
    }

    fn song(title: &str) -> producer_upload::songs::Song {
        producer_upload::songs::Song {
            id: format!("{title}-id"),
            title: title.into(),
            audio_url: "https://cdn.example/s.mp3".into(),
            image_url: None,
            duration: None,
            lyric: None,
            style: None,
            model: None,
        }
    }

    #[test]
    fn a_generation_is_told_when_it_ends_never_while_it_runs() {
        assert_eq!(
            song_end_notice(&generation(TaskState::Running { progress: Some(40) })),
            None
        );
        let ready = song_end_notice(&generation(TaskState::Succeeded {
            songs: vec![song("Night drive"), song("Night drive (2)")],
        }))
        .unwrap();
        assert_eq!(ready.title, "Your songs are ready");
        assert_eq!(
            ready.body,
            "“Night drive” and 1 more are ready to play in Songs."
        );
        let report = producer_upload::error::ErrorReport::from_code(
            producer_upload::error::ErrorCode::GenerationFailed,
        );
        let failed = song_end_notice(&generation(TaskState::Failed {
            error: report.clone(),
        }))
        .unwrap();
        assert_eq!(failed.title, "A song could not be made");
        assert_eq!(failed.body, report.message);
    }

    fn summary(total: usize, done: usize, failed: usize, waiting: usize) -> Summary {
        Summary {
            total,
            done,
            failed,
            waiting,
            uploading: total - done - failed - waiting,
            ..Summary::default()
        }
    }

    #[test]
    fn the_title_tells_the_progress() {
        assert_eq!(
            window_title(&summary(0, 0, 0, 0).into()),
            "Producer Uploader"
        );
        assert_eq!(
            window_title(&summary(50, 12, 0, 36).into()),
            "12 of 50 done – Producer Uploader"
        );
        let paused = Summary {
            paused: true,
            ..summary(50, 12, 1, 36)
        };
        assert_eq!(
            window_title(&paused.into()),
            "12 of 50 done, 1 failed, paused – Producer Uploader"
        );
        assert_eq!(
            window_title(&summary(50, 48, 2, 0).into()),
            "48 of 50 done, 2 failed – Producer Uploader"
        );
    }

    #[test]
    fn title_tray_and_notice_agree_with_the_bar_on_a_mixed_batch() {
        // 10 items: 2 refused, 1 held, 3 done, 1 failed, 1 stopped, 2 waiting.
        let running = Summary {
            total: 10,
            refused: 2,
            held: 1,
            done: 3,
            failed: 1,
            stopped: 1,
            waiting: 2,
            ..Summary::default()
        };
        let watch = ProgressWatch::default();
        let shown = watch.update(running);
        assert_eq!(
            shown.title,
            "3 of 8 done, 1 failed, 1 stopped, 1 held, 2 refused – Producer Uploader"
        );
        assert!(running
            .words()
            .counts
            .starts_with("3 of 8 done · 1 failed · 1 stopped"));
        let ended = Summary {
            waiting: 0,
            done: 5,
            ..running
        };
        let notice = watch.update(ended).notice.unwrap();
        assert_eq!(notice.title, "Uploads finished, some not uploaded");
        assert_eq!(
            notice.body,
            "5 of 8 done, 1 failed, 1 stopped, 1 held, 2 refused. Every audio ID is in History."
        );
    }

    #[test]
    fn the_notice_says_how_long_the_batch_ran() {
        let watch = ProgressWatch::default();
        let start = Instant::now();
        let later = |seconds| start + Duration::from_secs(seconds);
        assert_eq!(
            watch.update_at(summary(0, 0, 0, 0), start).took,
            Duration::ZERO
        );
        watch.update_at(summary(3, 0, 0, 3), later(1));
        watch.update_at(summary(3, 2, 0, 0), later(4));
        let ended = watch.update_at(summary(3, 3, 0, 0), later(9));
        assert!(ended.notice.is_some());
        assert_eq!(
            ended.took,
            Duration::from_secs(8),
            "from its first link to its last"
        );
        // The next batch is timed from its own start.
        watch.update_at(summary(4, 3, 0, 1), later(60));
        let again = watch.update_at(summary(4, 4, 0, 0), later(62));
        assert_eq!(again.took, Duration::from_secs(2));
    }

    #[test]
    fn a_notice_comes_once_when_a_batch_ends() {
        let watch = ProgressWatch::default();
        assert_eq!(watch.update(summary(0, 0, 0, 0)).notice, None, "no batch");
        assert_eq!(watch.update(summary(3, 0, 0, 3)).notice, None);
        assert_eq!(
            watch.update(summary(3, 2, 0, 0)).notice,
            None,
            "one running"
        );
        let ended = watch.update(summary(3, 2, 1, 0)).notice.unwrap();
        assert_eq!(ended.title, "Uploads finished, some not uploaded");
        assert_eq!(
            ended.body,
            "2 of 3 done, 1 failed. Every audio ID is in History."
        );
        assert_eq!(watch.update(summary(3, 2, 1, 0)).notice, None, "only once");
        assert_eq!(watch.update(summary(4, 2, 1, 1)).notice, None);
        let again = watch.update(summary(4, 3, 1, 0)).notice.unwrap();
        assert_eq!(
            again.body,
            "3 of 4 done, 1 failed. Every audio ID is in History."
        );
        let clean = ProgressWatch::default();
        clean.update(summary(1, 0, 0, 1));
        assert_eq!(
            clean.update(summary(1, 1, 0, 0)).notice.unwrap().title,
            "Uploads finished"
        );
    }
}
