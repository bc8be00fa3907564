//! What the queue shows: the links and files it takes, its items as a display draws them, and
//! the numbered updates it sends.

use super::Summary;
use crate::batch::Progress;
use crate::client::Uploaded;
use crate::error::ErrorReport;
use crate::history::RecordId;
use crate::incoming::Incoming;
use crate::links;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use url::Url;

/// How many dropped files may be on this computer, whole or arriving, waiting for their turn to
/// be hosted, before the next one is asked to wait ([`Queue::may_receive`]).
pub const RECEIVE_AHEAD: usize = 2;

/// Whether a dropped file's bytes may come now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiveTurn {
    /// Send its pieces.
    Now,
    /// Wait: enough files wait for hosting already. Ask again shortly.
    Later,
    /// It no longer wants its bytes (stopped, removed, refused): stop sending.
    Never,
}

/// A link to queue: as the person gave it, and the address to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueLink {
    /// The link as given (kept in the history).
    pub given: String,
    /// The address sent to the service.
    pub audio_url: Url,
    /// The failed or interrupted history record this upload retries (its result settles that
    /// record instead of adding one); `None` for a new upload.
    pub retry_of: Option<RecordId>,
    /// What to tell the person about this link (a share link rewritten, a doubtful address).
    pub notes: Vec<Note>,
}

/// A file from this computer to queue.
#[derive(Debug)]
pub struct QueueFile {
    /// Its name, as shown and recorded.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Where its bytes are.
    pub source: FileSource,
}

/// The longest file name kept for a row (a name is cut to it).
pub const MAX_FILE_NAME_CHARS: usize = 255;

impl QueueFile {
    /// The file at `path` on this computer (chosen in a file dialog, or given to the command),
    /// checked with [`filehost::inspect`]: refused at once, with why, if it cannot be sent.
    pub fn on_disk(path: &std::path::Path) -> Self {
        let name = path
            .file_name()
            .map(|name| {
                name.to_string_lossy()
                    .chars()
                    .take(MAX_FILE_NAME_CHARS)
                    .collect()
            })
            .unwrap_or_else(|| path.display().to_string());
        match crate::filehost::inspect(path) {
            Ok(audio) => QueueFile {
                name,
                size: audio.size,
                source: FileSource::Path(path.to_owned()),
            },
            Err(error) => QueueFile {
                name,
                size: std::fs::metadata(path).map_or(0, |metadata| metadata.len()),
                source: FileSource::Refused(error.report()),
            },
        }
    }
}

/// Where a queued file's bytes are.
#[derive(Debug)]
pub enum FileSource {
    /// On disk, checked with [`filehost::inspect`] (chosen in a file dialog, say).
    Path(PathBuf),
    /// Still arriving from the window, piece by piece ([`Queue::receive`]).
    Incoming(Incoming),
    /// Refused before anything was read or sent (a folder, too big, not audio), and why.
    Refused(ErrorReport),
}

/// Where a file stands before its link is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStage {
    /// Its bytes are arriving from the window.
    Receiving,
    /// On this computer, waiting for its turn.
    Ready,
    /// Being read for its content hash (and the history asked for an earlier hosted link).
    Checking,
    /// Being sent to the file host.
    Hosting,
    /// Its hosted link is known; the link's upload follows.
    Hosted,
}

/// A queued file as a display shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileView {
    /// Its name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its size for people, such as `4.2 MB`.
    pub size_text: String,
    /// Where it stands.
    pub stage: FileStage,
    /// Bytes received from the window so far (the whole size for a file on disk).
    pub received: u64,
    /// Bytes sent to the file host in the current attempt.
    pub sent: u64,
    /// True when the same content was hosted before and that link is reused (nothing sent).
    pub reused: bool,
    /// The hosted link, once known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
}

/// Something given that cannot be sent as it is, kept in the list with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsent {
    /// What was given.
    pub given: String,
    /// The address that would be sent, when there is one: the item can then be retried (it
    /// failed before it was sent, for want of a token, say). `None`: it can never be sent.
    pub audio_url: Option<Url>,
    /// Why it was not sent.
    pub error: ErrorReport,
    /// What to tell the person about it besides the error.
    pub notes: Vec<Note>,
    /// True when it is held for the musician's OK (see [`ItemState::Held`]) rather than failed.
    pub held: bool,
}

