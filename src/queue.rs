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
//! Pausing stops new uploads from starting; running ones finish, so no `audio_id` is lost.
//! Cancelling turns the waiting links into interrupted ones (recorded in the history in one
//! transaction); running ones finish and are recorded. The uploader records each upload in the
//! history as pending before its request and settles it after.

use crate::batch::{Progress, UploadJob, Uploader};
use crate::client::Uploaded;
use crate::error::ErrorReport;
use crate::history::{History, NewUpload, RecordId, Source};
use crate::token::ApiToken;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;
use tokio::runtime::Handle;
use url::Url;

/// How many recent completions the time estimate is based on.
const RATE_WINDOW: usize = 30;

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
}

/// A remark on a queued link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// How much it matters.
    pub kind: NoteKind,
    /// The remark in plain words.
    pub text: String,
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
}

/// Counts over the items in the queue, and how long the rest should take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Every item in the queue (cleared ones are gone).
    pub total: usize,
    /// Links with an `audio_id`.
    pub done: usize,
    /// Links whose upload failed.
    pub failed: usize,
    /// Links not sent because the batch was stopped.
    pub interrupted: usize,
    /// Items that cannot be uploaded.
    pub rejected: usize,
    /// Links not started yet.
    pub waiting: usize,
    /// Links being uploaded.
    pub uploading: usize,
    /// True while paused: no new upload starts.
    pub paused: bool,
    /// Seconds until the waiting and running links are through, from the recent completion
    /// rate; `None` while paused or before there is a rate to go by.
    pub eta_seconds: Option<u64>,
}

impl Summary {
    /// True when nothing waits or runs.
    pub fn is_idle(&self) -> bool {
        self.waiting == 0 && self.uploading == 0
    }
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
    /// The address to send; `None` for a rejected item.
    audio_url: Option<Url>,
    record: Option<RecordId>,
    /// The state a retried item goes back to if the batch is stopped before it is sent again.
    before_retry: Option<ItemState>,
}

#[derive(Debug, Default)]
struct QueueState {
    uploader: Option<Uploader>,
    /// Items by id, oldest first.
    items: BTreeMap<u64, Item>,
    next_id: u64,
    /// The number of the last change.
    sequence: u64,
    waiting: VecDeque<u64>,
    uploading: usize,
    paused: bool,
    token: Option<ApiToken>,
    finished: VecDeque<Instant>,
}

impl QueueState {
    fn summary(&self) -> Summary {
        let mut summary = Summary {
            total: self.items.len(),
            waiting: self.waiting.len(),
            uploading: self.uploading,
            paused: self.paused,
            ..Summary::default()
        };
        for item in self.items.values() {
            match item.view.state {
                ItemState::Done => summary.done += 1,
                ItemState::Failed => summary.failed += 1,
                ItemState::Interrupted => summary.interrupted += 1,
                ItemState::Rejected => summary.rejected += 1,
                ItemState::Waiting | ItemState::Uploading => {}
            }
        }
        let remaining = (summary.waiting + summary.uploading) as f64;
        summary.eta_seconds = if remaining == 0.0 {
            Some(0)
        } else if self.paused {
            None
        } else {
            match (self.finished.front(), self.finished.back()) {
                (Some(first), Some(last)) if self.finished.len() >= 2 && last > first => {
                    let rate = (self.finished.len() - 1) as f64 / (*last - *first).as_secs_f64();
                    Some((remaining / rate).ceil() as u64)
                }
                _ => None,
            }
        };
        summary
    }

    /// Takes the next number and stamps it on the `changed` items: the update to send.
    fn change(&mut self, changed: impl IntoIterator<Item = u64>, removed: Vec<u64>) -> QueueUpdate {
        self.sequence += 1;
        let sequence = self.sequence;
        let items = changed
            .into_iter()
            .filter_map(|id| {
                let item = self.items.get_mut(&id)?;
                item.view.revision = sequence;
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

    /// Queues `links`, to be uploaded with `token` (which also replaces the token for links
    /// still waiting), and returns their item ids.
    pub fn add(&self, token: ApiToken, links: Vec<QueueLink>) -> Vec<u64> {
        let mut state = self.shared.lock();
        state.token = Some(token);
        let mut ids = Vec::with_capacity(links.len());
        for link in links {
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
                },
                audio_url: Some(link.audio_url),
                record: link.retry_of,
                // If stopped before it is sent, the record stays as the history has it.
                before_retry: link.retry_of.map(|_| ItemState::Interrupted),
            });
            state.waiting.push_back(id);
            ids.push(id);
        }
        let update = state.change(ids.iter().copied(), Vec::new());
        self.shared.emit(state, update);
        Shared::pump(&self.shared);
        ids
    }

