//! The songs engine the window and the command share: it records each generation before its
//! request, sends it (in the form the history knows for the audio ID, the other form at most
//! once after a 400 about the action or the ID), never sends again by itself a request whose
//! answer was lost, and polls every running task through one shared poller. Every change is a
//! numbered [`SongsUpdate`].

use super::client::SongsClient;
use super::params::{AudioKind, SongRequest};
use super::poll::{Gate, Next, Watchlist};
use super::store::{self, Generation, GenerationId};
use super::task::{TaskRecord, TaskState};
use crate::client::{Disposition, UploadError};
use crate::error::{ErrorCode, ErrorReport};
use crate::history::History;
use crate::token::ApiToken;
use crate::tr;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};
use tokio::time::Instant;

/// How patiently the engine polls.
#[derive(Debug, Clone, Copy)]
pub struct EngineConfig {
    /// The first poll of a task comes this long after it started (the docs: 5 to 10 s).
    pub first_poll: Duration,
    /// Then it is polled this often.
    pub poll_every: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            first_poll: Duration::from_secs(5),
            poll_every: Duration::from_secs(3),
        }
    }
}

/// One change, numbered: the window applies the newest of each generation.
#[derive(Debug, Clone, Serialize)]
pub struct SongsUpdate {
    /// Increases by one with each update of this engine.
    pub seq: u64,
    /// What changed.
    #[serde(flatten)]
    pub change: Change,
}

/// What an update carries.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A generation as it now is.
    Generation {
        /// The generation.
        generation: Box<Generation>,
    },
    /// Polling failed (no connection, a refused token): the tasks keep running and are asked
    /// about again later.
    PollFailed {
        /// Why.
        error: ErrorReport,
    },
}

/// The songs engine; cheap to clone. Its poller runs until the last clone is dropped.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    history: Arc<History>,
    client: SongsClient,
    token: RwLock<ApiToken>,
    config: EngineConfig,
    updates: broadcast::Sender<SongsUpdate>,
    seq: AtomicU64,
    watchlist: Watchlist,
    /// Generations whose request is on its way (their task ID has not come yet).
    sending: Mutex<BTreeSet<GenerationId>>,
    gate: Gate,
    wake: Arc<Notify>,
}

impl Engine {
    /// Starts the engine and its poller on the current Tokio runtime; generations the history
    /// has running (from an earlier run) are polled again at once.
    pub fn start(
        history: Arc<History>,
        client: SongsClient,
        token: ApiToken,
        config: EngineConfig,
    ) -> Result<Self, ErrorReport> {
        let (updates, _) = broadcast::channel(1024);
        let gate = Gate::shared(Arc::clone(&history));
        let inner = Arc::new(Inner {
            history,
            client,
            token: RwLock::new(token),
            config,
            updates,
            seq: AtomicU64::new(0),
            watchlist: Watchlist::default(),
            sending: Mutex::default(),
            gate,
            wake: Arc::new(Notify::new()),
        });
        for generation in store::running(&inner.history).map_err(|error| error.report())? {
            if let Some(task_id) = &generation.task_id {
                inner
                    .watchlist
                    .watch(task_id, generation.id, Duration::ZERO);
            }
        }
        tokio::spawn(poll_loop(Arc::downgrade(&inner), Arc::clone(&inner.wake)));
        Ok(Self { inner })
    }

    /// Uses another token from now on (the musician saved a new one).
    pub fn set_token(&self, token: ApiToken) {
        *self
            .inner
            .token
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = token;
        self.inner.wake.notify_one();
    }

    /// How many songs are being made: generations whose request is on its way, or whose task
    /// is followed until it is ready or failed. A generation whose outcome is unknown is not
    /// one of them: it is never sent again by itself.
    pub fn making(&self) -> usize {
        let mut ids = self.inner.sending().clone();
        ids.extend(self.inner.watchlist.generations());
        ids.len()
    }

