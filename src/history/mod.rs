//! Upload history: every upload the app or the command makes, kept in a SQLite database so its
//! `audio_id` can be found again weeks later, even after a crash.
//!
//! The database is `history.sqlite3` in the app's data folder ([`default_dir`]), shared by the
//! desktop app and the `producer-upload` command; both may write at once (WAL mode, a busy
//! time-out, and write transactions that take the write lock up front).
//!
//! A link queued in the app is recorded as [`State::Queued`] when it is queued
//! ([`History::record_queued`]). An upload is recorded as [`State::Pending`] before its request ([`History::record_pending`])
//! and completed after it ([`History::record_done`], [`History::record_failed`]). Pending records
//! (and queued ones) carry the id of the session that made them; a session is alive while its
//! process holds the lock on its session file. When a history opens (or
//! [`History::recover_interrupted`] is called), the queued and pending records of dead sessions
//! become [`State::Interrupted`]; those of live ones, in this process or another, are left alone.
//!
//! No record is ever deleted except by [`History::delete`], on the person's request. The API
//! token is never stored: there is no place for it.

pub mod dates;
mod export;
mod record;
mod schema;
mod session;
mod writes;

pub use export::{csv_headers, Format, CSV_HEADERS};
pub use record::{file_name_of, FileInfo, Record, RecordError, RecordId, Source, State};

use crate::client::Uploaded;
use crate::error::{ErrorCode, ErrorReport};
use crate::tr;
use dates::{SearchDate, Term};
use export::Exporter;
use record::{search_text, unix_millis, RECORD_COLUMNS};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, TransactionBehavior};
use rusqlite_migration::Migrations;
use schema::MIGRATIONS;
use serde::Deserialize;
use session::{OpeningLock, Session};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use time::OffsetDateTime;
use url::Url;

