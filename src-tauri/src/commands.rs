//! The commands the window may call. Each one checks its input, calls into the core, and turns
//! the result into what the UI shows; errors cross as [`ErrorReport`] objects only.

use crate::error::AppError;
use crate::progress;
use crate::settings::{self, Settings};
use crate::state::WindowMessage;
use crate::state::{AppState, TokenKind, TokenView};
use producer_upload::client::{is_loopback, ClientConfig};
use producer_upload::disk::DiskBudget;
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::filehost::{self, FileError, MAX_FILE_BYTES, PLATFORM_TOKENS_PAGE};
use producer_upload::history::{
    Format, History, HistoryError, Query, Record, RecordId, State as RecordState,
};
use producer_upload::incoming::{Incoming, IncomingError, MAX_PIECE_BYTES};
use producer_upload::links::{self, Intake, PreparedLink};
use producer_upload::queue::{
    notes_for, FileSource, Queue, QueueFile, QueueLink, QueueUpdate, ReceiveTurn, Summary, Unsent,
};
use producer_upload::tr;
use producer_upload::words::{LanguageChoice, Preference, Words};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tauri::ipc::{Channel, InvokeBody, Request};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use url::Url;

/// Most text accepted in one paste or drop.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// Most links accepted in one paste or drop.
pub const MAX_LINKS: usize = 1000;
/// Longest single link accepted.
pub const MAX_LINK_BYTES: usize = 8 * 1024;
/// Longest file name kept when explaining a dropped file.
pub const MAX_FILE_NAME_CHARS: usize = 255;
/// Most history records fetched in one page.
pub const MAX_HISTORY_PAGE: u32 = 500;
/// Longest history search accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 500;
/// The audio files the file dialog offers (the file host also takes what their first bytes
/// show to be audio, whatever the name).
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "wav", "m4a", "flac", "ogg", "oga", "aac", "aif", "aiff",
];
/// How often a dropped file waiting for its turn to arrive asks again.
const RECEIVE_POLL: Duration = Duration::from_millis(100);
/// Longest a pre-flight check may take.
pub const MAX_PREFLIGHT: Duration = Duration::from_secs(15);

/// Where a musician finds their API token (the Ace Data Cloud console).
pub const TOKEN_PAGE: &str = "https://platform.acedata.cloud/console/applications";
/// Where a musician tops up their balance.
pub const TOP_UP_PAGE: &str = "https://platform.acedata.cloud/console/applications";

/// One row to show for a piece of pasted or dropped input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IntakeRow {
    /// A link ready to upload.
    Ready(PreparedLink),
    /// Something that cannot be uploaded, and why.
    Rejected { given: String, error: ErrorReport },
}

impl From<Intake> for IntakeRow {
    fn from(intake: Intake) -> Self {
        match intake {
            Intake::Ready(link) => IntakeRow::Ready(link),
            Intake::Rejected(rejected) => IntakeRow::Rejected {
                error: rejected.report(),
                given: rejected.given,
            },
        }
    }
}

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
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        token_page: TOKEN_PAGE,
        top_up_page: TOP_UP_PAGE,
        platform_token_page: PLATFORM_TOKENS_PAGE,
        default_base_url: producer_upload::client::DEFAULT_BASE_URL,
        max_piece_bytes: MAX_PIECE_BYTES,
    }
}

