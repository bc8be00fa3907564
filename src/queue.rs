//! A batch queue: many links queued at once and run through one [`Uploader`] (its concurrency
//! limit and retries, rate limits waited out per upload), with pause, resume, cancel, "retry all
//! failed", a summary with a time estimate, and every change sent out as a [`QueueUpdate`].
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
use std::collections::VecDeque;
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
}

/// One queued link as a display shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemView {
    /// The item's number in this queue (0 is the first link ever added).
    pub id: u64,
    /// The link as given.
    pub given: String,
    /// The address sent.
    pub audio_url: String,
    /// Where it stands.
    pub state: ItemState,
    /// The latest progress of a running upload.
    pub progress: Option<Progress>,
    /// The service's answer, once done.
    pub uploaded: Option<Uploaded>,
    /// Why it failed, once failed.
    pub error: Option<ErrorReport>,
}

/// Counts over the whole queue, and how long the rest should take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Every link queued.
    pub total: usize,
    /// Links with an `audio_id`.
    pub done: usize,
    /// Links whose upload failed.
    pub failed: usize,
    /// Links not sent because the batch was stopped.
    pub interrupted: usize,
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

/// What changed: the items whose state or progress changed, and the summary after the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueUpdate {
    /// Changed items (empty when only the summary changed, e.g. on pause).
    pub items: Vec<ItemView>,
    /// The whole queue's counts.
    pub summary: Summary,
}

/// Receives every [`QueueUpdate`], in order, from whichever thread made the change.
pub type OnUpdate = Arc<dyn Fn(QueueUpdate) + Send + Sync>;

#[derive(Debug)]
struct Item {
    view: ItemView,
    audio_url: Url,
    record: Option<RecordId>,
    /// The state a retried item goes back to if the batch is stopped before it is sent again.
    before_retry: Option<ItemState>,
}