    /// Lists things given that were not sent, with the reason: rejected for good when they have
    /// no address, failed (and retryable) when they have one. Returns their item ids.
    pub fn add_unsent(&self, unsent: Vec<Unsent>) -> Vec<u64> {
        let mut state = self.shared.lock();
        let mut ids = Vec::with_capacity(unsent.len());
        for entry in unsent {
            let item_state = match entry.audio_url {
                Some(_) => ItemState::Failed,
                None => ItemState::Rejected,
            };
            ids.push(state.push(|id| Item {
                view: ItemView {
                    id,
                    revision: 0,
                    given: entry.given,
                    audio_url: entry.audio_url.as_ref().map(Url::to_string),
                    state: item_state,
                    progress: None,
                    uploaded: None,
                    error: Some(entry.error),
                    notes: entry.notes,
                },
                audio_url: entry.audio_url,
                record: None,
                before_retry: None,
            }));
        }
        let update = state.change(ids.iter().copied(), Vec::new());
        self.shared.emit(state, update);
        ids
    }

    /// Uploads that start from now on go through `uploader` (new settings, say); running ones
    /// finish through the one they started with.
    pub fn set_uploader(&self, uploader: Uploader) {
        self.shared.lock().uploader = Some(recording(uploader, &self.shared.history));
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
        let stopped = {
            let mut state = self.shared.lock();
            let stopped: Vec<u64> = state.waiting.drain(..).collect();
            for id in &stopped {
                let Some(item) = state.items.get_mut(id) else {
                    continue;
                };
                item.view.progress = None;
                match item.before_retry.take() {
                    // Sent before: its history record already says how that ended.
                    Some(before) => item.view.state = before,
                    None => {
                        item.view.state = ItemState::Interrupted;
                        if let Some(audio_url) = item.audio_url.clone() {
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
    /// many.
    pub fn retry_failed(&self, token: Option<ApiToken>) -> usize {
        self.retry_where(token, |_| true)
    }

    /// Queues again the failed or interrupted links among `ids` (with `token`, if given) and
    /// returns how many.
    pub fn retry(&self, ids: &[u64], token: Option<ApiToken>) -> usize {
        self.retry_where(token, |id| ids.contains(&id))
    }

    fn retry_where(&self, token: Option<ApiToken>, wanted: impl Fn(u64) -> bool) -> usize {
        let mut state = self.shared.lock();
        if token.is_some() {
            state.token = token;
        }
        let mut again = Vec::new();
        for (id, item) in state.items.iter_mut() {
            let before = item.view.state;
            if matches!(before, ItemState::Failed | ItemState::Interrupted)
                && item.audio_url.is_some()
                && wanted(*id)
            {
                // The error stays until the upload starts again, in case the batch is
                // stopped first.
                item.view.state = ItemState::Waiting;
                item.before_retry = Some(before);
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
        self.take_finished(|_| true)
    }

    /// Takes the finished items among `ids` out of the queue, as "Remove" on a row does (the
    /// history keeps them); a link waiting or running is not removed. Returns how many were
    /// taken out.
    pub fn remove(&self, ids: &[u64]) -> usize {
        self.take_finished(|id| ids.contains(&id))
    }

    fn take_finished(&self, chosen: impl Fn(u64) -> bool) -> usize {
        let mut state = self.shared.lock();
        let removed: Vec<u64> = state
            .items
            .iter()
            .filter(|(id, item)| item.view.state.is_finished() && chosen(**id))
            .map(|(id, _)| *id)
            .collect();
        for id in &removed {
            state.items.remove(id);
        }
        let count = removed.len();
        let update = state.change([], removed);
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

    /// Starts as many waiting uploads as the pause and the concurrency limit allow.
    fn pump(shared: &Arc<Shared>) {
        let mut state = shared.lock();
        let mut started = Vec::new();
        let Some(uploader) = state.uploader.clone() else {
            return;
        };
        while !state.paused && state.uploading < uploader.concurrency() {
            let (Some(token), Some(id)) = (state.token.clone(), state.waiting.pop_front()) else {
                break;
            };
            let Some(item) = state.items.get_mut(&id) else {
                continue;
            };
            let Some(audio_url) = item.audio_url.clone() else {
                continue;
            };
            item.view.state = ItemState::Uploading;
            item.view.progress = Some(Progress::Queued);
            item.view.error = None;
            let retry = item.before_retry.take().is_some();
            started.push((
                uploader.clone(),
                id,
                token,
                item.view.given.clone(),
                audio_url,
                item.record,
                retry,
            ));
            state.uploading += 1;
        }
        if started.is_empty() {
            return;
        }
        let update = state.change(started.iter().map(|start| start.1), Vec::new());
        shared.emit(state, update);
        for (uploader, id, token, given, audio_url, record, retry) in started {
            let shared = shared.clone();
            let runtime = shared.runtime.clone();
            runtime.spawn(async move {
                let job = UploadJob {
                    given,
                    audio_url,
                    source: Source::App,
                    retry_of: record.filter(|_| retry),
                    file: None,
                };
                let progress = shared.clone();
                let settled = uploader
                    .upload(&token, &job, move |step| progress.progress(id, step))
                    .await;
                let result = settled.outcome.result.map_err(|error| error.report());
                shared.finish(id, settled.record, result);
            });
        }
    }

    fn progress(&self, id: u64, step: Progress) {
        let mut state = self.lock();
        match state.items.get_mut(&id) {
            Some(item) if item.view.state == ItemState::Uploading => {
                item.view.progress = Some(step)
            }
            _ => return,
        }
        let update = state.change([id], Vec::new());
        self.emit(state, update);
    }

    fn finish(
        self: &Arc<Self>,
        id: u64,
        record: Option<RecordId>,
        result: Result<Uploaded, ErrorReport>,
    ) {
        let mut state = self.lock();
        state.uploading -= 1;
        state.finished.push_back(Instant::now());
        if state.finished.len() > RATE_WINDOW {
            state.finished.pop_front();
        }
        // A running item is never cleared, so it is there.
        if let Some(item) = state.items.get_mut(&id) {
            item.view.progress = None;
            item.record = record.or(item.record);
            match result {
                Ok(uploaded) => {
                    item.view.state = ItemState::Done;
                    item.view.uploaded = Some(uploaded);
                }
                Err(report) => {
                    item.view.state = ItemState::Failed;
                    item.view.error = Some(report);
                }
            }
        }
        let update = state.change([id], Vec::new());
        self.emit(state, update);
        Shared::pump(self);
    }
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
        updates: mpsc::UnboundedReceiver<QueueUpdate>,
        /// Every update received so far, in order.
        seen: Vec<QueueUpdate>,
        history: Arc<History>,
        _dir: tempfile::TempDir,
    }

    async fn fixture(latency: Duration, concurrency: usize) -> Fixture {
        let sim = Simulator::start(SimConfig {
            latency,
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let mut config = ClientConfig::new(&sim.base_url()).unwrap();
        config.retry = RetryPolicy::never();
        let uploader = Uploader::new(Client::new(config), concurrency);
        let dir = tempfile::tempdir().unwrap();
        let history = Arc::new(History::open(dir.path()).unwrap());
        let (sender, updates) = mpsc::unbounded_channel();
        let queue = Queue::new(
            uploader,
            Some(history.clone()),
            Arc::new(move |update| {
                let _ = sender.send(update);
            }),
        );
        Fixture {
            sim,
            queue,
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
        assert_eq!((summary.done, summary.interrupted), (2, 8));
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
        assert_eq!(summary.interrupted, 0);
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
        assert_eq!(snapshot.summary.interrupted, 10);
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
        }]);
        let summary = fx
            .until(|summary| summary.is_idle() && summary.done == 4)
            .await;
        assert_eq!((summary.total, summary.failed, summary.rejected), (7, 2, 1));
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
            },
            Unsent {
                given: "song.wav".into(),
                audio_url: None,
                error: ErrorReport::from_code(crate::error::ErrorCode::LocalFile),
                notes: Vec::new(),
            },
        ]);
        let update = fx.updates.recv().await.unwrap();
        assert_eq!(update.items[0].state, ItemState::Failed);
        assert_eq!(update.items[0].notes[0].text, "changed");
        assert_eq!(update.items[1].state, ItemState::Rejected);
        assert_eq!((update.summary.failed, update.summary.rejected), (1, 1));
        assert_eq!(fx.sim.issued().len(), 0);
        // Only the one with an address goes.
        assert_eq!(fx.queue.retry(&ids, Some(token())), 1);
        let summary = fx.until(|summary| summary.done == 1).await;
        assert_eq!(summary.rejected, 1);
        assert_eq!(fx.history_count(State::Done), 1);
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
}