/// A remark on a queued link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// How much it matters.
    pub kind: NoteKind,
    /// The remark in plain words.
    pub text: String,
}

/// What the core says about the link `given`, in the language in use: its rewrite (a share
/// link made direct) and any warning (a page, a folder).
pub fn notes_for(given: &str) -> Vec<Note> {
    match links::parse_links(given).as_slice() {
        [links::Intake::Ready(link)] => crate::intake::notes_of(link),
        _ => Vec::new(),
    }
}

/// How much a [`Note`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Good to know (a share link changed to its direct-download form).
    Info,
    /// Worth a look (the link looks like a web page).
    Warning,
}

/// Where a queued link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Not started yet.
    Waiting,
    /// Its upload is running (including waits for retries and rate limits).
    Uploading,
    /// The service returned an `audio_id`.
    Done,
    /// The upload failed; the item holds the error.
    Failed,
    /// The batch was stopped before this link was sent.
    Interrupted,
    /// It cannot be uploaded (not a link, a file on this computer); the item holds why.
    Rejected,
    /// Not sent until the musician says so ("Upload anyway"): a web page, a place the service
    /// cannot reach; the item holds why. "Retry all failed" leaves it alone.
    Held,
}

impl ItemState {
    /// True once nothing more will happen to the item unless it is retried.
    pub fn is_finished(self) -> bool {
        !matches!(self, ItemState::Waiting | ItemState::Uploading)
    }
}

/// One queued link as a display shows it. Empty fields are left out of its JSON (a display
/// reads a missing field as `null`, or no notes): a batch of a thousand sends each item a few
/// times.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemView {
    /// The item's number in this queue (0 is the first link ever added; never reused).
    pub id: u64,
    /// The sequence number of the update that last changed this item.
    pub revision: u64,
    /// The link as given.
    pub given: String,
    /// The address sent (`None` for a rejected item).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Where it stands.
    pub state: ItemState,
    /// The latest progress of a running upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
    /// The service's answer, once done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uploaded: Option<Uploaded>,
    /// Why it failed or was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
    /// Remarks on the link.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// What the optional link check found worth a look. Once the service has the file it stays
    /// only when it is about what the file is (a web page, not audio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// For a file from this computer: its name, size and how far it got.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileView>,
    /// True when Retry can send it again (failed or stopped, with what it needs still there).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub can_retry: bool,
    /// True when it can still be stopped: a file not yet sent to the Producer API.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub can_stop: bool,
    /// True for a done file whose earlier hosted link was reused while its bytes are still on
    /// this computer: [`Queue::host_again`] puts it on the file host again, under a new link.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub can_host_again: bool,
    /// Why its result could not be written to the upload history, if it could not (the ID is
    /// on the row all the same).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_recorded: Option<ErrorReport>,
}

/// What changed: the items whose state or progress changed, the items removed, and the summary
/// after the change. As a snapshot ([`Queue::snapshot`]): every item, nothing removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueUpdate {
    /// This update's number; later changes have higher numbers. A snapshot carries the number
    /// of the last change it includes.
    pub sequence: u64,
    /// Changed items, oldest first (empty when only the summary changed, e.g. on pause).
    pub items: Vec<ItemView>,
    /// Ids of items taken out of the queue ("Clear list"); ids are never reused.
    pub removed: Vec<u64>,
    /// The whole queue's counts.
    pub summary: Summary,
}

impl QueueUpdate {
    /// Folds a later update into this one: the same end state for a display that applies
    /// updates newest-wins, in one message (each item keeps its own revision).
    pub fn merge(&mut self, later: QueueUpdate) {
        self.items
            .retain(|item| !later.items.iter().any(|newer| newer.id == item.id));
        self.items.extend(later.items);
        self.items.retain(|item| !later.removed.contains(&item.id));
        self.removed.extend(later.removed);
        self.sequence = later.sequence;
        self.summary = later.summary;
    }
}

/// Receives every [`QueueUpdate`], in sequence order and one at a time, from the queue's task.
/// It may call the queue: what it asks is applied after it returns.
pub type OnUpdate = Arc<dyn Fn(QueueUpdate) + Send + Sync>;
