//! The songs commands: extend and cover through the core's songs engine (see
//! `producer_upload::songs`). Each only translates; the engine records, sends, polls and words.

use crate::commands::save_dialog;
use crate::state::AppState;
use producer_upload::error::{ErrorCode, ErrorReport};
use producer_upload::songs::download::{http_client, safe_stem, save_song_as, Received};
use producer_upload::songs::engine::Change;
use producer_upload::songs::params::{
    ADVANCED, DEFAULT_MODEL, MAX_LYRIC_CHARS, MAX_PROMPT_CHARS, MAX_SHORT_TEXT_CHARS,
};
use producer_upload::songs::report::progress_words;
use producer_upload::songs::MODELS;
use producer_upload::songs::{store, Generation, GenerationId, Song, SongRequest, SongsUpdate};
use producer_upload::tr;
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

/// Most generations the Songs view lists.
pub const MAX_LISTED: u32 = 1000;

/// A generation as the window draws it: the core's, with its state in words ("Making your
/// song… 40%").
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub generation: Generation,
    pub words: String,
}

impl From<Generation> for Shown {
    fn from(generation: Generation) -> Self {
        let words = progress_words(&generation.state);
        Self { generation, words }
    }
}

/// A songs update as the window receives it: numbered, with the whole generation.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SongsMessage {
    /// A generation as it now is.
    Generation { seq: u64, generation: Box<Shown> },
    /// Following the running songs failed for now (they are asked about again later).
    PollFailed { seq: u64, error: ErrorReport },
}

impl From<SongsUpdate> for SongsMessage {
    fn from(update: SongsUpdate) -> Self {
        match update.change {
            Change::Generation { generation } => SongsMessage::Generation {
                seq: update.seq,
                generation: Box::new(Shown::from(*generation)),
            },
            Change::PollFailed { error } => SongsMessage::PollFailed {
                seq: update.seq,
                error,
            },
        }
    }
}

/// What the Songs view and the dialog need: every generation (newest first), the models and
/// the limits of each value.
#[derive(Debug, Clone, Serialize)]
pub struct SongsView {
    pub generations: Vec<Shown>,
    /// Why running songs are not being followed now (no token, say), if they are not.
    pub problem: Option<ErrorReport>,
    pub models: Vec<Model>,
    pub default_model: &'static str,
    pub max_prompt_chars: usize,
    pub max_lyric_chars: usize,
    pub max_short_text_chars: usize,
    pub advanced: Vec<Advanced>,
}

/// A model, with what it is for.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub name: &'static str,
    pub purpose: String,
}

/// An advanced value and its range.
#[derive(Debug, Clone, Serialize)]
pub struct Advanced {
    pub field: &'static str,
    /// Its name in the catalogue's `song-advanced-label` (the window writes the label).
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
}

/// Where a song was saved.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub path: String,
}

/// Sends songs updates to `on_update` from now on (each carries a whole generation), starts
/// following running songs when there is a token, and returns the Songs view as it stands.
#[tauri::command]
pub async fn songs_subscribe(
    state: State<'_, AppState>,
    on_update: Channel<SongsMessage>,
) -> Result<SongsView, ErrorReport> {
    subscribe(&state, on_update).await
}

/// Sends the songs' changes to `on_update` from now on; the Songs view as it stands.
async fn subscribe(
    state: &AppState,
    on_update: Channel<SongsMessage>,
) -> Result<SongsView, ErrorReport> {
    state.subscribe_songs(on_update);
    let problem = state.songs().await.err();
    let history = state
        .history()
        .ok_or_else(|| ErrorReport::from_code(ErrorCode::HistoryUnavailable))?;
    let generations = store::list(&history, Some(MAX_LISTED)).map_err(|e| e.report())?;
    Ok(view(generations, problem))
}

/// Checks, records and sends an extend or cover; returns the generation once the service
/// answered. Nothing is sent when a value is out of range.
#[tauri::command]
pub async fn songs_generate(
    state: State<'_, AppState>,
    request: serde_json::Value,
) -> Result<Shown, ErrorReport> {
    generate(&state, request).await
}

/// Checks `request` and sends it, recorded first.
async fn generate(state: &AppState, request: serde_json::Value) -> Result<Shown, ErrorReport> {
    let request = request_of(request)?;
    state
        .songs()
        .await?
        .generate(request)
        .await
        .map(Shown::from)
}

/// Sends again, on request, a song whose outcome is unknown or that failed.
#[tauri::command]
pub async fn songs_send_again(
    state: State<'_, AppState>,
    id: GenerationId,
) -> Result<Shown, ErrorReport> {
    state.songs().await?.send_again(id).await.map(Shown::from)
}