/// The window's words: the catalogue of the language in use (the same Rust formats its own
/// messages from), its tag, the languages Settings offers and the one chosen there.
#[derive(Debug, Clone, Serialize)]
pub struct WordsView {
    pub language: String,
    pub source: String,
    pub languages: Vec<LanguageChoice>,
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
pub fn set_language(
    state: State<'_, AppState>,
    preference: Preference,
) -> Result<WordsView, ErrorReport> {
    let words = state.save_language(preference)?;
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
    let settings: Settings =
        serde_json::from_value(settings).map_err(|error| AppError::Setting {
            setting: "setting-all",
            detail: tr!("setting-unreadable", detail = error.to_string()),
        })?;
    state.save_settings(settings)?;
    Ok(settings_view(&state))
}

/// Whether a token (the API token unless `kind` says otherwise) is there, and its last four
/// characters, or why the keychain cannot be read.
#[tauri::command]
pub async fn token_status(
    state: State<'_, AppState>,
    kind: Option<TokenKind>,
) -> Result<TokenView, ErrorReport> {
    Ok(state.token_status(kind.unwrap_or_default()).await)
}

/// Saves a pasted token in the keychain, or keeps it for this session only.
#[tauri::command]
pub async fn save_token(
    state: State<'_, AppState>,
    token: String,
    session_only: bool,
    kind: Option<TokenKind>,
) -> Result<TokenView, ErrorReport> {
    if token.len() > MAX_LINK_BYTES {
        return Err(
            AppError::TokenInput(producer_upload::token::TokenInputError::Malformed).into(),
        );
    }
    Ok(state
        .save_token(kind.unwrap_or_default(), &token, session_only)
        .await?)
}

/// Forgets a token.
#[tauri::command]
pub async fn remove_token(
    state: State<'_, AppState>,
    kind: Option<TokenKind>,
) -> Result<TokenView, ErrorReport> {
    Ok(state.remove_token(kind.unwrap_or_default()).await?)
}

/// Turns pasted or dropped text into rows: links ready to upload, or what cannot be, and why.
#[tauri::command]
pub fn intake_links(text: String) -> Result<Vec<IntakeRow>, ErrorReport> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(AppError::TextTooLong {
            bytes: text.len(),
            max: MAX_TEXT_BYTES,
        }
        .into());
    }
    let items = links::parse_links(&text);
    check_count(items.len())?;
    Ok(items.into_iter().map(IntakeRow::from).collect())
}

/// A row to list, as `intake_links` returned it: a link to send, or something that cannot be
/// sent.
#[derive(Debug, Clone, Deserialize)]
pub struct LinkInput {
    /// The link (or file name) as the musician gave it (kept in the history).
    pub given: String,
    /// The address to send; `None` for something that cannot be sent.
    #[serde(default)]
    pub audio_url: Option<String>,
    /// True for a path to a file on this computer given as a link (which needs the file itself).
    #[serde(default)]
    pub local_file: bool,
}

/// True when the API address is on this computer (the simulator), which reaches links to this
/// computer and the local network.
/// True when the API is on this computer (the simulator): links there may then be fetched.
pub(crate) fn api_is_local(state: &AppState) -> bool {
    ClientConfig::new(&state.effective_base_url()).is_ok_and(|config| is_loopback(&config.base_url))
}

/// Why something given cannot be sent (the core's reason, whatever the window said).
fn rejection_for(input: &LinkInput) -> ErrorReport {
    if input.local_file {
        return ErrorReport::from_code(ErrorCode::LocalFile);
    }
    match links::parse_links(&input.given).pop() {
        Some(Intake::Rejected(rejected)) => rejected.report(),
        _ => ErrorReport::from_code(ErrorCode::InvalidUrl),
    }
}

/// Sends batch updates (and the question asked when the window is closed during a batch) to
/// `on_update` from now on, and returns the whole list as it stands (`None` before the first
/// batch). Updates and the list are numbered (see `producer_upload::queue`), so the window
/// keeps the newest whichever arrives first.
#[tauri::command]
pub fn queue_subscribe(
    state: State<'_, AppState>,
    on_update: Channel<WindowMessage>,
) -> Option<QueueUpdate> {
    state.subscribe(on_update);
    state.queue().map(|queue| {
        // A window that subscribes again was reloaded: the files it was handing over are lost.
        queue.abandon_incoming();
        queue.snapshot()
    })
}

