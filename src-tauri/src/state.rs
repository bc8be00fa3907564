//! What the app keeps while it runs: settings, where the tokens come from, and the uploader.
//!
//! The two tokens (the API token, and the platform token for files from this computer) are kept
//! in memory only: read from the keychain when first needed, or given for this session only
//! when the keychain cannot be used. They are never written to a file.
//!
//! Every upload is also recorded in the upload history the app shares with the command line,
//! so an `audio_id` can be found again after the window is closed.

use crate::background::{self, CloseChoice, Leave};
use crate::error::AppError;
use crate::settings::{self, Settings};
use crate::songs::SongsMessage;
use producer_upload::batch::Uploader;
use producer_upload::client::Client;
use producer_upload::disk::DiskBudget;
use producer_upload::error::ErrorReport;
use producer_upload::filehost::{FileHost, FileHostConfig, DEFAULT_PLATFORM_BASE_URL};
use producer_upload::history::{History, Record};
use producer_upload::incoming;
use producer_upload::incoming::MAX_PIECE_BYTES;
use producer_upload::keychain::{KeychainError, TokenStore};
use producer_upload::queue::{Queue, QueueUpdate};

use producer_upload::songs::{Change, Engine, EngineConfig, Generation, SongsClient};
use producer_upload::summary::Work;
use producer_upload::token::{ApiToken, PlatformToken};
use producer_upload::tr;
use producer_upload::words::{self, Preference, Words};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tauri::ipc::Channel;

/// How long a keychain call may take before the app gives up on it.
pub const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(20);

/// Environment variable that overrides the file host's address for this launch (tests and the
/// demo point the app at the simulator with it).
pub const PLATFORM_BASE_URL_ENV: &str = "ACEDATACLOUD_PLATFORM_BASE_URL";

/// Which of the two tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// The API token, for the Producer Upload API.
    #[default]
    Api,
    /// The platform token, for the file host (files from this computer).
    Platform,
}

/// Where a token in use comes from.
#[derive(Debug, Clone)]
enum TokenSlot<T> {
    /// The keychain has not been read yet (or must be read again).
    NotLoaded,
    /// What the keychain holds.
    Keychain(Option<T>),
    /// Given for this session only, because the keychain could not be used.
    SessionOnly(T),
}

/// A token the app keeps: how it is read from what was pasted, and where the keychain has it.
trait KeptToken: Clone + Send + 'static {
    const KIND: TokenKind;
    fn parse(input: &str) -> Result<Self, AppError>;
    fn last_four(&self) -> Option<String>;
    fn load(store: &TokenStore) -> Result<Option<Self>, KeychainError>;
    fn save(store: &TokenStore, token: &Self) -> Result<(), KeychainError>;
    fn forget(store: &TokenStore) -> Result<(), KeychainError>;
}

impl KeptToken for ApiToken {
    const KIND: TokenKind = TokenKind::Api;
    fn parse(input: &str) -> Result<Self, AppError> {
        Ok(ApiToken::parse_api(input)?)
    }
    fn last_four(&self) -> Option<String> {
        ApiToken::last_four(self)
    }
    fn load(store: &TokenStore) -> Result<Option<Self>, KeychainError> {
        store.get()
    }
    fn save(store: &TokenStore, token: &Self) -> Result<(), KeychainError> {
        store.set(token)
    }
    fn forget(store: &TokenStore) -> Result<(), KeychainError> {
        store.delete()
    }
}

impl KeptToken for PlatformToken {
    const KIND: TokenKind = TokenKind::Platform;
    fn parse(input: &str) -> Result<Self, AppError> {
        PlatformToken::parse(input).map_err(AppError::PlatformTokenInput)
    }
    fn last_four(&self) -> Option<String> {
        PlatformToken::last_four(self)
    }
    fn load(store: &TokenStore) -> Result<Option<Self>, KeychainError> {
        store.get_platform()
    }
    fn save(store: &TokenStore, token: &Self) -> Result<(), KeychainError> {
        store.set_platform(token)
    }
    fn forget(store: &TokenStore) -> Result<(), KeychainError> {
        store.delete_platform()
    }
}

