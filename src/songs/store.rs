//! Generations kept in the history database (table `generations`), beside the uploads: each is
//! recorded before its request is sent, gets its task ID as soon as it comes, and its state as
//! the service reports it. A request whose program stopped before its answer (a crash, a kill)
//! becomes `unknown` when the history next opens, as uploads become interrupted.
//!
//! Table `audio_kinds` remembers, per audio ID, which form of the action worked (uploaded or
//! generated), and every generated song's ID.

use super::params::{AudioKind, SongRequest};
use super::task::{Song, TaskState};
use crate::error::{ErrorCode, ErrorReport, Said};
use crate::history::{History, HistoryError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use std::time::Duration;
use time::OffsetDateTime;

/// The schema of generations (history migration 4).
pub(crate) const MIGRATION: &str = "CREATE TABLE generations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('extend', 'cover')),
        audio_id TEXT NOT NULL,
        request TEXT NOT NULL,
        kind TEXT CHECK (kind IN ('uploaded', 'generated')),
        state TEXT NOT NULL
            CHECK (state IN ('sending', 'unknown', 'pending', 'running', 'succeeded', 'failed')),
        session_id TEXT,
        task_id TEXT,
        progress INTEGER,
        songs TEXT,
        error_code TEXT,
        error_message TEXT,
        trace_id TEXT,
        finished_at INTEGER
    );
    CREATE INDEX generations_by_time ON generations (created_at);
    CREATE UNIQUE INDEX generations_by_task ON generations (task_id) WHERE task_id IS NOT NULL;
    CREATE INDEX generations_running ON generations (state) WHERE state IN ('pending', 'running');
    CREATE INDEX generations_sending ON generations (session_id) WHERE state = 'sending';
    CREATE TABLE audio_kinds (
        audio_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('uploaded', 'generated'))
    );";

const COLUMNS: &str = "id, created_at, updated_at, request, kind, state, task_id, progress, \
                       songs, error_code, error_message, trace_id";

/// A generation's number in the history.
pub type GenerationId = i64;

/// One generation as the window and the command show it: what it was made from, the settings,
/// and its state with that state's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generation {
    /// Its number in the history.
    pub id: GenerationId,
    /// When it was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When its state last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// What was asked (action, audio ID, settings).
    pub request: SongRequest,
    /// The form of the action last sent (uploaded or generated audio).
    pub kind: Option<AudioKind>,
    /// The service's task ID, once it came.
    pub task_id: Option<String>,
    /// Where it stands, with that state's data.
    #[serde(flatten)]
    pub state: TaskState,
}

