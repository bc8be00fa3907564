//! The upload list: links and files in (pasted, dropped, chosen), the batch's controls, and
//! closing the window during a batch.

use super::{
    api_is_local, check_count, choose_audio_files, on_disk, MAX_FILE_NAME_CHARS, MAX_PREFLIGHT,
    MAX_TEXT_BYTES,
};
use crate::background::CloseChoice;
use crate::error::AppError;
use crate::state::AppState;
use crate::state::WindowMessage;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use producer_upload::disk::DiskBudget;
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::filehost::{FileError, MAX_FILE_BYTES};
use producer_upload::incoming::{Incoming, IncomingError};
use producer_upload::intake::{self, Rules};
use producer_upload::links::{self, Intake};
use producer_upload::queue::{FileSource, Queue, QueueFile, QueueUpdate, Summary};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tauri::ipc::{Channel, InvokeBody, Request};
use tauri::{AppHandle, Runtime, State};

/// What a paste or a drop added to the upload list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Added {
    /// The rows' ids, in the order given.
    pub ids: Vec<u64>,
    /// How many of them are links (to send, or held for the musician's OK).
    pub links: usize,
    /// How many cannot be sent at all (not a link, a file on this computer given as a link).
    pub refused: usize,
}

/// Lists what pasted or dropped `text` holds and queues the links among it, parsed once by the
/// core's one intake (links to send, links held with why, what cannot be sent with why). A
/// `file:///…` link that names one of the files `dropped` with it is left out: the file itself
/// is taken. Progress arrives on the channel given to `queue_subscribe`.
#[tauri::command]
pub async fn queue_add_text(
    state: State<'_, AppState>,
    text: String,
    dropped: Vec<String>,
) -> Result<Added, ErrorReport> {
    add_text(&state, text, dropped).await
}

/// Reads pasted or dropped `text` once, leaving out links naming files `dropped` with it, and lists what it holds.
async fn add_text(
    state: &AppState,
    text: String,
    dropped: Vec<String>,
) -> Result<Added, ErrorReport> {
    if text.len() > MAX_TEXT_BYTES {
        let (bytes, max) = (text.len(), MAX_TEXT_BYTES);
        return Err(AppError::TextTooLong { bytes, max }.into());
    }
    check_count(dropped.len())?;
    let given: Vec<Intake> = links::parse_links(&text)
        .into_iter()
        .filter(|intake| !names_a_dropped_file(intake, &dropped))
        .collect();
    check_count(given.len())?;
    add_given(state, given).await
}

/// The characters `encodeURIComponent` leaves as they are, as a file manager writes a dropped
/// file's link.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// True for a link that cannot be sent and names one of the files `dropped` with it (a file
/// dragged from a file manager also comes as a `file:///…` link to itself).
fn names_a_dropped_file(intake: &Intake, dropped: &[String]) -> bool {
    let Intake::Rejected(rejected) = intake else {
        return false;
    };
    dropped.iter().any(|name| {
        rejected.given.ends_with(name.as_str())
            || rejected
                .given
                .ends_with(&utf8_percent_encode(name, URI_COMPONENT).to_string())
    })
}

/// Lists `given` in the queue as the one intake takes it; the links go with the current token,
/// or, without a usable one, are listed as failed with the reason, to be retried once there is
/// one.
async fn add_given(state: &AppState, given: Vec<Intake>) -> Result<Added, ErrorReport> {
    let links = given
        .iter()
        .filter(|intake| matches!(intake, Intake::Ready(_)))
        .count();
    let refused = given.len() - links;
    let api_is_local = api_is_local(state);
    let rules = Rules {
        api_is_local,
        send_anyway: false,
    };
    let taken = intake::take(given, state.preflight_http(), rules).await;
    let queue = state.queue_or_start()?;
    let token = async { state.token().await.map_err(|error| error.report()) };
    let (ids, queued) = queue.add_taken(taken, token).await;
    if state.settings().preflight && !queued.is_empty() {
        check_links(state, queue, queued, api_is_local);
    }
    Ok(Added {
        ids,
        links,
        refused,
    })
}

