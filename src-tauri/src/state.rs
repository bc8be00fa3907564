//! What the app keeps while it runs: settings, where the token comes from, and the uploader.
//!
//! The token is kept in memory only: read from the keychain when first needed, or given for
//! this session only when the keychain cannot be used. It is never written to a file.
//!
//! Every upload is also recorded in the upload history the app shares with the command line,
//! so an `audio_id` can be found again after the window is closed.

use crate::error::AppError;
use crate::settings::{self, Settings};
use producer_upload::batch::Uploader;
use producer_upload::client::Client;
use producer_upload::error::ErrorReport;
use producer_upload::history::{History, Record};
use producer_upload::keychain::{KeychainError, TokenStore};
use producer_upload::queue::{Queue, QueueUpdate, Summary};
use producer_upload::token::ApiToken;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tauri::ipc::Channel;

/// How long a keychain call may take before the app gives up on it.
pub const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(20);

/// Where the token in use comes from.
#[derive(Debug, Clone)]
enum TokenSlot {
    /// The keychain has not been read yet (or must be read again).
    NotLoaded,
    /// What the keychain holds.
    Keychain(Option<ApiToken>),
    /// Given for this session only, because the keychain could not be used.
    SessionOnly(ApiToken),
}

/// What the UI may know about the token: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenView {
    /// Whether a token is there to upload with.
    pub has_token: bool,
    /// Its last four characters.
    pub last_four: Option<String>,
    /// True when it is kept in memory for this session only.
    pub session_only: bool,
    /// Why the keychain could not be read, when it could not.
    pub keychain_problem: Option<ErrorReport>,
}

impl TokenView {
    fn of(token: Option<&ApiToken>, session_only: bool) -> Self {
        Self {
            has_token: token.is_some(),
            last_four: token.map(ApiToken::last_four),
            session_only,
            keychain_problem: None,
        }
    }
}

/// The app's state, managed by Tauri and shared by every command.
#[derive(Debug)]
pub struct AppState {
    settings_path: PathBuf,
    base_url_override: Option<String>,
    settings: Mutex<Settings>,
    store: TokenStore,
    token: Mutex<TokenSlot>,
    uploader: Mutex<Option<Uploader>>,
    http: reqwest::Client,
    history: Option<Arc<History>>,
    queue: Mutex<Option<Queue>>,
    window: Arc<WindowChannel>,
    leaving: Arc<AtomicBool>,
    deleted: Mutex<Vec<Record>>,
}

/// The window's channel for [`WindowMessage`]s, once it has subscribed.
#[derive(Default)]
struct WindowChannel(Mutex<Option<Channel<WindowMessage>>>);

impl std::fmt::Debug for WindowChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WindowChannel")
    }
}

impl WindowChannel {
    fn send(&self, message: WindowMessage) -> bool {
        match lock(&self.0).as_ref() {
            // A closed window drops its channel; the batch still finishes and is recorded.
            Some(channel) => channel.send(message).is_ok(),
            None => false,
        }
    }
}

