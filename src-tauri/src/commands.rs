//! The commands the window may call. Each one checks its input, calls into the core, and turns
//! the result into what the UI shows; errors cross as [`ErrorReport`] objects only.

use crate::error::AppError;
use crate::settings::{self, Settings};
use crate::state::WindowMessage;
use crate::state::{AppState, TokenView};
use producer_upload::client::{is_loopback, ClientConfig};
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::history::{
    Format, History, HistoryError, Query, Record, RecordId, State as RecordState,
};
use producer_upload::links::{self, Intake, PreparedLink};
use producer_upload::preflight::{self, PreflightReport};
use producer_upload::queue::{QueueLink, QueueUpdate, Summary};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
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
    pub default_base_url: &'static str,
}

/// A pre-flight check's result, with the core's judgement of whether to warn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckView {
    #[serde(flatten)]
    pub report: PreflightReport,
    /// True when the musician should look at the link (a web page, not audio, unreachable).
    pub warning: bool,
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
                .with_message("Send exactly one link to your audio file at a time."),
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
        default_base_url: producer_upload::client::DEFAULT_BASE_URL,
    }
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
            setting: "settings",
            detail: format!("they could not be read ({error})"),
        })?;
    state.save_settings(settings)?;
    Ok(settings_view(&state))
}

/// Whether a token is there (and its last four characters), or why the keychain cannot be read.
#[tauri::command]
pub async fn token_status(state: State<'_, AppState>) -> Result<TokenView, ErrorReport> {
    Ok(state.token_status().await)
}

/// Saves a pasted token in the keychain, or keeps it for this session only.
#[tauri::command]
pub async fn save_token(
    state: State<'_, AppState>,
    token: String,
    session_only: bool,
) -> Result<TokenView, ErrorReport> {
    if token.len() > MAX_LINK_BYTES {
        return Err(
            AppError::TokenInput(producer_upload::token::TokenInputError::Malformed).into(),
        );
    }
    Ok(state.save_token(&token, session_only).await?)
}

/// Forgets the token.
#[tauri::command]
pub async fn remove_token(state: State<'_, AppState>) -> Result<TokenView, ErrorReport> {
    Ok(state.remove_token().await?)
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
    if items.len() > MAX_LINKS {
        return Err(AppError::TooManyLinks {
            count: items.len(),
            max: MAX_LINKS,
        }
        .into());
    }
    Ok(items.into_iter().map(IntakeRow::from).collect())
}

/// Rows for files dropped from this computer: the service needs a link to each, not the file.
#[tauri::command]
pub fn explain_local_files(names: Vec<String>) -> Result<Vec<IntakeRow>, ErrorReport> {
    if names.len() > MAX_LINKS {
        return Err(AppError::TooManyLinks {
            count: names.len(),
            max: MAX_LINKS,
        }
        .into());
    }
    Ok(names
        .into_iter()
        .map(|name| IntakeRow::Rejected {
            given: name.chars().take(MAX_FILE_NAME_CHARS).collect(),
            error: ErrorReport::from_code(ErrorCode::LocalFile),
        })
        .collect())
}

/// Checks that a link answers and looks like audio, without the token. Advice only: the upload
/// goes ahead whatever it says.
#[tauri::command]
pub async fn check_link(state: State<'_, AppState>, url: String) -> Result<CheckView, ErrorReport> {
    let url = one_link(&url)?;
    let time_limit = Duration::from_secs(state.settings().timeout_secs).min(MAX_PREFLIGHT);
    let api_is_local = ClientConfig::new(&state.effective_base_url())
        .is_ok_and(|config| is_loopback(&config.base_url));
    let report = preflight::preflight(state.preflight_http(), &url, time_limit, api_is_local).await;
    Ok(CheckView {
        warning: report.is_warning(),
        report,
    })
}

/// A link to queue, as `intake_links` returned it: as given, and the address to send.
#[derive(Debug, Clone, Deserialize)]
pub struct LinkInput {
    /// The link as the musician gave it (kept in the history).
    pub given: String,
    /// The address to send.
    pub audio_url: String,
}

/// Sends batch updates (and the question asked when the window is closed during a batch) to
/// `on_update` from now on, and returns the batch as it stands (`None` before the first one).
#[tauri::command]
pub fn queue_subscribe(
    state: State<'_, AppState>,
    on_update: Channel<WindowMessage>,
) -> Option<QueueUpdate> {
    state.subscribe(on_update);
    state.queue().map(|queue| queue.snapshot())
}

/// Queues links for upload and returns their item ids; progress arrives on the channel given
/// to `queue_subscribe`. Each link is checked again here, whatever the window sent.
#[tauri::command]
pub async fn queue_add<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    links: Vec<LinkInput>,
) -> Result<Vec<u64>, ErrorReport> {
    if links.len() > MAX_LINKS {
        return Err(AppError::TooManyLinks {
            count: links.len(),
            max: MAX_LINKS,
        }
        .into());
    }
    let links = links
        .into_iter()
        .map(|link| {
            let audio_url = one_link(&link.audio_url)?;
            let given = Some(link.given)
                .filter(|given| given.len() <= MAX_LINK_BYTES && !given.trim().is_empty())
                .unwrap_or_else(|| audio_url.to_string());
            Ok(QueueLink {
                given,
                audio_url,
                retry_of: None,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let token = state.token().await?;
    let queue = state.queue_or_start(move || app.exit(0))?;
    Ok(queue.add(token, links))
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
    if ids.as_ref().is_some_and(|ids| ids.len() > MAX_LINKS) {
        return Err(AppError::TooManyLinks {
            count: ids.map_or(0, |ids| ids.len()),
            max: MAX_LINKS,
        }
        .into());
    }
    let Some(queue) = state.queue() else {
        return Ok(0);
    };
    let token = state.token().await?;
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
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, HistoryError> + Send + 'static,
) -> Result<T, ErrorReport> {
    match tauri::async_runtime::spawn_blocking(call).await {
        Ok(result) => result.map_err(|error| error.report()),
        Err(_) => Err(ErrorReport::from_code(ErrorCode::HistoryUnavailable)),
    }
}

/// A page of the upload history, newest first, matching `text` (empty for all).
#[tauri::command]
pub async fn history_page(
    state: State<'_, AppState>,
    text: String,
    offset: u32,
    limit: u32,
) -> Result<HistoryPage, ErrorReport> {
    let mut query = search_query(&text);
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
    if ids.len() > MAX_LINKS {
        return Err(AppError::TooManyLinks {
            count: ids.len(),
            max: MAX_LINKS,
        }
        .into());
    }
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
    let audio_url = one_link(&record.audio_url)?;
    let token = state.token().await?;
    let queue = state.queue_or_start(move || app.exit(0))?;
    let link = QueueLink {
        given: record.given_url,
        audio_url,
        retry_of: Some(record.id),
    };
    Ok(queue.add(token, vec![link])[0])
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
    text: String,
) -> Result<Option<ExportDone>, ErrorReport> {
    let query = search_query(&text);
    let history = history_of(&state)?;
    let (extension, kind) = match format {
        Format::Csv => ("csv", "CSV (spreadsheets)"),
        Format::Json => ("json", "JSON"),
    };
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Export upload history")
        .set_file_name(format!("producer-uploads.{extension}"))
        .add_filter(kind, &[extension])
        .save_file(move |path| {
            let _ = sender.send(path.and_then(|path| path.into_path().ok()));
        });
    let Some(path): Option<PathBuf> = receiver.await.ok().flatten() else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    let count = blocking(move || export_history(&history, &query, format, &path)).await?;
    Ok(Some(ExportDone { path: shown, count }))
}
