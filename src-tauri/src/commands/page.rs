//! The window's page started afresh, in a new page process, after a long list was cleared: the
//! rows leave megabytes behind in the old process's script engine, which WebKitGTK gives back only
//! when that process ends (README, "Memory of a long list"). The list and the cleared rows' Undo
//! are kept by the queue; what the page showed besides (the note of the cleared rows, the link
//! being typed) is kept here until the new page takes it.

use crate::commands::MAX_LINK_BYTES;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use tauri::{Runtime, State, Webview};

/// What the page shows again once started afresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageNote {
    /// How many of the cleared uploads are in History (the note beside Undo).
    pub cleared: usize,
    /// What was typed in the link field.
    pub typed: String,
}

/// The note kept while the page starts afresh; taken once.
#[derive(Debug, Default)]
pub struct KeptNote(Mutex<Option<PageNote>>);

impl KeptNote {
    /// Keeps `note` for the next page; false (nothing kept) if the typed text is longer than a
    /// link can be.
    pub fn keep(&self, note: PageNote) -> bool {
        if note.typed.len() > MAX_LINK_BYTES {
            return false;
        }
        *self.0.lock().unwrap_or_else(|poison| poison.into_inner()) = Some(note);
        true
    }

    /// The note kept, once: a later start of the page (a crash of the web view) shows none.
    pub fn take(&self) -> Option<PageNote> {
        self.0
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .take()
    }
}

/// Starts the page afresh in a new page process, keeping `note` for it. False if it does not
/// (not on Linux, where it was measured; a typed text too long to keep): the page then shows the
/// note itself.
#[tauri::command]
pub fn page_start_afresh<R: Runtime>(
    webview: Webview<R>,
    kept: State<'_, KeptNote>,
    note: PageNote,
) -> bool {
    let started = cfg!(target_os = "linux") && kept.keep(note) && restart(&webview);
    if !started {
        kept.take();
    }
    started
}

/// Ends the page's process and loads the page again in a new one; false if it could not.
fn restart<R: Runtime>(webview: &Webview<R>) -> bool {
    webview
        .with_webview(|_platform| {
            #[cfg(target_os = "linux")]
            {
                use webkit2gtk::WebViewExt;
                let view = _platform.inner();
                view.terminate_web_process();
                view.reload();
            }
        })
        .is_ok()
}

/// The note kept for this page, once.
#[tauri::command]
pub fn page_take_note(kept: State<'_, KeptNote>) -> Option<PageNote> {
    kept.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(typed: &str) -> PageNote {
        PageNote {
            cleared: 1000,
            typed: typed.into(),
        }
    }

    #[test]
    fn a_kept_note_is_taken_once() {
        let kept = KeptNote::default();
        assert_eq!(kept.take(), None);
        assert!(kept.keep(note("https://a.example/next.wav")));
        assert_eq!(kept.take(), Some(note("https://a.example/next.wav")));
        assert_eq!(kept.take(), None, "a later start shows no note");
    }

    #[test]
    fn typed_text_longer_than_a_link_is_not_kept() {
        let kept = KeptNote::default();
        assert!(!kept.keep(note(&"a".repeat(MAX_LINK_BYTES + 1))));
        assert_eq!(kept.take(), None);
        assert!(kept.keep(note(&"a".repeat(MAX_LINK_BYTES))));
    }
}
