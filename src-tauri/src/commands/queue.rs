//! The upload list: links and files in (pasted, dropped, chosen), the batch's controls, and
//! closing the window during a batch.

use super::{
    api_is_local, check_count, on_disk, one_link, AUDIO_EXTENSIONS, MAX_FILE_NAME_CHARS,
    MAX_LINK_BYTES, MAX_PREFLIGHT, MAX_TEXT_BYTES, RECEIVE_POLL,
};
use crate::background::Leave;
use crate::error::AppError;
use crate::state::AppState;
use crate::state::WindowMessage;
use producer_upload::disk::DiskBudget;
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::filehost::{self, FileError, MAX_FILE_BYTES};
use producer_upload::incoming::{Incoming, IncomingError, MAX_PIECE_BYTES};
use producer_upload::links::{self, Intake, PreparedLink};
use producer_upload::queue::{
    notes_for, FileSource, Queue, QueueFile, QueueLink, QueueUpdate, ReceiveTurn, Summary, Unsent,
};
use producer_upload::tr;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tauri::ipc::{Channel, InvokeBody, Request};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use url::Url;

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
pub async fn queue_subscribe(
    state: State<'_, AppState>,
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

/// Lists rows in the upload list and queues the links among them; returns their item ids in
/// the order given. Progress arrives on the channel given to `queue_subscribe`. Each link is
/// checked again here, whatever the window sent; rows that cannot be sent are listed with the
/// core's reason. Without a usable token the links are listed as failed with the reason, to be
/// retried once there is one.
#[tauri::command]
pub async fn queue_add(
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
    let queue = state.queue_or_start()?;
    let mut ids: Vec<(usize, u64)> = Vec::new();
    let (indices, unsent): (Vec<usize>, Vec<Unsent>) = rejected.into_iter().unzip();
    ids.extend(indices.into_iter().zip(queue.add_unsent(unsent).await));
    let (indices, links): (Vec<usize>, Vec<QueueLink>) = ready.into_iter().unzip();
    let added = match token {
        Some(Ok(token)) => queue.add(token, links).await,
        Some(Err(error)) => {
            let report = error.report();
            queue
                .add_unsent(
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
                .await
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
pub async fn queue_add_files(
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
    add_files(&state, files).await
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
        queue.fail_incoming(id, error.report()).await;
        return Err(error.into());
    }
    // A new file waits while enough others wait for the file host: the page awaits this call,
    // so it reads no further meanwhile.
    loop {
        match queue.may_receive(id).await {
            ReceiveTurn::Now => break,
            ReceiveTurn::Later => tokio::time::sleep(RECEIVE_POLL).await,
            ReceiveTurn::Never => return Ok(false),
        }
    }
    Ok(queue.receive(id, offset, bytes.as_slice()).await)
}

/// The window could not read a dropped file (it was moved or deleted after the drop): its row
/// fails with the reason.
#[tauri::command]
pub async fn queue_file_unreadable(state: State<'_, AppState>, id: u64) -> Result<(), ErrorReport> {
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
    add_files(&state, files).await
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

/// What to do when the window is closed while uploads or songs run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseChoice {
    /// Hide the window and quit once every queued link is through (a paused batch resumes)
    /// and every song being made is ready or failed.
    FinishInBackground,
    /// Stop uploads, or quit now when only songs are being made: links not started become
    /// interrupted; running ones finish, then the app quits. Songs being made go on at the
    /// service and are followed again at the next start.
    Stop,
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
    if let Some(queue) = state.queue() {
        match choice {
            CloseChoice::Stop => {
                queue.cancel().await;
            }
            // A paused batch would never finish with no window to resume it from.
            CloseChoice::FinishInBackground => {
                queue.resume().await;
            }
        }
    }
    let leave = match choice {
        CloseChoice::Stop => Leave::AfterUploads,
        CloseChoice::FinishInBackground => Leave::AfterAll,
    };
    if state.leave(leave) {
        app.exit(0);
    } else {
        let _ = window.hide();
    }
    Ok(())
}