/// Sends batch updates (and the question asked when the window is closed during a batch) to
/// `on_update` from now on, and returns the whole list as it stands (`None` before the first
/// batch). Updates and the list are numbered (see `producer_upload::queue`), so the window
/// keeps the newest whichever arrives first.
#[tauri::command]
pub async fn queue_subscribe(
    state: State<'_, AppState>,
    on_update: Channel<WindowMessage>,
) -> Result<Option<QueueUpdate>, ErrorReport> {
    subscribe(&state, on_update).await
}

/// Sends updates to `on_update` from now on; the list as it stands (a reloaded window's files still arriving are lost).
async fn subscribe(
    state: &AppState,
    on_update: Channel<WindowMessage>,
) -> Result<Option<QueueUpdate>, ErrorReport> {
    state.subscribe(on_update);
    let Some(queue) = state.queue() else {
        return Ok(None);
    };
    // A window that subscribes again was reloaded: the files it was handing over are lost.
    queue.abandon_incoming().await;
    Ok(Some(queue.snapshot().await))
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
pub async fn queue_add_files(
    state: State<'_, AppState>,
    files: Vec<DroppedFile>,
) -> Result<Vec<u64>, ErrorReport> {
    add_dropped(&state, files).await
}

/// Lists the files dropped on the window, each refused at once or waiting for its bytes.
async fn add_dropped(state: &AppState, files: Vec<DroppedFile>) -> Result<Vec<u64>, ErrorReport> {
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
    add_files(state, files).await
}

/// One piece of a dropped file, as the raw body of the call, with the headers `item-id` and
/// `offset`. Returns true to ask for the next piece, false to stop sending this file (its row
/// says why).
#[tauri::command]
pub async fn queue_file_chunk(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<bool, ErrorReport> {
    let (id, offset, bytes) = piece_of(&request)?;
    state.take_piece(id, offset, bytes).await
}

/// A piece's file, offset and bytes, from the call's headers `item-id` and `offset` and its raw
/// body.
fn piece_of<'a>(request: &'a Request<'_>) -> Result<(u64, u64, &'a [u8]), AppError> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok())
    };
    match (header("item-id"), header("offset"), request.body()) {
        (Some(id), Some(offset), InvokeBody::Raw(bytes)) => Ok((id, offset, bytes)),
        _ => Err(AppError::FilePiece),
    }
}

/// The window could not read a dropped file (it was moved or deleted after the drop): its row
/// fails with the reason.
#[tauri::command]
pub async fn queue_file_unreadable(state: State<'_, AppState>, id: u64) -> Result<(), ErrorReport> {
    fail_unreadable(&state, id).await
}

/// Fails dropped file `id`, which the window could not read.
async fn fail_unreadable(state: &AppState, id: u64) -> Result<(), ErrorReport> {
    if let Some(queue) = state.queue() {
        let unreadable = ErrorReport::from_code(ErrorCode::FileUnreadable)
            .with_words("app-dropped-file-unreadable", []);
        queue.fail_incoming(id, unreadable).await;
    }
    Ok(())
}

/// Opens the system's file dialog for audio files and lists a row for each file chosen
/// (none when the dialog is dismissed); returns their item ids.
#[tauri::command]
pub async fn queue_choose_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Vec<u64>, ErrorReport> {
    let paths = choose_audio_files(&app).await;
    add_chosen(&state, paths).await
}

/// Lists the files chosen at `paths`, each checked where it is.
async fn add_chosen(state: &AppState, paths: Vec<PathBuf>) -> Result<Vec<u64>, ErrorReport> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    check_count(paths.len())?;
    let files =
        on_disk(move || paths.iter().map(|path| QueueFile::on_disk(path)).collect()).await?;
    add_files(state, files).await
}

