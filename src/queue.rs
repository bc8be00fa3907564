//! A batch queue: many links queued at once and run through one [`Uploader`] (its concurrency
//! limit and retries, rate limits waited out per upload), with pause, resume, cancel, "retry all
//! failed", clear, a summary with a time estimate, and every change sent out as a numbered
//! [`QueueUpdate`].
//!
//! The queue owns the list a display shows: links that cannot be uploaded are items too, and
//! [`Queue::snapshot`] gives the whole list again (after a reload of the window, say).
//!
//! Every change takes the next number of one counter under the queue's lock: the update carries
//! it as its `sequence`, and each item it changed carries it as its `revision`. Updates reach the
//! callback in that order, one at a time (the emission lock is taken before the state lock is let
//! go), so a display that applies an item only when its revision is newer than what it has, and
//! a summary only when its sequence is, always ends on the newest state.
//!
//! Files from this computer are items too ([`Queue::add_files`]): a file whose bytes the window
//! hands over in pieces is received first ([`Queue::receive`]), then each is checked, put on the
//! file host (or its earlier hosted link reused) and its link uploaded like any other. Until its
//! link is sent to the Producer API a file can be stopped ([`Queue::stop`]), transfer included.
//!
//! Pausing stops new uploads from starting; running ones finish, so no `audio_id` is lost.
//! Cancelling turns the waiting links into interrupted ones (recorded in the history in one
//! transaction); running ones finish and are recorded. Links are recorded in the history as
//! queued when they are queued (a crash then leaves them interrupted, not forgotten); the
//! uploader makes each record pending before its request and settles it after.

use crate::batch::{Progress, UploadJob, Uploader};
use crate::client::Uploaded;
use crate::error::{ErrorCode, ErrorReport};
use crate::eta::BatchPace;
use crate::filehost::{self, FileHost, Hosted};
use crate::history::{History, NewUpload, RecordId, Source};
use crate::incoming::Incoming;
use crate::links;
use crate::preflight::{preflight, LinkClient, PreflightReport, Verdict, CHECKS_AT_ONCE};
pub use crate::summary::Summary;
use crate::token::{ApiToken, PlatformToken};
use futures::StreamExt;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;
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

/// What the core says about a link that will be sent, in the language in use: its rewrite
/// (a share link made direct) and any warning (a page, a folder).
pub fn notes_for(given: &str) -> Vec<Note> {
    match links::parse_links(given).as_slice() {
        [links::Intake::Ready(link)] => link
            .rewrite
            .iter()
            .map(|rewrite| Note {
                kind: NoteKind::Info,
                text: rewrite.message.clone(),
            })
            .chain(link.warning.iter().map(|warning| Note {
                kind: NoteKind::Warning,
                text: warning.clone(),
            }))
            .collect(),
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

/// Receives every [`QueueUpdate`], in sequence order and one at a time, from whichever thread
/// made the change. It must not call back into the queue's changing methods.
pub type OnUpdate = Arc<dyn Fn(QueueUpdate) + Send + Sync>;

#[derive(Debug)]
struct Item {
    view: ItemView,
    /// The address to send; `None` for a rejected item and a file not hosted yet.
    audio_url: Option<Url>,
    record: Option<RecordId>,
    /// The state a retried item goes back to if the batch is stopped before it is sent again.
    before_retry: Option<ItemState>,
    file: Option<FileItem>,
    /// Sent, and waiting to be sent again (a rate limit's own `Retry-After`, a retry's backoff):
    /// it holds no slot meanwhile.
    waiting_aside: bool,
    /// The link check's warning is about what the file is (a web page, not audio): it stays
    /// on the row once the service has taken the link.
    check_is_content: bool,
}

impl Item {
    fn link(view: ItemView, audio_url: Option<Url>) -> Self {
        Self {
            view,
            audio_url,
            record: None,
            before_retry: None,
            file: None,
            waiting_aside: false,
            check_is_content: false,
        }
    }

    /// A file from this computer: `whole` when every byte is here, `refused` with why it cannot
    /// be sent, `record` its history record (made when it was taken).
    fn file(
        id: u64,
        name: String,
        size: u64,
        whole: bool,
        refused: Option<ErrorReport>,
        file: FileItem,
        record: Option<RecordId>,
    ) -> Self {
        Self {
            view: ItemView {
                id,
                revision: 0,
                given: name.clone(),
                audio_url: None,
                state: if refused.is_some() {
                    ItemState::Rejected
                } else {
                    ItemState::Waiting
                },
                progress: None,
                uploaded: None,
                error: refused,
                notes: Vec::new(),
                check: None,
                file: Some(FileView {
                    name,
                    size,
                    size_text: filehost::human_size(size),
                    stage: if whole {
                        FileStage::Ready
                    } else {
                        FileStage::Receiving
                    },
                    received: if whole { size } else { 0 },
                    sent: 0,
                    reused: false,
                    file_url: None,
                }),
                can_retry: false,
                can_stop: false,
                can_host_again: false,
            },
            audio_url: None,
            record,
            before_retry: None,
            file: Some(file),
            waiting_aside: false,
            check_is_content: false,
        }
    }

    /// Sets what the buttons may do from where the item stands.
    fn refresh_actions(&mut self) {
        let state = self.view.state;
        let not_sent = matches!(
            state,
            ItemState::Failed | ItemState::Interrupted | ItemState::Held
        );
        // An empty file stays empty however often it is sent.
        let hopeless = self
            .view
            .error
            .as_ref()
            .is_some_and(|error| error.code == ErrorCode::FileEmpty);
        self.view.can_retry = not_sent
            && !hopeless
            && (self.audio_url.is_some() || self.file.as_ref().is_some_and(FileItem::is_whole));
        self.view.can_stop = match (&self.file, &self.view.file) {
            (Some(_), Some(view)) => {
                matches!(state, ItemState::Waiting | ItemState::Uploading)
                    && view.stage != FileStage::Hosted
            }
            _ => false,
        };
        self.view.can_host_again = state == ItemState::Done
            && self.view.file.as_ref().is_some_and(|view| view.reused)
            && self
                .file
                .as_ref()
                .and_then(|file| file.path.as_deref())
                .is_some_and(Path::exists);
    }

    /// True for a file whose bytes are still arriving from the window.
    fn is_receiving(&self) -> bool {
        self.view.state == ItemState::Waiting
            && self
                .view
                .file
                .as_ref()
                .is_some_and(|file| file.stage == FileStage::Receiving)
    }

    /// Deletes what arrived of a file that will not arrive whole.
    fn drop_incoming(&mut self) {
        if let Some(file) = self.file.as_mut() {
            file.incoming = None;
            file.path = None;
        }
    }

    /// Fails a file that was arriving (it cannot be retried: its bytes are gone).
    fn fail_incoming(&mut self, error: ErrorReport) {
        self.drop_incoming();
        self.view.state = ItemState::Failed;
        self.view.error = Some(error);
    }

    /// Refuses a file that was arriving (not audio, say).
    fn reject_incoming(&mut self, error: ErrorReport) {
        self.drop_incoming();
        self.view.state = ItemState::Rejected;
        self.view.error = Some(error);
    }

    /// Stops an item that is not running: back to how a retry found it, else interrupted.
    fn interrupt(&mut self) {
        if self.is_receiving() {
            self.drop_incoming();
        }
        self.view.progress = None;
        self.view.state = self.before_retry.take().unwrap_or(ItemState::Interrupted);
    }
}

/// What the queue keeps to host a file.
#[derive(Debug)]
struct FileItem {
    /// Where its bytes are read from; `None` once they are gone (they stopped arriving).
    path: Option<PathBuf>,
    /// The received copy of a file the window handed over (deleted with the item).
    incoming: Option<Arc<Mutex<Incoming>>>,
    /// The hosting result, once hosted: a retry uploads the link again without hosting again.
    hosted: Option<Hosted>,
    /// Stops the check or the transfer while one runs.
    stop: Option<CancellationToken>,
    /// False when an earlier hosted link must not be reused ([`Queue::host_again`]).
    reuse: bool,
}

impl FileItem {
    /// True when every byte is on this computer.
    fn is_whole(&self) -> bool {
        self.path.is_some()
            && self
                .incoming
                .as_ref()
                .is_none_or(|incoming| lock(incoming).is_complete())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug, Default)]
struct QueueState {
    uploader: Option<Uploader>,
    file_host: Option<FileHost>,
    platform_token: Option<PlatformToken>,
    /// Items by id, oldest first.
    items: BTreeMap<u64, Item>,
    next_id: u64,
    /// The number of the last change.
    sequence: u64,
    waiting: VecDeque<u64>,
    uploading: usize,
    /// Of those uploading, the ones waiting aside (see `Item::waiting_aside`).
    waiting_aside: usize,
    paused: bool,
    token: Option<ApiToken>,
    /// The running batch's pace, for the time left.
    pace: BatchPace,
    /// The rows the last "Clear list" took out, oldest first, for its Undo.
    cleared: Vec<Item>,
}

impl QueueState {
    fn summary(&self) -> Summary {
        let mut summary = self.counts();
        let remaining = summary.waiting + summary.uploading;
        summary.eta_seconds = if remaining > 0 && self.paused {
            None
        } else {
            self.pace.seconds_left(remaining)
        };
        summary
    }

    /// The counts, without the time left.
    fn counts(&self) -> Summary {
        let mut summary = Summary {
            total: self.items.len(),
            uploading: self.uploading,
            paused: self.paused,
            ..Summary::default()
        };
        for item in self.items.values() {
            match item.view.state {
                ItemState::Done => summary.done += 1,
                ItemState::Failed => summary.failed += 1,
                ItemState::Interrupted => summary.stopped += 1,
                ItemState::Rejected => summary.refused += 1,
                ItemState::Held => summary.held += 1,
                ItemState::Waiting => summary.waiting += 1,
                ItemState::Uploading => {}
            }
        }
        summary
    }

    /// Takes the next number and stamps it on the `changed` items: the update to send.
    fn change(&mut self, changed: impl IntoIterator<Item = u64>, removed: Vec<u64>) -> QueueUpdate {
        self.sequence += 1;
        let sequence = self.sequence;
        // A batch that starts (or resumes) is timed from now.
        let counts = self.counts();
        self.pace
            .follow(Instant::now(), !counts.paused && !counts.is_idle());
        let items = changed
            .into_iter()
            .filter_map(|id| {
                let item = self.items.get_mut(&id)?;
                item.view.revision = sequence;
                item.refresh_actions();
                Some(item.view.clone())
            })
            .collect();
        QueueUpdate {
            sequence,
            items,
            removed,
            summary: self.summary(),
        }
    }

    /// A started item's task has ended: its place is free.
    fn end_running(&mut self, id: u64) {
        self.uploading -= 1;
        if let Some(item) = self.items.get_mut(&id).filter(|item| item.waiting_aside) {
            item.waiting_aside = false;
            self.waiting_aside -= 1;
        }
    }

    /// Adds the item `make` builds for the next id, and returns that id.
    fn push(&mut self, make: impl FnOnce(u64) -> Item) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.items.insert(id, make(id));
        id
    }
}

struct Shared {
    history: Option<Arc<History>>,
    on_update: OnUpdate,
    state: Mutex<QueueState>,
    /// Held while an update is handed to `on_update`, taken before the state lock is let go, so
    /// updates leave in the order their numbers were given.
    emitting: Mutex<()>,
    runtime: Handle,
}

/// The batch queue. Cheap to clone; clones share one queue.
#[derive(Clone)]
pub struct Queue {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("summary", &self.summary())
            .finish_non_exhaustive()
    }
}

impl Queue {
    /// A queue uploading through `uploader`, recording in `history` (if any), and calling
    /// `on_update` after every change. Must be made inside a tokio runtime, which runs the
    /// uploads.
    pub fn new(uploader: Uploader, history: Option<Arc<History>>, on_update: OnUpdate) -> Self {
        let uploader = recording(uploader, &history);
        Self {
            shared: Arc::new(Shared {
                history,
                on_update,
                state: Mutex::new(QueueState {
                    uploader: Some(uploader),
                    ..QueueState::default()
                }),
                emitting: Mutex::new(()),
                runtime: Handle::current(),
            }),
        }
    }

    /// Runs the optional link check ([`preflight`]) on the links `ids`, a few at a time, and puts
    /// what each found worth a look on its item ([`ItemView::check`]). A link found to be a web
    /// page while it still waits is held ([`ItemState::Held`]) instead of sent. A link already
    /// uploaded, or gone from the list, when its turn comes is not checked.
    pub async fn check_links(
        &self,
        http: &LinkClient,
        ids: Vec<u64>,
        timeout: Duration,
        api_is_local: bool,
    ) {
        let checks = ids
            .into_iter()
            .map(|id| self.check_link(http, id, timeout, api_is_local));
        let mut found = futures::stream::iter(checks).buffer_unordered(CHECKS_AT_ONCE);
        while let Some(found) = found.next().await {
            let Some(record) = found.and_then(|(id, report)| self.show_check(id, report)) else {
                continue;
            };
            // Held before it was sent: like a link held when it was given, it has no record.
            if let Some(history) = self.shared.history.clone() {
                let forgotten =
                    tokio::task::spawn_blocking(move || history.forget_queued(&[record])).await;
                if let Ok(Err(error)) = forgotten {
                    tracing::warn!("could not take a held link out of the history: {error}");
                }
            }
        }
    }

