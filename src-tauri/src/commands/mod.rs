//! The commands the window may call. Each one checks its input, calls into the core, and turns
//! the result into what the UI shows; errors cross as [`ErrorReport`] objects only.

use crate::error::AppError;
use crate::settings::{self, Settings};
use crate::state::AppState;
use producer_upload::client::{is_loopback, ClientConfig};
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::filehost::PLATFORM_TOKENS_PAGE;
use producer_upload::history::HistoryError;
use producer_upload::incoming::MAX_PIECE_BYTES;
use producer_upload::links::{self, Intake};
use producer_upload::tr;
use producer_upload::words::{LanguageChoice, Preference, Words};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use url::Url;

pub mod history;
pub mod page;
pub mod queue;
pub mod tokens;

pub use history::{export_history, search_query, HistoryFilter};

/// Most text accepted in one paste or drop.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// Most links accepted in one paste or drop.
pub const MAX_LINKS: usize = 1000;
/// Longest single link accepted (the core's intake owns it).
pub use producer_upload::intake::MAX_LINK_BYTES;
/// Longest file name kept when explaining a dropped file.
pub use producer_upload::queue::MAX_FILE_NAME_CHARS;
/// Most history records fetched in one page.
pub const MAX_HISTORY_PAGE: u32 = 500;
/// Longest history search accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 500;
/// The audio files the file dialog offers (the file host also takes what their first bytes
/// show to be audio, whatever the name).
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "wav", "m4a", "flac", "ogg", "oga", "aac", "aif", "aiff",
];
/// Longest a pre-flight check may take.
pub const MAX_PREFLIGHT: Duration = Duration::from_secs(15);

/// Where a musician finds their API token (the Ace Data Cloud console).
pub const TOKEN_PAGE: &str = "https://platform.acedata.cloud/console/applications";
/// Where a musician tops up their balance.
pub const TOP_UP_PAGE: &str = "https://platform.acedata.cloud/console/applications";

/// The settings as the settings screen shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingsView {
    /// What is saved.
    pub settings: Settings,
    /// Where uploads go now (the environment's address wins over the saved one).
    pub effective_base_url: String,
    /// True when `ACEDATACLOUD_API_BASE_URL` set the address for this launch.
    pub base_url_from_env: bool,
    /// The ranges each number must stay in.
    pub limits: Limits,
}

/// The ranges the settings screen enforces (the same ones the commands check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub min_concurrency: u32,
    pub max_concurrency: u32,
    pub min_timeout_secs: u64,
    pub max_timeout_secs: u64,
    pub max_text_bytes: usize,
    pub max_links: usize,
}

/// Facts the window needs once, at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub token_page: &'static str,
    pub top_up_page: &'static str,
    pub platform_token_page: &'static str,
    pub default_base_url: &'static str,
    /// The largest piece of a dropped file `queue_file_chunk` takes.
    pub max_piece_bytes: usize,
}

fn limits() -> Limits {
    Limits {
        min_concurrency: settings::MIN_CONCURRENCY,
        max_concurrency: settings::MAX_CONCURRENCY_SETTING,
        min_timeout_secs: settings::MIN_TIMEOUT_SECS,
        max_timeout_secs: settings::MAX_TIMEOUT_SECS,
        max_text_bytes: MAX_TEXT_BYTES,
        max_links: MAX_LINKS,
    }
}

fn settings_view(state: &AppState) -> SettingsView {
    SettingsView {
        settings: state.settings(),
        effective_base_url: state.effective_base_url(),
        base_url_from_env: state.base_url_override().is_some(),
        limits: limits(),
    }
}

/// Checks text meant to be one link and returns the address to send.
pub fn one_link(text: &str) -> Result<Url, AppError> {
    if text.len() > MAX_LINK_BYTES {
        return Err(AppError::TextTooLong {
            bytes: text.len(),
            max: MAX_LINK_BYTES,
        });
    }
    let mut items = links::parse_links(text);
    match (items.pop(), items.is_empty()) {
        (Some(Intake::Ready(link)), true) => Ok(link.audio_url),
        (Some(Intake::Rejected(rejected)), true) => Err(AppError::NotOneLink(rejected.report())),
        _ => Err(AppError::NotOneLink(
            ErrorReport::from_code(ErrorCode::InvalidUrl)
                .with_message(tr!("app-one-link-at-a-time")),
        )),
    }
}

/// Facts the window needs at start: version and the Ace Data Cloud pages it may open.
#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo::of_this_build()
}

impl AppInfo {
    /// This build's facts.
    fn of_this_build() -> Self {
        AppInfo {
            version: env!("CARGO_PKG_VERSION"),
            token_page: TOKEN_PAGE,
            top_up_page: TOP_UP_PAGE,
            platform_token_page: PLATFORM_TOKENS_PAGE,
            default_base_url: producer_upload::client::DEFAULT_BASE_URL,
            max_piece_bytes: MAX_PIECE_BYTES,
        }
    }
}

/// The window's words: the catalogue of the language in use (the same Rust formats its own
/// messages from), its tag, the languages Settings offers and the one chosen there.
#[derive(Debug, Clone, Serialize)]
pub struct WordsView {
    pub language: String,
    pub source: String,
    pub languages: &'static [LanguageChoice],
    pub preference: Preference,
}

fn words_view(state: &AppState, words: &Words) -> WordsView {
    WordsView {
        language: words.language().to_string(),
        source: words.source().to_owned(),
        languages: producer_upload::words::languages(),
        preference: state.settings().language.unwrap_or_default(),
    }
}

/// The words the window draws with.
#[tauri::command]
pub fn words(state: State<'_, AppState>) -> WordsView {
    words_view(&state, &producer_upload::words::current())
}