/// Environment variable that replaces the history folder (tests and portable setups use it).
pub const DATA_DIR_ENV: &str = "PRODUCER_UPLOAD_DATA_DIR";
/// The desktop app's identifier: its data folder is the platform's data folder joined with it.
pub const APP_IDENTIFIER: &str = "cloud.acedata.producer-uploader";
/// The database's file name inside the history folder.
pub const DATABASE_FILE: &str = "history.sqlite3";
/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the history could not be used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// Neither the environment nor the platform names a data folder.
    #[error("no data folder is known for this user; set {DATA_DIR_ENV}")]
    NoDataDir,
    /// A file or folder of the history could not be used.
    #[error("{action} {}: {source}", .path.display())]
    Io {
        /// What was being done, e.g. "could not create".
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
    /// The database refused a read or a write.
    #[error("the history database failed: {0}")]
    Database(#[from] rusqlite::Error),
    /// The database could not be brought to this version's schema.
    #[error("the history database could not be prepared: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// Another process kept the history busy for too long.
    #[error("another Producer Uploader kept the history busy for {} s", .0.as_secs())]
    Busy(Duration),
    /// No record has this id (it may have been deleted).
    #[error("upload {0} is not in the history")]
    NotFound(RecordId),
    /// Only failed and interrupted uploads can be retried.
    #[error("upload {id} is {state} and cannot be retried")]
    NotRetryable {
        /// The record.
        id: RecordId,
        /// Its state.
        state: State,
    },
    /// The export could not be written.
    #[error("the export could not be written: {0}")]
    Export(#[source] io::Error),
    /// The export's destination exists and is not a regular file (a pipe, a device, a socket,
    /// a folder): it is not written over.
    #[error("{} is not a regular file", .0.display())]
    ExportTarget(PathBuf),
}

impl HistoryError {
    fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        HistoryError::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }

    /// The error as a person or a script sees it, with the code `history_unavailable`.
    pub fn report(&self) -> ErrorReport {
        let message = match self {
            HistoryError::NoDataDir => tr!("history-no-folder", variable = DATA_DIR_ENV),
            HistoryError::Io { .. } => tr!("history-unopened", detail = self.to_string()),
            HistoryError::Migration(rusqlite_migration::Error::MigrationDefinition(
                rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
            )) => tr!("history-too-new"),
            HistoryError::Database(error) if is_busy(error) => tr!("history-busy-writing"),
            HistoryError::Busy(_) => tr!("history-busy-opening"),
            HistoryError::Database(_) | HistoryError::Migration(_) => {
                tr!("history-unreadable", detail = self.to_string())
            }
            HistoryError::NotFound(_) => tr!("history-not-found"),
            HistoryError::NotRetryable { .. } => tr!("history-not-retryable"),
            HistoryError::Export(error) => tr!("history-export-failed", detail = error.to_string()),
            HistoryError::ExportTarget(path) => tr!(
                "history-export-not-a-file",
                path = path.display().to_string()
            ),
        };
        ErrorReport::from_code(ErrorCode::HistoryUnavailable).with_message(message)
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// An upload about to be sent.
#[derive(Debug, Clone)]
pub struct NewUpload {
    /// The link as the person gave it.
    pub given_url: String,
    /// The link that will be sent.
    pub audio_url: Url,
    /// Which program sends it.
    pub source: Source,
}

/// Which records to list, count or export. The default is every record.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Words that must all match, case-insensitively: each is looked for in the links, the file
    /// name, the audio and task ids, and a date as the list shows it (`2026-11-24`, `Nov 24`,
    /// `24 Nov 2026`) also matches every record made that day in the person's time zone (see
    /// `utc_offset_minutes`). Empty matches everything.
    pub text: String,
    /// The person's time zone, as minutes ahead of UTC (the window's
    /// `-new Date().getTimezoneOffset()`), for dates in `text`.
    pub utc_offset_minutes: i32,
    /// The twelve month names of the person's language, January first, for dates in `text`
    /// (English names are always understood).
    pub month_names: Vec<String>,
    /// Only records in one of these states; empty means any state.
    pub states: Vec<State>,
    /// Only files from this computer that were put on the file host (they have a hosted link).
    pub hosted_only: bool,
    /// Only these records; empty means any record.
    pub ids: Vec<RecordId>,
    /// At most this many records; `None` means no limit.
    pub limit: Option<u32>,
    /// Skip this many records first (for pages).
    pub offset: u32,
}

/// The upload history of this user, shared by the app and the command.
///
/// Safe to share between threads. Dropping it marks this process's still-queued and pending records
/// interrupted and ends its session.
#[derive(Debug)]
pub struct History {
    conn: Mutex<Connection>,
    dir: PathBuf,
    /// `None` only while being dropped.
    session: Option<Session>,
}

/// The history folder: `$PRODUCER_UPLOAD_DATA_DIR` when set, else the desktop app's data folder
/// (what Tauri's `app_data_dir()` gives): `$XDG_DATA_HOME` or `~/.local/share` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows, joined with
/// [`APP_IDENTIFIER`].
pub fn default_dir() -> Result<PathBuf, HistoryError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::BaseDirs::new()
        .map(|dirs| dirs.data_dir().join(APP_IDENTIFIER))
        .ok_or(HistoryError::NoDataDir)
}

impl History {
    /// Opens the history in [`default_dir`].
    pub fn open_default() -> Result<Self, HistoryError> {
        Self::open(default_dir()?)
    }

    /// Opens (creating or migrating as needed) the history in `dir`, starts this handle's
    /// session, and marks the pending records of dead sessions interrupted.
    ///
    /// The folder is made private to the user (0700 on Unix) and so are the database files
    /// (0600).
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, HistoryError> {
        let dir = dir.as_ref().to_owned();
        create_private_dir(&dir)?;
        session::create_sessions_dir(&dir)?;
        let opening = OpeningLock::acquire(&dir)?;

        let path = dir.join(DATABASE_FILE);
        create_private_file(&path)?;
        let mut conn = Connection::open(&path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every write transaction takes the write lock when it begins, so it waits for another
        // writer (up to the busy time-out) instead of failing half-way.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
        // A result is on disk before the call that records it returns.
        conn.pragma_update(None, "synchronous", "FULL")?;
        Migrations::from_slice(MIGRATIONS).to_latest(&mut conn)?;
        for suffix in ["-wal", "-shm"] {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            restrict_existing_file(Path::new(&name))?;
        }

        let session = Session::start(&dir, &opening)?;
        let history = History {
            conn: Mutex::new(conn),
            dir,
            session: Some(session),
        };
        history.settle_dead_sessions(&opening)?;
        Ok(history)
    }

    /// The history folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// This program's session id: what names its own files beside the history (a random
    /// UUID, alive as long as this history is open).
    pub fn own_session(&self) -> &str {
        self.session_id()
    }

    /// True while the session `id` belongs to a running program (this one included). Judged
    /// under the opening lock, as dead sessions are; when that cannot be had, it counts as alive.
    pub fn session_is_alive(&self, id: &str) -> bool {
        if id == self.session_id() {
            return true;
        }
        match OpeningLock::acquire(&self.dir) {
            Ok(_opening) => session::is_alive(&self.dir, id),
            Err(_) => true,
        }
    }

    /// Marks interrupted the pending records of sessions that have ended without settling them
    /// (a crash, a kill, a power cut) and returns how many. Done on open; the app may call it
    /// again, e.g. when the history is shown, to catch a command that died meanwhile.
    pub fn recover_interrupted(&self) -> Result<usize, HistoryError> {
        let opening = OpeningLock::acquire(&self.dir)?;
        self.settle_dead_sessions(&opening)
    }

    /// One record, if it exists.
    pub fn get(&self, id: RecordId) -> Result<Option<Record>, HistoryError> {
        let sql = format!("SELECT {RECORD_COLUMNS} FROM uploads WHERE id = ?1");
        Ok(self
            .conn()
            .query_row(&sql, [id.0], Record::from_row)
            .optional()?)
    }

    /// True when some record holds `link` as given, sent, hosted or returned by the service:
    /// a link the History window can show.
    pub fn has_link(&self, link: &str) -> Result<bool, HistoryError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM uploads WHERE given_url = ?1 OR audio_url = ?1 OR file_url = ?1
                 OR hosted_audio_url = ?1 LIMIT 1",
                [link],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The records matching `query`, newest first.
    pub fn search(&self, query: &Query) -> Result<Vec<Record>, HistoryError> {
        let (sql, values) = select_sql(query);
        let conn = self.conn();
        let mut statement = conn.prepare(&sql)?;
        let records = statement
            .query_map(params_from_iter(values), Record::from_row)?
            .collect::<Result<_, _>>()?;
        Ok(records)
    }

    /// How many records match `query`, ignoring its limit and offset.
    pub fn count(&self, query: &Query) -> Result<u64, HistoryError> {
        let (filter, values) = filter_sql(query);
        let sql = format!("SELECT count(*) FROM uploads WHERE {filter}");
        let count: i64 = self
            .conn()
            .query_row(&sql, params_from_iter(values), |row| row.get(0))?;
        // `count(*)` is never negative.
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// Deletes the given records, at the person's request, and returns them (for Undo with
    /// [`History::restore`]). Pending records are in flight and are not deleted.
    pub fn delete(&self, ids: &[RecordId]) -> Result<Vec<Record>, HistoryError> {
        if ids.is_empty() {
            // An empty id filter would mean "every record".
            return Ok(Vec::new());
        }
        let query = Query {
            ids: ids.to_vec(),
            states: vec![State::Done, State::Failed, State::Interrupted],
            ..Query::default()
        };
        let (filter, values) = filter_sql(&query);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let records = {
            let sql = format!("SELECT {RECORD_COLUMNS} FROM uploads WHERE {filter} ORDER BY id");
            let mut statement = tx.prepare(&sql)?;
            let records = statement
                .query_map(params_from_iter(values.iter()), Record::from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            records
        };
        tx.execute(
            &format!("DELETE FROM uploads WHERE {filter}"),
            params_from_iter(values.iter()),
        )?;
        tx.commit()?;
        Ok(records)
    }

    /// Keeps `warning` on record `id`: what the link check found worth a look in a link that
    /// was sent all the same (a web page the service took as audio), so History still says it.
    pub fn record_warning(&self, id: RecordId, warning: &str) -> Result<(), HistoryError> {
        let changed = self.conn().execute(
            "UPDATE uploads SET warning = ?2 WHERE id = ?1",
            params![id.0, warning],
        )?;
        if changed == 0 {
            return Err(HistoryError::NotFound(id));
        }
        Ok(())
    }

    /// Puts deleted records back with their ids, in one transaction, and returns how many were
    /// restored (a record whose id is already present is skipped). A record given as pending is
    /// restored as interrupted: no process is uploading it.
    pub fn restore(&self, records: &[Record]) -> Result<usize, HistoryError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut restored = 0;
        {
            let mut insert = tx.prepare(
                "INSERT INTO uploads (id, created_at, given_url, audio_url, file_name, state,
                     source, audio_id, task_id, hosted_audio_url, error_code, error_message,
                     trace_id, http_status, attempts, finished_at, search_text, file_size,
                     content_hash, file_url, file_host, warning)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                         ?18, ?19, ?20, ?21, ?22)
                 ON CONFLICT (id) DO NOTHING",
            )?;
            for record in records {
                let state = match record.state {
                    State::Queued | State::Pending => State::Interrupted,
                    state => state,
                };
                let error = record.error.as_ref();
                restored += insert.execute(params![
                    record.id.0,
                    unix_millis(record.created_at),
                    record.given_url,
                    record.audio_url,
                    record.file_name,
                    state,
                    record.source,
                    record.audio_id,
                    record.task_id,
                    record.hosted_audio_url,
                    error.map(|error| error.code.as_str()),
                    error.map(|error| error.message.as_str()),
                    error.and_then(|error| error.trace_id.as_deref()),
                    error.and_then(|error| error.status),
                    record.attempts,
                    record.finished_at.map(unix_millis),
                    record.search_text(),
                    record
                        .file
                        .as_ref()
                        .map(|file| i64::try_from(file.size).unwrap_or(i64::MAX)),
                    record.file.as_ref().map(|file| file.content_hash.as_str()),
                    record.file.as_ref().map(|file| file.file_url.as_str()),
                    record
                        .file
                        .as_ref()
                        .and_then(|file| file.file_host.as_deref()),
                    record.warning
                ])?;
            }
        }
        tx.commit()?;
        Ok(restored)
    }

    /// Writes the records matching `query` (newest first) to `out` as `format`, one at a time,
    /// and returns how many. For the whole history pass `Query::default()`; for a selection,
    /// set [`Query::ids`].
    pub fn export(
        &self,
        query: &Query,
        format: Format,
        out: impl Write,
    ) -> Result<usize, HistoryError> {
        let (sql, values) = select_sql(query);
        let conn = self.conn();
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query(params_from_iter(values))?;
        let mut exporter = Exporter::start(format, out).map_err(HistoryError::Export)?;
        let mut written = 0;
        while let Some(row) = rows.next()? {
            exporter
                .write(&Record::from_row(row)?)
                .map_err(HistoryError::Export)?;
            written += 1;
        }
        exporter.finish().map_err(HistoryError::Export)?;
        Ok(written)
    }

    /// Exports to the file at `path`, private to the user (0600 on Unix): written to a new file
    /// beside it, then moved into place, so a failure leaves whatever was at `path` untouched
    /// and no half-written file behind.
    pub fn export_to_file(
        &self,
        query: &Query,
        format: Format,
        path: &Path,
    ) -> Result<usize, HistoryError> {
        let located = |error: io::Error| {
            HistoryError::Export(io::Error::new(
                error.kind(),
                format!("{}: {error}", path.display()),
            ))
        };
        // Replacing a regular file is fine; a pipe, device or folder of that name is left alone.
        let refuse_special = || match std::fs::metadata(path) {
            Ok(metadata) if !metadata.is_file() => Err(HistoryError::ExportTarget(path.to_owned())),
            _ => Ok(()),
        };
        refuse_special()?;
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let file = tempfile::Builder::new()
            .prefix(".producer-upload-export")
            .tempfile_in(folder)
            .map_err(located)?;
        let mut out = io::BufWriter::new(file);
        let written = self.export(query, format, &mut out)?;
        let file = out
            .into_inner()
            .map_err(|error| located(error.into_error()))?;
        file.as_file().sync_all().map_err(located)?;
        refuse_special()?;
        file.persist(path).map_err(|error| located(error.error))?;
        Ok(written)
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic elsewhere cannot leave the connection half-changed: SQLite rolls back.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn session_id(&self) -> &str {
        self.session.as_ref().map_or("", Session::id)
    }

    /// Marks interrupted the pending records of every dead session, then removes their files.
    fn settle_dead_sessions(&self, opening: &OpeningLock) -> Result<usize, HistoryError> {
        let conn = self.conn();
        let candidates = conn
            .prepare(
                "SELECT DISTINCT session_id FROM uploads WHERE state IN ('queued', 'pending')
                 UNION SELECT session_id FROM generations WHERE state = 'sending'",
            )?
            .query_map([], |row| row.get::<_, Option<String>>(0))?
            .filter_map(Result::transpose)
            .collect::<Result<Vec<String>, _>>()?;
        let dead = session::dead_sessions(&self.dir, self.session_id(), candidates, opening)?;
        let mut settled = 0;
        for session in dead {
            settled += interrupt_pending(&conn, &session.id)?;
            settled += crate::songs::store::settle_dead_session(&conn, &session.id)?;
            session.remove();
        }
        if settled > 0 {
            tracing::info!(settled, "uploads of stopped sessions marked interrupted");
        }
        Ok(settled)
    }
}

impl Drop for History {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            let conn = self.conn.get_mut().unwrap_or_else(PoisonError::into_inner);
            // If this fails, the next open finds the session dead and does it.
            if let Err(error) = interrupt_pending(conn, session.id()) {
                tracing::warn!(%error, "could not mark unfinished uploads interrupted");
            }
            if let Err(error) = crate::songs::store::settle_dead_session(conn, session.id()) {
                tracing::warn!(%error, "could not mark unanswered song requests unknown");
            }
            session.end();
        }
    }
}