/// What the UI may know about a token: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenView {
    /// Which token this is.
    pub kind: TokenKind,
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
    fn of<T: KeptToken>(token: Option<&T>, session_only: bool) -> Self {
        Self {
            kind: T::KIND,
            has_token: token.is_some(),
            last_four: token.and_then(T::last_four),
            session_only,
            keychain_problem: None,
        }
    }
}

/// The app's state, managed by Tauri and shared by every command.
pub struct AppState {
    settings_path: PathBuf,
    base_url_override: Option<String>,
    settings: Mutex<Settings>,
    store: TokenStore,
    token: Mutex<TokenSlot<ApiToken>>,
    platform_token: Mutex<TokenSlot<PlatformToken>>,
    platform_base_url: String,
    /// Where files handed over by the window are kept until they are hosted.
    incoming_dir: PathBuf,
    /// The room those files may take on disk.
    disk: DiskBudget,
    uploader: Mutex<Option<Uploader>>,
    http: producer_upload::preflight::LinkClient,
    history: Option<Arc<History>>,
    queue: Arc<Mutex<Option<Queue>>>,
    window: Arc<WindowChannel>,
    leaving: Arc<Leaving>,
    deleted: Mutex<Vec<Record>>,
    progress: Arc<ProgressHook>,
    /// The songs engine, started on first use with the token, the history and the API address.
    songs: Arc<Mutex<Option<Engine>>>,
    /// The window's channel for songs updates, once it has subscribed.
    songs_window: Arc<Mutex<Option<Channel<SongsMessage>>>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("settings_path", &self.settings_path)
            .field("base_url_override", &self.base_url_override)
            .field("settings", &self.settings)
            .field("platform_base_url", &self.platform_base_url)
            .field("incoming_dir", &self.incoming_dir)
            .field("songs", &lock(&self.songs).is_some())
            .finish_non_exhaustive()
    }
}

/// Called with everything running on every change of the batch or of a song (title, tray,
/// notification).
type OnProgress = Arc<dyn Fn(&Work) + Send + Sync>;

/// Called with each generation as it changes (a notification when its songs are ready).
type OnSong = Arc<dyn Fn(&Generation) + Send + Sync>;

/// Where batch progress goes outside the window, once the app has set it up; and where each
/// generation's changes go.
#[derive(Default)]
struct ProgressHook(Mutex<Option<OnProgress>>, Mutex<Option<OnSong>>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

/// Whether the app quits on its own (see [`background`]), and how.
#[derive(Default)]
struct Leaving {
    leave: Mutex<Leave>,
    quit: Mutex<Option<Arc<dyn Fn() + Send + Sync>>>,
}

impl std::fmt::Debug for Leaving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Leaving").field(&*lock(&self.leave)).finish()
    }
}

impl Leaving {
    fn leave(&self) -> Leave {
        *lock(&self.leave)
    }

    /// Quits when the app is leaving and `work` is through for it.
    fn quit_if_through(&self, work: &Work) {
        if background::may_quit(self.leave(), work) {
            let quit = lock(&self.quit).clone();
            if let Some(quit) = quit {
                quit();
            }
        }
    }
}

/// How many songs the engine is making, if it runs (the engine is the one that knows).
fn songs_making(songs: &Mutex<Option<Engine>>) -> usize {
    lock(songs).as_ref().map_or(0, Engine::making)
}

/// How long queue updates are gathered before they go to the window as one message: a batch of
/// a thousand links sends a few messages a frame, not thousands a second.
const UPDATE_INTERVAL: Duration = Duration::from_millis(40);

/// The window's channel for [`WindowMessage`]s, once it has subscribed.
#[derive(Default)]
struct WindowChannel {
    channel: Mutex<Option<Channel<WindowMessage>>>,
    /// Queue updates not sent yet, merged into one (see [`QueueUpdate::merge`]).
    pending: Mutex<Option<QueueUpdate>>,
}