    /// The link check's warning for link `id`, if it is still listed and not uploaded.
    async fn check_link(
        &self,
        http: &LinkClient,
        id: u64,
        timeout: Duration,
        api_is_local: bool,
    ) -> Option<(u64, PreflightReport)> {
        let url = {
            let state = self.shared.lock();
            let item = state.items.get(&id)?;
            if item.view.state == ItemState::Done {
                return None;
            }
            item.audio_url.clone()?
        };
        let report = preflight(http, &url, timeout, api_is_local).await;
        report.is_warning().then_some((id, report))
    }

    /// Puts the check's warning on link `id`, holding it if it is a web page not sent yet;
    /// returns the queued history record of a link it held.
    fn show_check(&self, id: u64, report: PreflightReport) -> Option<RecordId> {
        let mut state = self.shared.lock();
        let waits = state.waiting.contains(&id);
        let item = state
            .items
            .get_mut(&id)
            .filter(|item| item.view.state != ItemState::Done)?;
        // What the file is, unlike whether it answered, stays true once it is sent.
        item.check_is_content = report.verdict != Verdict::Unreachable;
        let hold = waits && report.verdict == Verdict::HtmlPage && item.before_retry.is_none();
        let mut forget = None;
        if hold {
            item.view.state = ItemState::Held;
            item.view.error = Some(
                ErrorReport::from_code(ErrorCode::NotAudioFile)
                    .with_message(report.message.clone()),
            );
            forget = item.record.take();
        }
        item.view.check = Some(report.message);
        if hold {
            state.waiting.retain(|waiting| *waiting != id);
        }
        let update = state.change([id], Vec::new());
        self.shared.emit(state, update);
        forget
    }

    /// Queues `links`, to be uploaded with `token` (which also replaces the token for links
    /// still waiting), and returns their item ids.
    pub fn add(&self, token: ApiToken, links: Vec<QueueLink>) -> Vec<u64> {
        let mut queued = self.record_queued(&links).into_iter();
        let mut state = self.shared.lock();
        state.token = Some(token);
        let mut ids = Vec::with_capacity(links.len());
        for link in links {
            // A new link's queued record, made pending when it is sent.
            let record = link.retry_of.or_else(|| queued.next());
            let id = state.push(|id| Item {
                view: ItemView {
                    id,
                    revision: 0,
                    given: link.given,
                    audio_url: Some(link.audio_url.to_string()),
                    state: ItemState::Waiting,
                    progress: None,
                    uploaded: None,
                    error: None,
                    notes: link.notes,
                    check: None,
                    file: None,
                    can_retry: false,
                    can_stop: false,
                    can_host_again: false,
                },
                audio_url: Some(link.audio_url),
                record,
                // If stopped before it is sent, the record stays as the history has it.
                before_retry: link.retry_of.map(|_| ItemState::Interrupted),
                file: None,
                waiting_aside: false,
                check_is_content: false,
            });
            state.waiting.push_back(id);
            ids.push(id);
        }
        let update = state.change(ids.iter().copied(), Vec::new());
        self.shared.emit(state, update);
        Shared::pump(&self.shared);
        ids
    }

    /// Records the new links among `links` (those retrying no record) in the history as queued,
    /// in one transaction, so that a crash before they are sent leaves them interrupted rather
    /// than forgotten. Returns their record ids in order, or none if the history cannot be
    /// written (they are then recorded when sent).
    fn record_queued(&self, links: &[QueueLink]) -> Vec<RecordId> {
        let Some(history) = &self.shared.history else {
            return Vec::new();
        };
        let uploads: Vec<NewUpload> = links
            .iter()
            .filter(|link| link.retry_of.is_none())
            .map(|link| NewUpload {
                given_url: link.given.clone(),
                audio_url: link.audio_url.clone(),
                source: Source::App,
            })
            .collect();
        if uploads.is_empty() {
            return Vec::new();
        }
        history.record_queued(&uploads).unwrap_or_else(|error| {
            tracing::warn!("could not record the queued links in the history: {error}");
            Vec::new()
        })
    }

    /// Records the files taken among `files` (those not refused) in the history as queued, in
    /// one transaction, under their names: a crash before they are sent leaves them interrupted,
    /// not forgotten. Returns their record ids in order, or none if the history cannot be
    /// written (they are then recorded when sent).
    fn record_queued_files(&self, files: &[QueueFile]) -> Vec<RecordId> {
        let Some(history) = &self.shared.history else {
            return Vec::new();
        };
        let taken: Vec<(String, u64)> = files
            .iter()
            .filter(|file| !matches!(file.source, FileSource::Refused(_)))
            .map(|file| (file.name.clone(), file.size))
            .collect();
        if taken.is_empty() {
            return Vec::new();
        }
        history.record_queued_files(&taken).unwrap_or_else(|error| {
            tracing::warn!("could not record the files taken in the history: {error}");
            Vec::new()
        })
    }

    /// Whether file `id`'s bytes may start arriving now: files are received only a few
    /// ([`RECEIVE_AHEAD`]) ahead of hosting, so a slow host never fills the disk with copies
    /// waiting their turn. A file already arriving goes on.
    pub fn may_receive(&self, id: u64) -> ReceiveTurn {
        let state = self.shared.lock();
        let Some(item) = state.items.get(&id).filter(|item| item.is_receiving()) else {
            return ReceiveTurn::Never;
        };
        if item
            .view
            .file
            .as_ref()
            .is_some_and(|file| file.received > 0)
        {
            return ReceiveTurn::Now;
        }
        let ahead = state
            .items
            .values()
            .filter(|other| {
                other.view.state == ItemState::Waiting
                    && other.view.file.as_ref().is_some_and(|file| {
                        file.stage == FileStage::Ready
                            || (file.stage == FileStage::Receiving && file.received > 0)
                    })
            })
            .count();
        if ahead >= RECEIVE_AHEAD {
            ReceiveTurn::Later
        } else {
            ReceiveTurn::Now
        }
    }

    /// Lists things given that were not sent, with the reason: rejected for good when they have
    /// no address, held for the musician's OK or failed (and retryable) when they have one.
    /// Returns their item ids.
    pub fn add_unsent(&self, unsent: Vec<Unsent>) -> Vec<u64> {
        let mut state = self.shared.lock();
        let mut ids = Vec::with_capacity(unsent.len());
        for entry in unsent {
            let item_state = match (&entry.audio_url, entry.held) {
                (Some(_), true) => ItemState::Held,
                (Some(_), false) => ItemState::Failed,
                (None, _) => ItemState::Rejected,
            };
            ids.push(state.push(|id| {
                Item::link(
                    ItemView {
                        id,
                        revision: 0,
                        given: entry.given,
                        audio_url: entry.audio_url.as_ref().map(Url::to_string),
                        state: item_state,
                        progress: None,
                        uploaded: None,
                        error: Some(entry.error),
                        notes: entry.notes,
                        check: None,
                        file: None,
                        can_retry: false,
                        can_stop: false,
                        can_host_again: false,
                    },
                    entry.audio_url,
                )
            }));
        }
        let update = state.change(ids.iter().copied(), Vec::new());
        self.shared.emit(state, update);
        ids
    }

    /// Queues files from this computer (hosted on the file host set with
    /// [`Queue::set_file_host`], then uploaded with `token`, which also replaces the token for
    /// links still waiting) and returns their item ids. A file still arriving waits for its
    /// last piece ([`Queue::receive`]) before it is queued.
    pub fn add_files(&self, token: ApiToken, files: Vec<QueueFile>) -> Vec<u64> {
        let mut queued = self.record_queued_files(&files).into_iter();
        let mut state = self.shared.lock();
        state.token = Some(token);
        let mut ids = Vec::with_capacity(files.len());
        for file in files {
            let record = match file.source {
                FileSource::Refused(_) => None,
                _ => queued.next(),
            };
            let (path, incoming, refused) = match file.source {
                FileSource::Path(path) => (Some(path), None, None),
                FileSource::Incoming(incoming) => (
                    Some(incoming.path().to_owned()),
                    Some(Arc::new(Mutex::new(incoming))),
                    None,
                ),
                FileSource::Refused(error) => (None, None, Some(error)),
            };
            let whole = incoming
                .as_ref()
                .is_none_or(|incoming| lock(incoming).is_complete());
            let waits = whole && refused.is_none();
            let id = state.push(|id| {
                Item::file(
                    id,
                    file.name,
                    file.size,
                    whole,
                    refused,
                    FileItem {
                        path,
                        incoming,
                        hosted: None,
                        stop: None,
                        reuse: true,
                    },
                    record,
                )
            });
            if waits {
                state.waiting.push_back(id);
            }
            ids.push(id);
        }
        let update = state.change(ids.iter().copied(), Vec::new());
        self.shared.emit(state, update);
        Shared::pump(&self.shared);
        ids
    }

    /// Puts done files whose earlier hosted link was reused ([`ItemView::can_host_again`]) on
    /// the file host again, each as a new row that reuses nothing: a new link, a new audio ID
    /// and a new history record. The rows they came from keep their IDs and hand their bytes
    /// (a received copy included) to the new rows. Returns the new rows' ids.
    pub fn host_again(&self, ids: &[u64]) -> Vec<u64> {
        let mut taken = Vec::new();
        {
            let mut state = self.shared.lock();
            let mut from = Vec::new();
            for &id in ids {
                let Some(item) = state
                    .items
                    .get_mut(&id)
                    .filter(|item| item.view.can_host_again)
                else {
                    continue;
                };
                let (Some(file), Some(view)) = (item.file.as_mut(), item.view.file.as_ref()) else {
                    continue;
                };
                let (Some(path), incoming) = (file.path.take(), file.incoming.take()) else {
                    continue;
                };
                taken.push((view.name.clone(), view.size, path, incoming));
                from.push(id);
            }
            if taken.is_empty() {
                return Vec::new();
            }
            // The rows they came from no longer offer it.
            let update = state.change(from, Vec::new());
            self.shared.emit(state, update);
        }
        let records = self
            .shared
            .history
            .as_ref()
            .map_or_else(Vec::new, |history| {
                let files: Vec<(String, u64)> = taken
                    .iter()
                    .map(|(name, size, ..)| (name.clone(), *size))
                    .collect();
                history.record_queued_files(&files).unwrap_or_else(|error| {
                    tracing::warn!("could not record the files taken in the history: {error}");
                    Vec::new()
                })
            });
        let mut records = records.into_iter();
        let mut state = self.shared.lock();
        let mut again = Vec::with_capacity(taken.len());
        for (name, size, path, incoming) in taken {
            let record = records.next();
            let id = state.push(|id| {
                Item::file(
                    id,
                    name,
                    size,
                    true,
                    None,
                    FileItem {
                        path: Some(path),
                        incoming,
                        hosted: None,
                        stop: None,
                        reuse: false,
                    },
                    record,
                )
            });
            state.waiting.push_back(id);
            again.push(id);
        }
        let update = state.change(again.iter().copied(), Vec::new());
        self.shared.emit(state, update);
        Shared::pump(&self.shared);
        again
    }

    /// Writes the piece of file `id` that starts at `offset` (blocking on the disk); the file is
    /// queued once its last piece is in. Returns true to ask for more, false when the item no
    /// longer wants pieces (stopped, removed, refused as not audio: its row says why) or has
    /// them all. A piece that cannot be written fails the item.
    pub fn receive(&self, id: u64, offset: u64, bytes: &[u8]) -> bool {
        let incoming = {
            let state = self.shared.lock();
            match state.items.get(&id) {
                Some(item) if item.is_receiving() => {
                    item.file.as_ref().and_then(|file| file.incoming.clone())
                }
                _ => None,
            }
        };
        let Some(incoming) = incoming else {
            return false;
        };
        // Written outside the queue's lock: other items go on meanwhile.
        let (written, path) = {
            let mut incoming = lock(&incoming);
            let before = incoming.received();
            let written = incoming
                .write_at(offset, bytes)
                .map(|received| (before, received, incoming.is_complete()));
            (written, incoming.path().to_owned())
        };
        let mut state = self.shared.lock();
        let Some(item) = state.items.get_mut(&id).filter(|item| item.is_receiving()) else {
            return false;
        };
        let (before, received, complete) = match written {
            Ok(written) => written,
            Err(error) => {
                tracing::warn!("a dropped file could not be received: {error}");
                item.fail_incoming(error.report());
                let record = (item.record, error.report());
                let update = state.change([id], Vec::new());
                self.shared.emit(state, update);
                self.shared.record_failed_files(vec![record]);
                return false;
            }
        };
        // Audio is known by its first bytes: refused as soon as they are in.
        let first_bytes_in =
            before < filehost::MAGIC_BYTES && (received >= filehost::MAGIC_BYTES || complete);
        let refused = first_bytes_in
            .then(|| filehost::inspect(&path).err())
            .flatten();
        if let Some(view) = item.view.file.as_mut() {
            view.received = received;
        }
        let mut failed = Vec::new();
        let wants_more = match refused {
            Some(error) => {
                item.reject_incoming(error.report());
                failed.push((item.record, error.report()));
                false
            }
            None if complete => {
                if let Some(view) = item.view.file.as_mut() {
                    view.stage = FileStage::Ready;
                }
                state.waiting.push_back(id);
                false
            }
            None => true,
        };
        let update = state.change([id], Vec::new());
        self.shared.emit(state, update);
        self.shared.record_failed_files(failed);
        if complete {
            Shared::pump(&self.shared);
        }
        wants_more
    }

    /// Fails file `id` while it is still arriving, with `error` (the window could not read it).
    pub fn fail_incoming(&self, id: u64, error: ErrorReport) {
        let mut state = self.shared.lock();
        let Some(item) = state.items.get_mut(&id).filter(|item| item.is_receiving()) else {
            return;
        };
        let record = (item.record, error.clone());
        item.fail_incoming(error);
        let update = state.change([id], Vec::new());
        self.shared.emit(state, update);
        self.shared.record_failed_files(vec![record]);
    }

