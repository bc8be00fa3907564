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
//! write). One task owns that batch ([`run`]): a [`Queue`] is a handle that sends it messages,
//! and the uploads it starts report back to it the same way; no lock guards the list.
//!
//! Every change takes the next number of one counter: the update carries it as its `sequence`,
//! and each item it changed carries it as its `revision`. Updates reach the callback in that
//! order, one at a time, from the owning task, so a display that applies an item only when its
//! revision is newer than what it has, and a summary only when its sequence is, always ends on
//! the newest state. A method that changes the batch returns once its change is applied and its
//! update sent.
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

use crate::batch::Uploader;
use crate::error::ErrorReport;
use crate::filehost::{self, FileHost};
use crate::history::{History, NewUpload, RecordId, Source};
use crate::intake::Taken;
use crate::preflight::{preflight, LinkClient, CHECKS_AT_ONCE};
pub use crate::summary::Summary;
use crate::token::{ApiToken, PlatformToken};
use event::{Event, NewFile, NewLink, Piece, Which};
use futures::StreamExt;
use item::{lock, FileItem};
use rules::Batch;
use run::{ask, read, tell, Context, Hosting, Inbox};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::runtime::Handle;
use tokio::sync::watch;

mod event;
mod item;
mod rules;
mod run;
mod view;
pub use view::*;

/// The batch queue: a handle on the task that owns the batch. Cheap to clone; clones share one
/// queue, which runs until the last handle is dropped and its running uploads have ended.
#[derive(Clone)]
pub struct Queue {
    context: Arc<Context>,
    inbox: Inbox,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("summary", &self.summary())
            .finish_non_exhaustive()
    }
}

/// How soon a file waiting for its turn to arrive asks again.
const RECEIVE_AGAIN: Duration = Duration::from_millis(100);

/// `ids` sorted by the place each was given at (`order`, the same length).
fn in_order(order: Vec<usize>, ids: Vec<u64>) -> Vec<u64> {
    let mut placed: Vec<(usize, u64)> = order.into_iter().zip(ids).collect();
    placed.sort_unstable();
    placed.into_iter().map(|(_, id)| id).collect()
}

impl Queue {
    /// A queue uploading through `uploader`, recording in `history` (if any), and calling
    /// `on_update` after every change. Must be made inside a tokio runtime, which runs its task
    /// and the uploads.
    pub fn new(uploader: Uploader, history: Option<Arc<History>>, on_update: OnUpdate) -> Self {
        Self::for_source(Source::App, uploader, history, on_update)
    }

