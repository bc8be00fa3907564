//! The one uploader, used by the app's queue and the command line alike: it records each upload
//! in the history before its first request, sends it under one concurrency limit and one shared
//! [`Pace`], decides (here and only here) whether to send it again, and settles the record.
//!
//! Only what the service did not take is sent again: refused connections, rate limits (429) and
//! server failures that come before any work (see [`Disposition`]). A request whose outcome is
//! unknown (no answer in time, a broken connection) is final: the service may have made an
//! `audio_id` for it, so the person is told to look in the history before pressing Retry.
//!
//! Waiting (for a rate limit's hold or a backoff) never holds a concurrency slot.
//!
//! The uploader owns its configuration: [`Uploader::reconfigure`] changes the client (address,
//! time limit) and the concurrency limit of the running uploader, so the pace keeps what it
//! learned of the service's rate and one limit binds every upload, running or waiting.

pub use crate::client::{Progress, UploadOutcome};

use crate::client::{Client, Disposition, UploadError};
use crate::history::{FileInfo, History, HistoryError, NewUpload, RecordId, Source};
use crate::pace::{Clearance, Pace};
use crate::text::redacted_link;
use crate::token::ApiToken;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

/// The most uploads that may run at once.
pub const MAX_CONCURRENCY: usize = 16;
/// How often an upload waiting for its turn asks the pace again.
pub(crate) const PACE_RECHECK: Duration = Duration::from_millis(20);

/// How late tokio's timer may wake: it keeps whole milliseconds.
const TIMER_GRANULARITY: Duration = Duration::from_millis(2);

/// Sleeps until `at`, waking within microseconds of it rather than tokio's millisecond: a
/// service that allows one request at a time refuses one that arrives even slightly early, so
/// turns a millisecond late or early at random would cost the pace several percent. The last
/// stretch is slept on a blocking thread, whose sleep is precise.
async fn sleep_precisely_until(at: Instant) {
    if let Some(coarse) = at.checked_sub(TIMER_GRANULARITY) {
        tokio::time::sleep_until(coarse.into()).await;
    }
    let rest = at.saturating_duration_since(Instant::now());
    if !rest.is_zero() {
        let _ = tokio::task::spawn_blocking(move || std::thread::sleep(rest)).await;
    }
}

/// One link to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadJob {
    /// The link as the person gave it (kept in the history).
    pub given: String,
    /// The address sent to the service.
    pub audio_url: Url,
    /// Which program sends it.
    pub source: Source,
    /// The history record this upload settles instead of adding one: a failed or interrupted
    /// one it retries, or the one made when it was queued; `None` for a new record.
    pub retry_of: Option<RecordId>,
    /// For a file from this computer (`audio_url` is then its hosted link): its name and what
    /// the history keeps of it.
    pub file: Option<(String, FileInfo)>,
}

impl UploadJob {
    /// A new upload of `audio_url`, given as `given`.
    pub fn new(given: impl Into<String>, audio_url: Url, source: Source) -> Self {
        Self {
            given: given.into(),
            audio_url,
            source,
            retry_of: None,
            file: None,
        }
    }
}

/// How an upload ended, and where it is recorded.
#[derive(Debug)]
pub struct Settled {
    /// The `audio_id` or the last error, and the requests made.
    pub outcome: UploadOutcome,
    /// Its history record, if the uploader has a history and could write it.
    pub record: Option<RecordId>,
    /// The first failure to write the history, if any: the upload went on regardless.
    pub not_recorded: Option<HistoryError>,
}

/// A concurrency limit that can change while uploads hold it: a smaller limit takes effect as
/// the slots held over it are given back, never by stopping an upload.
#[derive(Debug)]
struct Limit {
    slots: Arc<Semaphore>,
    /// The limit, and how many slots given back are to be taken out rather than reused.
    sizes: Mutex<LimitSizes>,
}