    /// Fails every file still arriving: the window that was handing them over started again
    /// (a reload) and its pieces will not come.
    pub fn abandon_incoming(&self) {
        let mut state = self.shared.lock();
        let receiving: Vec<u64> = state
            .items
            .iter()
            .filter(|(_, item)| item.is_receiving())
            .map(|(id, _)| *id)
            .collect();
        if receiving.is_empty() {
            return;
        }
        let report = ErrorReport::from_code(ErrorCode::FileUnreadable)
            .with_words("file-window-reloaded", []);
        let mut failed = Vec::new();
        for id in &receiving {
            if let Some(item) = state.items.get_mut(id) {
                item.fail_incoming(report.clone());
                failed.push((item.record, report.clone()));
            }
        }
        let update = state.change(receiving, Vec::new());
        self.shared.emit(state, update);
        self.shared.record_failed_files(failed);
    }

    /// Stops the files among `ids` that are not yet sent to the Producer API: arriving, waiting,
    /// being checked or hosted (the transfer ends). They become interrupted; one stopped while
    /// arriving cannot be retried (its bytes never came). Returns how many were stopped.
    pub fn stop(&self, ids: &[u64]) -> usize {
        let mut state = self.shared.lock();
        let mut stopped = Vec::new();
        let mut running = 0;
        for &id in ids {
            let Some(item) = state.items.get_mut(&id).filter(|item| item.view.can_stop) else {
                continue;
            };
            if item.view.state == ItemState::Uploading {
                // Its task ends it as interrupted once the transfer has stopped.
                if let Some(stop) = item.file.as_ref().and_then(|file| file.stop.as_ref()) {
                    stop.cancel();
                    running += 1;
                }
            } else {
                item.interrupt();
                stopped.push(id);
            }
        }
        state.waiting.retain(|id| !stopped.contains(id));
        let count = stopped.len() + running;
        if !stopped.is_empty() {
            let update = state.change(stopped, Vec::new());
            self.shared.emit(state, update);
        }
        count
    }

    /// Files from now on are hosted through `host` (new settings, say).
    pub fn set_file_host(&self, host: FileHost) {
        self.shared.lock().file_host = Some(host);
    }

    /// Files hosted from now on use `token`; without one, a file whose content was never
    /// hosted fails with `platform_token_missing` (and can be retried once there is one).
    pub fn set_platform_token(&self, token: Option<PlatformToken>) {
        self.shared.lock().platform_token = token;
    }

    /// Sends through `client` and runs at most `concurrency` uploads at once from now on (new
    /// settings): the queue's uploader is changed in place ([`Uploader::reconfigure`]), so the
    /// pace keeps its learned rate and one limit binds the running uploads and the next ones.
    pub fn reconfigure(&self, client: crate::client::Client, concurrency: usize) {
        let uploader = self.shared.lock().uploader.clone();
        if let Some(uploader) = uploader {
            uploader.reconfigure(client, concurrency);
        }
        Shared::pump(&self.shared);
    }

    /// Stops new uploads from starting; running ones finish.
    pub fn pause(&self) {
        let mut state = self.shared.lock();
        state.paused = true;
        let update = state.change([], Vec::new());
        self.shared.emit(state, update);
    }

    /// Lets uploads start again after [`Queue::pause`].
    pub fn resume(&self) {
        let mut state = self.shared.lock();
        state.paused = false;
        let update = state.change([], Vec::new());
        self.shared.emit(state, update);
        Shared::pump(&self.shared);
    }

    /// Stops the batch: waiting links become interrupted (new ones recorded so in the history,
    /// in one transaction, before this returns); running ones finish and are recorded. Returns
    /// how many links were stopped.
    pub async fn cancel(&self) -> usize {
        let mut unsent = Vec::new();
        let mut queued = Vec::new();
        let stopped = {
            let mut state = self.shared.lock();
            let mut stopped: Vec<u64> = state.waiting.drain(..).collect();
            for (id, item) in state.items.iter_mut() {
                if item.is_receiving() {
                    item.interrupt();
                    stopped.push(*id);
                } else if item.view.state == ItemState::Uploading && item.view.can_stop {
                    // A file's check or transfer: nothing went to the Producer API yet.
                    if let Some(stop) = item.file.as_ref().and_then(|file| file.stop.as_ref()) {
                        stop.cancel();
                    }
                }
            }
            for id in &stopped {
                let Some(item) = state.items.get_mut(id) else {
                    continue;
                };
                if item.view.state.is_finished() {
                    continue;
                }
                item.view.progress = None;
                match item.before_retry.take() {
                    // Sent before: its history record already says how that ended.
                    Some(before) => item.view.state = before,
                    None => {
                        item.view.state = ItemState::Interrupted;
                        if let Some(record) = item.record {
                            queued.push(record);
                        } else if let Some(audio_url) = item.audio_url.clone() {
                            unsent.push((
                                *id,
                                NewUpload {
                                    given_url: item.view.given.clone(),
                                    audio_url,
                                    source: Source::App,
                                },
                            ));
                        }
                    }
                }
            }
            // Sent now, while the lock holds: this is the state as it stands.
            let count = stopped.len();
            let update = state.change(stopped, Vec::new());
            self.shared.emit(state, update);
            count
        };
        if let (Some(history), false) = (self.shared.history.clone(), queued.is_empty()) {
            let recorded =
                tokio::task::spawn_blocking(move || history.interrupt_queued(&queued)).await;
            if let Ok(Err(error)) = recorded {
                tracing::warn!("could not record the stopped uploads in the history: {error}")
            }
        }
        if let (Some(history), false) = (self.shared.history.clone(), unsent.is_empty()) {
            let (ids, uploads): (Vec<u64>, Vec<NewUpload>) = unsent.into_iter().unzip();
            let recorded =
                tokio::task::spawn_blocking(move || history.record_interrupted(&uploads)).await;
            match recorded {
                Ok(Ok(records)) => {
                    // Kept so that a later retry settles these records instead of adding new
                    // ones (unless one was retried meanwhile and has its own record already).
                    let mut state = self.shared.lock();
                    for (id, record) in ids.into_iter().zip(records) {
                        if let Some(item) = state.items.get_mut(&id) {
                            item.record.get_or_insert(record);
                        }
                    }
                }
                Ok(Err(error)) => {
                    tracing::warn!("could not record the stopped uploads in the history: {error}")
                }
                Err(_) => {}
            }
        }
        stopped
    }

    /// Queues again every failed or interrupted link (with `token`, if given) and returns how
    /// many. Held links stay held: only their own "Upload anyway" sends them.
    pub fn retry_failed(&self, token: Option<ApiToken>) -> usize {
        self.retry_where(token, |_, state| state != ItemState::Held)
    }

    /// Queues again the failed, interrupted or held links among `ids` (with `token`, if given)
    /// and returns how many: a row's Retry, or its Upload anyway.
    pub fn retry(&self, ids: &[u64], token: Option<ApiToken>) -> usize {
        self.retry_where(token, |id, _| ids.contains(&id))
    }

    fn retry_where(
        &self,
        token: Option<ApiToken>,
        wanted: impl Fn(u64, ItemState) -> bool,
    ) -> usize {
        let mut state = self.shared.lock();
        if token.is_some() {
            state.token = token;
        }
        let mut again = Vec::new();
        for (id, item) in state.items.iter_mut() {
            let before = item.view.state;
            if item.view.can_retry && wanted(*id, before) {
                // The error stays until the upload starts again, in case the batch is
                // stopped first.
                item.view.state = ItemState::Waiting;
                item.before_retry = Some(before);
                if let (Some(view), Some(file)) = (item.view.file.as_mut(), item.file.as_ref()) {
                    if file.hosted.is_none() {
                        view.stage = FileStage::Ready;
                        view.sent = 0;
                    }
                }
                again.push(*id);
            }
        }
        let count = again.len();
        if count == 0 {
            return 0;
        }
        state.waiting.extend(again.iter().copied());
        let update = state.change(again, Vec::new());
        self.shared.emit(state, update);
        Shared::pump(&self.shared);
        count
    }

    /// Takes the finished items (done, failed, interrupted, rejected) out of the queue; links
    /// waiting or running stay. The summary then counts only what is left, and "retry all
    /// failed" sees only that. Returns how many were taken out.
    pub fn clear(&self) -> usize {
        self.take_finished(|_| true, true)
    }

    /// Puts back the rows the last [`Queue::clear`] took out, as they were, under new ids (an
    /// id taken out is never seen again), and returns how many. A second Undo puts back
    /// nothing.
    pub fn undo_clear(&self) -> usize {
        let mut state = self.shared.lock();
        let cleared = std::mem::take(&mut state.cleared);
        let ids: Vec<u64> = cleared
            .into_iter()
            .map(|mut item| {
                state.push(|id| {
                    item.view.id = id;
                    item
                })
            })
            .collect();
        let count = ids.len();
        if count > 0 {
            let update = state.change(ids, Vec::new());
            self.shared.emit(state, update);
        }
        count
    }

    /// Takes the finished items among `ids` out of the queue, as "Remove" on a row does (the
    /// history keeps them); a link waiting or running is not removed. Returns how many were
    /// taken out.
    pub fn remove(&self, ids: &[u64]) -> usize {
        self.take_finished(|id| ids.contains(&id), false)
    }

    /// Takes the `chosen` finished items out; `undoable` keeps them for [`Queue::undo_clear`].
    fn take_finished(&self, chosen: impl Fn(u64) -> bool, undoable: bool) -> usize {
        let mut state = self.shared.lock();
        let removed: Vec<u64> = state
            .items
            .iter()
            .filter(|(id, item)| item.view.state.is_finished() && chosen(**id))
            .map(|(id, _)| *id)
            .collect();
        let taken: Vec<Item> = removed
            .iter()
            .filter_map(|id| state.items.remove(id))
            .collect();
        if undoable {
            state.cleared = taken;
        }
        let count = removed.len();
        let update = state.change([], removed);
        self.shared.emit(state, update);
        count
    }

    /// Every row and the counts again, as one change (each row takes its new number): after
    /// the language changed, a display takes them in the new words. Returns how many rows.
    pub fn say_again(&self) -> usize {
        let mut state = self.shared.lock();
        // A row's notes come from what was given: said again from it.
        for item in state.items.values_mut() {
            if !item.view.notes.is_empty() {
                let notes = notes_for(&item.view.given);
                if notes.len() == item.view.notes.len() {
                    item.view.notes = notes;
                }
            }
        }
        let ids: Vec<u64> = state.items.keys().copied().collect();
        let count = ids.len();
        let update = state.change(ids, Vec::new());
        self.shared.emit(state, update);
        count
    }

    /// The counts now.
    pub fn summary(&self) -> Summary {
        self.shared.lock().summary()
    }

    /// Every item, oldest first, and the counts, numbered with the last change they include
    /// (for a display that starts late or starts again).
    pub fn snapshot(&self) -> QueueUpdate {
        let state = self.shared.lock();
        QueueUpdate {
            sequence: state.sequence,
            items: state.items.values().map(|item| item.view.clone()).collect(),
            removed: Vec::new(),
            summary: state.summary(),
        }
    }
}