/// What the app sends the window on its one channel (see `queue_subscribe`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WindowMessage {
    /// The batch changed: items whose state changed, and the counts.
    Queue(QueueUpdate),
    /// The window was asked to close during a batch: ask whether to finish in the background.
    CloseRequested(Summary),
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves consistent data behind: keep going.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    /// State with its settings read from `settings_path`, recording uploads in `history`.
    pub fn new(
        settings_path: PathBuf,
        base_url_override: Option<String>,
        store: TokenStore,
        history: Option<History>,
    ) -> Self {
        let settings = Settings::load(&settings_path);
        let http = producer_upload::preflight::http_client();
        Self {
            settings_path,
            base_url_override,
            settings: Mutex::new(settings),
            store,
            token: Mutex::new(TokenSlot::NotLoaded),
            uploader: Mutex::new(None),
            http,
            history: history.map(Arc::new),
            queue: Mutex::new(None),
            window: Arc::new(WindowChannel::default()),
            leaving: Arc::new(AtomicBool::new(false)),
            deleted: Mutex::new(Vec::new()),
        }
    }

    /// Keeps the records just deleted from the history, for Undo.
    pub fn remember_deleted(&self, records: Vec<Record>) {
        *lock(&self.deleted) = records;
    }

    /// The records deleted last (once: a second Undo restores nothing).
    pub fn take_deleted(&self) -> Vec<Record> {
        std::mem::take(&mut *lock(&self.deleted))
    }

    /// The upload history, when it could be opened.
    pub fn history(&self) -> Option<Arc<History>> {
        self.history.clone()
    }

    /// Sends the window's batch updates to `channel` from now on.
    pub fn subscribe(&self, channel: Channel<WindowMessage>) {
        *lock(&self.window.0) = Some(channel);
    }

    /// Sends `message` to the window, if it listens.
    pub fn tell_window(&self, message: WindowMessage) -> bool {
        self.window.send(message)
    }

    /// The batch queue, if a batch was started.
    pub fn queue(&self) -> Option<Queue> {
        lock(&self.queue).clone()
    }

    /// The batch queue, made on first use with the current uploader. Every change goes to the
    /// window; once the app is leaving (see [`AppState::leave_when_idle`]) and nothing waits or
    /// runs, `exit` is called.
    pub fn queue_or_start(
        &self,
        exit: impl Fn() + Send + Sync + 'static,
    ) -> Result<Queue, AppError> {
        let mut queue = lock(&self.queue);
        if let Some(queue) = queue.as_ref() {
            return Ok(queue.clone());
        }
        let window = self.window.clone();
        let leaving = self.leaving.clone();
        let made = Queue::new(
            self.uploader()?,
            self.history.clone(),
            Arc::new(move |update: QueueUpdate| {
                let idle = update.summary.is_idle();
                window.send(WindowMessage::Queue(update));
                if idle && leaving.load(Ordering::SeqCst) {
                    exit();
                }
            }),
        );
        *queue = Some(made.clone());
        Ok(made)
    }

    /// The batch's counts when uploads still wait or run, so closing the window must ask first.
    pub fn busy(&self) -> Option<Summary> {
        let summary = self.queue()?.summary();
        (!summary.is_idle() && !self.leaving.load(Ordering::SeqCst)).then_some(summary)
    }

    /// Marks the app as leaving: it exits once the batch is through. Returns true when it is
    /// through already.
    pub fn leave_when_idle(&self) -> bool {
        self.leaving.store(true, Ordering::SeqCst);
        self.queue().is_none_or(|queue| queue.summary().is_idle())
    }

    /// State as the app starts it: settings file from `PRODUCER_UPLOAD_DATA_DIR` or the app's
    /// config folder, API address overridden by `ACEDATACLOUD_API_BASE_URL`, keychain service
    /// from `PRODUCER_UPLOAD_KEYCHAIN_SERVICE`.
    pub fn from_env(app_config_dir: Option<PathBuf>) -> Self {
        let path =
            settings::settings_path(std::env::var(settings::DATA_DIR_ENV).ok(), app_config_dir);
        let base_url = settings::base_url_override(std::env::var(settings::BASE_URL_ENV).ok());
        // Uploads work without the history; the reason goes to the log (it never holds the token).
        let history = History::open_default()
            .map_err(|error| eprintln!("producer-uploader: upload history not available: {error}"))
            .ok();
        Self::new(path, base_url, TokenStore::from_env(), history)
    }

    /// The saved settings.
    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    /// Where the settings file is.
    pub fn settings_path(&self) -> &std::path::Path {
        &self.settings_path
    }

    /// The API address set by the environment for this launch, if any.
    pub fn base_url_override(&self) -> Option<&str> {
        self.base_url_override.as_deref()
    }

    /// The API address uploads go to: the environment's, else the settings'.
    pub fn effective_base_url(&self) -> String {
        self.base_url_override
            .clone()
            .unwrap_or_else(|| self.settings().base_url)
    }

    /// Validates, saves and applies new settings.
    pub fn save_settings(&self, settings: Settings) -> Result<Settings, AppError> {
        let settings = settings.validated()?;
        settings.save(&self.settings_path)?;
        *lock(&self.settings) = settings.clone();
        *lock(&self.uploader) = None;
        if let (Some(queue), Ok(uploader)) = (self.queue(), self.uploader()) {
            queue.set_uploader(uploader);
        }
        Ok(settings)
    }

    /// The uploader for the current settings (made on first use, remade after a change).
    pub fn uploader(&self) -> Result<Uploader, AppError> {
        let mut uploader = lock(&self.uploader);
        if let Some(uploader) = uploader.as_ref() {
            return Ok(uploader.clone());
        }
        let current = self.settings();
        let config = settings::client_config(&self.effective_base_url(), current.timeout_secs)?;
        let made = Uploader::new(Client::new(config), current.concurrency as usize);
        *uploader = Some(made.clone());
        Ok(made)
    }

    /// The HTTP client for pre-flight checks (never carries the token).
    pub fn preflight_http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Runs a blocking keychain call on a blocking thread, bounded by [`KEYCHAIN_TIMEOUT`].
    async fn keychain<T: Send + 'static>(
        &self,
        call: impl FnOnce(&TokenStore) -> Result<T, KeychainError> + Send + 'static,
    ) -> Result<T, AppError> {
        let store = self.store.clone();
        let task = tauri::async_runtime::spawn_blocking(move || call(&store));
        match tokio::time::timeout(KEYCHAIN_TIMEOUT, task).await {
            Ok(Ok(result)) => result.map_err(AppError::from),
            Ok(Err(_)) => Err(AppError::Keychain(KeychainError::Unavailable(
                "the keychain call stopped unexpectedly".into(),
            ))),
            Err(_) => Err(AppError::KeychainTimeout(KEYCHAIN_TIMEOUT.as_secs())),
        }
    }

    /// What the UI may know about the token. A keychain that cannot be read is reported in
    /// the view (so the UI can explain it and offer the session-only choice), not as "no token".
    pub async fn token_status(&self) -> TokenView {
        let slot = lock(&self.token).clone();
        match slot {
            TokenSlot::SessionOnly(token) => TokenView::of(Some(&token), true),
            TokenSlot::Keychain(Some(token)) => TokenView::of(Some(&token), false),
            TokenSlot::Keychain(None) | TokenSlot::NotLoaded => match self.load_token().await {
                Ok(token) => TokenView::of(token.as_ref(), false),
                Err(error) => TokenView {
                    keychain_problem: Some(error.report()),
                    ..TokenView::of(None, false)
                },
            },
        }
    }

    /// Reads the keychain and remembers what it holds.
    async fn load_token(&self) -> Result<Option<ApiToken>, AppError> {
        let token = self.keychain(|store| store.get()).await?;
        let mut slot = lock(&self.token);
        // A session-only token given meanwhile wins.
        if let TokenSlot::SessionOnly(token) = &*slot {
            return Ok(Some(token.clone()));
        }
        *slot = TokenSlot::Keychain(token.clone());
        Ok(token)
    }

    /// The token to upload with.
    pub async fn token(&self) -> Result<ApiToken, AppError> {
        let slot = lock(&self.token).clone();
        match slot {
            TokenSlot::SessionOnly(token) | TokenSlot::Keychain(Some(token)) => Ok(token),
            // Read again: a token may have been saved since (by the command-line tool, say).
            TokenSlot::Keychain(None) | TokenSlot::NotLoaded => {
                self.load_token().await?.ok_or(AppError::NoToken)
            }
        }
    }

    /// Saves a pasted token in the keychain, or keeps it in memory for this session only.
    pub async fn save_token(&self, input: &str, session_only: bool) -> Result<TokenView, AppError> {
        let token = ApiToken::parse(input)?;
        if session_only {
            *lock(&self.token) = TokenSlot::SessionOnly(token.clone());
            return Ok(TokenView::of(Some(&token), true));
        }
        let saved = token.clone();
        self.keychain(move |store| store.set(&saved)).await?;
        *lock(&self.token) = TokenSlot::Keychain(Some(token.clone()));
        Ok(TokenView::of(Some(&token), false))
    }

    /// Forgets the token: the session-only one, or the one in the keychain.
    pub async fn remove_token(&self) -> Result<TokenView, AppError> {
        let session_only = matches!(&*lock(&self.token), TokenSlot::SessionOnly(_));
        if !session_only {
            self.keychain(|store| store.delete()).await?;
        }
        *lock(&self.token) = TokenSlot::Keychain(None);
        Ok(TokenView::of(None, false))
    }
}