#[derive(Debug, Clone, Copy)]
struct LimitSizes {
    limit: usize,
    owed: usize,
}

/// A slot of a [`Limit`], given back (or taken out, after a shrink) when dropped.
struct Slot<'a> {
    permit: Option<OwnedSemaphorePermit>,
    limit: &'a Limit,
}

impl Limit {
    fn new(limit: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(limit)),
            sizes: Mutex::new(LimitSizes { limit, owed: 0 }),
        }
    }

    fn sizes(&self) -> std::sync::MutexGuard<'_, LimitSizes> {
        self.sizes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn get(&self) -> usize {
        self.sizes().limit
    }

    /// Makes the limit `limit`: more slots at once, or fewer as soon as they are given back.
    fn resize(&self, limit: usize) {
        let mut sizes = self.sizes();
        if limit > sizes.limit {
            let more = limit - sizes.limit;
            let repaid = more.min(sizes.owed);
            sizes.owed -= repaid;
            self.slots.add_permits(more - repaid);
        } else {
            let fewer = sizes.limit - limit;
            let free = self.slots.forget_permits(fewer);
            sizes.owed += fewer - free;
        }
        sizes.limit = limit;
    }

    async fn acquire(&self) -> Slot<'_> {
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the uploader never closes its semaphore");
        Slot {
            permit: Some(permit),
            limit: self,
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut sizes = self.limit.sizes();
        if let Some(permit) = self.permit.take() {
            if sizes.owed > 0 {
                sizes.owed -= 1;
                permit.forget();
            }
        }
    }
}

/// What every clone of an [`Uploader`] shares: the client, the limit and the pace.
#[derive(Debug)]
struct Engine {
    client: RwLock<Client>,
    limit: Limit,
    pace: Pace,
}

/// Runs uploads through one client under one concurrency limit and one pace, shared by every
/// caller. Cheap to clone; clones share the client, the limit and the pace, and see a
/// [`Uploader::reconfigure`] made through any of them.
#[derive(Debug, Clone)]
pub struct Uploader {
    engine: Arc<Engine>,
    history: Option<Arc<History>>,
}

impl Uploader {
    /// An uploader that runs at most `concurrency` uploads at once (clamped to
    /// 1..=[`MAX_CONCURRENCY`]) and records nothing.
    pub fn new(client: Client, concurrency: usize) -> Self {
        Self {
            engine: Arc::new(Engine {
                client: RwLock::new(client),
                limit: Limit::new(concurrency.clamp(1, MAX_CONCURRENCY)),
                pace: Pace::default(),
            }),
            history: None,
        }
    }

    /// The same uploader, recording every upload in `history`.
    pub fn with_history(mut self, history: Arc<History>) -> Self {
        self.history = Some(history);
        self
    }

    /// Sends through `client` from the next attempt on and runs at most `concurrency` uploads
    /// at once (clamped as in [`Uploader::new`]), for every clone. The pace keeps what it
    /// learned; running uploads keep their slots, and a smaller limit binds as they end.
    pub fn reconfigure(&self, client: Client, concurrency: usize) {
        *self
            .engine
            .client
            .write()
            .unwrap_or_else(PoisonError::into_inner) = client;
        self.engine
            .limit
            .resize(concurrency.clamp(1, MAX_CONCURRENCY));
    }