/// `uploader`, recording in `history` if there is one.
fn recording(uploader: Uploader, history: &Option<Arc<History>>) -> Uploader {
    match history {
        Some(history) => uploader.with_history(history.clone()),
        None => uploader,
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands `update`, made under `state`, to the callback before any later change can be.
    fn emit(&self, state: MutexGuard<'_, QueueState>, update: QueueUpdate) {
        let emitting = self.emitting.lock().unwrap_or_else(PoisonError::into_inner);
        drop(state);
        (self.on_update)(update);
        drop(emitting);
    }

    /// Records in the history, in the background, why files taken (and recorded as queued)
    /// failed before they were hosted: refused at their first bytes, or not arriving whole.
    fn record_failed_files(&self, failed: Vec<(Option<RecordId>, ErrorReport)>) {
        let failed: Vec<(RecordId, ErrorReport)> = failed
            .into_iter()
            .filter_map(|(record, report)| Some((record?, report)))
            .collect();
        let (Some(history), false) = (self.history.clone(), failed.is_empty()) else {
            return;
        };
        self.runtime.spawn_blocking(move || {
            for (record, report) in failed {
                if let Err(error) = history.record_failed(record, &report, 0) {
                    tracing::warn!("could not record the file's failure in the history: {error}");
                }
            }
        });
    }

    /// Starts as many waiting uploads as the pause and the concurrency limit allow.
    fn pump(shared: &Arc<Shared>) {
        let mut state = shared.lock();
        let mut started = Vec::new();
        let Some(uploader) = state.uploader.clone() else {
            return;
        };
        // Uploads waiting aside hold no slot: the next ones go meanwhile, at the shared pace.
        while !state.paused && state.uploading - state.waiting_aside < uploader.concurrency() {
            let (Some(token), Some(id)) = (state.token.clone(), state.waiting.pop_front()) else {
                break;
            };
            let file_host = state.file_host.clone();
            let platform_token = state.platform_token.clone();
            let Some(item) = state.items.get_mut(&id) else {
                continue;
            };
            let work = match (&item.audio_url, item.file.as_mut()) {
                (Some(audio_url), file) => Work::Upload {
                    audio_url: audio_url.clone(),
                    file: file.and_then(|file| file.hosted.clone()),
                },
                (None, Some(file)) => {
                    let Some(path) = file.path.clone() else {
                        continue;
                    };
                    let stop = CancellationToken::new();
                    file.stop = Some(stop.clone());
                    if let Some(view) = item.view.file.as_mut() {
                        view.stage = FileStage::Checking;
                        view.sent = 0;
                    }
                    Work::HostThenUpload {
                        path,
                        file_host,
                        platform_token,
                        stop,
                        reuse: file.reuse,
                    }
                }
                (None, None) => continue,
            };
            item.view.state = ItemState::Uploading;
            item.view.progress = Some(Progress::Queued);
            item.view.error = None;
            item.before_retry = None;
            started.push(Start {
                uploader: uploader.clone(),
                id,
                token,
                given: item.view.given.clone(),
                retry_of: item.record,
                work,
            });
            state.uploading += 1;
        }
        if started.is_empty() {
            return;
        }
        let update = state.change(started.iter().map(|start| start.id), Vec::new());
        shared.emit(state, update);
        for start in started {
            let shared = shared.clone();
            let runtime = shared.runtime.clone();
            runtime.spawn(async move { shared.run(start).await });
        }
    }

    /// Runs one started item to its end: hosts a file first if it has to, then uploads.
    async fn run(self: Arc<Self>, start: Start) {
        let Start {
            uploader,
            id,
            token,
            given,
            retry_of,
            work,
        } = start;
        let (audio_url, file) = match work {
            Work::Upload { audio_url, file } => (audio_url, file),
            Work::HostThenUpload {
                path,
                file_host,
                platform_token,
                stop,
                reuse,
            } => {
                let Some(file_host) = file_host else {
                    let report = ErrorReport::from_code(ErrorCode::FileUnreadable)
                        .with_words("file-no-host-yet", []);
                    return self.finish(id, None, Err(report));
                };
                // Without the history nothing is reused.
                let history = self.history.clone().filter(|_| reuse);
                let sent = self.clone();
                let hosting = filehost::prepare_and_host(
                    &file_host,
                    platform_token.as_ref(),
                    history.as_deref(),
                    &path,
                    move |bytes| sent.file_sent(id, bytes),
                );
                let hosted = tokio::select! {
                    () = stop.cancelled() => return self.stopped(id),
                    hosted = hosting => hosted,
                };
                match hosted {
                    Ok(hosted) => {
                        self.hosted(id, &hosted);
                        (hosted.file_url.clone(), Some(hosted))
                    }
                    Err(error) => {
                        let report = error.report();
                        // The file's record (made when it was taken) says why, too.
                        if let (Some(history), Some(record)) = (self.history.clone(), retry_of) {
                            let failed = report.clone();
                            let recorded = tokio::task::spawn_blocking(move || {
                                history.record_failed(record, &failed, 0)
                            })
                            .await;
                            if let Ok(Err(error)) = recorded {
                                tracing::warn!(
                                    "could not record the file's failure in the history: {error}"
                                );
                            }
                        }
                        return self.finish(id, None, Err(report));
                    }
                }
            }
        };
        let job = UploadJob {
            given: given.clone(),
            audio_url,
            source: Source::App,
            retry_of,
            file: file.map(|hosted| (given, hosted.file)),
        };
        let progress = self.clone();
        let settled = uploader
            .upload(&token, &job, move |step| progress.progress(id, step))
            .await;
        if let (Ok(_), Some(record)) = (&settled.outcome.result, settled.record) {
            self.keep_warning(id, record).await;
        }
        let result = settled.outcome.result.map_err(|error| error.report());
        self.finish(id, settled.record, result);
    }

    /// Writes the link check's warning about what the file is (a web page taken as audio) to
    /// the history record of link `id`, done now: History says it as the row does.
    async fn keep_warning(&self, id: u64, record: RecordId) {
        let warning = {
            let state = self.lock();
            state
                .items
                .get(&id)
                .filter(|item| item.check_is_content)
                .and_then(|item| item.view.check.clone())
        };
        let (Some(warning), Some(history)) = (warning, self.history.clone()) else {
            return;
        };
        let kept =
            tokio::task::spawn_blocking(move || history.record_warning(record, &warning)).await;
        if let Ok(Err(error)) = kept {
            tracing::warn!("could not keep the link check's warning in the history: {error}");
        }
    }

    fn progress(self: &Arc<Self>, id: u64, step: Progress) {
        let mut state = self.lock();
        let Some(item) = state
            .items
            .get_mut(&id)
            .filter(|item| item.view.state == ItemState::Uploading)
        else {
            return;
        };
        let aside = matches!(step, Progress::Waiting { .. })
            && (item.waiting_aside
                || matches!(item.view.progress, Some(Progress::Uploading { .. })));
        let went_aside = aside && !item.waiting_aside;
        let came_back = !aside && item.waiting_aside;
        item.waiting_aside = aside;
        item.view.progress = Some(step);
        if went_aside {
            state.waiting_aside += 1;
        } else if came_back {
            state.waiting_aside -= 1;
        }
        let update = state.change([id], Vec::new());
        self.emit(state, update);
        if went_aside {
            Shared::pump(self);
        }
    }

    /// Bytes of a file sent to the host in the current attempt: shown a percent at a time.
    fn file_sent(&self, id: u64, sent: u64) {
        let mut state = self.lock();
        let Some(view) = state
            .items
            .get_mut(&id)
            .filter(|item| item.view.state == ItemState::Uploading)
            .and_then(|item| item.view.file.as_mut())
        else {
            return;
        };
        let percent = |bytes: u64| bytes * 100 / view.size.max(1);
        let worth_showing = view.stage != FileStage::Hosting
            || sent == 0
            || sent == view.size
            || percent(sent) != percent(view.sent);
        view.stage = FileStage::Hosting;
        view.sent = sent;
        if worth_showing {
            let update = state.change([id], Vec::new());
            self.emit(state, update);
        }
    }

    /// A file's hosted link is known: its upload follows.
    fn hosted(&self, id: u64, hosted: &Hosted) {
        let mut state = self.lock();
        let Some(item) = state.items.get_mut(&id) else {
            return;
        };
        item.audio_url = Some(hosted.file_url.clone());
        item.view.audio_url = Some(hosted.file_url.to_string());
        if let Some(file) = item.file.as_mut() {
            file.hosted = Some(hosted.clone());
            file.stop = None;
        }
        if let Some(view) = item.view.file.as_mut() {
            view.stage = FileStage::Hosted;
            view.reused = hosted.reused;
            view.file_url = Some(hosted.file_url.to_string());
        }
        let update = state.change([id], Vec::new());
        self.emit(state, update);
    }

    /// A file's check or transfer was stopped: nothing went to the Producer API.
    fn stopped(self: &Arc<Self>, id: u64) {
        let mut state = self.lock();
        state.end_running(id);
        if let Some(item) = state.items.get_mut(&id) {
            if let Some(file) = item.file.as_mut() {
                file.stop = None;
            }
            if let Some(view) = item.view.file.as_mut() {
                view.stage = FileStage::Ready;
                view.sent = 0;
            }
            item.view.progress = None;
            item.view.state = ItemState::Interrupted;
        }
        let update = state.change([id], Vec::new());
        self.emit(state, update);
        Shared::pump(self);
    }

    fn finish(
        self: &Arc<Self>,
        id: u64,
        record: Option<RecordId>,
        result: Result<Uploaded, ErrorReport>,
    ) {
        let mut state = self.lock();
        state.end_running(id);
        state.pace.finish(Instant::now());
        // A running item is never cleared, so it is there.
        if let Some(item) = state.items.get_mut(&id) {
            item.view.progress = None;
            item.record = record.or(item.record);
            if let Some(file) = item.file.as_mut() {
                file.stop = None;
            }
            match result {
                Ok(uploaded) => {
                    item.view.state = ItemState::Done;
                    item.view.uploaded = Some(uploaded);
                    // The service fetched the file: a fear that it could not be reached did not
                    // matter; a web page taken as audio stays worth a look.
                    if !item.check_is_content {
                        item.view.check = None;
                    }
                    // Hosted and uploaded: the copy received from the window is not needed,
                    // unless an earlier link was reused: it is kept, with the row, so that the
                    // file can be put on the file host again ("Upload the file again").
                    if let Some(file) = item.file.as_mut() {
                        if !file.hosted.as_ref().is_some_and(|hosted| hosted.reused) {
                            file.incoming = None;
                        }
                    }
                }
                Err(mut report) => {
                    item.view.state = ItemState::Failed;
                    // A copy kept for a failure no retry can fix only takes room: it goes.
                    let kept_copy = item
                        .file
                        .as_ref()
                        .is_some_and(|file| file.incoming.is_some());
                    if kept_copy && retry_cannot_fix(&report.code) {
                        item.drop_incoming();
                        report = report.with_more("file-copy-removed");
                    }
                    item.view.error = Some(report);
                    if let (Some(view), Some(file)) = (item.view.file.as_mut(), item.file.as_ref())
                    {
                        if file.hosted.is_none() {
                            view.stage = FileStage::Ready;
                        }
                    }
                }
            }
        }
        let update = state.change([id], Vec::new());
        self.emit(state, update);
        Shared::pump(self);
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

/// An item the pump started, with what it needs to run.
struct Start {
    uploader: Uploader,
    id: u64,
    token: ApiToken,
    given: String,
    retry_of: Option<RecordId>,
    work: Work,
}

/// What a started item has to do.
enum Work {
    /// Upload a link (a file's hosted link, on a retry, with what hosting it gave).
    Upload {
        audio_url: Url,
        file: Option<Hosted>,
    },
    /// Check and host a file, then upload its link.
    HostThenUpload {
        path: PathBuf,
        file_host: Option<FileHost>,
        platform_token: Option<PlatformToken>,
        stop: CancellationToken,
        /// Whether an earlier hosted link of the same file may be reused.
        reuse: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Client, ClientConfig};
    use crate::history::{Query, State};
    use crate::retry::RetryPolicy;
    use crate::sim::{SimConfig, Simulator};
    use std::time::Duration;
    use tokio::sync::mpsc;

    struct Fixture {
        sim: Simulator,
        queue: Queue,
        /// The queue's uploader (clones share its client, limit and pace).
        uploader: Uploader,
        updates: mpsc::UnboundedReceiver<QueueUpdate>,
        /// Every update received so far, in order.
        seen: Vec<QueueUpdate>,
        history: Arc<History>,
        _dir: tempfile::TempDir,
    }

    async fn fixture(latency: Duration, concurrency: usize) -> Fixture {
        fixture_retrying(latency, concurrency, RetryPolicy::never()).await
    }

    async fn fixture_retrying(
        latency: Duration,
        concurrency: usize,
        retry: RetryPolicy,
    ) -> Fixture {
        let sim = SimConfig {
            latency,
            ..SimConfig::default()
        };
        fixture_on(sim, concurrency, retry).await
    }

    async fn fixture_on(sim: SimConfig, concurrency: usize, retry: RetryPolicy) -> Fixture {
        let sim = Simulator::start(sim).await.unwrap();
        let mut config = ClientConfig::new(&sim.base_url()).unwrap();
        config.retry = retry;
        let uploader = Uploader::new(Client::new(config), concurrency);
        let dir = tempfile::tempdir().unwrap();
        let history = Arc::new(History::open(dir.path()).unwrap());
        let (sender, updates) = mpsc::unbounded_channel();
        let queue = Queue::new(
            uploader.clone(),
            Some(history.clone()),
            Arc::new(move |update| {
                let _ = sender.send(update);
            }),
        );
        Fixture {
            sim,
            queue,
            uploader,
            updates,
            seen: Vec::new(),
            history,
            _dir: dir,
        }
    }

    fn links(count: usize, fault: impl Fn(usize) -> &'static str) -> Vec<QueueLink> {
        (0..count)
            .map(|index| {
                let given = format!("https://x.example/{index}.wav{}", fault(index));
                QueueLink {
                    audio_url: Url::parse(&given).unwrap(),
                    given,
                    retry_of: None,
                    notes: Vec::new(),
                }
            })
            .collect()
    }

    fn token() -> ApiToken {
        ApiToken::parse("sim-token").unwrap()
    }

    impl Fixture {
        /// Waits for the first update whose summary satisfies `done`, and returns it.
        async fn until(&mut self, done: impl Fn(&Summary) -> bool) -> Summary {
            tokio::time::timeout(Duration::from_secs(20), async {
                loop {
                    let update = self.updates.recv().await.expect("the queue lives");
                    let summary = update.summary;
                    self.seen.push(update);
                    if done(&summary) {
                        return summary;
                    }
                }
            })
            .await
            .expect("the queue gets there in time")
        }

        fn history_count(&self, state: State) -> u64 {
            self.history
                .count(&Query {
                    states: vec![state],
                    ..Query::default()
                })
                .unwrap()
        }
    }

    #[tokio::test]
    async fn uploads_every_link_and_counts_them() {
        let mut fx = fixture(Duration::from_millis(20), 4).await;
        let ids = fx.queue.add(token(), links(30, |_| ""));
        assert_eq!(ids.len(), 30);
        let summary = fx.until(|summary| summary.done == 30).await;
        assert_eq!(
            summary,
            Summary {
                total: 30,
                done: 30,
                eta_seconds: Some(0),
                ..Summary::default()
            }
        );
        assert_eq!(fx.sim.issued().len(), 30);
        assert_eq!(fx.history_count(State::Done), 30);
        let snapshot = fx.queue.snapshot();
        assert!(snapshot.items.iter().all(|item| item.uploaded.is_some()));
    }

    #[tokio::test]
    async fn a_link_waiting_out_its_retry_after_does_not_keep_the_next_from_starting() {
        // One at a time: the first link is refused once for the rate and waits its second.
        let mut fx = fixture_retrying(Duration::ZERO, 1, RetryPolicy::default()).await;
        let ids = fx.queue.add(
            token(),
            links(3, |index| {
                if index == 0 {
                    "?sim_fault=rate429&sim_times=1"
                } else {
                    ""
                }
            }),
        );
        fx.until(|summary| summary.done == 3).await;
        let mut first_waits = false;
        let started_meanwhile = fx.seen.iter().any(|update| {
            if let Some(first) = update.items.iter().find(|item| item.id == ids[0]) {
                first_waits = matches!(
                    first.progress,
                    Some(Progress::Waiting {
                        rate_limited: true,
                        ..
                    })
                );
            }
            first_waits && update.summary.uploading == 2
        });
        assert!(
            started_meanwhile,
            "the second link starts while the first waits"
        );
        assert_eq!(fx.sim.issued().len(), 3);
        assert!(fx
            .queue
            .snapshot()
            .items
            .iter()
            .all(|item| item.uploaded.is_some()));
    }

    #[tokio::test]
    async fn never_runs_more_than_the_concurrency_limit_and_estimates_the_rest() {
        let mut fx = fixture(Duration::from_millis(50), 3).await;
        fx.queue.add(token(), links(20, |_| ""));
        let mut saw_eta = false;
        loop {
            let update = fx.updates.recv().await.unwrap();
            assert!(update.summary.uploading <= 3, "{:?}", update.summary);
            if update.summary.done >= 5 && !update.summary.is_idle() {
                saw_eta |= update.summary.eta_seconds.is_some();
            }
            if update.summary.done == 20 {
                break;
            }
        }
        assert!(saw_eta, "a time estimate appears once uploads finish");
    }

    #[tokio::test]
    async fn new_settings_during_a_batch_keep_the_pace_and_one_limit_binds_every_upload() {
        // Uploads that overlap (200 ms each) under a rate limit the pace has to learn.
        let sim = SimConfig {
            latency: Duration::from_millis(200),
            rate_limit: Some(crate::sim::RateLimit {
                per_second: 5.0,
                burst: 1,
            }),
            ..SimConfig::default()
        };
        let mut fx = fixture_on(sim, 3, RetryPolicy::default()).await;
        fx.queue.add(token(), links(24, |_| ""));
        fx.until(|summary| summary.done >= 4).await;
        let learned = fx
            .uploader
            .pace()
            .expect("the pace learned the service's rate");
        let config = fx.uploader.client().config().clone();
        // Save with nothing changed: before, a second uploader ran three more beside the first.
        fx.queue.reconfigure(Client::new(config.clone()), 3);
        assert_eq!(fx.uploader.pace(), Some(learned), "the pace lives on");
        fx.until(|summary| summary.done >= 12).await;
        assert!(fx.sim.most_at_once() <= 3, "never more than 3 at once");
        // A smaller limit binds once the uploads holding a slot at the Save are through (each
        // waits its turn at the pace, about 0.2 s a turn, then 0.2 s for its answer).
        fx.queue.reconfigure(Client::new(config), 1);
        tokio::time::sleep(Duration::from_millis(1500)).await;
        fx.sim.most_at_once();
        // One at a time at the pace, the 12 or so left take longer than that.
        assert!(fx.queue.summary().done < 24, "links are left to send");
        fx.until(|summary| summary.done == 24).await;
        assert_eq!(fx.sim.most_at_once(), 1, "one at a time after the Save");
        assert_eq!(fx.sim.issued().len(), 24);
        assert!(fx.uploader.pace().is_some());
    }

    #[tokio::test]
    async fn links_are_recorded_queued_when_queued_and_sent_under_the_same_record() {
        let mut fx = fixture(Duration::ZERO, 2).await;
        fx.queue.pause();
        fx.queue.add(token(), links(3, |_| ""));
        assert_eq!(fx.history_count(State::Queued), 3);
        fx.queue.resume();
        fx.until(|summary| summary.done == 3).await;
        assert_eq!(fx.history_count(State::Done), 3);
        assert_eq!(fx.history.count(&Query::default()).unwrap(), 3);
    }

    #[tokio::test]
    async fn pause_lets_running_uploads_finish_and_starts_no_new_one_until_resumed() {
        let mut fx = fixture(Duration::from_millis(200), 2).await;
        fx.queue.add(token(), links(10, |_| ""));
        fx.until(|summary| summary.uploading == 2).await;
        fx.queue.pause();
        // The two running uploads finish and are recorded; nothing else starts.
        let paused = fx
            .until(|summary| summary.paused && summary.uploading == 0)
            .await;
        assert_eq!(paused.done, 2);
        assert_eq!(paused.waiting, 8);
        assert_eq!(paused.eta_seconds, None);
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(fx.queue.summary().done, 2);
        assert_eq!(fx.sim.issued().len(), 2);
        assert_eq!(fx.history_count(State::Done), 2);

        fx.queue.resume();
        let summary = fx.until(|summary| summary.done == 10).await;
        assert!(!summary.paused && summary.is_idle());
        assert_eq!(fx.sim.issued().len(), 10);
    }

    #[tokio::test]
    async fn cancel_interrupts_the_waiting_links_and_records_the_running_ones() {
        let mut fx = fixture(Duration::from_millis(200), 2).await;
        fx.queue.add(token(), links(10, |_| ""));
        fx.until(|summary| summary.uploading == 2).await;
        assert_eq!(fx.queue.cancel().await, 8);
        // Stopped links are in the history as interrupted as soon as cancel returns.
        assert_eq!(fx.history_count(State::Interrupted), 8);
        let summary = fx.until(|summary| summary.is_idle()).await;
        assert_eq!((summary.done, summary.stopped), (2, 8));
        assert_eq!(fx.history_count(State::Done), 2);
        assert_eq!(fx.history_count(State::Pending), 0);
        assert_eq!(fx.sim.issued().len(), 2);
    }

    #[tokio::test]
    async fn retry_all_failed_sends_the_failed_links_again() {
        let mut fx = fixture(Duration::ZERO, 4).await;
        // Links 0 and 3 fail once (a server error, not retried here), then work.
        fx.queue.add(
            token(),
            links(6, |index| match index {
                0 | 3 => "?sim_fault=error500&sim_times=1",
                _ => "",
            }),
        );
        let summary = fx.until(|summary| summary.is_idle()).await;
        assert_eq!((summary.done, summary.failed), (4, 2));
        let failed = fx.queue.snapshot();
        let failed: Vec<_> = failed
            .items
            .iter()
            .filter(|item| item.state == ItemState::Failed)
            .collect();
        assert_eq!(failed[0].error.as_ref().unwrap().code.as_str(), "api_error");
        assert_eq!(fx.history_count(State::Failed), 2);

        // Paused, the retried links wait; stopped, they are failed again with their reason.
        fx.queue.pause();
        assert_eq!(fx.queue.retry_failed(None), 2);
        assert_eq!(fx.queue.cancel().await, 2);
        let snapshot = fx.queue.snapshot();
        let failed: Vec<_> = snapshot
            .items
            .iter()
            .filter(|item| item.state == ItemState::Failed)
            .collect();
        assert_eq!(failed.len(), 2);
        assert!(failed.iter().all(|item| item.error.is_some()));
        assert_eq!(fx.history_count(State::Failed), 2);
        fx.queue.resume();

        assert_eq!(fx.queue.retry_failed(None), 2);
        let summary = fx.until(|summary| summary.done == 6).await;
        assert_eq!(summary.failed, 0);
        // The retried uploads settle the same history records: six in all, all done.
        assert_eq!(fx.history_count(State::Done), 6);
        assert_eq!(fx.history.count(&Query::default()).unwrap(), 6);
        assert_eq!(fx.queue.retry_failed(None), 0);
    }

    #[tokio::test]
    async fn a_history_record_can_be_retried_through_the_queue() {
        let mut fx = fixture(Duration::ZERO, 2).await;
        let link = links(1, |_| "?sim_fault=error500&sim_times=1").remove(0);
        fx.queue.add(token(), vec![link.clone()]);
        fx.until(|summary| summary.failed == 1).await;
        let record = fx.history.search(&Query::default()).unwrap().remove(0);
        assert_eq!(record.state, State::Failed);
        fx.queue.add(
            token(),
            vec![QueueLink {
                retry_of: Some(record.id),
                ..link
            }],
        );
        fx.until(|summary| summary.done == 1).await;
        let records = fx.history.search(&Query::default()).unwrap();
        assert_eq!(records.len(), 1, "{records:#?}");
        assert_eq!(records[0].state, State::Done);
        assert_eq!(records[0].attempts, 2);
    }

    #[tokio::test]
    async fn stopped_links_can_be_retried_later() {
        let mut fx = fixture(Duration::from_millis(100), 1).await;
        fx.queue.add(token(), links(4, |_| ""));
        fx.until(|summary| summary.uploading == 1).await;
        fx.queue.cancel().await;
        fx.until(|summary| summary.is_idle()).await;
        assert_eq!(fx.queue.retry(&[1, 9], Some(token())), 1);
        fx.until(|summary| summary.done == 2).await;
        assert_eq!(fx.queue.retry_failed(Some(token())), 2);
        let summary = fx.until(|summary| summary.done == 4).await;
        assert_eq!(summary.stopped, 0);
        assert_eq!(fx.history_count(State::Done), 4);
        assert_eq!(fx.history.count(&Query::default()).unwrap(), 4);
    }

    /// The list as a display that applies each item only when its revision is newer, and the
    /// summary only when its sequence is, holds it after `updates`.
    #[derive(Debug, Default, PartialEq)]
    struct Display {
        items: BTreeMap<u64, ItemView>,
        removed: std::collections::BTreeSet<u64>,
        sequence: u64,
        summary: Summary,
    }

    impl Display {
        fn apply(&mut self, update: &QueueUpdate) {
            for item in &update.items {
                if self.removed.contains(&item.id) {
                    continue;
                }
                let newer = self
                    .items
                    .get(&item.id)
                    .is_none_or(|have| item.revision > have.revision);
                if newer {
                    self.items.insert(item.id, item.clone());
                }
            }
            for id in &update.removed {
                self.items.remove(id);
                self.removed.insert(*id);
            }
            if update.sequence > self.sequence {
                self.sequence = update.sequence;
                self.summary = update.summary;
            }
        }

        fn of(snapshot: &QueueUpdate) -> Self {
            let mut display = Display::default();
            display.apply(snapshot);
            display.removed.clear();
            display
        }
    }

    /// Every update sent so far.
    fn drain(updates: &mut mpsc::UnboundedReceiver<QueueUpdate>) -> Vec<QueueUpdate> {
        let mut all = Vec::new();
        while let Ok(update) = updates.try_recv() {
            all.push(update);
        }
        all
    }

    /// Checks the stream's order: sequences rise by one, and an item's revision is the
    /// sequence of the update that carries it.
    fn assert_in_order(all: &[QueueUpdate], after: u64) {
        let mut expected = after;
        for update in all {
            expected += 1;
            assert_eq!(
                update.sequence, expected,
                "updates arrive in order, none lost"
            );
            for item in &update.items {
                assert_eq!(item.revision, update.sequence);
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn many_fast_uploads_end_exactly_as_the_service_answered() {
        let mut fx = fixture(Duration::ZERO, 16).await;
        let fails = |index: usize| index % 7 == 3;
        let mut expected = 0;
        for round in 0..3 {
            let given = links(120, |index| {
                if fails(index) {
                    "?sim_fault=error500"
                } else {
                    ""
                }
            })
            .into_iter()
            .map(|link| {
                let given = format!("{}#{round}", link.given);
                QueueLink {
                    audio_url: Url::parse(&given).unwrap(),
                    given,
                    ..link
                }
            })
            .collect();
            let ids = fx.queue.add(token(), given);
            expected += ids.len();
            fx.until(|summary| summary.is_idle() && summary.total == expected)
                .await;
        }
        fx.seen.extend(drain(&mut fx.updates));
        assert_in_order(&fx.seen, 0);
        let snapshot = fx.queue.snapshot();
        let mut display = Display::default();
        fx.seen.iter().for_each(|update| display.apply(update));
        assert_eq!(display, Display::of(&snapshot));
        let issued: std::collections::HashMap<String, String> = fx
            .sim
            .issued()
            .into_iter()
            .map(|issued| (issued.audio_url, issued.audio_id))
            .collect();
        assert_eq!(snapshot.items.len(), 360);
        for item in &snapshot.items {
            let url = item.audio_url.clone().unwrap();
            if url.contains("sim_fault") {
                assert_eq!(item.state, ItemState::Failed, "{item:?}");
                assert_eq!(item.error.as_ref().unwrap().code.as_str(), "api_error");
            } else {
                assert_eq!(item.state, ItemState::Done, "{item:?}");
                assert_eq!(
                    Some(&item.uploaded.as_ref().unwrap().audio_id),
                    issued.get(&url),
                    "{item:?}"
                );
            }
        }
        let failed = snapshot
            .items
            .iter()
            .filter(|item| item.state == ItemState::Failed)
            .count();
        assert_eq!(snapshot.summary.failed, failed);
        assert_eq!(snapshot.summary.done, 360 - failed);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn every_update_arrives_in_order_and_the_newest_is_the_queue_as_it_stands() {
        let fx = fixture(Duration::ZERO, 16).await;
        let Fixture {
            queue, mut updates, ..
        } = fx;
        let mut all = Vec::new();
        queue.add(
            token(),
            links(200, |index| {
                if index % 5 == 0 {
                    "?sim_fault=error500"
                } else {
                    ""
                }
            }),
        );
        tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let update = updates.recv().await.unwrap();
                let idle = update.summary.is_idle();
                all.push(update);
                if idle {
                    break;
                }
            }
        })
        .await
        .unwrap();
        assert_in_order(&all, 0);
        // Applied in order, and shuffled with duplicates, the display ends on the queue's state.
        let snapshot = queue.snapshot();
        let mut display = Display::default();
        all.iter().for_each(|update| display.apply(update));
        assert_eq!(display, Display::of(&snapshot));
        let mut shuffled: Vec<&QueueUpdate> = all.iter().chain(all.iter().step_by(3)).collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for index in (1..shuffled.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            shuffled.swap(index, (seed % (index as u64 + 1)) as usize);
        }
        let mut display = Display::default();
        shuffled.iter().for_each(|update| display.apply(update));
        assert_eq!(display, Display::of(&snapshot));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cancel_sends_the_state_as_it_stands_not_one_read_before_waiting() {
        let mut fx = fixture(Duration::from_millis(100), 2).await;
        fx.queue.add(token(), links(12, |_| ""));
        fx.until(|summary| summary.uploading == 2).await;
        assert_eq!(fx.queue.cancel().await, 10);
        fx.until(|summary| summary.is_idle()).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        fx.seen.extend(drain(&mut fx.updates));
        assert_in_order(&fx.seen, 0);
        let snapshot = fx.queue.snapshot();
        assert_eq!(snapshot.summary.stopped, 10);
        let mut display = Display::default();
        fx.seen.iter().for_each(|update| display.apply(update));
        assert_eq!(display, Display::of(&snapshot));
        // The last word on each stopped link is "interrupted", never an older "waiting".
        let mut last_word = BTreeMap::new();
        for update in &fx.seen {
            for item in &update.items {
                last_word.insert(item.id, item.state);
            }
        }
        for item in &snapshot.items {
            assert_eq!(last_word.get(&item.id), Some(&item.state), "{item:?}");
        }
    }

    #[tokio::test]
    async fn clear_takes_out_finished_items_and_the_counts_speak_only_of_what_is_left() {
        let mut fx = fixture(Duration::ZERO, 4).await;
        fx.queue.add(
            token(),
            links(
                6,
                |index| {
                    if index < 2 {
                        "?sim_fault=error500"
                    } else {
                        ""
                    }
                },
            ),
        );
        fx.queue.add_unsent(vec![Unsent {
            given: "not a link".into(),
            audio_url: None,
            error: ErrorReport::from_code(crate::error::ErrorCode::InvalidUrl),
            notes: Vec::new(),
            held: false,
        }]);
        let summary = fx
            .until(|summary| summary.is_idle() && summary.done == 4)
            .await;
        assert_eq!((summary.total, summary.failed, summary.refused), (7, 2, 1));
        fx.queue.pause();
        let running = fx.queue.add(token(), links(2, |_| ""));
        assert_eq!(fx.queue.clear(), 7);
        drain(&mut fx.updates);
        let snapshot = fx.queue.snapshot();
        assert_eq!(
            snapshot
                .items
                .iter()
                .map(|item| item.id)
                .collect::<Vec<_>>(),
            running
        );
        assert_eq!(
            (snapshot.summary.total, snapshot.summary.waiting),
            (2, 2),
            "{:?}",
            snapshot.summary
        );
        // The failed links cleared are not sent again.
        assert_eq!(fx.queue.retry_failed(Some(token())), 0);
        fx.queue.resume();
        let summary = fx.until(|summary| summary.done == 2).await;
        assert_eq!(summary.total, 2);
        assert_eq!(fx.sim.issued().len(), 6);
        // Ids are never reused.
        let next = fx.queue.add(token(), links(1, |_| ""));
        assert_eq!(next, vec![running[1] + 1]);
    }

    #[tokio::test]
    async fn undo_puts_cleared_rows_back_as_they_were() {
        let mut fx = fixture(Duration::ZERO, 4).await;
        fx.queue.add(
            token(),
            links(3, |index| {
                if index == 0 {
                    "?sim_fault=error500"
                } else {
                    ""
                }
            }),
        );
        fx.until(|summary| summary.is_idle() && summary.done == 2)
            .await;
        let before = fx.queue.snapshot().items;
        assert_eq!(fx.queue.clear(), 3);
        assert_eq!(fx.queue.summary().total, 0);
        drain(&mut fx.updates);

        assert_eq!(fx.queue.undo_clear(), 3);
        let update = fx.updates.recv().await.unwrap();
        assert_eq!(
            update.items.len(),
            3,
            "the window is told of every row put back"
        );
        let after = fx.queue.snapshot();
        assert_eq!((after.summary.done, after.summary.failed), (2, 1));
        let view = |items: &[ItemView]| {
            items
                .iter()
                .map(|item| {
                    (
                        item.given.clone(),
                        item.state,
                        item.uploaded.as_ref().map(|up| up.audio_id.clone()),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(view(&after.items), view(&before), "same rows, same order");
        let old_ids: Vec<u64> = before.iter().map(|item| item.id).collect();
        assert!(
            after.items.iter().all(|item| !old_ids.contains(&item.id)),
            "new ids: a removed id is never seen again"
        );
        // The failed one can still be retried; a second Undo puts nothing back.
        assert_eq!(fx.queue.undo_clear(), 0);
        assert_eq!(fx.queue.retry_failed(Some(token())), 1);
        // Removing one row is not undone by Undo.
        fx.until(|summary| summary.is_idle()).await;
        let one = fx.queue.snapshot().items[0].id;
        assert_eq!(fx.queue.remove(&[one]), 1);
        assert_eq!(fx.queue.undo_clear(), 0);
    }

    #[tokio::test]
    async fn one_finished_row_can_be_removed_and_running_ones_stay() {
        let mut fx = fixture(Duration::ZERO, 2).await;
        let done = fx.queue.add(token(), links(3, |_| ""));
        fx.until(|summary| summary.done == 3).await;
        fx.queue.pause();
        let waiting = fx.queue.add(token(), links(1, |_| ""));
        drain(&mut fx.updates);
        assert_eq!(fx.queue.remove(&[done[1], waiting[0], 999]), 1);
        let removal = fx.updates.recv().await.unwrap();
        assert_eq!(removal.removed, vec![done[1]]);
        let left: Vec<u64> = fx
            .queue
            .snapshot()
            .items
            .iter()
            .map(|item| item.id)
            .collect();
        assert_eq!(left, vec![done[0], done[2], waiting[0]]);
        assert_eq!(fx.queue.summary().total, 3);
    }

    #[tokio::test]
    async fn a_removal_is_an_update_of_its_own_and_stale_item_updates_cannot_bring_items_back() {
        let mut fx = fixture(Duration::ZERO, 2).await;
        fx.queue.add(token(), links(3, |_| ""));
        fx.until(|summary| summary.done == 3).await;
        let before = fx.queue.snapshot();
        drain(&mut fx.updates);
        fx.queue.clear();
        let removal = fx.updates.recv().await.unwrap();
        assert_eq!(removal.removed, vec![0, 1, 2]);
        assert_eq!(removal.sequence, before.sequence + 1);
        assert_eq!(removal.summary.total, 0);
        // Applied after the removal, the older snapshot changes nothing.
        let mut display = Display::default();
        display.apply(&removal);
        display.apply(&before);
        assert!(display.items.is_empty());
        assert_eq!(display.summary.total, 0);
    }

    #[tokio::test]
    async fn unsent_links_are_listed_and_those_with_an_address_can_be_retried() {
        let mut fx = fixture(Duration::ZERO, 2).await;
        let link = links(1, |_| "").remove(0);
        let ids = fx.queue.add_unsent(vec![
            Unsent {
                given: link.given.clone(),
                audio_url: Some(link.audio_url.clone()),
                error: ErrorReport::from_code(crate::error::ErrorCode::TokenMissing),
                notes: vec![Note {
                    kind: NoteKind::Info,
                    text: "changed".into(),
                }],
                held: false,
            },
            Unsent {
                given: "song.wav".into(),
                audio_url: None,
                error: ErrorReport::from_code(crate::error::ErrorCode::LocalFile),
                notes: Vec::new(),
                held: false,
            },
        ]);
        let update = fx.updates.recv().await.unwrap();
        assert_eq!(update.items[0].state, ItemState::Failed);
        assert_eq!(update.items[0].notes[0].text, "changed");
        assert_eq!(update.items[1].state, ItemState::Rejected);
        assert_eq!((update.summary.failed, update.summary.refused), (1, 1));
        assert_eq!(fx.sim.issued().len(), 0);
        // Only the one with an address goes.
        assert_eq!(fx.queue.retry(&ids, Some(token())), 1);
        let summary = fx.until(|summary| summary.done == 1).await;
        assert_eq!(summary.refused, 1);
        assert_eq!(fx.history_count(State::Done), 1);
    }

    #[tokio::test]
    async fn a_held_link_is_counted_apart_and_only_its_own_upload_anyway_sends_it() {
        let mut fx = fixture(Duration::ZERO, 2).await;
        let mut given = links(3, |_| "");
        let page = given.remove(0);
        let failed = given.remove(0);
        let unsent = |link: QueueLink, code, held| Unsent {
            given: link.given,
            audio_url: Some(link.audio_url),
            error: ErrorReport::from_code(code),
            notes: Vec::new(),
            held,
        };
        let ids = fx.queue.add_unsent(vec![
            unsent(page, crate::error::ErrorCode::NotAudioFile, true),
            unsent(failed, crate::error::ErrorCode::TokenMissing, false),
        ]);
        let update = fx.updates.recv().await.unwrap();
        assert_eq!(update.items[0].state, ItemState::Held);
        assert!(update.items[0].can_retry, "it offers Upload anyway");
        assert_eq!((update.summary.held, update.summary.failed), (1, 1));
        // Retry all failed sends the failed link, never the held one.
        assert_eq!(fx.queue.retry_failed(Some(token())), 1);
        let summary = fx.until(|summary| summary.done == 1).await;
        assert_eq!(summary.held, 1);
        assert_eq!(fx.queue.retry_failed(Some(token())), 0);
        assert_eq!(fx.sim.issued().len(), 1);
        // Upload anyway, then Cancel before it is sent: held again, nothing recorded.
        fx.queue.pause();
        assert_eq!(fx.queue.retry(&ids[..1], Some(token())), 1);
        assert_eq!(fx.queue.cancel().await, 1);
        assert_eq!(fx.queue.summary().held, 1);
        fx.queue.resume();
        // Upload anyway sends it.
        assert_eq!(fx.queue.retry(&ids[..1], Some(token())), 1);
        let summary = fx.until(|summary| summary.done == 2).await;
        assert_eq!((summary.held, summary.failed, summary.stopped), (0, 0, 0));
        assert_eq!(fx.sim.issued().len(), 2);
        assert_eq!(fx.history_count(State::Done), 2);
        assert_eq!(fx.history_count(State::Interrupted), 0);
    }

    /// Asserts the counts of `update` are the rows it lists, state by state.
    fn assert_counts_are_the_rows(update: &QueueUpdate) {
        let count = |state: ItemState| {
            update
                .items
                .iter()
                .filter(|item| item.state == state)
                .count()
        };
        let summary = update.summary;
        let rows = (
            update.items.len(),
            count(ItemState::Rejected),
            count(ItemState::Held),
            count(ItemState::Waiting),
            count(ItemState::Uploading),
            count(ItemState::Done),
            count(ItemState::Failed),
            count(ItemState::Interrupted),
        );
        let counts = (
            summary.total,
            summary.refused,
            summary.held,
            summary.waiting,
            summary.uploading,
            summary.done,
            summary.failed,
            summary.stopped,
        );
        assert_eq!(counts, rows, "{summary:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn random_sequences_of_events_keep_the_counts_equal_to_the_rows() {
        for seed in 1..=3u64 {
            let mut fx = fixture(Duration::from_millis(5), 3).await;
            // A small generator of its own: the same sequence on every run of a seed.
            let mut state = seed;
            let mut next = move |below: u64| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) % below
            };
            for _ in 0..60 {
                match next(10) {
                    0..=2 => {
                        let fault = |index: usize| {
                            if index.is_multiple_of(3) {
                                "?sim_fault=notjson"
                            } else {
                                ""
                            }
                        };
                        fx.queue.add(token(), links(1 + next(4) as usize, fault));
                    }
                    3 => {
                        let link = links(1, |_| "").remove(0);
                        fx.queue.add_unsent(vec![Unsent {
                            given: link.given.clone(),
                            audio_url: Some(link.audio_url),
                            error: ErrorReport::from_code(ErrorCode::NotAudioFile),
                            notes: Vec::new(),
                            held: next(2) == 0,
                        }]);
                    }
                    4 => fx.queue.pause(),
                    5 => fx.queue.resume(),
                    6 => {
                        fx.queue.cancel().await;
                    }
                    7 => {
                        fx.queue.retry_failed(Some(token()));
                    }
                    8 => {
                        let ids: Vec<u64> = (0..3).map(|_| next(40)).collect();
                        fx.queue.retry(&ids, Some(token()));
                    }
                    _ => {
                        let ids: Vec<u64> = (0..3).map(|_| next(40)).collect();
                        fx.queue.remove(&ids);
                    }
                }
                assert_counts_are_the_rows(&fx.queue.snapshot());
                if next(4) == 0 {
                    tokio::time::sleep(Duration::from_millis(next(20))).await;
                }
            }
            // What came so far is kept; the batch is then waited for from the resume on.
            fx.seen.extend(drain(&mut fx.updates));
            fx.queue.resume();
            fx.until(|summary| summary.is_idle()).await;
            let snapshot = fx.queue.snapshot();
            assert_counts_are_the_rows(&snapshot);
            fx.seen.extend(drain(&mut fx.updates));
            let mut display = Display::default();
            for update in &fx.seen {
                display.apply(update);
            }
            assert_eq!(display.items, Display::of(&snapshot).items, "seed {seed}");
            assert_eq!(display.summary, snapshot.summary, "seed {seed}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn updates_merged_into_one_end_where_the_stream_ends() {
        let mut fx = fixture(Duration::ZERO, 8).await;
        fx.queue.add(
            token(),
            links(60, |index| {
                if index % 4 == 0 {
                    "?sim_fault=error500"
                } else {
                    ""
                }
            }),
        );
        fx.until(|summary| summary.is_idle()).await;
        fx.queue.clear();
        fx.queue.add(token(), links(5, |_| ""));
        fx.until(|summary| summary.is_idle() && summary.total == 5)
            .await;
        fx.seen.extend(drain(&mut fx.updates));
        let mut merged = fx.seen[0].clone();
        for update in fx.seen[1..].iter().cloned() {
            merged.merge(update);
        }
        let mut display = Display::default();
        display.apply(&merged);
        assert_eq!(display.items, Display::of(&fx.queue.snapshot()).items);
        assert_eq!(merged.summary, fx.queue.snapshot().summary);
        assert_eq!(merged.removed.len(), 60);
    }

    #[tokio::test]
    async fn the_link_check_warns_on_its_row_until_the_service_has_the_file() {
        let mut fx = fixture(Duration::ZERO, 4).await;
        let base = fx.sim.base_url();
        let link = |path: &str| {
            let given = format!("{base}{path}");
            QueueLink {
                audio_url: Url::parse(&given).unwrap(),
                given,
                retry_of: None,
                notes: Vec::new(),
            }
        };
        let ids = fx.queue.add(
            token(),
            vec![
                // A web page that the service takes after a while (as a real one may not).
                link("/pages/scan?sim_fault=slow&sim_delay_ms=3000"),
                // A web page the service refuses.
                link("/pages/scan?sim_fault=error500"),
                // An audio file.
                link("/files/take.wav"),
            ],
        );
        let http = crate::preflight::http_client();
        fx.queue
            .check_links(&http, ids.clone(), Duration::from_secs(5), true)
            .await;
        let checks = |fx: &Fixture| -> Vec<(ItemState, Option<String>)> {
            let items = fx.queue.snapshot().items;
            ids.iter()
                .map(|id| {
                    let item = items.iter().find(|item| item.id == *id).unwrap();
                    (item.state, item.check.clone())
                })
                .collect()
        };
        let now = checks(&fx);
        assert_eq!(now[0].0, ItemState::Uploading, "{now:?}");
        assert!(
            now[0]
                .1
                .as_deref()
                .is_some_and(|text| text.contains("not the file")),
            "{now:?}"
        );
        assert!(now[1].1.is_some(), "{now:?}");
        assert_eq!(
            now[2].1, None,
            "an audio file is not worth a warning: {now:?}"
        );

        fx.until(|summary| summary.is_idle()).await;
        let settled = checks(&fx);
        assert_eq!(
            settled[0],
            (ItemState::Done, now[0].1.clone()),
            "the service took a web page: it stays worth a look: {settled:?}"
        );
        assert_eq!(settled[1].0, ItemState::Failed);
        assert_eq!(settled[1].1, now[1].1, "a failed row keeps its warning");
        // History says it too, of the web page the service took.
        let done = self::history_done(&fx);
        assert_eq!(done.len(), 2, "{done:?}");
        let page = done
            .iter()
            .find(|record| record.given_url.contains("/pages/"))
            .unwrap();
        assert_eq!(page.warning, now[0].1);
        assert!(
            done.iter().any(|record| record.warning.is_none()),
            "{done:?}"
        );
        // The window is told: the last change of each row says what the snapshot says.
        let last_seen = |id: u64| {
            fx.seen
                .iter()
                .rev()
                .find_map(|update| update.items.iter().find(|item| item.id == id))
                .map(|item| item.check.clone())
        };
        assert_eq!(last_seen(ids[0]), Some(now[0].1.clone()));
        assert_eq!(last_seen(ids[1]), Some(settled[1].1.clone()));

        // A link already uploaded is not checked again, and nothing is said of it.
        let requests = fx.sim.file_requests().len();
        fx.queue
            .check_links(&http, vec![ids[0]], Duration::from_secs(5), true)
            .await;
        assert_eq!(fx.sim.file_requests().len(), requests);
        assert_eq!(checks(&fx)[0], settled[0]);
    }

    /// The done records of the fixture's history.
    fn history_done(fx: &Fixture) -> Vec<crate::history::Record> {
        fx.history
            .search(&Query {
                states: vec![State::Done],
                ..Query::default()
            })
            .unwrap()
    }

    #[tokio::test]
    async fn a_web_page_the_check_finds_before_it_is_sent_is_held() {
        // One at a time: the slow first upload keeps the page waiting until the check answers.
        let mut fx = fixture(Duration::ZERO, 1).await;
        let base = fx.sim.base_url();
        let ids = fx.queue.add(
            token(),
            [
                "/files/a.wav?sim_fault=slow&sim_delay_ms=1500",
                "/pages/scan",
            ]
            .iter()
            .map(|path| {
                let given = format!("{base}{path}");
                QueueLink {
                    audio_url: Url::parse(&given).unwrap(),
                    given,
                    retry_of: None,
                    notes: Vec::new(),
                }
            })
            .collect(),
        );
        let http = crate::preflight::http_client();
        fx.queue
            .check_links(&http, vec![ids[1]], Duration::from_secs(5), true)
            .await;
        let summary = fx.until(|summary| summary.is_idle()).await;
        assert_eq!((summary.done, summary.held), (1, 1));
        let page = fx.queue.snapshot().items.remove(1);
        assert_eq!(page.state, ItemState::Held);
        assert_eq!(page.error.unwrap().code, ErrorCode::NotAudioFile);
        assert!(page.check.is_some() && page.can_retry);
        assert_eq!(fx.queue.retry_failed(Some(token())), 0);
        assert_eq!(fx.sim.requests().len(), 1, "the page was never sent");
        // Nor is it in the history (its queued record is gone), until it is sent.
        assert_eq!(fx.history.count(&Query::default()).unwrap(), 1);
        assert_eq!(fx.queue.retry(&ids[1..], Some(token())), 1);
        fx.until(|summary| summary.done == 2).await;
        assert_eq!(fx.history_count(State::Done), 2);
        assert_eq!(fx.history.count(&Query::default()).unwrap(), 2);
    }

    mod files {
        use super::*;
        use crate::filehost::{FileHost, FileHostConfig};
        use crate::sim::samples::{silent_mp3, tone_wav};

        const PLATFORM: &str = "platform-sim-token";

        async fn file_fixture(platform: Option<&str>) -> (Fixture, tempfile::TempDir) {
            let fx = fixture(Duration::ZERO, 4).await;
            let mut config = FileHostConfig::new(&fx.sim.base_url()).unwrap();
            config.retry = RetryPolicy::never();
            fx.queue.set_file_host(FileHost::new(config));
            fx.queue
                .set_platform_token(platform.map(|token| PlatformToken::parse(token).unwrap()));
            (fx, tempfile::tempdir().unwrap())
        }

        fn on_disk(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> QueueFile {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            QueueFile {
                name: name.into(),
                size: bytes.len() as u64,
                source: FileSource::Path(path),
            }
        }

        fn arriving(dir: &tempfile::TempDir, name: &str, size: usize) -> QueueFile {
            QueueFile {
                name: name.into(),
                size: size as u64,
                source: FileSource::Incoming(
                    Incoming::create(&dir.path().join("incoming"), name, size as u64).unwrap(),
                ),
            }
        }

        fn item(fx: &Fixture, id: u64) -> ItemView {
            let snapshot = fx.queue.snapshot();
            snapshot
                .items
                .into_iter()
                .find(|item| item.id == id)
                .unwrap()
        }

        impl Fixture {
            async fn until_item(&mut self, id: u64, done: impl Fn(&ItemView) -> bool) -> ItemView {
                tokio::time::timeout(Duration::from_secs(20), async {
                    loop {
                        let update = self.updates.recv().await.expect("the queue lives");
                        let found = update.items.iter().find(|item| item.id == id).cloned();
                        self.seen.push(update);
                        if let Some(item) = found.filter(|item| done(item)) {
                            return item;
                        }
                    }
                })
                .await
                .expect("the item gets there in time")
            }
        }

        #[tokio::test]
        async fn a_file_is_hosted_then_its_link_uploaded_and_recorded_with_it() {
            let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
            let wav = tone_wav(500, 0);
            let [id] = fx
                .queue
                .add_files(token(), vec![on_disk(&dir, "verse.wav", &wav)])[..]
            else {
                panic!("one id");
            };
            let done = fx
                .until_item(id, |item| item.state == ItemState::Done)
                .await;
            let file = done.file.clone().unwrap();
            assert_eq!(file.stage, FileStage::Hosted);
            assert!(!file.reused);
            assert_eq!(
                (file.size, file.received, file.sent),
                (wav.len() as u64, wav.len() as u64, wav.len() as u64)
            );
            let file_url = file.file_url.unwrap();
            assert_eq!(done.audio_url.as_deref(), Some(file_url.as_str()));
            assert_eq!(std::fs::read(&fx.sim.hosted_files()[0].path).unwrap(), wav);
            assert_eq!(fx.sim.issued()[0].audio_url, file_url);
            assert_eq!(done.uploaded.unwrap().audio_id, fx.sim.issued()[0].audio_id);
            // Hosting showed its progress before the upload went.
            let stages: Vec<FileStage> = fx
                .seen
                .iter()
                .flat_map(|update| &update.items)
                .filter_map(|item| item.file.as_ref().map(|file| file.stage))
                .collect();
            for stage in [
                FileStage::Ready,
                FileStage::Checking,
                FileStage::Hosting,
                FileStage::Hosted,
            ] {
                assert!(stages.contains(&stage), "{stage:?} in {stages:?}");
            }
            let records = fx.history.search(&Query::default()).unwrap();
            assert_eq!(records.len(), 1);
            assert_eq!(records[0].given_url, "verse.wav");
            assert_eq!(records[0].file.as_ref().unwrap().file_url, file_url);
        }

        #[tokio::test]
        async fn a_dropped_file_is_in_the_history_under_its_name_as_soon_as_it_is_taken() {
            let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
            let mp3 = silent_mp3(30);
            let [id] = fx
                .queue
                .add_files(token(), vec![arriving(&dir, "hook take 2.mp3", mp3.len())])[..]
            else {
                panic!("one id");
            };
            let records = fx.history.search(&Query::default()).unwrap();
            assert_eq!(records.len(), 1, "recorded before any byte arrived");
            assert_eq!(records[0].state, crate::history::State::Queued);
            assert_eq!(records[0].file_name, "hook take 2.mp3");
            let pieces: Vec<&[u8]> = mp3.chunks(1000).collect();
            for (index, piece) in pieces.iter().enumerate() {
                fx.queue.receive(id, (index * 1000) as u64, piece);
            }
            let done = fx
                .until_item(id, |item| item.state == ItemState::Done)
                .await;
            // The same record, settled with its hosted link and audio ID.
            let records = fx.history.search(&Query::default()).unwrap();
            assert_eq!(records.len(), 1, "{records:#?}");
            assert_eq!(records[0].state, crate::history::State::Done);
            assert_eq!(records[0].file_name, "hook take 2.mp3");
            assert_eq!(
                records[0].audio_id.as_deref(),
                Some(done.uploaded.unwrap().audio_id.as_str())
            );
            let file_url = done.file.unwrap().file_url.unwrap();
            assert_eq!(records[0].audio_url, file_url);
            assert_eq!(records[0].file.as_ref().unwrap().file_url, file_url);
        }

        #[tokio::test]
        async fn files_arrive_only_a_few_ahead_of_hosting() {
            let (fx, dir) = file_fixture(Some(PLATFORM)).await;
            // Paused: nothing is hosted, so whole copies pile up unless arrivals wait.
            fx.queue.pause();
            let wav = tone_wav(50, 0);
            let ids = fx.queue.add_files(
                token(),
                (0..4)
                    .map(|index| arriving(&dir, &format!("take-{index}.wav"), wav.len()))
                    .collect(),
            );
            for &id in &ids[..RECEIVE_AHEAD] {
                assert_eq!(fx.queue.may_receive(id), ReceiveTurn::Now);
                fx.queue.receive(id, 0, &wav);
                assert_eq!(item(&fx, id).file.unwrap().stage, FileStage::Ready);
            }
            assert_eq!(fx.queue.may_receive(ids[2]), ReceiveTurn::Later);
            assert_eq!(fx.queue.may_receive(ids[3]), ReceiveTurn::Later);
            // Once hosting takes them, the next may come.
            fx.queue.resume();
            tokio::time::timeout(Duration::from_secs(20), async {
                while fx.queue.may_receive(ids[2]) != ReceiveTurn::Now {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
            .await
            .expect("the third file's turn comes once hosting starts");
            // A stopped file wants no more bytes.
            fx.queue.stop(&[ids[3]]);
            assert_eq!(fx.queue.may_receive(ids[3]), ReceiveTurn::Never);
        }

        #[tokio::test]
        async fn a_copy_is_removed_when_its_row_fails_for_good_and_the_row_says_so() {
            let (mut fx, dir) = file_fixture(Some("platform-sim-error-bad_request")).await;
            let wav = tone_wav(50, 0);
            let file = arriving(&dir, "verse.wav", wav.len());
            let FileSource::Incoming(incoming) = &file.source else {
                unreachable!()
            };
            let copy = incoming.path().to_owned();
            let [id] = fx.queue.add_files(token(), vec![file])[..] else {
                panic!("one id");
            };
            fx.queue.receive(id, 0, &wav);
            let failed = fx
                .until_item(id, |item| item.state == ItemState::Failed)
                .await;
            let error = failed.error.unwrap();
            assert_eq!(error.code, ErrorCode::BadRequest);
            assert!(
                error.message.contains("copy the app kept"),
                "{}",
                error.message
            );
            assert!(!copy.exists(), "the copy is gone");
            assert!(!failed.can_retry, "nothing left to send again");
            let records = fx.history.search(&Query::default()).unwrap();
            assert_eq!(
                records[0].state,
                crate::history::State::Failed,
                "{records:#?}"
            );
        }

        #[tokio::test]
        async fn a_dropped_file_arrives_in_pieces_then_goes_and_its_copy_is_deleted() {
            let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
            let mp3 = silent_mp3(30);
            let [id] = fx
                .queue
                .add_files(token(), vec![arriving(&dir, "hook.mp3", mp3.len())])[..]
            else {
                panic!("one id");
            };
            let waiting = item(&fx, id);
            assert_eq!(waiting.state, ItemState::Waiting);
            assert_eq!(waiting.file.unwrap().stage, FileStage::Receiving);
            assert!(waiting.can_stop);
            assert_eq!(
                fx.queue.summary().waiting,
                1,
                "a file arriving is counted as waiting"
            );
            let pieces: Vec<&[u8]> = mp3.chunks(1000).collect();
            for (index, piece) in pieces.iter().enumerate() {
                let last = index == pieces.len() - 1;
                assert_eq!(fx.queue.receive(id, (index * 1000) as u64, piece), !last);
            }
            let done = fx
                .until_item(id, |item| item.state == ItemState::Done)
                .await;
            assert_eq!(done.file.unwrap().received, mp3.len() as u64);
            assert_eq!(std::fs::read(&fx.sim.hosted_files()[0].path).unwrap(), mp3);
            let incoming = std::fs::read_dir(dir.path().join("incoming"))
                .unwrap()
                .count();
            assert_eq!(incoming, 0, "the received copy is deleted once uploaded");
            // A piece for a finished file is not wanted.
            assert!(!fx.queue.receive(id, 0, &mp3[..10]));
        }

        #[tokio::test]
        async fn a_dropped_file_that_is_not_audio_is_refused_at_its_first_bytes_and_nothing_is_sent(
        ) {
            let (fx, dir) = file_fixture(Some(PLATFORM)).await;
            let text = b"These are my lyrics, not a recording.".repeat(100);
            let [id] = fx
                .queue
                .add_files(token(), vec![arriving(&dir, "song.mp3", text.len())])[..]
            else {
                panic!("one id");
            };
            assert!(
                !fx.queue.receive(id, 0, &text[..1000]),
                "no more pieces wanted"
            );
            let refused = item(&fx, id);
            assert_eq!(refused.state, ItemState::Rejected);
            assert_eq!(refused.error.unwrap().code, ErrorCode::NotAudio);
            assert!(!refused.can_retry && !refused.can_stop);
            assert!(fx.sim.host_requests().is_empty());
            assert_eq!(
                std::fs::read_dir(dir.path().join("incoming"))
                    .unwrap()
                    .count(),
                0
            );
            // Its history record (made when it was taken) says why, not "interrupted" later.
            let record = tokio::time::timeout(Duration::from_secs(5), async {
                loop {
                    let records = fx.history.search(&Query::default()).unwrap();
                    if records[0].state == crate::history::State::Failed {
                        return records[0].clone();
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
            .await
            .expect("the failure is recorded");
            assert_eq!(record.file_name, "song.mp3");
            assert_eq!(record.error.unwrap().code, ErrorCode::NotAudio);
        }

        #[tokio::test]
        async fn pieces_out_of_place_fail_the_file_instead_of_making_a_wrong_copy() {
            let (fx, dir) = file_fixture(Some(PLATFORM)).await;
            let wav = tone_wav(200, 0);
            let [id] = fx
                .queue
                .add_files(token(), vec![arriving(&dir, "a.wav", wav.len())])[..]
            else {
                panic!("one id");
            };
            assert!(fx.queue.receive(id, 0, &wav[..100]));
            assert!(!fx.queue.receive(id, 200, &wav[200..300]));
            let failed = item(&fx, id);
            assert_eq!(failed.state, ItemState::Failed);
            assert_eq!(failed.error.unwrap().code, ErrorCode::FileUnreadable);
            assert!(
                !failed.can_retry,
                "its bytes are gone: it must be added again"
            );
        }

        #[tokio::test]
        async fn without_a_platform_token_a_file_fails_and_goes_once_there_is_one() {
            let (mut fx, dir) = file_fixture(None).await;
            let [id] = fx
                .queue
                .add_files(token(), vec![on_disk(&dir, "a.wav", &tone_wav(200, 0))])[..]
            else {
                panic!("one id");
            };
            let failed = fx
                .until_item(id, |item| item.state == ItemState::Failed)
                .await;
            assert_eq!(failed.error.unwrap().code, ErrorCode::PlatformTokenMissing);
            assert!(failed.can_retry);
            assert!(fx.sim.host_requests().is_empty());
            fx.queue
                .set_platform_token(Some(PlatformToken::parse(PLATFORM).unwrap()));
            assert_eq!(fx.queue.retry(&[id], None), 1);
            fx.until_item(id, |item| item.state == ItemState::Done)
                .await;
            assert_eq!(fx.sim.issued().len(), 1);
        }

        #[tokio::test]
        async fn the_same_content_again_reuses_its_hosted_link() {
            let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
            let wav = tone_wav(300, 0);
            let [first] = fx
                .queue
                .add_files(token(), vec![on_disk(&dir, "take.wav", &wav)])[..]
            else {
                panic!("one id");
            };
            let first = fx
                .until_item(first, |item| item.state == ItemState::Done)
                .await;
            let [again] = fx
                .queue
                .add_files(token(), vec![on_disk(&dir, "take.wav", &wav)])[..]
            else {
                panic!("one id");
            };
            let again = fx
                .until_item(again, |item| item.state == ItemState::Done)
                .await;
            let file = again.file.unwrap();
            assert!(file.reused);
            let first_url = first.file.unwrap().file_url;
            assert_eq!(file.file_url, first_url);
            assert_eq!(fx.sim.host_requests().len(), 1, "hosted once");
            assert_eq!(fx.sim.issued().len(), 2, "each row still gets its audio ID");

            // The same bytes under another name are hosted under that name.
            let [copy] = fx
                .queue
                .add_files(token(), vec![on_disk(&dir, "take copy.wav", &wav)])[..]
            else {
                panic!("one id");
            };
            let copy = fx
                .until_item(copy, |item| item.state == ItemState::Done)
                .await;
            let file = copy.file.unwrap();
            assert!(!file.reused);
            assert_ne!(file.file_url, first_url);
            let hosted = fx.sim.hosted_files();
            assert_eq!(hosted.len(), 2);
            assert_eq!(hosted[1].file_name, "take copy.wav");
        }

        #[tokio::test]
        async fn a_reused_file_can_be_hosted_again_as_a_new_row_with_its_own_link() {
            let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
            let mp3 = silent_mp3(30);
            let send = |fx: &Fixture, id: u64| {
                for (index, piece) in mp3.chunks(1000).enumerate() {
                    fx.queue.receive(id, (index * 1000) as u64, piece);
                }
            };
            let [first] = fx
                .queue
                .add_files(token(), vec![arriving(&dir, "hook.mp3", mp3.len())])[..]
            else {
                panic!("one id");
            };
            send(&fx, first);
            let first = fx
                .until_item(first, |item| item.state == ItemState::Done)
                .await;
            assert!(
                !first.can_host_again,
                "hosted, not reused: nothing to offer"
            );

            // The same file dropped again reuses the link, and keeps its copy to offer hosting.
            let [again] = fx
                .queue
                .add_files(token(), vec![arriving(&dir, "hook.mp3", mp3.len())])[..]
            else {
                panic!("one id");
            };
            send(&fx, again);
            let reused = fx
                .until_item(again, |item| item.state == ItemState::Done)
                .await;
            assert!(reused.file.as_ref().unwrap().reused);
            assert!(reused.can_host_again);
            let copies = || {
                std::fs::read_dir(dir.path().join("incoming"))
                    .unwrap()
                    .count()
            };
            assert_eq!(copies(), 1, "the reused row's copy is kept");
            assert_eq!(fx.sim.host_requests().len(), 1);

            let [hosted_again] = fx.queue.host_again(&[again])[..] else {
                panic!("one new row");
            };
            assert!(!item(&fx, again).can_host_again, "offered once");
            assert!(fx.queue.host_again(&[again]).is_empty());
            let hosted_again = fx
                .until_item(hosted_again, |item| item.state == ItemState::Done)
                .await;
            let file = hosted_again.file.unwrap();
            assert!(!file.reused, "nothing reused the second time");
            assert_ne!(
                file.file_url,
                reused.file.unwrap().file_url,
                "a link of its own"
            );
            assert_eq!(fx.sim.host_requests().len(), 2, "put on the host again");
            assert_eq!(std::fs::read(&fx.sim.hosted_files()[1].path).unwrap(), mp3);
            assert_eq!(fx.sim.issued().len(), 3, "each row has its audio ID");
            assert_ne!(
                hosted_again.uploaded.unwrap().audio_id,
                item(&fx, again).uploaded.unwrap().audio_id
            );
            assert_eq!(copies(), 0, "the copy goes once it is hosted and uploaded");
        }

        #[tokio::test]
        async fn stop_ends_a_transfer_and_the_file_can_be_retried() {
            let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
            let [id] = fx.queue.add_files(
                token(),
                vec![on_disk(&dir, "big sim_fault=hang.wav", &tone_wav(300, 0))],
            )[..] else {
                panic!("one id");
            };
            fx.until_item(id, |item| {
                item.file
                    .as_ref()
                    .is_some_and(|file| file.stage == FileStage::Hosting)
            })
            .await;
            assert_eq!(fx.queue.stop(&[id]), 1);
            let stopped = fx
                .until_item(id, |item| item.state == ItemState::Interrupted)
                .await;
            assert!(stopped.can_retry && !stopped.can_stop);
            assert_eq!(fx.queue.summary().uploading, 0, "its slot is free again");
            assert!(fx.sim.issued().is_empty());
        }

        #[tokio::test]
        async fn a_file_stopped_or_abandoned_while_arriving_cannot_be_retried() {
            let (fx, dir) = file_fixture(Some(PLATFORM)).await;
            let ids = fx.queue.add_files(
                token(),
                vec![arriving(&dir, "a.wav", 5000), arriving(&dir, "b.wav", 5000)],
            );
            let wav = tone_wav(200, 0);
            assert!(fx.queue.receive(ids[0], 0, &wav[..100]));
            assert_eq!(fx.queue.stop(&ids[..1]), 1);
            let stopped = item(&fx, ids[0]);
            assert_eq!(stopped.state, ItemState::Interrupted);
            assert!(!stopped.can_retry);
            assert!(!fx.queue.receive(ids[0], 100, &wav[100..200]));
            // A reloaded window will not send the rest of b.wav.
            fx.queue.abandon_incoming();
            let abandoned = item(&fx, ids[1]);
            assert_eq!(abandoned.state, ItemState::Failed);
            assert!(!abandoned.can_retry);
            assert!(fx.queue.summary().is_idle());
            assert_eq!(
                std::fs::read_dir(dir.path().join("incoming"))
                    .unwrap()
                    .count(),
                0
            );
        }

        #[tokio::test]
        async fn an_empty_file_says_so_and_offers_no_retry() {
            let (mut fx, dir) = file_fixture(Some(PLATFORM)).await;
            let [id] = fx
                .queue
                .add_files(token(), vec![on_disk(&dir, "Bounce.wav", b"")])[..]
            else {
                panic!("one id");
            };
            let ended = fx.until_item(id, |item| item.state.is_finished()).await;
            let error = ended.error.expect("a reason");
            assert_eq!(error.code, ErrorCode::FileEmpty);
            assert!(
                error.message.starts_with("This file is empty"),
                "{}",
                error.message
            );
            assert!(!ended.can_retry, "sending it again cannot help");
            assert!(fx.sim.host_requests().is_empty(), "nothing sent");
        }

        #[tokio::test]
        async fn refused_files_are_rows_with_their_reason() {
            let (fx, _dir) = file_fixture(Some(PLATFORM)).await;
            let ids = fx.queue.add_files(
                token(),
                vec![QueueFile {
                    name: "Stems".into(),
                    size: 0,
                    source: FileSource::Refused(ErrorReport::from_code(ErrorCode::FileIsFolder)),
                }],
            );
            let refused = item(&fx, ids[0]);
            assert_eq!(refused.state, ItemState::Rejected);
            assert_eq!(refused.given, "Stems");
            assert_eq!(refused.error.unwrap().code, ErrorCode::FileIsFolder);
            assert_eq!(fx.queue.summary().refused, 1);
        }
    }
}