impl std::fmt::Debug for WindowChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WindowChannel")
    }
}

impl WindowChannel {
    /// Sends `message` after any queue update still held back.
    fn send(&self, message: WindowMessage) -> bool {
        self.flush();
        self.deliver(message)
    }

    fn deliver(&self, message: WindowMessage) -> bool {
        match lock(&self.channel).as_ref() {
            // A closed window drops its channel; the batch still finishes and is recorded.
            Some(channel) => channel.send(message).is_ok(),
            None => false,
        }
    }

    /// Holds `update` back for [`UPDATE_INTERVAL`], merged with any others that come meanwhile.
    fn queue_update(self: &Arc<Self>, update: QueueUpdate) {
        let mut pending = lock(&self.pending);
        if let Some(held) = pending.as_mut() {
            held.merge(update);
            return;
        }
        *pending = Some(update);
        let window = self.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(UPDATE_INTERVAL).await;
            window.flush();
        });
    }

    /// Sends the queue update held back, if any (under the lock, so updates stay in order).
    fn flush(&self) {
        let mut pending = lock(&self.pending);
        if let Some(update) = pending.take() {
            self.deliver(WindowMessage::Queue(update));
        }
    }
}

/// What the app sends the window on its one channel (see `queue_subscribe`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WindowMessage {
    /// The batch changed: items whose state changed, and the counts.
    Queue(QueueUpdate),
    /// The window was asked to close while uploads or songs run: ask whether to finish in the
    /// background.
    CloseRequested(Work),
}

