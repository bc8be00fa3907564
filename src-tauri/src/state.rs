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
use producer_upload::client::Uploaded;
use producer_upload::error::ErrorReport;
use producer_upload::history::{History, NewUpload, RecordId, Source};
use producer_upload::keychain::{KeychainError, TokenStore};
use producer_upload::token::ApiToken;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use url::Url;

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
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(5))
            .user_agent(concat!("producer-uploader/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("TLS backend initialises");
        Self {
            settings_path,
            base_url_override,
            settings: Mutex::new(settings),
            store,
            token: Mutex::new(TokenSlot::NotLoaded),
            uploader: Mutex::new(None),
            http,
            history: history.map(Arc::new),
        }
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

    /// Records an upload about to be sent; `None` when there is no history or it failed.
    pub async fn record_pending(&self, given: &str, audio_url: &Url) -> Option<RecordId> {
        let history = self.history.clone()?;
        let upload = NewUpload {
            given_url: given.to_owned(),
            audio_url: audio_url.clone(),
            source: Source::App,
        };
        let recorded =
            tauri::async_runtime::spawn_blocking(move || history.record_pending(&upload)).await;
        match recorded {
            Ok(Ok(id)) => Some(id),
            Ok(Err(error)) => {
                eprintln!("producer-uploader: could not record the upload in the history: {error}");
                None
            }
            Err(_) => None,
        }
    }

    /// Records how an upload ended.
    pub async fn record_outcome(
        &self,
        id: Option<RecordId>,
        result: Result<Uploaded, ErrorReport>,
        attempts: u32,
    ) {
        let (Some(history), Some(id)) = (self.history.clone(), id) else {
            return;
        };
        let recorded = tauri::async_runtime::spawn_blocking(move || match &result {
            Ok(uploaded) => history.record_done(id, uploaded, attempts),
            Err(report) => history.record_failed(id, report, attempts),
        })
        .await;
        if let Ok(Err(error)) = recorded {
            eprintln!("producer-uploader: could not record the result in the history: {error}");
        }
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