/// Stops the files among `ids` not yet sent to the Producer API (the row's Cancel), transfer
/// included. Returns how many were stopped.
#[tauri::command]
pub async fn queue_stop(state: State<'_, AppState>, ids: Vec<u64>) -> Result<usize, ErrorReport> {
    check_count(ids.len())?;
    Ok(match state.queue() {
        Some(queue) => queue.stop(&ids).await,
        None => 0,
    })
}

/// Puts the done files among `ids` whose earlier hosted link was reused on the file host again
/// (the row's "Upload the file again"), each as a new row. Returns the new rows' ids.
#[tauri::command]
pub async fn queue_host_again(
    state: State<'_, AppState>,
    ids: Vec<u64>,
) -> Result<Vec<u64>, ErrorReport> {
    check_count(ids.len())?;
    Ok(match state.queue() {
        Some(queue) => queue.host_again(&ids).await,
        None => Vec::new(),
    })
}

/// Queues `files` with the current tokens.
async fn add_files(state: &AppState, files: Vec<QueueFile>) -> Result<Vec<u64>, ErrorReport> {
    let token = state.token().await?;
    let platform_token = state.platform_token().await.ok().flatten();
    let queue = state.queue_or_start()?;
    queue.set_platform_token(platform_token);
    Ok(queue.add_files(token, files).await)
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

/// Takes the finished rows (done, failed, stopped, not uploadable) out of the upload list;
/// links waiting or uploading stay. Returns how many were taken out.
#[tauri::command]
pub async fn queue_clear(state: State<'_, AppState>) -> Result<usize, ErrorReport> {
    Ok(match state.queue() {
        Some(queue) => queue.clear().await,
        None => 0,
    })
}

/// Puts back the rows the last "Clear list" took out (its Undo). Returns how many.
#[tauri::command]
pub async fn queue_undo_clear(state: State<'_, AppState>) -> Result<usize, ErrorReport> {
    Ok(match state.queue() {
        Some(queue) => queue.undo_clear().await,
        None => 0,
    })
}

/// Takes finished rows out of the upload list ("Remove" on a row); the history keeps them.
/// Returns how many were taken out.
#[tauri::command]
pub async fn queue_remove(state: State<'_, AppState>, ids: Vec<u64>) -> Result<usize, ErrorReport> {
    Ok(match state.queue() {
        Some(queue) => queue.remove(&ids).await,
        None => 0,
    })
}

/// Pauses the batch: no new upload starts; running ones finish.
#[tauri::command]
pub async fn queue_pause(state: State<'_, AppState>) -> Result<Option<Summary>, ErrorReport> {
    Ok(match state.queue() {
        Some(queue) => Some(queue.pause().await),
        None => None,
    })
}

/// Resumes the batch after a pause.
#[tauri::command]
pub async fn queue_resume(state: State<'_, AppState>) -> Result<Option<Summary>, ErrorReport> {
    Ok(match state.queue() {
        Some(queue) => Some(queue.resume().await),
        None => None,
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
    retry(&state, ids).await
}

/// Sends again the rows `ids` (or every failed one) with the current tokens.
async fn retry(state: &AppState, ids: Option<Vec<u64>>) -> Result<usize, ErrorReport> {
    check_count(ids.as_ref().map_or(0, Vec::len))?;
    let Some(queue) = state.queue() else {
        return Ok(0);
    };
    let token = state.token().await?;
    queue.set_platform_token(state.platform_token().await.ok().flatten());
    Ok(match ids {
        Some(ids) => queue.retry(&ids, Some(token)).await,
        None => queue.retry_failed(Some(token)).await,
    })
}

/// Closes the window during work as the musician chose. Either way no `audio_id` is lost:
/// running uploads finish and are recorded before the app quits; no song is sent again.
#[tauri::command]
pub async fn close_during_batch<R: Runtime>(
    app: AppHandle<R>,
    window: tauri::Window<R>,
    state: State<'_, AppState>,
    choice: CloseChoice,
) -> Result<(), ErrorReport> {
    match state.close_during_work(choice).await {
        true => app.exit(0),
        false => drop(window.hide()),
    }
    Ok(())
}