/// Records a generation as being sent, before its request; returns its number.
pub fn record_sending(
    history: &History,
    request: &SongRequest,
) -> Result<GenerationId, HistoryError> {
    let conn = history.conn();
    let now = now_millis();
    conn.execute(
        "INSERT INTO generations (created_at, updated_at, action, audio_id, request, state,
                                  session_id)
         VALUES (?1, ?1, ?2, ?3, ?4, 'sending', ?5)",
        params![
            now,
            request.action.as_str(),
            request.audio_id.trim(),
            request_json(request),
            history.session_id()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Marks a generation as being sent again (an explicit Send again), before its request.
pub fn mark_sending(history: &History, id: GenerationId) -> Result<(), HistoryError> {
    let changed = history.conn().execute(
        "UPDATE generations SET state = 'sending', session_id = ?2, updated_at = ?3,
             error_code = NULL, error_message = NULL, trace_id = NULL, finished_at = NULL
         WHERE id = ?1 AND state IN ('unknown', 'failed')",
        params![id, history.session_id(), now_millis()],
    )?;
    ensure_changed(changed, id)
}

/// Records the task ID the service returned, and which form of the action it took.
pub fn record_task_id(
    history: &History,
    id: GenerationId,
    task_id: &str,
    kind: AudioKind,
) -> Result<(), HistoryError> {
    let changed = history.conn().execute(
        "UPDATE generations SET task_id = ?2, kind = ?3, state = 'pending', session_id = NULL,
             updated_at = ?4
         WHERE id = ?1",
        params![id, task_id, kind.as_str(), now_millis()],
    )?;
    ensure_changed(changed, id)
}

/// Records a task the service knows but this history did not (looked up by its ID).
pub fn record_known_task(
    history: &History,
    request: &SongRequest,
    task_id: &str,
) -> Result<GenerationId, HistoryError> {
    let conn = history.conn();
    let now = now_millis();
    conn.execute(
        "INSERT INTO generations (created_at, updated_at, action, audio_id, request, state, task_id)
         VALUES (?1, ?1, ?2, ?3, ?4, 'pending', ?5)
         ON CONFLICT DO NOTHING",
        params![
            now,
            request.action.as_str(),
            request.audio_id.trim(),
            request_json(request),
            task_id
        ],
    )?;
    let id = conn.query_row(
        "SELECT id FROM generations WHERE task_id = ?1",
        [task_id],
        |row| row.get(0),
    )?;
    Ok(id)
}

/// Records a generation's new state; a success also remembers its songs' IDs as generated.
pub fn record_state(
    history: &History,
    id: GenerationId,
    state: &TaskState,
) -> Result<(), HistoryError> {
    let mut conn = history.conn();
    let tx = conn.transaction()?;
    let now = now_millis();
    let (label, progress, songs, error) = match state {
        TaskState::Sending => ("sending", None, None, None),
        TaskState::Unknown { error } => ("unknown", None, None, Some(error)),
        TaskState::Pending => ("pending", None, None, None),
        TaskState::Running { progress } => ("running", *progress, None, None),
        TaskState::Succeeded { songs } => ("succeeded", Some(100), Some(songs), None),
        TaskState::Failed { error } => ("failed", None, None, Some(error)),
    };
    let changed = tx.execute(
        "UPDATE generations SET state = ?2, progress = ?3, songs = ?4, error_code = ?5,
             error_message = ?6, trace_id = ?7, updated_at = ?8,
             finished_at = CASE WHEN ?2 IN ('succeeded', 'failed') THEN ?8 END,
             session_id = CASE WHEN ?2 = 'sending' THEN session_id END
         WHERE id = ?1",
        params![
            id,
            label,
            progress,
            songs.map(|songs| serde_json::to_string(songs).unwrap_or_else(|_| "[]".into())),
            error.map(|error| error.code.as_str().to_owned()),
            error.map(|error| error.message.clone()),
            error.and_then(|error| error.trace_id.clone()),
            now
        ],
    )?;
    for song in songs.into_iter().flatten() {
        remember(&tx, &song.id, AudioKind::Generated)?;
    }
    tx.commit()?;
    ensure_changed(changed, id)
}

/// Which form of the action an audio ID takes, as far as this computer knows: remembered from
/// an earlier request or a generated song, else an upload done here.
pub fn kind_of(history: &History, audio_id: &str) -> Result<Option<AudioKind>, HistoryError> {
    let conn = history.conn();
    let remembered: Option<String> = conn
        .query_row(
            "SELECT kind FROM audio_kinds WHERE audio_id = ?1",
            [audio_id],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(kind) = remembered.as_deref().and_then(AudioKind::parse) {
        return Ok(Some(kind));
    }
    let uploaded: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM uploads WHERE audio_id = ?1)",
        [audio_id],
        |row| row.get(0),
    )?;
    Ok(uploaded.then_some(AudioKind::Uploaded))
}

/// Remembers the form of the action that worked for an audio ID.
pub fn remember_kind(
    history: &History,
    audio_id: &str,
    kind: AudioKind,
) -> Result<(), HistoryError> {
    remember(&history.conn(), audio_id, kind)?;
    Ok(())
}

fn remember(conn: &Connection, audio_id: &str, kind: AudioKind) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audio_kinds (audio_id, kind) VALUES (?1, ?2)
         ON CONFLICT (audio_id) DO UPDATE SET kind = excluded.kind",
        params![audio_id, kind.as_str()],
    )?;
    Ok(())
}

/// One generation.
pub fn get(history: &History, id: GenerationId) -> Result<Option<Generation>, HistoryError> {
    let sql = format!("SELECT {COLUMNS} FROM generations WHERE id = ?1");
    Ok(history
        .conn()
        .query_row(&sql, [id], generation_of)
        .optional()?)
}