#[derive(Debug, Default)]
struct QueueState {
    uploader: Option<Uploader>,
    items: Vec<Item>,
    waiting: VecDeque<usize>,
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
        for item in &self.items {
            match item.view.state {
                ItemState::Done => summary.done += 1,
                ItemState::Failed => summary.failed += 1,
                ItemState::Interrupted => summary.interrupted += 1,
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

    fn update(&self, changed: impl IntoIterator<Item = usize>) -> QueueUpdate {
        QueueUpdate {
            items: changed
                .into_iter()
                .map(|index| self.items[index].view.clone())
                .collect(),
            summary: self.summary(),
        }
    }
}

struct Shared {
    history: Option<Arc<History>>,
    on_update: OnUpdate,
    state: Mutex<QueueState>,
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
                runtime: Handle::current(),
            }),
        }
    }

    /// Queues `links`, to be uploaded with `token` (which also replaces the token for links
    /// still waiting), and returns their item ids.
    pub fn add(&self, token: ApiToken, links: Vec<QueueLink>) -> Vec<u64> {
        let update = {
            let mut state = self.shared.lock();
            state.token = Some(token);
            let first = state.items.len();
            for link in links {
                let index = state.items.len();
                state.items.push(Item {
                    view: ItemView {
                        id: index as u64,
                        given: link.given,
                        audio_url: link.audio_url.to_string(),
                        state: ItemState::Waiting,
                        progress: None,
                        uploaded: None,
                        error: None,
                    },
                    audio_url: link.audio_url,
                    record: link.retry_of,
                    // If stopped before it is sent, the record stays as the history has it.
                    before_retry: link.retry_of.map(|_| ItemState::Interrupted),
                });
                state.waiting.push_back(index);
            }
            state.update(first..state.items.len())
        };
        let ids = update.items.iter().map(|item| item.id).collect();
        self.shared.emit(update);
        Shared::pump(&self.shared);
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
        let update = {
            let mut state = self.shared.lock();
            state.paused = true;
            state.update([])
        };
        self.shared.emit(update);
    }

    /// Lets uploads start again after [`Queue::pause`].
    pub fn resume(&self) {
        let update = {
            let mut state = self.shared.lock();
            state.paused = false;
            state.update([])
        };
        self.shared.emit(update);
        Shared::pump(&self.shared);
    }

    /// Stops the batch: waiting links become interrupted (new ones recorded so in the history,
    /// in one transaction, before this returns); running ones finish and are recorded. Returns
    /// how many links were stopped.
    pub async fn cancel(&self) -> usize {
        let (update, unsent) = {
            let mut state = self.shared.lock();
            let stopped: Vec<usize> = state.waiting.drain(..).collect();
            let mut unsent = Vec::new();
            for &index in &stopped {
                let item = &mut state.items[index];
                item.view.progress = None;
                match item.before_retry.take() {
                    // Sent before: its history record already says how that ended.
                    Some(before) => item.view.state = before,
                    None => {
                        item.view.state = ItemState::Interrupted;
                        unsent.push((
                            index,
                            NewUpload {
                                given_url: item.view.given.clone(),
                                audio_url: item.audio_url.clone(),
                                source: Source::App,
                            },
                        ));
                    }
                }
            }
            (state.update(stopped), unsent)
        };
        let stopped = update.items.len();
        if let (Some(history), false) = (self.shared.history.clone(), unsent.is_empty()) {
            let (indices, uploads): (Vec<usize>, Vec<NewUpload>) = unsent.into_iter().unzip();
            let recorded =
                tokio::task::spawn_blocking(move || history.record_interrupted(&uploads)).await;
            match recorded {
                Ok(Ok(ids)) => {
                    // Kept so that a later retry settles these records instead of adding new ones.
                    let mut state = self.shared.lock();
                    for (index, id) in indices.into_iter().zip(ids) {
                        state.items[index].record = Some(id);
                    }
                }
                Ok(Err(error)) => {
                    tracing::warn!("could not record the stopped uploads in the history: {error}")
                }
                Err(_) => {}
            }
        }
        self.shared.emit(update);
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
        let update = {
            let mut state = self.shared.lock();
            if token.is_some() {
                state.token = token;
            }
            let mut again = Vec::new();
            for (index, item) in state.items.iter_mut().enumerate() {
                let before = item.view.state;
                if matches!(before, ItemState::Failed | ItemState::Interrupted)
                    && wanted(item.view.id)
                {
                    // The error stays until the upload starts again, in case the batch is
                    // stopped first.
                    item.view.state = ItemState::Waiting;
                    item.before_retry = Some(before);
                    again.push(index);
                }
            }
            state.waiting.extend(again.iter().copied());
            state.update(again)
        };
        let count = update.items.len();
        if count > 0 {
            self.shared.emit(update);
            Shared::pump(&self.shared);
        }
        count
    }

    /// The counts now.
    pub fn summary(&self) -> Summary {
        self.shared.lock().summary()
    }

    /// Every item, oldest first, and the counts (for a display that starts late).
    pub fn snapshot(&self) -> QueueUpdate {
        let state = self.shared.lock();
        state.update(0..state.items.len())
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

    fn emit(&self, update: QueueUpdate) {
        (self.on_update)(update);
    }

    /// Starts as many waiting uploads as the pause and the concurrency limit allow.
    fn pump(shared: &Arc<Shared>) {
        let (update, started) = {
            let mut state = shared.lock();
            let mut started = Vec::new();
            let Some(uploader) = state.uploader.clone() else {
                return;
            };
            while !state.paused && state.uploading < uploader.concurrency() {
                let (Some(token), Some(index)) = (state.token.clone(), state.waiting.pop_front())
                else {
                    break;
                };
                state.uploading += 1;
                let item = &mut state.items[index];
                item.view.state = ItemState::Uploading;
                item.view.progress = Some(Progress::Queued);
                item.view.error = None;
                let retry = item.before_retry.take().is_some();
                started.push((
                    uploader.clone(),
                    index,
                    token,
                    item.view.given.clone(),
                    item.audio_url.clone(),
                    item.record,
                    retry,
                ));
            }
            let indices: Vec<usize> = started.iter().map(|start| start.1).collect();
            (state.update(indices), started)
        };
        if started.is_empty() {
            return;
        }
        shared.emit(update);
        for (uploader, index, token, given, audio_url, record, retry) in started {
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
                    .upload(&token, &job, move |step| progress.progress(index, step))
                    .await;
                let result = settled.outcome.result.map_err(|error| error.report());
                shared.finish(index, settled.record, result);
            });
        }
    }

    fn progress(&self, index: usize, step: Progress) {
        let update = {
            let mut state = self.lock();
            let item = &mut state.items[index];
            if item.view.state != ItemState::Uploading {
                return;
            }
            item.view.progress = Some(step);
            state.update([index])
        };
        self.emit(update);
    }

    fn finish(
        self: &Arc<Self>,
        index: usize,
        record: Option<RecordId>,
        result: Result<Uploaded, ErrorReport>,
    ) {
        let update = {
            let mut state = self.lock();
            state.uploading -= 1;
            state.finished.push_back(Instant::now());
            if state.finished.len() > RATE_WINDOW {
                state.finished.pop_front();
            }
            let item = &mut state.items[index];
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
            state.update([index])
        };
        self.emit(update);
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
                    if done(&update.summary) {
                        return update.summary;
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
}