    /// The client uploads go through now.
    pub fn client(&self) -> Client {
        self.engine
            .client
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The most uploads this uploader runs at once.
    pub fn concurrency(&self) -> usize {
        self.engine.limit.get()
    }

    /// The shared pace, in requests per second, once the service has limited the rate.
    pub fn pace(&self) -> Option<f64> {
        self.engine.pace.rate()
    }

    /// Uploads one link: records it as pending just before its first request, sends it (again
    /// only if the service did not take it), and settles the record. `on_progress` hears of
    /// each attempt as it starts and of each wait.
    pub async fn upload(
        &self,
        token: &ApiToken,
        job: &UploadJob,
        mut on_progress: impl FnMut(Progress) + Send,
    ) -> Settled {
        on_progress(Progress::Queued);
        let policy = self.client().config().retry;
        let mut record = Recording::default();
        let mut first_sent: Option<Instant> = None;
        let (mut attempts, mut failures, mut rate_limit_waits) = (0, 0, 0);
        let result = loop {
            self.wait_for_hold(&mut on_progress).await;
            let slot = self.engine.limit.acquire().await;
            if !self.take_turn().await {
                continue;
            }
            if first_sent.is_none() {
                record.start(self.history.clone(), job).await;
                first_sent = Some(Instant::now());
            }
            let elapsed = first_sent.map_or(Duration::ZERO, |at| at.elapsed());
            attempts += 1;
            on_progress(Progress::Uploading { attempt: attempts });
            let sent = Instant::now();
            let result = self.client().attempt(token, &job.audio_url).await;
            drop(slot);
            let error = match result {
                Ok(uploaded) => {
                    self.engine.pace.accepted(Instant::now());
                    break Ok(uploaded);
                }
                Err(error) => error,
            };
            match error.disposition() {
                Disposition::RateLimited => {
                    let now = Instant::now();
                    let until = self.engine.pace.refused(now, sent, error.retry_after());
                    rate_limit_waits += 1;
                    if !policy.may_wait_for_rate_limit(rate_limit_waits - 1, until - now, elapsed) {
                        break Err(error);
                    }
                    tracing::debug!(audio_url = %redacted_link(&job.audio_url), attempts, "rate limited");
                    // Its own wait, without a slot; the others go on at the pace.
                    on_progress(waiting(until - now, &error));
                    tokio::time::sleep_until(until.into()).await;
                }
                Disposition::NotTaken => {
                    failures += 1;
                    let Some(wait) = policy.next_wait(failures, error.retry_after(), elapsed)
                    else {
                        break Err(error);
                    };
                    tracing::debug!(audio_url = %redacted_link(&job.audio_url), attempts, ?wait, %error, "retrying upload");
                    on_progress(waiting(wait, &error));
                    tokio::time::sleep(wait).await;
                }
                Disposition::Final => break Err(error),
            }
        };
        let outcome = UploadOutcome { result, attempts };
        record.settle(&outcome).await;
        Settled {
            outcome,
            record: record.id,
            not_recorded: record.error,
        }
    }

    /// Waits for this upload's turn at the shared pace, holding its slot (a short wait: one
    /// request's spacing for each upload ahead of it). False when a hold begins meanwhile: the
    /// slot is to be given back.
    async fn take_turn(&self) -> bool {
        loop {
            let now = Instant::now();
            match self.engine.pace.clearance(now) {
                Clearance::Go => return true,
                Clearance::HeldUntil(_) => return false,
                // Asked again at least every 20 ms: the pace may rise meanwhile.
                Clearance::NotBefore(at) => sleep_precisely_until(at.min(now + PACE_RECHECK)).await,
            }
        }
    }

    /// Waits out a hold on every upload (after a rate limit), without a slot.
    async fn wait_for_hold(&self, on_progress: &mut (impl FnMut(Progress) + Send)) {
        while let Some(until) = self.engine.pace.held_until(Instant::now()) {
            on_progress(Progress::Waiting {
                seconds: until
                    .saturating_duration_since(Instant::now())
                    .as_secs_f64()
                    .ceil() as u64,
                rate_limited: true,
                code: crate::error::ErrorCode::TooManyRequests.as_str().to_owned(),
            });
            tokio::time::sleep_until(until.into()).await;
        }
    }
}

fn waiting(wait: Duration, error: &UploadError) -> Progress {
    Progress::Waiting {
        seconds: wait.as_secs_f64().ceil() as u64,
        rate_limited: error.is_rate_limited(),
        code: error.code().as_str().to_owned(),
    }
}

/// One upload's history record.
#[derive(Default)]
struct Recording {
    history: Option<Arc<History>>,
    id: Option<RecordId>,
    error: Option<HistoryError>,
}

impl Recording {
    /// Records the upload about to be sent: a new pending record, or the failed one made
    /// pending again for a retry (a new record if that one cannot be, so the id is never
    /// unrecorded).
    async fn start(&mut self, history: Option<Arc<History>>, job: &UploadJob) {
        let Some(history) = history else { return };
        self.history = Some(history.clone());
        let upload = NewUpload {
            given_url: job.given.clone(),
            audio_url: job.audio_url.clone(),
            source: job.source,
        };
        let retry_of = job.retry_of;
        let file = job.file.clone();
        let recorded = tokio::task::spawn_blocking(move || match (retry_of, file) {
            // A file recorded when it was taken gets its hosted link now.
            (Some(id), Some((name, file))) => history
                .mark_retrying_file(id, &upload.audio_url, &file)
                .map(|_| id)
                .or_else(|_| history.record_pending_file(&upload, &name, &file)),
            (Some(id), None) => history
                .mark_retrying(id)
                .map(|_| id)
                .or_else(|_| history.record_pending(&upload)),
            (None, Some((name, file))) => history.record_pending_file(&upload, &name, &file),
            (None, None) => history.record_pending(&upload),
        })
        .await;
        match recorded {
            Ok(Ok(id)) => self.id = Some(id),
            Ok(Err(error)) => {
                tracing::warn!("could not record the upload in the history: {error}");
                self.error = Some(error);
            }
            Err(_) => {}
        }
    }