    /// Every update from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<SongsUpdate> {
        self.inner.updates.subscribe()
    }

    /// Checks, records and sends a new generation; returns it as it stands once the service
    /// answered (pending with its task ID, failed, or unknown). Nothing is sent when a value is
    /// out of range or the history cannot record it.
    pub async fn generate(&self, request: SongRequest) -> Result<Generation, ErrorReport> {
        request.validate()?;
        let id = store::record_sending(&self.inner.history, &request).map_err(|e| e.report())?;
        self.inner.send_counted(id, &request).await
    }

    /// Sends again, on the musician's request, a generation whose outcome is unknown or that
    /// failed: the same record, a new request.
    pub async fn send_again(&self, id: GenerationId) -> Result<Generation, ErrorReport> {
        let generation = self.get(id)?;
        store::mark_sending(&self.inner.history, id).map_err(|_| {
            ErrorReport::from_code(ErrorCode::InvalidSetting).with_words("song-not-resendable", [])
        })?;
        self.inner.send_counted(id, &generation.request).await
    }

    /// Asks the service about a generation now (through the shared poller). A request whose
    /// answer never came has no task ID to ask about: that is said, with what to do.
    pub fn check_again(&self, id: GenerationId) -> Result<Generation, ErrorReport> {
        let generation = self.get(id)?;
        match &generation.task_id {
            Some(task_id) if !generation.state.is_final() => {
                self.inner.watchlist.watch(task_id, id, Duration::ZERO);
                self.inner.wake.notify_one();
                Ok(generation)
            }
            Some(_) => Ok(generation),
            None if generation.state.label() == "unknown" => {
                Err(ErrorReport::from_code(ErrorCode::OutcomeUnknown)
                    .with_words("song-no-task-id", []))
            }
            None => Ok(generation),
        }
    }

    /// Follows a task by its ID: the one in the history, or one this computer has not seen
    /// (looked up once, then recorded).
    pub async fn follow(&self, task_id: &str) -> Result<Generation, ErrorReport> {
        if let Some(generation) =
            store::by_task_id(&self.inner.history, task_id).map_err(|e| e.report())?
        {
            if generation.state.is_running() {
                self.inner
                    .watchlist
                    .watch(task_id, generation.id, Duration::ZERO);
                self.inner.wake.notify_one();
            }
            return Ok(generation);
        }
        self.inner.gate.turn().await;
        let token = self.inner.token();
        let record = match self.inner.client.retrieve(&token, task_id).await {
            Ok(record) => record,
            Err(error) if error.status() == Some(404) => {
                return Err(ErrorReport {
                    status: Some(404),
                    ..error.report()
                }
                .with_words("song-no-such-task", [("task_id", task_id.into())]))
            }
            Err(error) => {
                if error.is_rate_limited() {
                    self.inner.gate.hold(error.retry_after()).await;
                }
                return Err(error.report());
            }
        };
        let request = request_of(&record, task_id);
        let id = store::record_known_task(&self.inner.history, &request, task_id)
            .map_err(|e| e.report())?;
        self.inner.apply(id, task_id, &record);
        self.get(id)
    }

    /// Asks the service now (one request, in turn with the poller) about those of `ids` still
    /// running, and returns them all as they then stand.
    pub async fn refresh(&self, ids: &[GenerationId]) -> Result<Vec<Generation>, ErrorReport> {
        let mut asked = Vec::new();
        for id in ids {
            let generation = self.get(*id)?;
            if let (Some(task_id), true) = (&generation.task_id, generation.state.is_running()) {
                asked.push((task_id.clone(), *id));
            }
        }
        if !asked.is_empty() {
            self.inner.gate.turn().await;
            let task_ids: Vec<String> = asked.iter().map(|(task_id, _)| task_id.clone()).collect();
            match self
                .inner
                .client
                .retrieve_batch(&self.inner.token(), &task_ids)
                .await
            {
                Ok(records) => self.inner.take_in(&asked, &records),
                Err(error) => {
                    if error.is_rate_limited() {
                        self.inner.gate.hold(error.retry_after()).await;
                    }
                    return Err(error.report());
                }
            }
        }
        ids.iter().map(|id| self.get(*id)).collect()
    }

    /// One generation as the history has it.
    pub fn get(&self, id: GenerationId) -> Result<Generation, ErrorReport> {
        store::get(&self.inner.history, id)
            .map_err(|e| e.report())?
            .ok_or_else(|| not_found(id))
    }

    /// Generations, newest first.
    pub fn list(&self, limit: Option<u32>) -> Result<Vec<Generation>, ErrorReport> {
        store::list(&self.inner.history, limit).map_err(|e| e.report())
    }

    /// Waits until every one of `ids` has ended (succeeded, failed or unknown) and returns
    /// them; `on_change` sees meanwhile each change of theirs (for a progress display) and each
    /// failed poll (polling goes on). A refused token while polling ends the wait with that
    /// error.
    pub async fn wait(
        &self,
        ids: &[GenerationId],
        mut on_change: impl FnMut(&Change),
    ) -> Result<Vec<Generation>, ErrorReport> {
        let mut updates = self.subscribe();
        loop {
            let now: Vec<Generation> = ids
                .iter()
                .map(|id| self.get(*id))
                .collect::<Result<_, _>>()?;
            if now.iter().all(|generation| generation.state.is_final()) {
                return Ok(now);
            }
            match updates.recv().await {
                Ok(SongsUpdate {
                    change: Change::PollFailed { error },
                    ..
                }) if error.code.is_token_problem() => return Err(error),
                Ok(SongsUpdate { change, .. }) => {
                    let ours = match &change {
                        Change::Generation { generation } => ids.contains(&generation.id),
                        Change::PollFailed { .. } => true,
                    };
                    if ours {
                        on_change(&change);
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => {
                    return Err(ErrorReport::from_code(ErrorCode::Network))
                }
            }
        }
    }
}

impl Inner {
    fn token(&self) -> ApiToken {
        self.token
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn sending(&self) -> std::sync::MutexGuard<'_, BTreeSet<GenerationId>> {
        self.sending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Tells everyone a recorded generation is on its way, and sends it; it counts as being
    /// made (see [`Engine::making`]) until the service answered.
    async fn send_counted(
        &self,
        id: GenerationId,
        request: &SongRequest,
    ) -> Result<Generation, ErrorReport> {
        /// Takes the generation out of those being sent however sending ends (a dropped
        /// future included).
        struct Sent<'a>(&'a Inner, GenerationId);
        impl Drop for Sent<'_> {
            fn drop(&mut self) {
                self.0.sending().remove(&self.1);
            }
        }
        self.sending().insert(id);
        let _sent = Sent(self, id);
        self.publish_generation(id);
        self.send(id, request).await
    }

    fn publish(&self, change: Change) {
        let seq = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
        // Nobody listening is fine: the history has it.
        let _ = self.updates.send(SongsUpdate { seq, change });
    }

    fn publish_generation(&self, id: GenerationId) {
        match store::get(&self.history, id) {
            Ok(Some(generation)) => self.publish(Change::Generation {
                generation: Box::new(generation),
            }),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "could not read a generation back"),
        }
    }

    /// Records `state` and tells everyone.
    fn settle(&self, id: GenerationId, state: &TaskState) -> Result<Generation, ErrorReport> {
        store::record_state(&self.history, id, state).map_err(|e| e.report())?;
        self.publish_generation(id);
        store::get(&self.history, id)
            .map_err(|e| e.report())?
            .ok_or_else(|| not_found(id))
    }

    /// Sends a recorded generation: the form the history knows for its audio ID (uploaded when
    /// it knows nothing), the other form once after a 400 about the action or the ID.
    async fn send(
        &self,
        id: GenerationId,
        request: &SongRequest,
    ) -> Result<Generation, ErrorReport> {
        let audio_id = request.audio_id.trim();
        let known = store::kind_of(&self.history, audio_id).map_err(|e| e.report())?;
        let mut kind = known.unwrap_or(AudioKind::Uploaded);
        let mut fell_back = false;
        loop {
            match self.submit(&request.body(kind)).await {
                Ok(task_id) => {
                    store::record_task_id(&self.history, id, &task_id, kind)
                        .and_then(|()| store::remember_kind(&self.history, audio_id, kind))
                        .map_err(|error| {
                            // The task ID is never lost: it is in the message.
                            let report = error.report();
                            let message = tr!(
                                "song-started-anyway",
                                message = report.message.as_str(),
                                task_id = task_id.as_str()
                            );
                            report.with_message(message)
                        })?;
                    self.watchlist.watch(&task_id, id, self.config.first_poll);
                    self.sending().remove(&id);
                    self.wake.notify_one();
                    self.publish_generation(id);
                    return store::get(&self.history, id)
                        .map_err(|e| e.report())?
                        .ok_or_else(|| not_found(id));
                }
                Err(error) if !fell_back && about_the_form(&error) => {
                    tracing::info!(
                        from = kind.as_str(),
                        "the service refused this form; trying the other once"
                    );
                    kind = kind.other();
                    fell_back = true;
                }
                Err(error) if error.code() == ErrorCode::OutcomeUnknown => {
                    let detail = error.report().detail;
                    self.sending().remove(&id);
                    return self.settle(
                        id,
                        &TaskState::Unknown {
                            error: store::may_have_started(detail),
                        },
                    );
                }
                Err(error) => {
                    self.sending().remove(&id);
                    return self.settle(
                        id,
                        &TaskState::Failed {
                            error: error.report(),
                        },
                    );
                }
            }
        }
    }

    /// One request to start a task, sent again only when the service did not take it (a rate
    /// limit, a refused connection, a failure before any work), within the client's bounds.
    async fn submit(&self, body: &serde_json::Value) -> Result<String, UploadError> {
        let policy = self.client.retry_policy();
        let started = Instant::now();
        let mut failed = 0;
        loop {
            let error = match self.client.submit(&self.token(), body).await {
                Ok(task_id) => return Ok(task_id),
                Err(error) => error,
            };
            failed += 1;
            let wait = match error.disposition() {
                Disposition::Final => None,
                Disposition::RateLimited | Disposition::NotTaken => {
                    policy.next_wait(failed, error.retry_after(), started.elapsed())
                }
            };
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => return Err(error),
            }
        }
    }

    /// Takes in what the service said of a task.
    fn apply(&self, id: GenerationId, task_id: &str, record: &TaskRecord) {
        let state = record.state();
        if state.is_final() {
            self.watchlist.forget(task_id);
        } else {
            self.watchlist.later(task_id, self.config.poll_every);
        }
        let changed = match store::get(&self.history, id) {
            Ok(Some(generation)) => generation.state != state,
            _ => true,
        };
        if changed {
            if let Err(error) = self.settle(id, &state) {
                tracing::warn!(?error, "could not record a task's state");
            }
        }
    }

    /// Takes in the records of a batch; a task missing from them is asked about later.
    fn take_in(&self, batch: &[(String, GenerationId)], records: &[TaskRecord]) {
        for (task_id, id) in batch {
            match records
                .iter()
                .find(|record| record.task_id() == Some(task_id.as_str()))
            {
                Some(record) => self.apply(*id, task_id, record),
                None => self.watchlist.later(task_id, self.config.poll_every),
            }
        }
    }

    /// One turn of the poller: one request for every task that is due.
    async fn poll(&self, batch: Vec<(String, GenerationId)>) {
        self.gate.turn().await;
        let ids: Vec<String> = batch.iter().map(|(task_id, _)| task_id.clone()).collect();
        match self.client.retrieve_batch(&self.token(), &ids).await {
            Ok(records) => self.take_in(&batch, &records),
            Err(error) => {
                let wait = if error.is_rate_limited() {
                    self.gate.hold(error.retry_after()).await;
                    error.retry_after().unwrap_or(Duration::from_secs(1))
                } else {
                    self.config.poll_every * 2
                };
                for (task_id, _) in &batch {
                    self.watchlist.later(task_id, wait);
                }
                if !error.is_rate_limited() {
                    self.publish(Change::PollFailed {
                        error: error.report(),
                    });
                }
            }
        }
    }
}