/// Lists rows in the upload list and queues the links among them; returns their item ids in
/// the order given. Progress arrives on the channel given to `queue_subscribe`. Each link is
/// checked again here, whatever the window sent; rows that cannot be sent are listed with the
/// core's reason. Without a usable token the links are listed as failed with the reason, to be
/// retried once there is one.
#[tauri::command]
pub async fn queue_add<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    links: Vec<LinkInput>,
) -> Result<Vec<u64>, ErrorReport> {
    check_count(links.len())?;
    let mut ready = Vec::new();
    let mut rejected = Vec::new();
    let api_is_local = api_is_local(&state);
    // Names such as printer.lan are resolved (each once) before anything is queued.
    let named: Vec<Url> = links
        .iter()
        .filter_map(|input| Url::parse(input.audio_url.as_deref()?).ok())
        .collect();
    let local_hosts = state
        .preflight_http()
        .local_hosts(&named, api_is_local)
        .await;
    for (index, input) in links.into_iter().enumerate() {
        let given_ok = input.given.len() <= MAX_LINK_BYTES && !input.given.trim().is_empty();
        match input.audio_url.as_deref() {
            Some(audio_url) => {
                let audio_url = one_link(audio_url)?;
                let given = Some(input.given)
                    .filter(|_| given_ok)
                    .unwrap_or_else(|| audio_url.to_string());
                if let Some(code) =
                    links::hold_reason(&given, &audio_url, api_is_local, &local_hosts)
                {
                    rejected.push((
                        index,
                        Unsent {
                            notes: notes_for(&given),
                            given,
                            audio_url: Some(audio_url),
                            error: ErrorReport::from_code(code),
                            held: true,
                        },
                    ));
                    continue;
                }
                ready.push((
                    index,
                    QueueLink {
                        notes: notes_for(&given),
                        given,
                        audio_url,
                        retry_of: None,
                    },
                ));
            }
            None => {
                let error = rejection_for(&input);
                let given = if given_ok {
                    input.given
                } else {
                    input.given.chars().take(MAX_FILE_NAME_CHARS).collect()
                };
                rejected.push((
                    index,
                    Unsent {
                        given,
                        audio_url: None,
                        error,
                        notes: Vec::new(),
                        held: false,
                    },
                ));
            }
        }
    }
    let token = if ready.is_empty() {
        None
    } else {
        Some(state.token().await)
    };
    let queue = state.queue_or_start(move || progress::exit_after_notice(&app))?;
    let mut ids: Vec<(usize, u64)> = Vec::new();
    let (indices, unsent): (Vec<usize>, Vec<Unsent>) = rejected.into_iter().unzip();
    ids.extend(indices.into_iter().zip(queue.add_unsent(unsent)));
    let (indices, links): (Vec<usize>, Vec<QueueLink>) = ready.into_iter().unzip();
    let added = match token {
        Some(Ok(token)) => queue.add(token, links),
        Some(Err(error)) => {
            let report = error.report();
            queue.add_unsent(
                links
                    .into_iter()
                    .map(|link| Unsent {
                        given: link.given,
                        audio_url: Some(link.audio_url),
                        error: report.clone(),
                        notes: link.notes,
                        held: false,
                    })
                    .collect(),
            )
        }
        None => Vec::new(),
    };
    if state.settings().preflight && !added.is_empty() {
        check_links(&state, queue, added.clone(), api_is_local);
    }
    ids.extend(indices.into_iter().zip(added));
    ids.sort_unstable();
    Ok(ids.into_iter().map(|(_, id)| id).collect())
}

/// Starts the optional link check on links just queued: advice on their rows, without the
/// token; the uploads do not wait for it.
fn check_links(state: &AppState, queue: Queue, ids: Vec<u64>, api_is_local: bool) {
    let http = state.preflight_http().clone();
    let time_limit = Duration::from_secs(state.settings().timeout_secs).min(MAX_PREFLIGHT);
    tauri::async_runtime::spawn(async move {
        queue
            .check_links(&http, ids, time_limit, api_is_local)
            .await;
    });
}

/// A file dropped on the window, as the page knows it (never its path).
#[derive(Debug, Clone, Deserialize)]
pub struct DroppedFile {
    pub name: String,
    pub size: u64,
    /// True for a folder.
    #[serde(default)]
    pub folder: bool,
}

/// Lists one row per file dropped on the window and returns their item ids in the order given.
/// A folder or a file over the size limit is refused on its row at once; the others wait for
/// their bytes ([`queue_file_chunk`]), then are hosted and uploaded. Needs the API token (the
/// platform token is asked for by the rows that need it).
#[tauri::command]
pub async fn queue_add_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    files: Vec<DroppedFile>,
) -> Result<Vec<u64>, ErrorReport> {
    check_count(files.len())?;
    let incoming_dir = state.incoming_dir().to_owned();
    let disk = state.disk_budget().clone();
    let files = on_disk(move || {
        files
            .into_iter()
            .map(|file| dropped_file(&incoming_dir, &disk, file))
            .collect()
    })
    .await?;
    add_files(app, &state, files).await
}