    /// Records how the upload ended.
    async fn settle(&mut self, outcome: &UploadOutcome) {
        let (Some(history), Some(id)) = (self.history.clone(), self.id) else {
            return;
        };
        let result = outcome.result.clone().map_err(|error| error.report());
        let attempts = outcome.attempts;
        let recorded = tokio::task::spawn_blocking(move || match &result {
            Ok(uploaded) => history.record_done(id, uploaded, attempts),
            Err(report) => history.record_failed(id, report, attempts),
        })
        .await;
        if let Ok(Err(error)) = recorded {
            tracing::warn!("could not record the result in the history: {error}");
            self.error.get_or_insert(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_limit_made_smaller_binds_as_slots_held_over_it_are_given_back() {
        let limit = Limit::new(3);
        let held: Vec<_> = futures::future::join_all((0..3).map(|_| limit.acquire())).await;
        limit.resize(1);
        assert_eq!(limit.get(), 1);
        let mut held = held.into_iter();
        drop(held.next());
        drop(held.next());
        assert_eq!(
            limit.slots.available_permits(),
            0,
            "two slots are taken out"
        );
        drop(held.next());
        assert_eq!(limit.slots.available_permits(), 1);
        let one = limit.acquire().await;
        assert_eq!(limit.slots.available_permits(), 0);
        limit.resize(4);
        assert_eq!(limit.slots.available_permits(), 3);
        drop(one);
        assert_eq!(limit.slots.available_permits(), 4);
        // Made smaller and larger again while slots are held: nothing is owed twice.
        let held: Vec<_> = futures::future::join_all((0..4).map(|_| limit.acquire())).await;
        limit.resize(2);
        limit.resize(3);
        drop(held);
        assert_eq!(limit.slots.available_permits(), 3);
    }

    #[tokio::test]
    async fn a_turn_never_wakes_before_its_time() {
        // A request that leaves early is refused by a service that allows one at a time.
        for micros in [0, 300, 1_700, 2_300, 20_450] {
            let at = Instant::now() + Duration::from_micros(micros);
            sleep_precisely_until(at).await;
            assert!(Instant::now() >= at, "woke early for a wait of {micros} µs");
        }
    }
}
