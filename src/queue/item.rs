//! One row of the queue: where it stands ([`Status`], carrying each state's data), what it keeps
//! of a file, what its buttons may do, and how a display draws it ([`Item::view`]).

use super::view::{FileStage, FileView, ItemState, ItemView, Note};
use crate::client::{Progress, Uploaded};
use crate::error::{ErrorCode, ErrorReport};
use crate::filehost::{self, Hosted};
use crate::history::RecordId;
use crate::incoming::Incoming;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio_util::sync::CancellationToken;
use url::Url;

/// Where a row stands, with what that state knows.
#[derive(Debug, Clone)]
pub(super) enum Status {
    /// Not started yet. `retrying`: how it ended before it was queued again (its error stays on
    /// the row until it starts, and it goes back to that if the batch is stopped first).
    Waiting { retrying: Option<Box<Status>> },
    /// Started: hosting a file, or uploading (waits for retries and rate limits included).
    Running {
        progress: Progress,
        /// Sent, and waiting to be sent again (a `Retry-After`, a backoff): it holds no place.
        aside: bool,
        /// Stops a file's check or transfer (nothing has gone to the Producer API yet).
        stop: Option<CancellationToken>,
    },
    /// The service returned an `audio_id`.
    Done(Uploaded),
    /// The upload failed.
    Failed(ErrorReport),
    /// Stopped before it was sent.
    Stopped,
    /// It can never be uploaded (not a link, not an audio file).
    Refused(ErrorReport),
    /// Not sent until the musician says so ("Upload anyway").
    Held(ErrorReport),
}

impl Status {
    pub(super) fn state(&self) -> ItemState {
        match self {
            Status::Waiting { .. } => ItemState::Waiting,
            Status::Running { .. } => ItemState::Uploading,
            Status::Done(_) => ItemState::Done,
            Status::Failed(_) => ItemState::Failed,
            Status::Stopped => ItemState::Interrupted,
            Status::Refused(_) => ItemState::Rejected,
            Status::Held(_) => ItemState::Held,
        }
    }

    /// Why it did not go (kept on a row waiting to be sent again).
    pub(super) fn error(&self) -> Option<&ErrorReport> {
        match self {
            Status::Failed(error) | Status::Refused(error) | Status::Held(error) => Some(error),
            Status::Waiting {
                retrying: Some(before),
            } => before.error(),
            _ => None,
        }
    }

    pub(super) fn is_running(&self) -> bool {
        matches!(self, Status::Running { .. })
    }

    pub(super) fn is_aside(&self) -> bool {
        matches!(self, Status::Running { aside: true, .. })
    }
}

/// A file from this computer, as the queue keeps it.
#[derive(Debug)]
pub(super) struct FileItem {
    pub name: String,
    pub size: u64,
    pub stage: FileStage,
    /// Bytes received from the window so far (the whole size for a file on disk).
    pub received: u64,
    /// Bytes sent to the file host in the current attempt.
    pub sent: u64,
    /// Where its bytes are read from; `None` once they are gone (they stopped arriving).
    pub path: Option<PathBuf>,
    /// The received copy of a file the window handed over (deleted with the row).
    pub incoming: Option<Arc<Mutex<Incoming>>>,
    /// The hosting result, once hosted: a retry uploads the link again without hosting again.
    pub hosted: Option<Hosted>,
    /// False when an earlier hosted link must not be reused ([`Event::AddHostedAgain`]).
    pub reuse: bool,
}

impl FileItem {
    /// A file taken from `path` (and, while it arrives, `incoming`), whole or not.
    pub fn new(
        name: String,
        size: u64,
        path: Option<PathBuf>,
        incoming: Option<Arc<Mutex<Incoming>>>,
        reuse: bool,
    ) -> Self {
        let whole = incoming
            .as_ref()
            .is_none_or(|incoming| lock(incoming).is_complete());
        Self {
            name,
            size,
            stage: if whole {
                FileStage::Ready
            } else {
                FileStage::Receiving
            },
            received: if whole { size } else { 0 },
            sent: 0,
            path,
            incoming,
            hosted: None,
            reuse,
        }
    }

    /// True when every byte is on this computer.
    fn is_whole(&self) -> bool {
        self.path.is_some()
            && self
                .incoming
                .as_ref()
                .is_none_or(|incoming| lock(incoming).is_complete())
    }

    fn view(&self) -> FileView {
        FileView {
            name: self.name.clone(),
            size: self.size,
            size_text: filehost::human_size(self.size),
            stage: self.stage,
            received: self.received,
            sent: self.sent,
            reused: self.hosted.as_ref().is_some_and(|hosted| hosted.reused),
            file_url: self
                .hosted
                .as_ref()
                .map(|hosted| hosted.file_url.to_string()),
        }
    }
}

/// Locks a received copy (a poisoned lock still holds a usable copy).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One row.
#[derive(Debug)]
pub(super) struct Item {
    pub(super) id: u64,
    pub(super) revision: u64,
    pub(super) given: String,
    /// The address to send; `None` for a refused row and a file not hosted yet.
    pub(super) audio_url: Option<Url>,
    pub(super) status: Status,
    pub(super) notes: Vec<Note>,
    /// What the link check found worth a look.
    pub(super) check: Option<String>,
    /// The check's warning is about what the file is (a web page): it stays once sent.
    pub(super) check_is_content: bool,
    /// Its history record: made when queued, settled when sent.
    pub(super) record: Option<RecordId>,
    /// Why its result could not be written to the history, if it could not.
    pub(super) not_recorded: Option<ErrorReport>,
    pub(super) file: Option<FileItem>,
}

