//! A batch queue: many links queued at once and run through one [`Uploader`] (its concurrency
//! limit and retries, rate limits waited out per upload), with pause, resume, cancel, "retry all
//! failed", clear, a summary with a time estimate, and every change sent out as a numbered
//! [`QueueUpdate`].
//!
//! The queue owns the list a display shows: links that cannot be uploaded are items too, and
//! [`Queue::snapshot`] gives the whole list again (after a reload of the window, say).
//!
//! The rules live in [`rules`]: a batch as plain data that changes only by applying one event at a
//! time and says what to do next (uploads to start, transfers to stop, history records to
//! write). This shell applies the events (the methods below, and what running uploads report)
//! under one lock and runs those effects on the tokio runtime.
//!
//! Every change takes the next number of one counter: the update carries it as its `sequence`,
//! and each item it changed carries it as its `revision`. Updates reach the callback in that
//! order, one at a time (the emission lock is taken before the batch's lock is let go), so a
//! display that applies an item only when its revision is newer than what it has, and a summary
//! only when its sequence is, always ends on the newest state.
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

use crate::batch::{UploadJob, Uploader};
use crate::client::Uploaded;
use crate::error::ErrorReport;
use crate::filehost::{self, FileHost};
use crate::history::{History, NewUpload, RecordId, Source};
use crate::preflight::{preflight, LinkClient, CHECKS_AT_ONCE};
pub use crate::summary::Summary;
use crate::token::{ApiToken, PlatformToken};
use event::{Applied, Effect, Event, NewFile, NewLink, Piece, Start, Which, Work};
use futures::StreamExt;
use item::{lock, FileItem};
use rules::Batch;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

mod event;
mod item;
mod rules;
mod view;
pub use view::*;

/// Where files are put before their links are sent.
#[derive(Debug, Default)]
struct Hosting {
    file_host: Option<FileHost>,
    platform_token: Option<PlatformToken>,
}

