//! History: its pages, search and filters, delete and undo, retry, stopped uploads, export.

use super::{
    blocking, check_count, one_link, save_dialog, MAX_HISTORY_PAGE, MAX_LINKS, MAX_SEARCH_CHARS,
};
use crate::error::AppError;
use crate::state::AppState;
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::history::{
    Format, History, HistoryError, Query, Record, RecordId, State as RecordState,
};
use producer_upload::queue::{notes_for, QueueLink};
use producer_upload::tr;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use tauri::{AppHandle, Runtime, State};

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
    page(&state, filter, offset, limit).await
}

/// One page of the records `filter` keeps, newest first.
async fn page(
    state: &AppState,
    filter: HistoryFilter,
    offset: u32,
    limit: u32,
) -> Result<HistoryPage, ErrorReport> {
    let mut query = filter.query();
    query.offset = offset;
    query.limit = Some(limit.clamp(1, MAX_HISTORY_PAGE));
    let history = history_of(state)?;
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
    delete(&state, ids).await
}

/// Deletes records `ids`, kept for Undo until the app closes.
async fn delete(state: &AppState, ids: Vec<RecordId>) -> Result<usize, ErrorReport> {
    check_count(ids.len())?;
    let history = history_of(state)?;
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
pub async fn history_retry(state: State<'_, AppState>, id: RecordId) -> Result<u64, ErrorReport> {
    retry_one(&state, id).await
}

/// Sends record `id` again, if Retry can.
async fn retry_one(state: &AppState, id: RecordId) -> Result<u64, ErrorReport> {
    let record = retryable_record(state, id).await?;
    let mut retried = retry_records(state, vec![record]).await?;
    match (retried.ids.pop(), retried.not_sent.pop()) {
        (Some(id), _) => Ok(id),
        (None, why) => Err(why.unwrap_or_else(|| HistoryError::NotFound(id).report())),
    }
}

/// Record `id`, if it is one Retry can send again (failed or stopped).
async fn retryable_record(state: &AppState, id: RecordId) -> Result<Record, ErrorReport> {
    let history = history_of(state)?;
    let record = blocking(move || history.get(id))
        .await?
        .ok_or_else(|| HistoryError::NotFound(id).report())?;
    if !matches!(record.state, RecordState::Failed | RecordState::Interrupted) {
        let state = record.state;
        return Err(HistoryError::NotRetryable { id, state }.report());
    }
    Ok(record)
}

/// Sends `records` again through the queue with the current token, oldest first, each
/// settling its own record; says why those that cannot go (a file whose copy is gone) do not.
async fn retry_records(
    state: &AppState,
    records: Vec<Record>,
) -> Result<RetriedStopped, ErrorReport> {
    let mut links = Vec::new();
    let mut not_sent = Vec::new();
    for record in records {
        match retry_link(record) {
            Ok(link) => links.push(link),
            Err(error) => not_sent.push(error.report()),
        }
    }
    if links.is_empty() {
        let ids = Vec::new();
        return Ok(RetriedStopped { ids, not_sent });
    }
    let token = state.token().await?;
    let queue = state.queue_or_start()?;
    let ids = queue.add(token, links).await;
    Ok(RetriedStopped { ids, not_sent })
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
    count_stopped(&state).await
}

/// How many uploads were stopped and wait for Retry.
async fn count_stopped(state: &AppState) -> Result<u64, ErrorReport> {
    let history = history_of(state)?;
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
pub async fn history_retry_stopped(
    state: State<'_, AppState>,
) -> Result<RetriedStopped, ErrorReport> {
    let history = history_of(&state)?;
    let records = blocking(move || history.search(&stopped_query())).await?;
    // Oldest first, as they were queued.
    retry_records(&state, records.into_iter().rev().collect()).await
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
    filter: HistoryFilter,
) -> Result<Option<ExportDone>, ErrorReport> {
    export_chosen(&app, &state, format, &filter).await
}

/// Exports the records `filter` keeps as `format` where the system's save dialog says (nothing
/// when it is dismissed); the history is checked first, so a dialog never opens for nothing.
async fn export_chosen<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    format: Format,
    filter: &HistoryFilter,
) -> Result<Option<ExportDone>, ErrorReport> {
    let history = history_of(state)?;
    let Some(path) = export_dialog(app, format).await else {
        return Ok(None);
    };
    let query = filter.query();
    let shown = path.display().to_string();
    let count = blocking(move || export_history(&history, &query, format, &path)).await?;
    Ok(Some(ExportDone { path: shown, count }))
}

/// Where to export as `format`, as the system's save dialog asks (none when it is dismissed).
async fn export_dialog<R: Runtime>(
    app: &AppHandle<R>,
    format: Format,
) -> Option<std::path::PathBuf> {
    let (extension, kind) = match format {
        Format::Csv => ("csv", tr!("dialog-csv-files")),
        Format::Json => ("json", "JSON".to_owned()),
    };
    let file_name = format!("producer-uploads.{extension}");
    let title = tr!("dialog-export-title");
    save_dialog(app, &title, &file_name, &kind, extension).await
}