/// One piece of a dropped file, as the raw body of the call, with the headers `item-id` and
/// `offset`. Returns true to ask for the next piece, false to stop sending this file (its row
/// says why).
#[tauri::command]
pub async fn queue_file_chunk(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<bool, ErrorReport> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok())
    };
    let (Some(id), Some(offset), InvokeBody::Raw(bytes)) =
        (header("item-id"), header("offset"), request.body())
    else {
        return Err(AppError::FilePiece.into());
    };
    let Some(queue) = state.queue() else {
        return Ok(false);
    };
    if bytes.len() > MAX_PIECE_BYTES {
        // Refused before it is copied or written: the row says the file must be added again.
        let error = AppError::PieceTooBig {
            len: bytes.len(),
            max: MAX_PIECE_BYTES,
        };
        queue.fail_incoming(id, error.report());
        return Err(error.into());
    }
    // A new file waits while enough others wait for the file host: the page awaits this call,
    // so it reads no further meanwhile.
    loop {
        match queue.may_receive(id) {
            ReceiveTurn::Now => break,
            ReceiveTurn::Later => tokio::time::sleep(RECEIVE_POLL).await,
            ReceiveTurn::Never => return Ok(false),
        }
    }
    let bytes = bytes.clone();
    on_disk(move || queue.receive(id, offset, &bytes)).await
}

/// The window could not read a dropped file (it was moved or deleted after the drop): its row
/// fails with the reason.
#[tauri::command]
pub fn queue_file_unreadable(state: State<'_, AppState>, id: u64) {
    if let Some(queue) = state.queue() {
        queue.fail_incoming(
            id,
            ErrorReport::from_code(ErrorCode::FileUnreadable)
                .with_words("app-dropped-file-unreadable", []),
        );
    }
}

/// Opens the system's file dialog for audio files and lists a row for each file chosen
/// (none when the dialog is dismissed); returns their item ids.
#[tauri::command]
pub async fn queue_choose_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Vec<u64>, ErrorReport> {
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
    let paths = receiver.await.unwrap_or_default();
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    check_count(paths.len())?;
    let files = on_disk(move || paths.iter().map(|path| chosen_file(path)).collect()).await?;
    add_files(app, &state, files).await
}

/// Stops the files among `ids` not yet sent to the Producer API (the row's Cancel), transfer
/// included. Returns how many were stopped.
#[tauri::command]
pub fn queue_stop(state: State<'_, AppState>, ids: Vec<u64>) -> Result<usize, ErrorReport> {
    check_count(ids.len())?;
    Ok(state.queue().map_or(0, |queue| queue.stop(&ids)))
}