/// Marks a session's queued and pending records interrupted; returns how many.
fn interrupt_pending(conn: &Connection, session_id: &str) -> Result<usize, rusqlite::Error> {
    conn.execute(
        "UPDATE uploads SET state = ?1, session_id = NULL, finished_at = ?2
         WHERE session_id = ?3 AND state IN ('queued', 'pending')",
        params![State::Interrupted, now_millis(), session_id],
    )
}

/// The `WHERE` condition and its parameters for `query` (without limit and offset).
fn filter_sql(query: &Query) -> (String, Vec<Value>) {
    let mut clauses = vec!["1".to_owned()];
    let mut values = Vec::new();
    let offset_millis = i64::from(query.utc_offset_minutes) * 60_000;
    for term in dates::terms(&query.text, &query.month_names) {
        match term {
            Term::Word(word) => {
                clauses.push("search_text LIKE ? ESCAPE '\\'".to_owned());
                values.push(Value::Text(like_pattern(&word.to_lowercase())));
            }
            Term::Date(SearchDate::Day(day), written) => {
                let start = unix_millis(day.midnight().assume_utc()) - offset_millis;
                clauses.push(
                    "(search_text LIKE ? ESCAPE '\\' OR (created_at >= ? AND created_at < ?))"
                        .to_owned(),
                );
                values.extend([
                    Value::Text(like_pattern(&written.to_lowercase())),
                    Value::Integer(start),
                    Value::Integer(start + 86_400_000),
                ]);
            }
            Term::Date(SearchDate::MonthDay(month, day), written) => {
                clauses.push(
                    "(search_text LIKE ? ESCAPE '\\' \
                     OR strftime('%m-%d', (created_at + ?) / 1000, 'unixepoch') = ?)"
                        .to_owned(),
                );
                values.extend([
                    Value::Text(like_pattern(&written.to_lowercase())),
                    Value::Integer(offset_millis),
                    Value::Text(format!("{:02}-{day:02}", u8::from(month))),
                ]);
            }
        }
    }
    if query.hosted_only {
        clauses.push("file_url IS NOT NULL".to_owned());
    }
    if !query.states.is_empty() {
        let states: Vec<&str> = query.states.iter().map(|state| state.as_str()).collect();
        clauses.push("state IN (SELECT value FROM json_each(?))".to_owned());
        values.push(Value::Text(json_array(&states)));
    }
    if !query.ids.is_empty() {
        let ids: Vec<i64> = query.ids.iter().map(|id| id.0).collect();
        clauses.push("id IN (SELECT value FROM json_each(?))".to_owned());
        values.push(Value::Text(json_array(&ids)));
    }
    (clauses.join(" AND "), values)
}