/// Saves the language chosen in Settings and switches to it at once; returns the new words.
#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    preference: Preference,
) -> Result<WordsView, ErrorReport> {
    let words = state.save_language(preference).await?;
    Ok(words_view(&state, &words))
}

/// Where the preview player fetches a link's audio: the app's own server on this computer,
/// followed by the link, percent-encoded (see [`crate::preview`]).
#[tauri::command]
pub fn preview_base(server: State<'_, crate::preview::PreviewServer>) -> String {
    server.base().to_owned()
}

/// The person has read the hosting notice: it is not shown again.
#[tauri::command]
pub fn acknowledge_hosting_notice(state: State<'_, AppState>) -> Result<(), ErrorReport> {
    Ok(state.acknowledge_hosting_notice()?)
}

/// The saved settings, where uploads go, and the allowed ranges.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> SettingsView {
    settings_view(&state)
}

/// Validates and saves new settings; they apply to the next upload.
///
/// Takes plain JSON so that settings of the wrong shape (a negative number, a word, an unknown
/// field) are refused with an `invalid_setting` report like any other bad value.
#[tauri::command]
pub fn save_settings(
    state: State<'_, AppState>,
    settings: serde_json::Value,
) -> Result<SettingsView, ErrorReport> {
    save(&state, settings)
}

/// Reads and saves `settings`; the settings view after.
fn save(state: &AppState, settings: serde_json::Value) -> Result<SettingsView, ErrorReport> {
    let settings: Settings =
        serde_json::from_value(settings).map_err(|error| AppError::Setting {
            setting: "setting-all",
            detail: tr!("setting-unreadable", detail = error.to_string()),
        })?;
    state.save_settings(settings)?;
    Ok(settings_view(state))
}

/// True when the API address is on this computer (the simulator), which reaches links to this
/// computer and the local network.
/// True when the API is on this computer (the simulator): links there may then be fetched.
pub(crate) fn api_is_local(state: &AppState) -> bool {
    ClientConfig::new(&state.effective_base_url()).is_ok_and(|config| is_loopback(&config.base_url))
}

/// Opens a link the window shows (in the upload list or the history) in the web browser. Only
/// `http` and `https` links are opened (see [`links::browser_link`]), so no link can start a
/// program or open a local file, and only those the window shows, so the page cannot send the
/// browser anywhere else.
#[tauri::command]
pub async fn open_link<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    url: String,
) -> Result<(), ErrorReport> {
    open(app, &state, url).await
}

/// Opens `url` in the browser if the window shows it.
async fn open<R: Runtime>(
    app: AppHandle<R>,
    state: &AppState,
    url: String,
) -> Result<(), ErrorReport> {
    if url.len() > MAX_LINK_BYTES {
        return Err(ErrorReport::from_code(ErrorCode::InvalidUrl));
    }
    let link = links::browser_link(&url)?;
    if !state.shows_link(&url).await {
        return Err(AppError::LinkNotShown.into());
    }
    app.opener()
        .open_url(link.as_str(), None::<&str>)
        .map_err(|error| AppError::Browser(error.to_string()).into())
}

/// Changes the window's text size one step (Ctrl+=, Ctrl+-, Ctrl+0), keeps it for the next
/// start, and returns it in percent.
#[tauri::command]
pub fn zoom<R: Runtime>(
    webview: tauri::Webview<R>,
    state: State<'_, AppState>,
    step: settings::ZoomStep,
) -> Result<u32, ErrorReport> {
    let percent = state.save_zoom(step)?;
    // The size is saved; a webview that cannot zoom keeps its size until the next start.
    let _ = webview.set_zoom(f64::from(percent) / 100.0);
    Ok(percent)
}

/// Runs a blocking history call on a blocking thread.
/// Runs `call`, which waits on the disk, on a thread meant for that.
async fn on_disk<T: Send + 'static>(
    call: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ErrorReport> {
    tauri::async_runtime::spawn_blocking(call)
        .await
        .map_err(|_| AppError::FilePiece.into())
}

async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, HistoryError> + Send + 'static,
) -> Result<T, ErrorReport> {
    match tauri::async_runtime::spawn_blocking(call).await {
        Ok(result) => result.map_err(|error| error.report()),
        Err(_) => Err(ErrorReport::from_code(ErrorCode::HistoryUnavailable)),
    }
}

/// The path the musician picks in the system's save dialog, titled `title`, suggesting
/// `file_name` and offering files of `kind` (`extension`); `None` when they cancel.
pub(crate) async fn save_dialog<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    file_name: &str,
    kind: &str,
    extension: &str,
) -> Option<PathBuf> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(kind, &[extension])
        .save_file(move |path| {
            let _ = sender.send(path.and_then(|path| path.into_path().ok()));
        });
    receiver.await.ok().flatten()
}

/// The audio files chosen in the system's file dialog (none when it is dismissed).
pub(crate) async fn choose_audio_files<R: Runtime>(app: &AppHandle<R>) -> Vec<PathBuf> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(tr!("dialog-choose-files-title"))
        .add_filter(tr!("dialog-audio-files"), AUDIO_EXTENSIONS)
        .pick_files(move |paths| {
            let paths: Vec<PathBuf> = paths
                .unwrap_or_default()
                .into_iter()
                .filter_map(|path| path.into_path().ok())
                .collect();
            let _ = sender.send(paths);
        });
    receiver.await.unwrap_or_default()
}

/// Refuses more than [`MAX_LINKS`] links, files or rows in one call.
fn check_count(count: usize) -> Result<(), AppError> {
    if count > MAX_LINKS {
        return Err(AppError::TooManyLinks {
            count,
            max: MAX_LINKS,
        });
    }
    Ok(())
}