/// The generation of a task ID, if this history has it.
pub fn by_task_id(history: &History, task_id: &str) -> Result<Option<Generation>, HistoryError> {
    let sql = format!("SELECT {COLUMNS} FROM generations WHERE task_id = ?1");
    Ok(history
        .conn()
        .query_row(&sql, [task_id], generation_of)
        .optional()?)
}

/// Generations, newest first; at most `limit` when given.
pub fn list(history: &History, limit: Option<u32>) -> Result<Vec<Generation>, HistoryError> {
    let sql =
        format!("SELECT {COLUMNS} FROM generations ORDER BY created_at DESC, id DESC LIMIT ?1");
    let conn = history.conn();
    let mut statement = conn.prepare(&sql)?;
    let rows = statement.query_map([limit.map_or(-1, i64::from)], generation_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The table of [`take_poll_turn`]: one row, when the tasks endpoint may next be asked.
pub(crate) const POLL_GATE_MIGRATION: &str =
    "CREATE TABLE poll_gate (id INTEGER PRIMARY KEY CHECK (id = 1), next_at INTEGER NOT NULL);";

/// The longest a turn is waited for: a later `next_at` is taken as left by a clock that has
/// since gone back, not as a wait.
const LONGEST_TURN_WAIT: Duration = Duration::from_secs(120);

/// Takes a turn at the song tasks endpoint, shared by every program using this history (the
/// app and the command): `None` when it is this caller's turn now (the next one is then `gap`
/// later), else how long to wait before asking again.
pub fn take_poll_turn(history: &History, gap: Duration) -> Result<Option<Duration>, HistoryError> {
    let mut conn = history.conn();
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let now = now_millis();
    let next: i64 = tx
        .query_row("SELECT next_at FROM poll_gate WHERE id = 1", [], |row| {
            row.get(0)
        })
        .optional()?
        .unwrap_or(0);
    let wait = Duration::from_millis(u64::try_from(next - now).unwrap_or(0));
    if !wait.is_zero() && wait <= LONGEST_TURN_WAIT {
        return Ok(Some(wait));
    }
    tx.execute(
        "INSERT INTO poll_gate (id, next_at) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET next_at = ?1",
        [now + i64::try_from(gap.as_millis()).unwrap_or(i64::MAX)],
    )?;
    tx.commit()?;
    Ok(None)
}

/// No program using this history asks the tasks endpoint before `wait` has passed (the
/// service refused a request for its rate).
pub fn hold_polls(history: &History, wait: Duration) -> Result<(), HistoryError> {
    let until = now_millis() + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
    history.conn().execute(
        "INSERT INTO poll_gate (id, next_at) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET next_at = max(next_at, ?1)",
        [until],
    )?;
    Ok(())
}

/// True when a song the history keeps has `link` as its audio or its cover (links the window
/// shows, which its player may fetch).
pub fn has_song_link(history: &History, link: &str) -> Result<bool, HistoryError> {
    Ok(history
        .conn()
        .query_row(
            "SELECT 1 FROM generations, json_each(generations.songs)
             WHERE generations.songs IS NOT NULL
               AND (json_extract(json_each.value, '$.audio_url') = ?1
                    OR json_extract(json_each.value, '$.image_url') = ?1)
             LIMIT 1",
            [link],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// How many generations the history holds.
pub fn count(history: &History) -> Result<u64, HistoryError> {
    let count: i64 = history
        .conn()
        .query_row("SELECT COUNT(*) FROM generations", [], |row| row.get(0))?;
    Ok(count.unsigned_abs())
}

/// Every generation the service is making (pending or running, with a task ID), oldest first:
/// the ones to poll, after a restart too.
pub fn running(history: &History) -> Result<Vec<Generation>, HistoryError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM generations
         WHERE state IN ('pending', 'running') AND task_id IS NOT NULL ORDER BY id"
    );
    let conn = history.conn();
    let mut statement = conn.prepare(&sql)?;
    let rows = statement.query_map([], generation_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The message of a request that may have started: its program stopped, or its answer never
/// came.
pub fn may_have_started(detail: Option<String>) -> ErrorReport {
    let report =
        ErrorReport::from_code(ErrorCode::OutcomeUnknown).with_words("song-may-have-started", []);
    ErrorReport { detail, ..report }
}

/// Marks `unknown` the generations a dead session was sending; returns how many.
pub(crate) fn settle_dead_session(conn: &Connection, session_id: &str) -> rusqlite::Result<usize> {
    let report = may_have_started(Some("the program stopped before the answer came".into()));
    conn.execute(
        "UPDATE generations SET state = 'unknown', session_id = NULL, updated_at = ?2,
             error_code = ?3, error_message = ?4
         WHERE session_id = ?1 AND state = 'sending'",
        params![
            session_id,
            now_millis(),
            report.code.as_str(),
            report.message
        ],
    )
}

fn generation_of(row: &Row<'_>) -> rusqlite::Result<Generation> {
    let request: String = row.get("request")?;
    let request: SongRequest = serde_json::from_str(&request).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, error.into())
    })?;
    let error = || -> rusqlite::Result<ErrorReport> {
        let code = ErrorCode::from_api(
            &row.get::<_, Option<String>>("error_code")?
                .unwrap_or_default(),
        );
        Ok(ErrorReport {
            retryable: true,
            message: row
                .get::<_, Option<String>>("error_message")?
                .unwrap_or_else(|| code.user_message()),
            trace_id: row.get("trace_id")?,
            status: None,
            detail: None,
            said: Said::Text,
            code,
        })
    };
    let state: String = row.get("state")?;
    let state = match state.as_str() {
        "sending" => TaskState::Sending,
        "unknown" => TaskState::Unknown { error: error()? },
        "pending" => TaskState::Pending,
        "running" => TaskState::Running {
            progress: row.get::<_, Option<u8>>("progress")?,
        },
        "succeeded" => {
            let songs: Option<String> = row.get("songs")?;
            let songs: Vec<Song> = songs
                .and_then(|songs| serde_json::from_str(&songs).ok())
                .unwrap_or_default();
            TaskState::Succeeded { songs }
        }
        _ => TaskState::Failed { error: error()? },
    };
    let kind: Option<String> = row.get("kind")?;
    Ok(Generation {
        id: row.get("id")?,
        created_at: from_millis(row.get("created_at")?),
        updated_at: from_millis(row.get("updated_at")?),
        request,
        kind: kind.as_deref().and_then(AudioKind::parse),
        task_id: row.get("task_id")?,
        state,
    })
}

fn request_json(request: &SongRequest) -> String {
    // Plain data always serialises.
    serde_json::to_string(request).unwrap_or_else(|_| "{}".into())
}

fn ensure_changed(changed: usize, id: GenerationId) -> Result<(), HistoryError> {
    if changed == 0 {
        tracing::warn!(id, "generation not in the history");
        Err(HistoryError::Database(rusqlite::Error::QueryReturnedNoRows))
    } else {
        Ok(())
    }
}

fn now_millis() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn from_millis(millis: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::songs::params::Action;

    #[test]
    fn a_songs_links_are_known_once_it_is_made_and_no_other_link_is() {
        let folder = tempfile::tempdir().unwrap();
        let history = History::open(folder.path()).unwrap();
        let id = record_sending(&history, &SongRequest::new(Action::Extend, "a1")).unwrap();
        let song = Song {
            id: "s1".into(),
            title: "Night drive".into(),
            audio_url: "https://cdn.example/s1.mp3".into(),
            image_url: Some("https://cdn.example/s1.png".into()),
            duration: Some(30.0),
            lyric: None,
            style: None,
            model: None,
        };
        let known = |link: &str| has_song_link(&history, link).unwrap();
        assert!(!known(&song.audio_url), "not before the song is made");
        record_state(
            &history,
            id,
            &TaskState::Succeeded {
                songs: vec![song.clone()],
            },
        )
        .unwrap();
        assert!(known(&song.audio_url));
        assert!(known("https://cdn.example/s1.png"));
        assert!(!known("https://cdn.example/other.mp3"));
    }
}