/// Where this program keeps files waiting to be hosted: a folder of its own under
/// `<data folder>/incoming`, named after its history session, once the folders of programs that
/// have stopped are removed (only those: nothing else there is touched). Without a history (no
/// session to name it after), a private folder in the system's temporary folder.
pub fn waiting_files_folder(data_dir: &Path, history: Option<&History>) -> PathBuf {
    let parent = data_dir.join("incoming");
    let made = match history {
        Some(history) => {
            let removed =
                incoming::remove_stopped(&parent, |session| history.session_is_alive(session));
            if removed > 0 {
                tracing::info!(removed, "waiting files of stopped programs removed");
            }
            incoming::session_folder(&parent, history.own_session())
        }
        None => tempfile::Builder::new()
            .prefix("producer-uploader-")
            .tempdir()
            .map(tempfile::TempDir::keep),
    };
    made.unwrap_or_else(|error| {
        tracing::warn!(
            "no folder for waiting files in {}: {error}",
            parent.display()
        );
        parent
    })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves consistent data behind: keep going.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    /// State with its settings read from `settings_path`, recording uploads in `history`;
    /// files handed over by the window are kept in an `incoming` folder beside the settings.
    pub fn new(
        settings_path: PathBuf,
        base_url_override: Option<String>,
        store: TokenStore,
        history: Option<History>,
    ) -> Self {
        let settings = Settings::load(&settings_path);
        let http = producer_upload::preflight::http_client();
        let incoming_dir = settings_path
            .parent()
            .unwrap_or(Path::new("."))
            .join("incoming");
        Self {
            settings_path,
            base_url_override,
            settings: Mutex::new(settings),
            store,
            token: Mutex::new(TokenSlot::NotLoaded),
            platform_token: Mutex::new(TokenSlot::NotLoaded),
            platform_base_url: DEFAULT_PLATFORM_BASE_URL.to_owned(),
            incoming_dir,
            disk: DiskBudget::default(),
            uploader: Mutex::new(None),
            http,
            history: history.map(Arc::new),
            queue: Arc::new(Mutex::new(None)),
            window: Arc::new(WindowChannel::default()),
            leaving: Arc::new(Leaving::default()),
            deleted: Mutex::new(Vec::new()),
            progress: Arc::new(ProgressHook::default()),
            songs: Arc::new(Mutex::new(None)),
            songs_window: Arc::new(Mutex::new(None)),
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
        *lock(&self.window.channel) = Some(channel);
    }

    /// Sends `message` to the window, if it listens.
    pub fn tell_window(&self, message: WindowMessage) -> bool {
        self.window.send(message)
    }

    /// Sends everything running (the batch's counts, the songs being made) to `on_progress` on
    /// every change of either, before the app quits once it is through in the background.
    pub fn on_progress(&self, on_progress: impl Fn(&Work) + Send + Sync + 'static) {
        *lock(&self.progress.0) = Some(Arc::new(on_progress));
    }

    /// Calls `quit` when the app is leaving (see [`AppState::leave`]) and what it waits for is
    /// through.
    pub fn on_quit(&self, quit: impl Fn() + Send + Sync + 'static) {
        *lock(&self.leaving.quit) = Some(Arc::new(quit));
    }

    /// Sends each generation to `on_song` as it changes.
    pub fn on_song(&self, on_song: impl Fn(&Generation) + Send + Sync + 'static) {
        *lock(&self.progress.1) = Some(Arc::new(on_song));
    }

    /// True when the window shows `link`: on a row of the upload list (as given, sent or
    /// hosted) or in the history.
    pub async fn shows_link(&self, link: &str) -> bool {
        let listed = match self.queue() {
            Some(queue) => queue.lists_link(link).await,
            None => false,
        };
        listed
            || self.history.as_ref().is_some_and(|history| {
                history
                    .has_link(link)
                    .and_then(|found| {
                        Ok(found || producer_upload::songs::store::has_song_link(history, link)?)
                    })
                    .unwrap_or_else(|error| {
                        tracing::warn!("the history could not be read to open a link: {error}");
                        false
                    })
            })
    }

    /// The batch queue, if a batch was started.
    pub fn queue(&self) -> Option<Queue> {
        lock(&self.queue).clone()
    }

    /// The batch queue, made on first use with the current uploader. Every change goes to the
    /// window; once the app is leaving (see [`AppState::leave`]) and what it waits for is
    /// through, the app quits (see [`AppState::on_quit`]).
    pub fn queue_or_start(&self) -> Result<Queue, AppError> {
        let mut queue = lock(&self.queue);
        if let Some(queue) = queue.as_ref() {
            return Ok(queue.clone());
        }
        let window = self.window.clone();
        let leaving = self.leaving.clone();
        let progress = self.progress.clone();
        let songs = self.songs.clone();
        let file_host = self.file_host()?;
        let made = Queue::new(
            self.uploader()?,
            self.history.clone(),
            Arc::new(move |update: QueueUpdate| {
                let work = Work {
                    batch: update.summary,
                    songs: songs_making(&songs),
                };
                let on_progress = lock(&progress.0).clone();
                if let Some(on_progress) = on_progress {
                    on_progress(&work);
                }
                window.queue_update(update);
                leaving.quit_if_through(&work);
            }),
        );
        made.set_file_host(file_host);
        *queue = Some(made.clone());
        Ok(made)
    }

    /// The file host's address: the environment's for this launch, else Ace Data Cloud's.
    pub fn with_platform_base_url(mut self, base_url: Option<String>) -> Self {
        if let Some(base_url) = base_url.filter(|url| !url.trim().is_empty()) {
            self.platform_base_url = base_url;
        }
        self
    }

    /// Keeps files handed over by the window in `dir` (made private when first used).
    pub fn with_incoming_dir(mut self, dir: PathBuf) -> Self {
        self.incoming_dir = dir;
        self
    }

    /// Where files handed over by the window are kept until hosted.
    pub fn incoming_dir(&self) -> &Path {
        &self.incoming_dir
    }

    /// Measures the room for dropped files with `disk` (tests give a small disk).
    pub fn with_disk_budget(mut self, disk: DiskBudget) -> Self {
        self.disk = disk;
        self
    }

    /// The room dropped files may take on disk.
    pub fn disk_budget(&self) -> &DiskBudget {
        &self.disk
    }

    /// The file host client for the current settings (its time limit is the uploads').
    pub fn file_host(&self) -> Result<FileHost, AppError> {
        let mut config = FileHostConfig::new(&self.platform_base_url).map_err(AppError::BaseUrl)?;
        config.timeout = Duration::from_secs(self.settings().timeout_secs);
        Ok(FileHost::new(config))
    }

    /// Everything running now: the batch's counts, and how many songs the songs engine is
    /// making.
    pub fn work(&self) -> Work {
        Work {
            batch: self
                .queue()
                .map(|queue| queue.summary())
                .unwrap_or_default(),
            songs: songs_making(&self.songs),
        }
    }

    /// What runs when uploads wait or run or songs are being made, so closing the window must
    /// ask first (see [`background::asks_before_closing`]).
    pub fn busy(&self) -> Option<Work> {
        let work = self.work();
        background::asks_before_closing(self.leaving.leave(), &work).then_some(work)
    }

    /// Closes the window during work as the musician chose: "Stop uploads" stops what waits
    /// (running uploads finish and are recorded), "Finish in background" resumes a paused batch
    /// (it could not be resumed with no window). Returns true when the app may quit at once;
    /// otherwise the window is to be hidden and the app quits once its work is through.
    pub async fn close_during_work(&self, choice: CloseChoice) -> bool {
        if let Some(queue) = self.queue() {
            match choice {
                CloseChoice::Stop => {
                    queue.cancel().await;
                }
                CloseChoice::FinishInBackground => {
                    queue.resume().await;
                }
            }
        }
        self.leave(choice.leave())
    }

    /// Takes a piece of dropped file `id` that starts at `offset`, once it is its turn; true to
    /// ask for the next piece. A piece larger than the window ever sends is refused before it
    /// is written, and its row says the file must be added again.
    pub async fn take_piece(
        &self,
        id: u64,
        offset: u64,
        bytes: &[u8],
    ) -> Result<bool, ErrorReport> {
        let Some(queue) = self.queue() else {
            return Ok(false);
        };
        if bytes.len() > MAX_PIECE_BYTES {
            let (len, max) = (bytes.len(), MAX_PIECE_BYTES);
            let error = AppError::PieceTooBig { len, max };
            queue.fail_incoming(id, error.report()).await;
            return Err(error.into());
        }
        Ok(queue.receive_in_turn(id, offset, bytes).await)
    }

    /// Marks the app as leaving: it quits once what `leave` waits for is through (see
    /// [`background::may_quit`]). Returns true when that is so already.
    pub fn leave(&self, leave: Leave) -> bool {
        *lock(&self.leaving.leave) = leave;
        background::may_quit(leave, &self.work())
    }

    /// Whether the app quits on its own once its work is through (finished in the background,
    /// or stopped on closing).
    pub fn is_leaving(&self) -> bool {
        self.leaving.leave() != Leave::Stay
    }

    /// Stays open after all: the window is back, so the end of the work no longer ends the app.
    pub fn stay(&self) {
        *lock(&self.leaving.leave) = Leave::Stay;
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
            .map_err(|error| {
                tracing::error!("upload history not available: {error}");
                eprintln!("producer-uploader: upload history not available: {error}");
            })
            .ok();
        let state = Self::new(path, base_url, TokenStore::from_env(), history)
            .with_platform_base_url(std::env::var(PLATFORM_BASE_URL_ENV).ok());
        match producer_upload::history::default_dir() {
            Ok(data_dir) => {
                let folder = waiting_files_folder(&data_dir, state.history.as_deref());
                state.with_incoming_dir(folder)
            }
            Err(_) => state,
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
    pub fn save_settings(&self, mut settings: Settings) -> Result<Settings, AppError> {
        // The settings screen does not carry the text size: keep the one in use.
        settings.zoom_percent = settings.zoom_percent.or(self.settings().zoom_percent);
        // Nor whether the hosting notice was acknowledged.
        settings.hosting_notice_seen |= self.settings().hosting_notice_seen;
        // Nor the language, which Settings applies the moment it is chosen.
        settings.language = settings.language.or(self.settings().language);
        let settings = settings.validated()?;
        settings.save(&self.settings_path)?;
        *lock(&self.settings) = settings.clone();
        // The next songs command starts an engine at the new address (running tasks included).
        *lock(&self.songs) = None;
        // The one uploader is changed in place: its pace and its limit live on.
        let uploader = lock(&self.uploader).clone();
        if let (Some(uploader), Ok(config)) = (
            uploader,
            settings::client_config(&self.effective_base_url(), settings.timeout_secs),
        ) {
            let client = Client::new(config);
            match self.queue() {
                Some(queue) => queue.reconfigure(client, settings.concurrency as usize),
                None => uploader.reconfigure(client, settings.concurrency as usize),
            }
        }
        if let (Some(queue), Ok(file_host)) = (self.queue(), self.file_host()) {
            queue.set_file_host(file_host);
        }
        Ok(settings)
    }

    /// Moves the text size one step and saves it (nothing else changes); returns it in percent.
    pub fn save_zoom(&self, step: settings::ZoomStep) -> Result<u32, AppError> {
        let mut current = lock(&self.settings);
        let percent = settings::zoom_after(
            current
                .zoom_percent
                .unwrap_or(settings::DEFAULT_ZOOM_PERCENT),
            step,
        );
        let changed = Settings {
            zoom_percent: Some(percent),
            ..current.clone()
        };
        changed.save(&self.settings_path)?;
        *current = changed;
        Ok(percent)
    }

    /// Saves the language chosen in Settings and switches this program's words to it.
    pub async fn save_language(&self, preference: Preference) -> Result<Arc<Words>, AppError> {
        {
            let mut current = lock(&self.settings);
            let changed = Settings {
                language: Some(preference.clone()),
                ..current.clone()
            };
            changed.save(&self.settings_path)?;
            *current = changed;
        }
        // The catalogue is not held across the wait: it cannot move between threads.
        drop(words::use_language(&words::resolve(&preference)));
        self.say_again().await;
        Ok(words::current())
    }

    /// Shows everything Rust words again in the language now in use: the title and the tray
    /// (through the progress hook), and every row of the upload list with the counts, sent to
    /// the window as one queue update.
    async fn say_again(&self) {
        match self.queue() {
            // The queue's update goes to the progress hook and the window alike.
            Some(queue) => {
                queue.say_again().await;
            }
            None => {
                let on_progress = lock(&self.progress.0).clone();
                if let Some(on_progress) = on_progress {
                    on_progress(&self.work());
                }
            }
        }
    }

    /// Switches this program's words to the language the settings name (at start).
    pub fn use_saved_language(&self) -> Arc<Words> {
        let preference = self.settings().language.unwrap_or_default();
        words::use_language(&words::resolve(&preference))
    }

    /// Remembers that the hosting notice was acknowledged (nothing else changes).
    pub fn acknowledge_hosting_notice(&self) -> Result<(), AppError> {
        let mut current = lock(&self.settings);
        let changed = Settings {
            hosting_notice_seen: true,
            ..current.clone()
        };
        changed.save(&self.settings_path)?;
        *current = changed;
        Ok(())
    }

    /// The uploader for the current settings (made on first use, reconfigured by a change).
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
    pub fn preflight_http(&self) -> &producer_upload::preflight::LinkClient {
        &self.http
    }

    /// Sends songs updates to `channel` from now on.
    pub fn subscribe_songs(&self, channel: Channel<SongsMessage>) {
        *lock(&self.songs_window) = Some(channel);
    }

    /// The songs engine, started on first use with the token, the history and the API address
    /// (running generations from earlier are then polled again); its updates go to the window.
    pub async fn songs(&self) -> Result<Engine, ErrorReport> {
        if let Some(engine) = lock(&self.songs).clone() {
            return Ok(engine);
        }
        let token = self.token().await?;
        let history = self.history.clone().ok_or_else(|| {
            ErrorReport::from_code(producer_upload::error::ErrorCode::HistoryUnavailable)
        })?;
        let config =
            settings::client_config(&self.effective_base_url(), self.settings().timeout_secs)?;
        let mut slot = lock(&self.songs);
        if let Some(engine) = slot.as_ref() {
            return Ok(engine.clone());
        }
        let engine = Engine::start(
            history,
            SongsClient::new(Client::new(config)),
            token,
            EngineConfig::default(),
        )?;
        let mut updates = engine.subscribe();
        let window = self.songs_window.clone();
        let hooks = self.progress.clone();
        let (queue, songs, leaving) =
            (self.queue.clone(), self.songs.clone(), self.leaving.clone());
        tauri::async_runtime::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match updates.recv().await {
                    Ok(update) => {
                        if let Change::Generation { generation } = &update.change {
                            let on_song = lock(&hooks.1).clone();
                            if let Some(on_song) = on_song {
                                on_song(generation);
                            }
                            // The title and the tray count the songs still being made.
                            let batch = lock(&queue).clone().map(|queue| queue.summary());
                            let work = Work {
                                batch: batch.unwrap_or_default(),
                                songs: songs_making(&songs),
                            };
                            let on_progress = lock(&hooks.0).clone();
                            if let Some(on_progress) = on_progress {
                                on_progress(&work);
                            }
                            leaving.quit_if_through(&work);
                        }
                        if let Some(channel) = lock(&window).as_ref() {
                            // A closed window drops its channel; the history has every change.
                            let _ = channel.send(SongsMessage::from(update));
                        }
                    }
                    // Each update carries the whole generation: a later one makes up for it.
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return,
                }
            }
        });
        *slot = Some(engine.clone());
        Ok(engine)
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
            Ok(Err(_)) => Err(AppError::Keychain(KeychainError::Unavailable(tr!(
                "keychain-call-stopped"
            )))),
            Err(_) => Err(AppError::KeychainTimeout(KEYCHAIN_TIMEOUT.as_secs())),
        }
    }

    /// What the UI may know about a token. A keychain that cannot be read is reported in
    /// the view (so the UI can explain it and offer the session-only choice), not as "no token".
    pub async fn token_status(&self, kind: TokenKind) -> TokenView {
        match kind {
            TokenKind::Api => self.status_of(&self.token).await,
            TokenKind::Platform => self.status_of(&self.platform_token).await,
        }
    }

    /// Saves a pasted token in the keychain, or keeps it in memory for this session only.
    pub async fn save_token(
        &self,
        kind: TokenKind,
        input: &str,
        session_only: bool,
    ) -> Result<TokenView, AppError> {
        match kind {
            TokenKind::Api => {
                let view = self.save_to(&self.token, input, session_only).await?;
                let engine = lock(&self.songs).clone();
                if let (Some(engine), Ok(token)) = (engine, self.token().await) {
                    engine.set_token(token);
                }
                Ok(view)
            }
            TokenKind::Platform => {
                self.save_to(&self.platform_token, input, session_only)
                    .await
            }
        }
    }

    /// Forgets a token: the session-only one, or the one in the keychain.
    pub async fn remove_token(&self, kind: TokenKind) -> Result<TokenView, AppError> {
        match kind {
            TokenKind::Api => self.remove_from(&self.token).await,
            TokenKind::Platform => self.remove_from(&self.platform_token).await,
        }
    }

    /// The token to upload with.
    pub async fn token(&self) -> Result<ApiToken, AppError> {
        self.current(&self.token).await?.ok_or(AppError::NoToken)
    }

    /// The platform token to host files with, if there is one.
    pub async fn platform_token(&self) -> Result<Option<PlatformToken>, AppError> {
        self.current(&self.platform_token).await
    }

    async fn status_of<T: KeptToken>(&self, slot: &Mutex<TokenSlot<T>>) -> TokenView {
        let held = lock(slot).clone();
        match held {
            TokenSlot::SessionOnly(token) => TokenView::of(Some(&token), true),
            TokenSlot::Keychain(Some(token)) => TokenView::of(Some(&token), false),
            TokenSlot::Keychain(None) | TokenSlot::NotLoaded => match self.load(slot).await {
                Ok(token) => TokenView::of(token.as_ref(), false),
                Err(error) => TokenView {
                    keychain_problem: Some(error.report()),
                    ..TokenView::of::<T>(None, false)
                },
            },
        }
    }

    /// Reads the keychain and remembers what it holds.
    async fn load<T: KeptToken>(&self, slot: &Mutex<TokenSlot<T>>) -> Result<Option<T>, AppError> {
        let token = self.keychain(|store| T::load(store)).await?;
        let mut held = lock(slot);
        // A session-only token given meanwhile wins.
        if let TokenSlot::SessionOnly(token) = &*held {
            return Ok(Some(token.clone()));
        }
        *held = TokenSlot::Keychain(token.clone());
        Ok(token)
    }

    async fn current<T: KeptToken>(
        &self,
        slot: &Mutex<TokenSlot<T>>,
    ) -> Result<Option<T>, AppError> {
        let held = lock(slot).clone();
        match held {
            TokenSlot::SessionOnly(token) | TokenSlot::Keychain(Some(token)) => Ok(Some(token)),
            // Read again: a token may have been saved since (by the command-line tool, say).
            TokenSlot::Keychain(None) | TokenSlot::NotLoaded => self.load(slot).await,
        }
    }

    async fn save_to<T: KeptToken>(
        &self,
        slot: &Mutex<TokenSlot<T>>,
        input: &str,
        session_only: bool,
    ) -> Result<TokenView, AppError> {
        let token = T::parse(input)?;
        if session_only {
            *lock(slot) = TokenSlot::SessionOnly(token.clone());
            return Ok(TokenView::of(Some(&token), true));
        }
        let saved = token.clone();
        self.keychain(move |store| T::save(store, &saved)).await?;
        *lock(slot) = TokenSlot::Keychain(Some(token.clone()));
        Ok(TokenView::of(Some(&token), false))
    }

    /// Removes the token from both places it may be: the session-only slot and the keychain
    /// (so a token kept for this session does not give way to an older one in the keychain).
    /// A keychain that cannot be used holds nothing to remove when the token was session-only.
    async fn remove_from<T: KeptToken>(
        &self,
        slot: &Mutex<TokenSlot<T>>,
    ) -> Result<TokenView, AppError> {
        let session_only = matches!(&*lock(slot), TokenSlot::SessionOnly(_));
        match self.keychain(|store| T::forget(store)).await {
            Ok(()) => {}
            Err(error) if session_only => {
                tracing::info!(
                    "a session-only token was removed; the keychain could not be reached: {error}"
                );
            }
            Err(error) => return Err(error),
        }
        *lock(slot) = TokenSlot::Keychain(None);
        Ok(TokenView::of::<T>(None, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_removes_only_the_waiting_files_of_programs_that_stopped() {
        let data = tempfile::tempdir().unwrap();
        // The person's own folder named `incoming`, in a data folder they chose.
        let theirs = data.path().join("incoming").join("song.wav");
        std::fs::create_dir_all(theirs.parent().unwrap()).unwrap();
        std::fs::write(&theirs, b"mine").unwrap();

        let first = History::open(data.path()).unwrap();
        let first_folder = waiting_files_folder(data.path(), Some(&first));
        std::fs::write(first_folder.join("waiting.wav"), b"RIFF").unwrap();
        let crashed = History::open(data.path()).unwrap();
        let crashed_folder = waiting_files_folder(data.path(), Some(&crashed));
        std::fs::write(crashed_folder.join("left.wav"), b"RIFF").unwrap();
        drop(crashed);

        // A second program starts while the first still runs.
        let second = History::open(data.path()).unwrap();
        let second_folder = waiting_files_folder(data.path(), Some(&second));
        assert_ne!(first_folder, second_folder);
        assert_eq!(std::fs::read(&theirs).unwrap(), b"mine");
        assert_eq!(
            std::fs::read(first_folder.join("waiting.wav")).unwrap(),
            b"RIFF",
            "the running program's waiting file is untouched"
        );
        assert!(!crashed_folder.exists(), "a stopped program's folder goes");
    }
}