/// Asks the service about a song now.
#[tauri::command]
pub async fn songs_check_again(
    state: State<'_, AppState>,
    id: GenerationId,
) -> Result<Shown, ErrorReport> {
    state.songs().await?.check_again(id).map(Shown::from)
}

/// Saves song `song` of generation `id` as an MP3 the musician names in the system's save
/// dialog (opened here: the window never names a file), telling `on_progress` how much has
/// arrived as it goes. `None` when they cancel.
#[tauri::command]
pub async fn songs_download<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: GenerationId,
    song: String,
    on_progress: Channel<Received>,
) -> Result<Option<Saved>, ErrorReport> {
    let song = song_of(&state, id, &song)?;
    let Some(path) = song_save_dialog(&app, &song).await else {
        return Ok(None);
    };
    save_telling(&state, &song, &path, &on_progress).await
}

/// Saves `song` at `path`, telling `on_progress` how much has arrived a few times a second.
async fn save_telling(
    state: &AppState,
    song: &Song,
    path: &std::path::Path,
    on_progress: &Channel<Received>,
) -> Result<Option<Saved>, ErrorReport> {
    save(state, song, path, &every_so_often(on_progress))
        .await
        .map(Some)
}

/// Where to save `song`, as the system's save dialog asks: an MP3 named after it (none when the
/// dialog is dismissed).
async fn song_save_dialog<R: Runtime>(
    app: &AppHandle<R>,
    song: &Song,
) -> Option<std::path::PathBuf> {
    let file_name = format!("{}.mp3", safe_stem(&song.title));
    let (title, kind) = (tr!("song-save-title"), tr!("song-save-filter"));
    save_dialog(app, &title, &file_name, &kind, "mp3").await
}

/// Tells `on_progress` how much has arrived a few times a second at most, and at the end.
fn every_so_often(on_progress: &Channel<Received>) -> impl Fn(Received) + '_ {
    let last_told = Mutex::new(None::<Instant>);
    move |received: Received| {
        let mut last = last_told.lock().unwrap_or_else(|e| e.into_inner());
        let done = received.total == Some(received.bytes);
        if done || last.is_none_or(|at| at.elapsed() >= PROGRESS_EVERY) {
            *last = Some(Instant::now());
            let _ = on_progress.send(received);
        }
    }
}

/// How often a download's progress reaches the window.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Downloads `song` to `path` (what the save dialog leads to), telling `on_progress` as it goes.
pub async fn save(
    state: &AppState,
    song: &Song,
    path: &Path,
    on_progress: &(dyn Fn(Received) + Sync),
) -> Result<Saved, ErrorReport> {
    let http = http_client(Duration::from_secs(state.settings().timeout_secs.max(60)));
    save_song_as(&http, song, path, on_progress).await?;
    Ok(Saved {
        path: path.display().to_string(),
    })
}

/// Song `song` of generation `id`, as the history has it.
pub fn song_of(state: &AppState, id: GenerationId, song: &str) -> Result<Song, ErrorReport> {
    let history = state
        .history()
        .ok_or_else(|| ErrorReport::from_code(ErrorCode::HistoryUnavailable))?;
    let generation = store::get(&history, id).map_err(|e| e.report())?;
    let songs = match generation.map(|generation| generation.state) {
        Some(producer_upload::songs::TaskState::Succeeded { songs }) => songs,
        _ => Vec::new(),
    };
    songs
        .into_iter()
        .find(|found| found.id == song)
        .ok_or_else(|| {
            ErrorReport::from_code(ErrorCode::HistoryUnavailable)
                .with_words("song-not-in-history", [])
        })
}

/// The request the dialog sent; a shape that is not one is refused like a value out of range.
fn request_of(request: serde_json::Value) -> Result<SongRequest, ErrorReport> {
    serde_json::from_value(request).map_err(|error| {
        ErrorReport::from_code(ErrorCode::InvalidSetting).with_words(
            "song-settings-unreadable",
            [("detail", error.to_string().into())],
        )
    })
}

fn view(generations: Vec<Generation>, problem: Option<ErrorReport>) -> SongsView {
    SongsView {
        generations: generations.into_iter().map(Shown::from).collect(),
        problem,
        models: MODELS
            .iter()
            .map(|(name, purpose)| Model {
                name,
                purpose: tr!(purpose),
            })
            .collect(),
        default_model: DEFAULT_MODEL,
        max_prompt_chars: MAX_PROMPT_CHARS,
        max_lyric_chars: MAX_LYRIC_CHARS,
        max_short_text_chars: MAX_SHORT_TEXT_CHARS,
        advanced: ADVANCED
            .iter()
            .map(|(field, name, min)| Advanced {
                field,
                name,
                min: *min,
                max: 1.0,
            })
            .collect(),
    }
}