/// Puts the done files among `ids` whose earlier hosted link was reused on the file host again
/// (the row's "Upload the file again"), each as a new row. Returns the new rows' ids.
#[tauri::command]
pub fn queue_host_again(
    state: State<'_, AppState>,
    ids: Vec<u64>,
) -> Result<Vec<u64>, ErrorReport> {
    check_count(ids.len())?;
    Ok(state
        .queue()
        .map_or_else(Vec::new, |queue| queue.host_again(&ids)))
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

/// Queues `files` with the current tokens.
async fn add_files<R: Runtime>(
    app: AppHandle<R>,
    state: &AppState,
    files: Vec<QueueFile>,
) -> Result<Vec<u64>, ErrorReport> {
    let token = state.token().await?;
    let platform_token = state.platform_token().await.ok().flatten();
    let queue = state.queue_or_start(move || progress::exit_after_notice(&app))?;
    queue.set_platform_token(platform_token);
    Ok(queue.add_files(token, files))
}

/// A dropped file as the queue takes it: refused at once when it cannot be hosted or there is
/// no room for it on disk (see [`DiskBudget`]), else a private place for its bytes to arrive in.
pub fn dropped_file(incoming_dir: &Path, disk: &DiskBudget, file: DroppedFile) -> QueueFile {
    let name: String = file.name.chars().take(MAX_FILE_NAME_CHARS).collect();
    let refused = if file.folder {
        Some(FileError::Folder(name.clone().into()))
    } else if file.size > MAX_FILE_BYTES {
        Some(FileError::TooBig {
            path: name.clone().into(),
            size: file.size,
        })
    } else {
        None
    };
    let source = match refused {
        Some(error) => FileSource::Refused(error.report()),
        None => match disk.reserve(incoming_dir, file.size) {
            Err(error) => {
                tracing::warn!("a dropped file was not taken: {error}");
                FileSource::Refused(error.report())
            }
            Ok(room) => match Incoming::create(incoming_dir, &name, file.size) {
                Ok(incoming) => FileSource::Incoming(incoming.with_room(room)),
                Err(error) => {
                    tracing::warn!("no room for a dropped file: {error}");
                    FileSource::Refused(IncomingError::Write(error).report())
                }
            },
        },
    };
    QueueFile {
        name,
        size: file.size,
        source,
    }
}

/// A file chosen in the file dialog as the queue takes it: checked where it is.
pub fn chosen_file(path: &Path) -> QueueFile {
    let name = path
        .file_name()
        .map(|name| {
            name.to_string_lossy()
                .chars()
                .take(MAX_FILE_NAME_CHARS)
                .collect()
        })
        .unwrap_or_else(|| path.display().to_string());
    match filehost::inspect(path) {
        Ok(audio) => QueueFile {
            name,
            size: audio.size,
            source: FileSource::Path(path.to_owned()),
        },
        Err(error) => QueueFile {
            name,
            size: std::fs::metadata(path).map_or(0, |metadata| metadata.len()),
            source: FileSource::Refused(error.report()),
        },
    }
}

/// Takes the finished rows (done, failed, stopped, not uploadable) out of the upload list;
/// links waiting or uploading stay. Returns how many were taken out.
#[tauri::command]
pub fn queue_clear(state: State<'_, AppState>) -> usize {
    state.queue().map_or(0, |queue| queue.clear())
}

/// Puts back the rows the last "Clear list" took out (its Undo). Returns how many.
#[tauri::command]
pub fn queue_undo_clear(state: State<'_, AppState>) -> usize {
    state.queue().map_or(0, |queue| queue.undo_clear())
}

/// Takes finished rows out of the upload list ("Remove" on a row); the history keeps them.
/// Returns how many were taken out.
#[tauri::command]
pub fn queue_remove(state: State<'_, AppState>, ids: Vec<u64>) -> usize {
    state.queue().map_or(0, |queue| queue.remove(&ids))
}

/// Pauses the batch: no new upload starts; running ones finish.
#[tauri::command]
pub fn queue_pause(state: State<'_, AppState>) -> Option<Summary> {
    state.queue().map(|queue| {
        queue.pause();
        queue.summary()
    })
}

/// Resumes the batch after a pause.
#[tauri::command]
pub fn queue_resume(state: State<'_, AppState>) -> Option<Summary> {
    state.queue().map(|queue| {
        queue.resume();
        queue.summary()
    })
}

/// Cancels the batch: links not started yet become interrupted (in the history too); running
/// ones finish and are recorded. Returns how many were stopped.
#[tauri::command]
pub async fn queue_cancel(state: State<'_, AppState>) -> Result<usize, ErrorReport> {
    Ok(match state.queue() {
        Some(queue) => queue.cancel().await,
        None => 0,
    })
}

/// Queues again the failed or interrupted links: those in `ids`, or all of them. Uses the
/// current token, so links that failed for a token problem go with the new one.
#[tauri::command]
pub async fn queue_retry(
    state: State<'_, AppState>,
    ids: Option<Vec<u64>>,
) -> Result<usize, ErrorReport> {
    check_count(ids.as_ref().map_or(0, Vec::len))?;
    let Some(queue) = state.queue() else {
        return Ok(0);
    };
    let token = state.token().await?;
    queue.set_platform_token(state.platform_token().await.ok().flatten());
    Ok(match ids {
        Some(ids) => queue.retry(&ids, Some(token)),
        None => queue.retry_failed(Some(token)),
    })
}

/// What to do when the window is closed during a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseChoice {
    /// Hide the window and quit once every queued link is through (a paused batch resumes).
    FinishInBackground,
    /// Stop: links not started become interrupted; running ones finish, then the app quits.
    Stop,
}

