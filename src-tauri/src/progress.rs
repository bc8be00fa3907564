//! Long batches seen from outside the window: progress in the window title and in a status-area
//! (tray) icon with "Show window", and a desktop notification when a batch ends.
//!
//! [`ProgressWatch`] decides what to say from each batch [`Summary`]; [`ProgressShell`] says it
//! through Tauri (the tray from Tauri's core, the notification plugin).

use crate::state::AppState;
use producer_upload::queue::Summary;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

/// The app's name, the window title when no batch is running.
pub const APP_TITLE: &str = "Producer Uploader";
/// The tray icon's id.
pub const TRAY_ID: &str = "progress";
/// The tray menu item that brings the window back.
pub const SHOW_WINDOW_ID: &str = "show-window";

/// How the batch stands, in a few words: `12 of 50 uploaded`, `12 of 50 uploaded, 1 failed,
/// paused`, `50 uploaded, 2 failed`.
pub fn progress_words(summary: &Summary) -> String {
    let settled = summary.done + summary.failed + summary.interrupted;
    let mut words = if summary.is_idle() {
        format!("{} uploaded", summary.done)
    } else {
        format!("{settled} of {} done", summary.total)
    };
    if summary.failed > 0 {
        words.push_str(&format!(", {} failed", summary.failed));
    }
    if summary.interrupted > 0 {
        words.push_str(&format!(", {} stopped", summary.interrupted));
    }
    if summary.paused && !summary.is_idle() {
        words.push_str(", paused");
    }
    words
}

/// The window title for a batch: the app's name, with the progress while a batch has links.
pub fn window_title(summary: &Summary) -> String {
    if summary.total == 0 {
        APP_TITLE.to_owned()
    } else {
        format!("{} – {APP_TITLE}", progress_words(summary))
    }
}

/// A desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The notification for a batch that has just ended.
pub fn batch_end_notice(summary: &Summary) -> Notice {
    let title = if summary.failed + summary.interrupted == 0 {
        "Uploads finished".to_owned()
    } else {
        "Uploads finished, some failed".to_owned()
    };
    let mut body = format!(
        "{} uploaded, {} failed",
        summary.done,
        summary.failed + summary.interrupted
    );
    body.push_str(". Every audio ID is in History.");
    Notice { title, body }
}

/// Follows the batch: knows when one ends.
#[derive(Debug, Default)]
pub struct ProgressWatch {
    busy: Mutex<bool>,
}

/// What to show after a batch change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The window title and the tray's tooltip.
    pub title: String,
    /// The notification to send: the batch has just ended.
    pub notice: Option<Notice>,
}

impl ProgressWatch {
    /// What to show for `summary`; a notice once each time a batch goes from running to ended.
    pub fn update(&self, summary: &Summary) -> Shown {
        let mut busy = self
            .busy
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let was_busy = std::mem::replace(&mut *busy, !summary.is_idle());
        Shown {
            title: window_title(summary),
            notice: (was_busy && summary.is_idle()).then(|| batch_end_notice(summary)),
        }
    }
}

/// Shows a batch's progress outside the window: title, tray icon, notification.
pub struct ProgressShell<R: Runtime> {
    app: AppHandle<R>,
    watch: ProgressWatch,
    tray: Mutex<Option<TrayIcon<R>>>,
    /// Set once the icon was made or failed to be, so a failure is not tried on every change.
    tray_tried: AtomicBool,
}

impl<R: Runtime> ProgressShell<R> {
    /// A shell for `app`; the tray icon appears with the first batch.
    pub fn new(app: AppHandle<R>) -> Self {
        Self {
            app,
            watch: ProgressWatch::default(),
            tray: Mutex::new(None),
            tray_tried: AtomicBool::new(false),
        }
    }

    /// Shows `summary`: the window title and the tray's tooltip; a notification when the
    /// batch has just ended. Safe to call from any thread.
    pub fn show(&self, summary: &Summary) {
        let shown = self.watch.update(summary);
        if let Some(window) = self.app.get_webview_window("main") {
            let _ = window.set_title(&shown.title);
        }
        self.show_in_tray(&shown.title, summary.total > 0);
        if let Some(notice) = shown.notice {
            // No notification service (a bare X session) is no reason to stop: the window and
            // the history say the same.
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
            let _ = tray.set_tooltip(Some(title));
            let _ = tray.set_title(Some(title));
        }
    }
}

/// The status-area icon: the app's icon, the progress as its tooltip, and "Show window".
fn make_tray<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<TrayIcon<R>> {
    let show = MenuItem::with_id(app, SHOW_WINDOW_ID, "Show window", true, None::<&str>)?;
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
    builder.build(app)
}

/// How long the app stays after a batch finished in the background, so that the notification
/// saying so (sent on its own task) reaches the desktop before the app quits.
pub const NOTICE_GRACE: std::time::Duration = std::time::Duration::from_millis(1500);

/// Quits the app once the end-of-batch notification has had [`NOTICE_GRACE`] to go out.
pub fn exit_after_notice<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(NOTICE_GRACE).await;
        app.exit(0);
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

    fn summary(total: usize, done: usize, failed: usize, waiting: usize) -> Summary {
        Summary {
            total,
            done,
            failed,
            interrupted: 0,
            waiting,
            uploading: total - done - failed - waiting,
            ..Summary::default()
        }
    }

    #[test]
    fn the_title_tells_the_progress() {
        assert_eq!(window_title(&summary(0, 0, 0, 0)), "Producer Uploader");
        assert_eq!(
            window_title(&summary(50, 12, 0, 36)),
            "12 of 50 done – Producer Uploader"
        );
        let paused = Summary {
            paused: true,
            ..summary(50, 12, 1, 36)
        };
        assert_eq!(
            window_title(&paused),
            "13 of 50 done, 1 failed, paused – Producer Uploader"
        );
        assert_eq!(
            window_title(&summary(50, 48, 2, 0)),
            "48 uploaded, 2 failed – Producer Uploader"
        );
    }

    #[test]
    fn a_notice_comes_once_when_a_batch_ends() {
        let watch = ProgressWatch::default();
        assert_eq!(watch.update(&summary(0, 0, 0, 0)).notice, None, "no batch");
        assert_eq!(watch.update(&summary(3, 0, 0, 3)).notice, None);
        assert_eq!(
            watch.update(&summary(3, 2, 0, 0)).notice,
            None,
            "one running"
        );
        let ended = watch.update(&summary(3, 2, 1, 0)).notice.unwrap();
        assert_eq!(ended.title, "Uploads finished, some failed");
        assert_eq!(
            ended.body,
            "2 uploaded, 1 failed. Every audio ID is in History."
        );
        assert_eq!(watch.update(&summary(3, 2, 1, 0)).notice, None, "only once");
        assert_eq!(watch.update(&summary(4, 2, 1, 1)).notice, None);
        let again = watch.update(&summary(4, 3, 1, 0)).notice.unwrap();
        assert_eq!(
            again.body,
            "3 uploaded, 1 failed. Every audio ID is in History."
        );
        let clean = ProgressWatch::default();
        clean.update(&summary(1, 0, 0, 1));
        assert_eq!(
            clean.update(&summary(1, 1, 0, 0)).notice.unwrap().title,
            "Uploads finished"
        );
    }
}
