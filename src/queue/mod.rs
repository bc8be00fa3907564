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
use crate::preflight::{preflight, LinkClient, PreflightReport, Verdict, CHECKS_AT_ONCE};
pub use crate::summary::Summary;
use crate::token::{ApiToken, PlatformToken};
use futures::StreamExt;
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;
use url::Url;

mod view;
pub use view::*;

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
mod tests;