/// Closes the window during a batch as the musician chose. Either way no `audio_id` is lost:
/// running uploads finish and are recorded before the app quits.
#[tauri::command]
pub async fn close_during_batch<R: Runtime>(
    app: AppHandle<R>,
    window: tauri::Window<R>,
    state: State<'_, AppState>,
    choice: CloseChoice,
) -> Result<(), ErrorReport> {
    if let Some(queue) = state.queue() {
        match choice {
            CloseChoice::Stop => {
                queue.cancel().await;
            }
            // A paused batch would never finish with no window to resume it from.
            CloseChoice::FinishInBackground => queue.resume(),
        }
    }
    if state.leave_when_idle() {
        app.exit(0);
    } else {
        let _ = window.hide();
    }
    Ok(())
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
    if url.len() > MAX_LINK_BYTES {
        return Err(ErrorReport::from_code(ErrorCode::InvalidUrl));
    }
    let link = links::browser_link(&url)?;
    if !state.shows_link(&url) {
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

/// One page of the history, newest first, and how many records match the search in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryPage {
    /// Records matching the search.
    pub total: u64,
    /// Where this page starts.
    pub offset: u32,
    /// The page's records.
    pub records: Vec<Record>,
}

/// Where an export was written, and how many records it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportDone {
    /// The file written.
    pub path: String,
    /// Records written.
    pub count: usize,
}

fn history_of(state: &AppState) -> Result<Arc<History>, ErrorReport> {
    state
        .history()
        .ok_or_else(|| ErrorReport::from_code(ErrorCode::HistoryUnavailable))
}

/// The history query for a search box's text: words matched against links, file names, ids
/// and dates. Only the first [`MAX_SEARCH_CHARS`] characters count.
/// What History shows: its search and its filters. Its list and its export both use it, so an
/// export holds exactly the records the list shows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HistoryFilter {
    /// The search as typed.
    pub text: String,
    /// Failed and stopped uploads only.
    pub failed_only: bool,
    /// Files hosted from this computer only.
    pub hosted_only: bool,
    /// The window's time zone, for dates searched as it shows them.
    pub utc_offset_minutes: i32,
    /// The month names of the window's language, January first.
    pub month_names: Vec<String>,
}

impl HistoryFilter {
    /// The history query for this filter.
    pub fn query(&self) -> Query {
        let mut query = search_query(&self.text);
        if self.failed_only {
            query.states = vec![RecordState::Failed, RecordState::Interrupted];
        }
        query.hosted_only = self.hosted_only;
        // A time zone is at most 14 hours from UTC; twelve names at most, each short.
        query.utc_offset_minutes = self.utc_offset_minutes.clamp(-14 * 60, 14 * 60);
        query.month_names = self
            .month_names
            .iter()
            .take(12)
            .map(|name| name.chars().take(32).collect())
            .collect();
        query
    }
}

pub fn search_query(text: &str) -> Query {
    Query {
        text: text
            .chars()
            .take(MAX_SEARCH_CHARS)
            .collect::<String>()
            .trim()
            .to_owned(),
        ..Query::default()
    }
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

/// A page of the upload history, newest first, matching `text` (empty for all). Dates in `text`
/// are read in the window's time zone (`utc_offset_minutes`, minutes ahead of UTC) and
/// language (`month_names`, January first); `failed_only` keeps failed and interrupted uploads,
/// `hosted_only` the files from this computer put on the file host.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn history_page(
    state: State<'_, AppState>,
    filter: HistoryFilter,
    offset: u32,
    limit: u32,
) -> Result<HistoryPage, ErrorReport> {
    let mut query = filter.query();
    query.offset = offset;
    query.limit = Some(limit.clamp(1, MAX_HISTORY_PAGE));
    let history = history_of(&state)?;
    blocking(move || {
        let total = history.count(&query)?;
        let records = history.search(&query)?;
        Ok(HistoryPage {
            total,
            offset,
            records,
        })
    })
    .await
}

/// Deletes history records at the musician's request (uploads in flight are kept) and returns
/// how many; `history_undo` puts the last deleted ones back.
#[tauri::command]
pub async fn history_delete(
    state: State<'_, AppState>,
    ids: Vec<RecordId>,
) -> Result<usize, ErrorReport> {
    check_count(ids.len())?;
    let history = history_of(&state)?;
    let deleted = blocking(move || history.delete(&ids)).await?;
    let count = deleted.len();
    state.remember_deleted(deleted);
    Ok(count)
}

/// Puts back the records deleted last, and returns how many.
#[tauri::command]
pub async fn history_undo(state: State<'_, AppState>) -> Result<usize, ErrorReport> {
    let history = history_of(&state)?;
    let deleted = state.take_deleted();
    blocking(move || history.restore(&deleted)).await
}