/// The poller: asks about due tasks, waits for the next one otherwise; ends with the engine.
async fn poll_loop(inner: std::sync::Weak<Inner>, wake: Arc<Notify>) {
    loop {
        let Some(engine) = inner.upgrade() else {
            return;
        };
        let next = engine.watchlist.next(Instant::now());
        match next {
            Next::Poll(batch) => engine.poll(batch).await,
            Next::WaitUntil(at) => {
                drop(engine);
                let woken = wake.notified();
                tokio::select! {
                    () = tokio::time::sleep_until(at) => {}
                    () = woken => {}
                }
            }
            Next::Idle => {
                drop(engine);
                let woken = wake.notified();
                // Checked now and then, so the loop ends soon after the engine is dropped.
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    () = woken => {}
                }
            }
        }
    }
}

/// A generation the history no longer has.
fn not_found(id: GenerationId) -> ErrorReport {
    tracing::warn!(id, "generation not in the history");
    ErrorReport::from_code(ErrorCode::HistoryUnavailable).with_words("song-not-in-history", [])
}

/// Whether a refusal is about the action's form or the audio ID (a 400 `bad_request` that
/// names either): the other form may be the right one.
fn about_the_form(error: &UploadError) -> bool {
    match error {
        UploadError::Api {
            code: ErrorCode::BadRequest,
            status: 400,
            service_message,
            ..
        } => {
            let message = service_message.to_ascii_lowercase();
            message.contains("action")
                || message.contains("audio_id")
                || message.contains("audio id")
        }
        _ => false,
    }
}

/// What a task the history did not know was made from, as its record says.
fn request_of(record: &TaskRecord, task_id: &str) -> SongRequest {
    let field = |name: &str| {
        record
            .request
            .as_ref()
            .and_then(|request| request.get(name))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let action = field("action")
        .as_deref()
        .and_then(super::params::Action::parse)
        .unwrap_or(super::params::Action::Extend);
    let audio_id = field("audio_id")
        .filter(|id| crate::text::id_shaped(id))
        .unwrap_or_else(|| task_id.to_owned());
    SongRequest {
        title: field("title").unwrap_or_default(),
        style: field("style").unwrap_or_default(),
        ..SongRequest::new(action, audio_id)
    }
}