struct Shared {
    history: Option<Arc<History>>,
    on_update: OnUpdate,
    uploader: Uploader,
    hosting: Mutex<Hosting>,
    batch: Mutex<Batch>,
    /// Held while an update is handed to `on_update`, taken before the batch's lock is let go,
    /// so updates leave in the order their numbers were given.
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
        let uploader = match &history {
            Some(history) => uploader.with_history(history.clone()),
            None => uploader,
        };
        Self {
            shared: Arc::new(Shared {
                history,
                on_update,
                batch: Mutex::new(Batch::new(uploader.concurrency())),
                uploader,
                hosting: Mutex::new(Hosting::default()),
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
        let checks = ids.into_iter().map(|id| async move {
            let url = self.shared.lock().link_to_check(id)?;
            let report = preflight(http, &url, timeout, api_is_local).await;
            report.is_warning().then_some((id, report))
        });
        let mut found = futures::stream::iter(checks).buffer_unordered(CHECKS_AT_ONCE);
        while let Some(found) = found.next().await {
            if let Some((id, report)) = found {
                let applied = self.shared.apply(Event::Checked { id, report });
                self.shared.perform(applied.effects).await;
            }
        }
    }

    /// Queues `links`, to be uploaded with `token` (which also replaces the token for links
    /// still waiting), and returns their item ids.
    pub fn add(&self, token: ApiToken, links: Vec<QueueLink>) -> Vec<u64> {
        // A new link's queued record, made pending when it is sent.
        let mut queued = self.record_queued(&links).into_iter();
        let links = links
            .into_iter()
            .map(|link| NewLink {
                record: if link.retry_of.is_none() {
                    queued.next()
                } else {
                    None
                },
                link,
            })
            .collect();
        self.shared.handle(Event::AddLinks { token, links }).ids
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

    /// Records `files` (name and size) in the history as queued, in one transaction, under
    /// their names: a crash before they are sent leaves them interrupted, not forgotten. Returns
    /// their record ids in order, or none if the history cannot be written (they are then
    /// recorded when sent).
    fn record_queued_files(&self, files: &[(String, u64)]) -> Vec<RecordId> {
        let (Some(history), false) = (&self.shared.history, files.is_empty()) else {
            return Vec::new();
        };
        history.record_queued_files(files).unwrap_or_else(|error| {
            tracing::warn!("could not record the files taken in the history: {error}");
            Vec::new()
        })
    }

    /// Whether file `id`'s bytes may start arriving now: files are received only a few
    /// ([`RECEIVE_AHEAD`]) ahead of hosting, so a slow host never fills the disk with copies
    /// waiting their turn. A file already arriving goes on.
    pub fn may_receive(&self, id: u64) -> ReceiveTurn {
        self.shared.lock().may_receive(id)
    }

    /// Lists things given that were not sent, with the reason: rejected for good when they have
    /// no address, held for the musician's OK or failed (and retryable) when they have one.
    /// Returns their item ids.
    pub fn add_unsent(&self, unsent: Vec<Unsent>) -> Vec<u64> {
        self.shared.handle(Event::AddUnsent(unsent)).ids
    }

    /// Queues files from this computer (hosted on the file host set with
    /// [`Queue::set_file_host`], then uploaded with `token`, which also replaces the token for
    /// links still waiting) and returns their item ids. A file still arriving waits for its
    /// last piece ([`Queue::receive`]) before it is queued.
    pub fn add_files(&self, token: ApiToken, files: Vec<QueueFile>) -> Vec<u64> {
        let taken: Vec<(String, u64)> = files
            .iter()
            .filter(|file| !matches!(file.source, FileSource::Refused(_)))
            .map(|file| (file.name.clone(), file.size))
            .collect();
        let mut queued = self.record_queued_files(&taken).into_iter();
        let files = files
            .into_iter()
            .map(|file| {
                let (path, incoming, refused) = match file.source {
                    FileSource::Path(path) => (Some(path), None, None),
                    FileSource::Incoming(incoming) => (
                        Some(incoming.path().to_owned()),
                        Some(Arc::new(Mutex::new(incoming))),
                        None,
                    ),
                    FileSource::Refused(error) => (None, None, Some(error)),
                };
                NewFile {
                    record: if refused.is_none() {
                        queued.next()
                    } else {
                        None
                    },
                    file: FileItem::new(file.name, file.size, path, incoming, true),
                    refused,
                }
            })
            .collect();
        self.shared.handle(Event::AddFiles { token, files }).ids
    }

    /// Puts done files whose earlier hosted link was reused ([`ItemView::can_host_again`]) on
    /// the file host again, each as a new row that reuses nothing: a new link, a new audio ID
    /// and a new history record. The rows they came from keep their IDs and hand their bytes
    /// (a received copy included) to the new rows. Returns the new rows' ids.
    pub fn host_again(&self, ids: &[u64]) -> Vec<u64> {
        let taken = self
            .shared
            .handle(Event::TakeForHostAgain(ids.to_vec()))
            .taken;
        if taken.is_empty() {
            return Vec::new();
        }
        let files: Vec<(String, u64)> = taken
            .iter()
            .map(|file| (file.name.clone(), file.size))
            .collect();
        let mut records = self.record_queued_files(&files).into_iter();
        let again = taken
            .into_iter()
            .map(|file| (file, records.next()))
            .collect();
        self.shared.handle(Event::AddHostedAgain(again)).ids
    }

    /// Writes the piece of file `id` that starts at `offset` (blocking on the disk); the file is
    /// queued once its last piece is in. Returns true to ask for more, false when the item no
    /// longer wants pieces (stopped, removed, refused as not audio: its row says why) or has
    /// them all. A piece that cannot be written fails the item.
    pub fn receive(&self, id: u64, offset: u64, bytes: &[u8]) -> bool {
        let Some(incoming) = self.shared.lock().incoming(id) else {
            return false;
        };
        // Written outside the queue's lock: other items go on meanwhile.
        let piece = {
            let mut incoming = lock(&incoming);
            let before = incoming.received();
            match incoming.write_at(offset, bytes) {
                Ok(received) => {
                    let complete = incoming.is_complete();
                    // Audio is known by its first bytes: refused as soon as they are in.
                    let first_bytes_in = before < filehost::MAGIC_BYTES
                        && (received >= filehost::MAGIC_BYTES || complete);
                    let refused = first_bytes_in
                        .then(|| filehost::inspect(incoming.path()).err())
                        .flatten()
                        .map(|error| error.report());
                    Piece::Written {
                        received,
                        complete,
                        refused,
                    }
                }
                Err(error) => {
                    tracing::warn!("a dropped file could not be received: {error}");
                    Piece::Failed(error.report())
                }
            }
        };
        self.shared.handle(Event::Received { id, piece }).wants_more
    }

    /// Fails file `id` while it is still arriving, with `error` (the window could not read it).
    pub fn fail_incoming(&self, id: u64, error: ErrorReport) {
        self.shared.handle(Event::FailIncoming { id, error });
    }

    /// Fails every file still arriving: the window that was handing them over started again
    /// (a reload) and its pieces will not come.
    pub fn abandon_incoming(&self) {
        self.shared.handle(Event::AbandonIncoming);
    }

    /// Stops the files among `ids` that are not yet sent to the Producer API: arriving, waiting,
    /// being checked or hosted (the transfer ends). They become interrupted; one stopped while
    /// arriving cannot be retried (its bytes never came). Returns how many were stopped.
    pub fn stop(&self, ids: &[u64]) -> usize {
        self.shared.handle(Event::Stop(ids.to_vec())).count
    }

    /// Files from now on are hosted through `host` (new settings, say).
    pub fn set_file_host(&self, host: FileHost) {
        lock(&self.shared.hosting).file_host = Some(host);
    }

    /// Files hosted from now on use `token`; without one, a file whose content was never
    /// hosted fails with `platform_token_missing` (and can be retried once there is one).
    pub fn set_platform_token(&self, token: Option<PlatformToken>) {
        lock(&self.shared.hosting).platform_token = token;
    }

    /// Sends through `client` and runs at most `concurrency` uploads at once from now on (new
    /// settings): the queue's uploader is changed in place ([`Uploader::reconfigure`]), so the
    /// pace keeps its learned rate and one limit binds the running uploads and the next ones.
    pub fn reconfigure(&self, client: crate::client::Client, concurrency: usize) {
        self.shared.uploader.reconfigure(client, concurrency);
        let limit = self.shared.uploader.concurrency();
        self.shared.handle(Event::SetLimit(limit));
    }

    /// Stops new uploads from starting; running ones finish.
    pub fn pause(&self) {
        self.shared.handle(Event::Pause);
    }

    /// Lets uploads start again after [`Queue::pause`].
    pub fn resume(&self) {
        self.shared.handle(Event::Resume);
    }

    /// Stops the batch: waiting links become interrupted (new ones recorded so in the history,
    /// in one transaction, before this returns); running ones finish and are recorded. Returns
    /// how many links were stopped.
    pub async fn cancel(&self) -> usize {
        let applied = self.shared.apply(Event::Cancel);
        self.shared.perform(applied.effects).await;
        applied.count
    }

    /// Queues again every failed or interrupted link (with `token`, if given) and returns how
    /// many. Held links stay held: only their own "Upload anyway" sends them.
    pub fn retry_failed(&self, token: Option<ApiToken>) -> usize {
        let which = Which::AllFailed;
        self.shared.handle(Event::Retry { which, token }).count
    }

    /// Queues again the failed, interrupted or held links among `ids` (with `token`, if given)
    /// and returns how many: a row's Retry, or its Upload anyway.
    pub fn retry(&self, ids: &[u64], token: Option<ApiToken>) -> usize {
        let which = Which::Rows(ids.to_vec());
        self.shared.handle(Event::Retry { which, token }).count
    }

    /// Takes the finished items (done, failed, interrupted, rejected) out of the queue; links
    /// waiting or running stay. The summary then counts only what is left, and "retry all
    /// failed" sees only that. Returns how many were taken out.
    pub fn clear(&self) -> usize {
        self.shared.handle(Event::Clear).count
    }

    /// Puts back the rows the last [`Queue::clear`] took out, as they were, under new ids (an
    /// id taken out is never seen again), and returns how many. A second Undo puts back
    /// nothing.
    pub fn undo_clear(&self) -> usize {
        self.shared.handle(Event::UndoClear).count
    }

    /// Takes the finished items among `ids` out of the queue, as "Remove" on a row does (the
    /// history keeps them); a link waiting or running is not removed. Returns how many were
    /// taken out.
    pub fn remove(&self, ids: &[u64]) -> usize {
        self.shared.handle(Event::Remove(ids.to_vec())).count
    }

    /// Every row and the counts again, as one change (each row takes its new number): after
    /// the language changed, a display takes them in the new words. Returns how many rows.
    pub fn say_again(&self) -> usize {
        self.shared.handle(Event::SayAgain).count
    }

    /// The counts now.
    pub fn summary(&self) -> Summary {
        self.shared.lock().summary()
    }

    /// Every item, oldest first, and the counts, numbered with the last change they include
    /// (for a display that starts late or starts again).
    pub fn snapshot(&self) -> QueueUpdate {
        self.shared.lock().snapshot()
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Batch> {
        lock(&self.batch)
    }

    /// Applies `event` and hands its update to the callback before any later change can be;
    /// returns what it did, its effects not run yet.
    fn apply(&self, event: Event) -> Applied {
        let mut batch = self.lock();
        let mut applied = batch.apply(event, Instant::now());
        let updates = std::mem::take(&mut applied.updates);
        if !updates.is_empty() {
            let emitting = lock(&self.emitting);
            drop(batch);
            updates
                .into_iter()
                .for_each(|update| (self.on_update)(update));
            drop(emitting);
        }
        applied
    }

    /// [`Shared::apply`], then its effects: uploads started and transfers stopped at once,
    /// history records written in the background.
    fn handle(self: &Arc<Self>, event: Event) -> Applied {
        let mut applied = self.apply(event);
        let effects = std::mem::take(&mut applied.effects);
        let later = self.start(effects);
        if !later.is_empty() {
            let shared = self.clone();
            self.runtime
                .spawn(async move { shared.record(later).await });
        }
        applied
    }

    /// Runs `effects`, waiting for the history records to be written.
    async fn perform(self: &Arc<Self>, effects: Vec<Effect>) {
        let later = self.start(effects);
        self.record(later).await;
    }

    /// Starts the uploads and stops the transfers among `effects`; returns the others.
    fn start(self: &Arc<Self>, effects: Vec<Effect>) -> Vec<Effect> {
        let mut later = Vec::new();
        for effect in effects {
            match effect {
                Effect::Start(starts) => {
                    for start in starts {
                        let shared = self.clone();
                        self.runtime.spawn(async move { shared.run(start).await });
                    }
                }
                Effect::StopTransfers(stops) => stops.iter().for_each(|stop| stop.cancel()),
                other => later.push(other),
            }
        }
        later
    }

    /// Writes the history records `effects` ask for, one after the other.
    async fn record(self: &Arc<Self>, effects: Vec<Effect>) {
        let Some(history) = self.history.clone() else {
            return;
        };
        for effect in effects {
            let history = history.clone();
            let written = tokio::task::spawn_blocking(move || match effect {
                Effect::RecordFailedFiles(failed) => {
                    for (record, report) in failed {
                        history.record_failed(record, &report, 0)?;
                    }
                    Ok(None)
                }
                Effect::ForgetQueued(record) => history.forget_queued(&[record]).map(|()| None),
                Effect::StopQueued(records) => history.interrupt_queued(&records).map(|()| None),
                Effect::RecordStopped(unsent) => {
                    let (ids, uploads): (Vec<u64>, Vec<NewUpload>) = unsent.into_iter().unzip();
                    let records = history.record_interrupted(&uploads)?;
                    Ok(Some(ids.into_iter().zip(records).collect::<Vec<_>>()))
                }
                Effect::Start(_) | Effect::StopTransfers(_) => Ok(None),
            })
            .await;
            match written {
                Ok(Ok(Some(records))) => {
                    self.apply(Event::RecordedStopped(records));
                }
                Ok(Ok(None)) => {}
                Ok(Err(error)) => tracing::warn!("could not write to the history: {error}"),
                Err(error) => tracing::warn!("the history write stopped: {error}"),
            }
        }
    }

    /// Runs one started item to its end: hosts a file first if it has to, then uploads.
    async fn run(self: Arc<Self>, start: Start) {
        let Start {
            id,
            token,
            given,
            retry_of,
            work,
        } = start;
        let (audio_url, hosted) = match work {
            Work::Upload { audio_url, hosted } => (audio_url, hosted),
            Work::HostThenUpload { path, stop, reuse } => {
                let (file_host, platform_token) = {
                    let hosting = lock(&self.hosting);
                    (hosting.file_host.clone(), hosting.platform_token.clone())
                };
                let Some(file_host) = file_host else {
                    let report = ErrorReport::from_code(crate::error::ErrorCode::FileUnreadable)
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
                    move |bytes| {
                        sent.handle(Event::FileSent { id, bytes });
                    },
                );
                let hosted = tokio::select! {
                    () = stop.cancelled() => {
                        self.handle(Event::TransferStopped(id));
                        return;
                    }
                    hosted = hosting => hosted,
                };
                match hosted {
                    Ok(hosted) => {
                        self.handle(Event::Hosted {
                            id,
                            hosted: hosted.clone(),
                        });
                        (hosted.file_url.clone(), Some(Box::new(hosted)))
                    }
                    Err(error) => {
                        let report = error.report();
                        // The file's record (made when it was taken) says why, too.
                        if let Some(record) = retry_of {
                            let failed = vec![(record, report.clone())];
                            self.record(vec![Effect::RecordFailedFiles(failed)]).await;
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
            file: hosted.map(|hosted| (given, hosted.file)),
        };
        let progress = self.clone();
        let settled = self
            .uploader
            .upload(&token, &job, move |step| {
                progress.handle(Event::Progress { id, step });
            })
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
        let warning = self.lock().warning_to_keep(id);
        let (Some(warning), Some(history)) = (warning, self.history.clone()) else {
            return;
        };
        let kept =
            tokio::task::spawn_blocking(move || history.record_warning(record, &warning)).await;
        if let Ok(Err(error)) = kept {
            tracing::warn!("could not keep the link check's warning in the history: {error}");
        }
    }

    fn finish(
        self: &Arc<Self>,
        id: u64,
        record: Option<RecordId>,
        result: Result<Uploaded, ErrorReport>,
    ) {
        self.handle(Event::Finished { id, record, result });
    }
}

#[cfg(test)]
mod tests;