/// Uploads a failed or interrupted history record again, through the batch queue; its result
/// settles the same record. Returns the queue item's id.
#[tauri::command]
pub async fn history_retry<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: RecordId,
) -> Result<u64, ErrorReport> {
    let history = history_of(&state)?;
    let record = blocking(move || history.get(id))
        .await?
        .ok_or_else(|| HistoryError::NotFound(id).report())?;
    if !matches!(record.state, RecordState::Failed | RecordState::Interrupted) {
        return Err(HistoryError::NotRetryable {
            id,
            state: record.state,
        }
        .report());
    }
    let link = retry_link(record)?;
    let token = state.token().await?;
    let queue = state.queue_or_start(move || progress::exit_after_notice(&app))?;
    Ok(queue.add(token, vec![link])[0])
}

/// The queue link that uploads `record` again and settles it.
fn retry_link(record: Record) -> Result<QueueLink, AppError> {
    if record.audio_url.is_empty() {
        // A file taken from the window and never hosted: its copy went with the app that took
        // it, so only the person can give it again.
        return Err(AppError::FileGone(record.file_name));
    }
    Ok(QueueLink {
        notes: notes_for(&record.given_url),
        audio_url: one_link(&record.audio_url)?,
        given: record.given_url,
        retry_of: Some(record.id),
    })
}

/// The history's stopped uploads waiting for Retry (interrupted: the app stopped before they
/// were sent or answered), at most [`MAX_LINKS`], newest first.
fn stopped_query() -> Query {
    Query {
        states: vec![RecordState::Interrupted],
        limit: Some(MAX_LINKS as u32),
        ..Query::default()
    }
}

/// How many uploads in the history were stopped and wait for Retry (said when the app starts).
#[tauri::command]
pub async fn history_stopped(state: State<'_, AppState>) -> Result<u64, ErrorReport> {
    let history = history_of(&state)?;
    blocking(move || {
        history.count(&Query {
            limit: None,
            ..stopped_query()
        })
    })
    .await
}

/// What "Retry them" did: the queue items sent again, and why the others were not (each keeps
/// its own Retry in History).
#[derive(Debug, Clone, Serialize)]
pub struct RetriedStopped {
    pub ids: Vec<u64>,
    pub not_sent: Vec<ErrorReport>,
}

/// Sends the history's stopped uploads again ("Retry them" when the app starts), each settling
/// its own record.
#[tauri::command]
pub async fn history_retry_stopped<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<RetriedStopped, ErrorReport> {
    let history = history_of(&state)?;
    let records = blocking(move || history.search(&stopped_query())).await?;
    // Oldest first, as they were queued.
    let mut links = Vec::new();
    let mut not_sent = Vec::new();
    for record in records.into_iter().rev() {
        match retry_link(record) {
            Ok(link) => links.push(link),
            Err(error) => not_sent.push(error.report()),
        }
    }
    if links.is_empty() {
        return Ok(RetriedStopped {
            ids: Vec::new(),
            not_sent,
        });
    }
    let token = state.token().await?;
    let queue = state.queue_or_start(move || progress::exit_after_notice(&app))?;
    Ok(RetriedStopped {
        ids: queue.add(token, links),
        not_sent,
    })
}

/// Writes the records matching `query` to `path` as `format`, private to the user, and returns
/// how many. A failure leaves whatever was at `path` untouched.
pub fn export_history(
    history: &History,
    query: &Query,
    format: Format,
    path: &Path,
) -> Result<usize, HistoryError> {
    history.export_to_file(query, format, path)
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

/// Exports the whole history (empty `text`) or the current search to a CSV or JSON file the
/// musician picks in the system's save dialog. `None` when they cancel the dialog.
///
/// The dialog is opened from here, not from the window, so the window never names a file to
/// write: it needs no dialog or file permission at all.
#[tauri::command]
pub async fn history_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: Format,
    filter: HistoryFilter,
) -> Result<Option<ExportDone>, ErrorReport> {
    let query = filter.query();
    let history = history_of(&state)?;
    let (extension, kind) = match format {
        Format::Csv => ("csv", tr!("dialog-csv-files")),
        Format::Json => ("json", "JSON".to_owned()),
    };
    let file_name = format!("producer-uploads.{extension}");
    let Some(path) = save_dialog(
        &app,
        &tr!("dialog-export-title"),
        &file_name,
        &kind,
        extension,
    )
    .await
    else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    let count = blocking(move || export_history(&history, &query, format, &path)).await?;
    Ok(Some(ExportDone { path: shown, count }))
}