    /// [`Queue::new`], its uploads recorded as made by `source` (the command, say).
    pub fn for_source(
        source: Source,
        uploader: Uploader,
        history: Option<Arc<History>>,
        on_update: OnUpdate,
    ) -> Self {
        let uploader = match &history {
            Some(history) => uploader.with_history(history.clone()),
            None => uploader,
        };
        let context = Arc::new(Context {
            history,
            on_update,
            uploader,
            source,
            hosting: Mutex::new(Hosting::default()),
            summary: watch::Sender::new(Summary::default()),
            runtime: Handle::current(),
        });
        let inbox = run::start(context.clone());
        Self { context, inbox }
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
            let url = read(&self.inbox, move |batch| batch.link_to_check(id)).await?;
            let report = preflight(http, &url, timeout, api_is_local).await;
            report.is_warning().then_some((id, report))
        });
        let mut found = futures::stream::iter(checks).buffer_unordered(CHECKS_AT_ONCE);
        while let Some(found) = found.next().await {
            if let Some((id, report)) = found {
                ask(&self.inbox, Event::Checked { id, report }).await;
            }
        }
    }

    /// Queues `links`, to be uploaded with `token` (which also replaces the token for links
    /// still waiting), and returns their item ids.
    pub async fn add(&self, token: ApiToken, links: Vec<QueueLink>) -> Vec<u64> {
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
        ask(&self.inbox, Event::AddLinks { token, links }).await.ids
    }

    /// Lists what the one intake took ([`crate::intake::take`]), in the order given: the rows
    /// not to send as they are, and the links to send with the token `token` gives (asked for
    /// only when there is a link to send), or, without a usable one, as failed with why, to be
    /// retried once there is one. Returns every row's id in the order given, and the ids of the
    /// links queued to be sent.
    pub async fn add_taken(
        &self,
        taken: Vec<Taken>,
        token: impl std::future::Future<Output = Result<ApiToken, ErrorReport>>,
    ) -> (Vec<u64>, Vec<u64>) {
        let mut send = Vec::new();
        let mut unsent = Vec::new();
        for (index, taken) in taken.into_iter().enumerate() {
            match taken {
                Taken::Send(link) => send.push((index, link)),
                Taken::Unsent(row) => unsent.push((index, row)),
                // Sent once, under the first.
                Taken::Again { .. } => {}
            }
        }
        let (mut order, unsent): (Vec<usize>, Vec<Unsent>) = unsent.into_iter().unzip();
        let mut ids = self.add_unsent(unsent).await;
        let (indices, send): (Vec<usize>, Vec<QueueLink>) = send.into_iter().unzip();
        order.extend(indices);
        let mut queued = Vec::new();
        if !send.is_empty() {
            match token.await {
                Ok(token) => queued = self.add(token, send).await,
                Err(why) => {
                    let failed = send.into_iter().map(|link| Unsent {
                        given: link.given,
                        audio_url: Some(link.audio_url),
                        error: why.clone(),
                        notes: link.notes,
                        held: false,
                    });
                    ids.extend(self.add_unsent(failed.collect()).await);
                }
            }
        }
        ids.extend(queued.iter().copied());
        (in_order(order, ids), queued)
    }

    /// Records the new links among `links` (those retrying no record) in the history as queued,
    /// in one transaction, so that a crash before they are sent leaves them interrupted rather
    /// than forgotten. Returns their record ids in order, or none if the history cannot be
    /// written (they are then recorded when sent).
    fn record_queued(&self, links: &[QueueLink]) -> Vec<RecordId> {
        let Some(history) = &self.context.history else {
            return Vec::new();
        };
        let uploads: Vec<NewUpload> = links
            .iter()
            .filter(|link| link.retry_of.is_none())
            .map(|link| NewUpload {
                given_url: link.given.clone(),
                audio_url: link.audio_url.clone(),
                source: self.context.source,
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
        let (Some(history), false) = (&self.context.history, files.is_empty()) else {
            return Vec::new();
        };
        history
            .record_queued_files(files, self.context.source)
            .unwrap_or_else(|error| {
                tracing::warn!("could not record the files taken in the history: {error}");
                Vec::new()
            })
    }

    /// Whether file `id`'s bytes may start arriving now: files are received only a few
    /// ([`RECEIVE_AHEAD`]) ahead of hosting, so a slow host never fills the disk with copies
    /// waiting their turn. A file already arriving goes on.
    pub async fn may_receive(&self, id: u64) -> ReceiveTurn {
        read(&self.inbox, move |batch| batch.may_receive(id)).await
    }

    /// Lists things given that were not sent, with the reason: rejected for good when they have
    /// no address, held for the musician's OK or failed (and retryable) when they have one.
    /// Returns their item ids.
    pub async fn add_unsent(&self, unsent: Vec<Unsent>) -> Vec<u64> {
        ask(&self.inbox, Event::AddUnsent(unsent)).await.ids
    }

    /// Queues files from this computer (hosted on the file host set with
    /// [`Queue::set_file_host`], then uploaded with `token`, which also replaces the token for
    /// links still waiting) and returns their item ids. A file still arriving waits for its
    /// last piece ([`Queue::receive`]) before it is queued.
    pub async fn add_files(&self, token: ApiToken, files: Vec<QueueFile>) -> Vec<u64> {
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
        ask(&self.inbox, Event::AddFiles { token, files }).await.ids
    }

    /// Puts done files whose earlier hosted link was reused ([`ItemView::can_host_again`]) on
    /// the file host again, each as a new row that reuses nothing: a new link, a new audio ID
    /// and a new history record. The rows they came from keep their IDs and hand their bytes
    /// (a received copy included) to the new rows. Returns the new rows' ids.
    pub async fn host_again(&self, ids: &[u64]) -> Vec<u64> {
        let taken = ask(&self.inbox, Event::TakeForHostAgain(ids.to_vec()))
            .await
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
        ask(&self.inbox, Event::AddHostedAgain(again)).await.ids
    }

    /// Writes the piece of file `id` that starts at `offset` (on a thread that may block on the
    /// disk); the file is queued once its last piece is in. Returns true to ask for more, false
    /// when the item no longer wants pieces (stopped, removed, refused as not audio: its row
    /// says why) or has them all. A piece that cannot be written fails the item.
    pub async fn receive(&self, id: u64, offset: u64, bytes: impl Into<Vec<u8>>) -> bool {
        let bytes = bytes.into();
        let Some(incoming) = read(&self.inbox, move |batch| batch.incoming(id)).await else {
            return false;
        };
        // Written outside the queue's task: other items go on meanwhile.
        let written = tokio::task::spawn_blocking(move || {
            let mut incoming = lock(&incoming);
            let before = incoming.received();
            match incoming.write_at(offset, &bytes) {
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
        })
        .await;
        let Ok(piece) = written else {
            return false;
        };
        ask(&self.inbox, Event::Received { id, piece })
            .await
            .wants_more
    }

    /// [`Queue::receive`], once it is this file's turn to arrive ([`Queue::may_receive`]): a
    /// new file waits while enough others wait for the file host (whoever hands it over waits
    /// meanwhile, and reads no further). Returns false, writing nothing, when the file no
    /// longer wants its bytes.
    pub async fn receive_in_turn(&self, id: u64, offset: u64, bytes: impl Into<Vec<u8>>) -> bool {
        loop {
            match self.may_receive(id).await {
                ReceiveTurn::Now => return self.receive(id, offset, bytes).await,
                ReceiveTurn::Later => tokio::time::sleep(RECEIVE_AGAIN).await,
                ReceiveTurn::Never => return false,
            }
        }
    }

    /// Fails file `id` while it is still arriving, with `error` (the window could not read it).
    pub async fn fail_incoming(&self, id: u64, error: ErrorReport) {
        ask(&self.inbox, Event::FailIncoming { id, error }).await;
    }

    /// Fails every file still arriving: the window that was handing them over started again
    /// (a reload) and its pieces will not come.
    pub async fn abandon_incoming(&self) {
        ask(&self.inbox, Event::AbandonIncoming).await;
    }

    /// Stops the files among `ids` that are not yet sent to the Producer API: arriving, waiting,
    /// being checked or hosted (the transfer ends). They become interrupted; one stopped while
    /// arriving cannot be retried (its bytes never came). Returns how many were stopped.
    pub async fn stop(&self, ids: &[u64]) -> usize {
        ask(&self.inbox, Event::Stop(ids.to_vec())).await.count
    }

    /// Files from now on are hosted through `host` (new settings, say).
    pub fn set_file_host(&self, host: FileHost) {
        lock(&self.context.hosting).file_host = Some(host);
    }

    /// Whether files hosted from now on may reuse the link of the same file hosted before (by
    /// default they may; the command's `--no-reuse` says not).
    pub fn set_reuse_hosted(&self, reuse: bool) {
        lock(&self.context.hosting).reuse = reuse;
    }

    /// Files hosted from now on use `token`; without one, a file whose content was never
    /// hosted fails with `platform_token_missing` (and can be retried once there is one).
    pub fn set_platform_token(&self, token: Option<PlatformToken>) {
        lock(&self.context.hosting).platform_token = token;
    }

    /// Sends through `client` and runs at most `concurrency` uploads at once from now on (new
    /// settings): the queue's uploader is changed in place ([`Uploader::reconfigure`]), so the
    /// pace keeps its learned rate and one limit binds the running uploads and the next ones.
    pub fn reconfigure(&self, client: crate::client::Client, concurrency: usize) {
        self.context.uploader.reconfigure(client, concurrency);
        tell(
            &self.inbox,
            Event::SetLimit(self.context.uploader.concurrency()),
        );
    }

    /// Stops new uploads from starting; running ones finish. Returns the counts then.
    pub async fn pause(&self) -> Summary {
        ask(&self.inbox, Event::Pause).await;
        self.summary()
    }

    /// Lets uploads start again after [`Queue::pause`]. Returns the counts then.
    pub async fn resume(&self) -> Summary {
        ask(&self.inbox, Event::Resume).await;
        self.summary()
    }

    /// Stops the batch: waiting links become interrupted (new ones recorded so in the history,
    /// in one transaction, before this returns); running ones finish and are recorded. Returns
    /// how many links were stopped.
    pub async fn cancel(&self) -> usize {
        ask(&self.inbox, Event::Cancel).await.count
    }

    /// Queues again every failed or interrupted link (with `token`, if given) and returns how
    /// many. Held links stay held: only their own "Upload anyway" sends them.
    pub async fn retry_failed(&self, token: Option<ApiToken>) -> usize {
        let which = Which::AllFailed;
        ask(&self.inbox, Event::Retry { which, token }).await.count
    }

    /// Queues again the failed, interrupted or held links among `ids` (with `token`, if given)
    /// and returns how many: a row's Retry, or its Upload anyway.
    pub async fn retry(&self, ids: &[u64], token: Option<ApiToken>) -> usize {
        let which = Which::Rows(ids.to_vec());
        ask(&self.inbox, Event::Retry { which, token }).await.count
    }

    /// Takes the finished items (done, failed, interrupted, rejected) out of the queue; links
    /// waiting or running stay. The summary then counts only what is left, and "retry all
    /// failed" sees only that. Returns how many were taken out.
    pub async fn clear(&self) -> usize {
        ask(&self.inbox, Event::Clear).await.count
    }

    /// Puts back the rows the last [`Queue::clear`] took out, as they were, under new ids (an
    /// id taken out is never seen again), and returns how many. A second Undo puts back
    /// nothing.
    pub async fn undo_clear(&self) -> usize {
        ask(&self.inbox, Event::UndoClear).await.count
    }

    /// Takes the finished items among `ids` out of the queue, as "Remove" on a row does (the
    /// history keeps them); a link waiting or running is not removed. Returns how many were
    /// taken out.
    pub async fn remove(&self, ids: &[u64]) -> usize {
        ask(&self.inbox, Event::Remove(ids.to_vec())).await.count
    }

    /// Every row and the counts again, as one change (each row takes its new number): after
    /// the language changed, a display takes them in the new words. Returns how many rows.
    pub async fn say_again(&self) -> usize {
        ask(&self.inbox, Event::SayAgain).await.count
    }

    /// The counts after the last change.
    pub fn summary(&self) -> Summary {
        *self.context.summary.borrow()
    }

    /// True when a row shows `link`: as given, as sent, or as its file's hosted link.
    pub async fn lists_link(&self, link: &str) -> bool {
        let link = link.to_owned();
        read(&self.inbox, move |batch| batch.lists_link(&link)).await
    }

    /// Every item, oldest first, and the counts, numbered with the last change they include
    /// (for a display that starts late or starts again).
    pub async fn snapshot(&self) -> QueueUpdate {
        read(&self.inbox, Batch::snapshot).await
    }
}

#[cfg(test)]
mod tests;