impl Item {
    pub(super) fn new(given: String, audio_url: Option<Url>, status: Status) -> Self {
        Self {
            id: 0,
            revision: 0,
            given,
            audio_url,
            status,
            notes: Vec::new(),
            check: None,
            check_is_content: false,
            record: None,
            not_recorded: None,
            file: None,
        }
    }

    /// True for a file whose bytes are still arriving from the window.
    pub(super) fn is_receiving(&self) -> bool {
        matches!(self.status, Status::Waiting { .. })
            && self
                .file
                .as_ref()
                .is_some_and(|file| file.stage == FileStage::Receiving)
    }

    /// True when Retry (or Upload anyway) can send it again.
    pub(super) fn can_retry(&self) -> bool {
        let not_sent = matches!(
            self.status,
            Status::Failed(_) | Status::Stopped | Status::Held(_)
        );
        // An empty file stays empty however often it is sent.
        let hopeless = self
            .status
            .error()
            .is_some_and(|error| error.code == ErrorCode::FileEmpty);
        not_sent
            && !hopeless
            && (self.audio_url.is_some() || self.file.as_ref().is_some_and(FileItem::is_whole))
    }

    /// True for a file not yet sent to the Producer API, waiting or on its way to the host.
    pub(super) fn can_stop(&self) -> bool {
        self.file.as_ref().is_some_and(|file| {
            matches!(self.status, Status::Waiting { .. } | Status::Running { .. })
                && file.stage != FileStage::Hosted
        })
    }

    /// True for a done file whose earlier hosted link was reused while its bytes are still on
    /// this computer (looked up on the disk).
    pub(super) fn can_host_again(&self) -> bool {
        matches!(self.status, Status::Done(_))
            && self.file.as_ref().is_some_and(|file| {
                file.hosted.as_ref().is_some_and(|hosted| hosted.reused)
                    && file.path.as_deref().is_some_and(Path::exists)
            })
    }

    /// The row as a display draws it.
    pub fn view(&self) -> ItemView {
        ItemView {
            id: self.id,
            revision: self.revision,
            given: self.given.clone(),
            audio_url: self.audio_url.as_ref().map(Url::to_string),
            state: self.status.state(),
            progress: match &self.status {
                Status::Running { progress, .. } => Some(progress.clone()),
                _ => None,
            },
            uploaded: match &self.status {
                Status::Done(uploaded) => Some(uploaded.clone()),
                _ => None,
            },
            error: self.status.error().cloned(),
            notes: self.notes.clone(),
            check: self.check.clone(),
            file: self.file.as_ref().map(FileItem::view),
            can_retry: self.can_retry(),
            can_stop: self.can_stop(),
            can_host_again: self.can_host_again(),
            not_recorded: self.not_recorded.clone(),
        }
    }

    /// Deletes what arrived of a file that will not arrive whole.
    pub(super) fn drop_incoming(&mut self) {
        if let Some(file) = self.file.as_mut() {
            file.incoming = None;
            file.path = None;
        }
    }

    /// Stops a row that is not running: back to how it ended before it was queued again, else
    /// stopped. Returns true when it had not ended before (it is newly stopped).
    pub(super) fn interrupt(&mut self) -> bool {
        if self.is_receiving() {
            self.drop_incoming();
        }
        let before = match std::mem::replace(&mut self.status, Status::Stopped) {
            Status::Waiting { retrying } => retrying,
            _ => None,
        };
        match before {
            Some(before) => {
                self.status = *before;
                false
            }
            None => true,
        }
    }
}

/// Ends running row `item` with `result`.
pub(super) fn finish(
    item: &mut Item,
    record: Option<RecordId>,
    result: Result<Uploaded, ErrorReport>,
) {
    item.record = record.or(item.record);
    match result {
        Ok(uploaded) => {
            item.status = Status::Done(uploaded);
            // The service fetched the file: a fear that it could not be reached did not matter;
            // a web page taken as audio stays worth a look.
            if !item.check_is_content {
                item.check = None;
            }
            // Hosted and uploaded: the copy received from the window is not needed, unless an
            // earlier link was reused: it is kept, with the row, so that the file can be put on
            // the file host again ("Upload the file again").
            if let Some(file) = item.file.as_mut() {
                if !file.hosted.as_ref().is_some_and(|hosted| hosted.reused) {
                    file.incoming = None;
                }
            }
        }
        Err(mut report) => {
            // A copy kept for a failure no retry can fix only takes room: it goes.
            let kept_copy = item
                .file
                .as_ref()
                .is_some_and(|file| file.incoming.is_some());
            if kept_copy && retry_cannot_fix(&report.code) {
                item.drop_incoming();
                report = report.with_more("file-copy-removed");
            }
            if let Some(file) = item.file.as_mut().filter(|file| file.hosted.is_none()) {
                file.stage = FileStage::Ready;
            }
            item.status = Status::Failed(report);
        }
    }
}

/// True for a file's failure that sending the same bytes again cannot change: the file itself
/// is refused (too big, not audio, unreadable, a folder) or the host found the request bad.
fn retry_cannot_fix(code: &ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::FileTooBig
            | ErrorCode::NotAudio
            | ErrorCode::FileUnreadable
            | ErrorCode::FileIsFolder
            | ErrorCode::BadRequest
    )
}