/// The full `SELECT` for `query`: matching records, newest first, limited.
fn select_sql(query: &Query) -> (String, Vec<Value>) {
    let (filter, mut values) = filter_sql(query);
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM uploads WHERE {filter}
         ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
    );
    values.push(Value::Integer(query.limit.map_or(-1, i64::from)));
    values.push(Value::Integer(i64::from(query.offset)));
    (sql, values)
}

fn json_array<T: serde::Serialize>(items: &[T]) -> String {
    // A list of strings or numbers always serialises.
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` in it taken literally.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn now_millis() -> i64 {
    unix_millis(OffsetDateTime::now_utc())
}

/// Creates `dir` (and its parents) and makes it private to the user.
fn create_private_dir(dir: &Path) -> Result<(), HistoryError> {
    // A folder that already exists is the person's own choice (PRODUCER_UPLOAD_DATA_DIR may
    // name their home folder): its permissions are left alone.
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|source| HistoryError::io("could not create", dir, source))
}

/// Creates `path` if needed, private to the user, before SQLite opens it (SQLite gives its WAL
/// and shared-memory files the same permissions as the database file).
fn create_private_file(path: &Path) -> Result<(), HistoryError> {
    let mut options = fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|source| HistoryError::io("could not create", path, source))?;
    restrict_existing_file(path)
}

/// Makes an existing file private to the user (0600 on Unix); a missing file is fine.
fn restrict_existing_file(path: &Path) -> Result<(), HistoryError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match fs::set_permissions(path, fs::Permissions::from_mode(0o600)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => {
                return Err(HistoryError::io("could not protect", path, error))
            }
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_version_history_gains_the_file_columns_and_keeps_its_records() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            Migrations::from_slice(&MIGRATIONS[..1])
                .to_latest(&mut conn)
                .unwrap();
            conn.execute(
                "INSERT INTO uploads (created_at, given_url, audio_url, file_name, state, source,
                                      audio_id, search_text)
                 VALUES (1, 'https://x/a.wav', 'https://x/a.wav', 'a.wav', 'done', 'cli', 'id-1',
                         'a.wav')",
                [],
            )
            .unwrap();
        }
        let history = History::open(dir.path()).unwrap();
        let old = history.search(&Query::default()).unwrap();
        assert_eq!(old.len(), 1);
        assert_eq!(
            (old[0].audio_id.as_deref(), &old[0].file),
            (Some("id-1"), &None)
        );

        let host = "https://platform.acedata.cloud/";
        let file = FileInfo {
            size: 42,
            content_hash: "ab".repeat(32),
            file_url: "https://cdn.acedata.cloud/take.wav".into(),
            file_host: Some(host.into()),
        };
        let upload = NewUpload {
            given_url: "/home/me/take.wav".into(),
            audio_url: Url::parse(&file.file_url).unwrap(),
            source: Source::App,
        };
        let id = history
            .record_pending_file(&upload, "take.wav", &file)
            .unwrap();
        assert_eq!(history.get(id).unwrap().unwrap().file, Some(file.clone()));
        let reusable = |hash: &str, name: &str, host: &str| {
            history
                .reusable_link(hash, name, host)
                .unwrap()
                .map(|file| file.file_url)
        };
        let hash = file.content_hash.clone();
        assert_eq!(
            reusable(&hash, "take.wav", host),
            Some(file.file_url.clone())
        );
        assert_eq!(reusable(&"cd".repeat(32), "take.wav", host), None);
        assert_eq!(reusable(&hash, "other name.wav", host), None);
        assert_eq!(reusable(&hash, "take.wav", "http://127.0.0.1:8790/"), None);

        // Deleted and restored, the file's details come back.
        let uploaded = Uploaded {
            audio_id: "id-2".into(),
            task_id: None,
            hosted_audio_url: None,
            lyric: None,
        };
        history.record_done(id, &uploaded, 1).unwrap();
        let deleted = history.delete(&[id]).unwrap();
        assert_eq!(reusable(&hash, "take.wav", host), None);
        history.restore(&deleted).unwrap();
        assert_eq!(history.get(id).unwrap().unwrap().file, Some(file));
    }

    #[test]
    fn files_recorded_before_the_host_address_was_kept_are_read_but_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let hash = "ef".repeat(32);
        {
            let mut conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            Migrations::from_slice(&MIGRATIONS[..3])
                .to_latest(&mut conn)
                .unwrap();
            conn.execute(
                "INSERT INTO uploads (created_at, given_url, audio_url, file_name, state, source,
                                      audio_id, search_text, file_size, content_hash, file_url)
                 VALUES (1, '/m/a.wav', 'https://cdn.x/a.wav', 'a.wav', 'done', 'cli', 'id-1',
                         'a.wav', 7, ?1, 'https://cdn.x/a.wav')",
                [&hash],
            )
            .unwrap();
        }
        let history = History::open(dir.path()).unwrap();
        let old = history.search(&Query::default()).unwrap();
        let file = old[0].file.clone().unwrap();
        assert_eq!((file.size, file.file_host), (7, None));
        let host = "https://platform.acedata.cloud/";
        assert_eq!(history.reusable_link(&hash, "a.wav", host).unwrap(), None);
    }

    #[test]
    fn a_second_version_history_takes_queued_records_and_keeps_its_records_and_id_counter() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            Migrations::from_slice(&MIGRATIONS[..2])
                .to_latest(&mut conn)
                .unwrap();
            for id in 1..=3 {
                conn.execute(
                    "INSERT INTO uploads (created_at, given_url, audio_url, file_name, state,
                                          source, audio_id, search_text)
                     VALUES (1, 'https://x/a.wav', 'https://x/a.wav', 'a.wav', 'done', 'cli',
                             ?1, 'a.wav')",
                    [format!("id-{id}")],
                )
                .unwrap();
            }
            conn.execute("DELETE FROM uploads WHERE id = 3", [])
                .unwrap();
        }
        let history = History::open(dir.path()).unwrap();
        let kept = history.search(&Query::default()).unwrap();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].audio_id.as_deref(), Some("id-2"));

        let upload = NewUpload {
            given_url: "https://x/b.wav".into(),
            audio_url: Url::parse("https://x/b.wav").unwrap(),
            source: Source::App,
        };
        let queued = history.record_queued(&[upload]).unwrap();
        assert_eq!(
            queued,
            [RecordId(4)],
            "the id of a deleted record is not reused"
        );
        assert_eq!(
            history.get(queued[0]).unwrap().unwrap().state,
            State::Queued
        );
        // Sent: the same record becomes pending.
        assert_eq!(
            history.mark_retrying(queued[0]).unwrap().state,
            State::Pending
        );
    }
}
