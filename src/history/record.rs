//! What the history holds: one [`Record`] per upload, and the values stored in its columns.

use crate::error::ErrorCode;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::Row;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;
use url::Url;

/// A record's number in the history: unique, never reused, even after deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub i64);

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where an upload stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Queued in a running app, not sent yet: becomes [`State::Pending`] when its request is
    /// about to be made, or [`State::Interrupted`] if the app stops first (safe to retry: nothing
    /// was sent).
    Queued,
    /// The request is being made (or about to be) by a running app or command.
    Pending,
    /// The service returned an `audio_id`.
    Done,
    /// The upload failed; the record holds the error.
    Failed,
    /// The app or command that made the request stopped before its answer was recorded: the
    /// upload may or may not have reached the service. Retry is available.
    Interrupted,
}

impl State {
    /// Every state, in lifecycle order.
    pub const ALL: [State; 5] = [
        State::Queued,
        State::Pending,
        State::Done,
        State::Failed,
        State::Interrupted,
    ];

    /// The state as stored and shown: `queued`, `pending`, `done`, `failed` or `interrupted`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Pending => "pending",
            State::Done => "done",
            State::Failed => "failed",
            State::Interrupted => "interrupted",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which program made the upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The desktop app.
    App,
    /// The `producer-upload` command.
    Cli,
}

impl Source {
    /// The source as stored and shown: `app` or `cli`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::App => "app",
            Source::Cli => "cli",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Stored as their names, so the database reads well in any SQLite tool.
macro_rules! text_column {
    ($type:ty) => {
        impl ToSql for $type {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $type {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                <$type>::parse(text).ok_or_else(|| {
                    FromSqlError::Other(format!("unknown {}: {text}", stringify!($type)).into())
                })
            }
        }
    };
}

impl State {
    fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == text)
    }
}

impl Source {
    fn parse(text: &str) -> Option<Self> {
        [Source::App, Source::Cli]
            .into_iter()
            .find(|source| source.as_str() == text)
    }
}

text_column!(State);
text_column!(Source);

/// Why a recorded upload failed, as it was reported at the time. Serialised with the message
/// in the language in use when it was the code's own (see [`ErrorCode::said_again`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Stable machine-readable code, e.g. `used_up`.
    pub code: ErrorCode,
    /// The plain-language message that was shown.
    pub message: String,
    /// The service's trace id, for support.
    pub trace_id: Option<String>,
    /// HTTP status of the service's answer, when there was one.
    pub status: Option<u16>,
}

impl Serialize for RecordError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = serializer.serialize_struct("RecordError", 4)?;
        fields.serialize_field("code", &self.code)?;
        let message = self
            .code
            .said_again(&self.message, self.trace_id.as_deref());
        fields.serialize_field("message", &message)?;
        fields.serialize_field("trace_id", &self.trace_id)?;
        fields.serialize_field("status", &self.status)?;
        fields.end()
    }
}

/// One upload in the history. Serialised for the UI and for JSON export, with times in
/// RFC 3339 UTC (e.g. `2026-11-24T09:30:12.345Z`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The record's number.
    pub id: RecordId,
    /// When the upload was recorded: when it was queued in the app, else just before its first
    /// request.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The link as the person gave it.
    pub given_url: String,
    /// The link as sent to the service (a share link may have been made a direct download).
    pub audio_url: String,
    /// The file name from the link's last path segment, percent-decoded.
    pub file_name: String,
    /// Where the upload stands.
    pub state: State,
    /// The id the service returned, once done.
    pub audio_id: Option<String>,
    /// The service's task id, when it sent one.
    pub task_id: Option<String>,
    /// The service's hosted copy of the audio, when it sent one.
    pub hosted_audio_url: Option<String>,
    /// Why the upload failed, when it did.
    pub error: Option<RecordError>,
    /// Requests made for this record so far, retries included.
    pub attempts: u32,
    /// Which program made the upload.
    pub source: Source,
    /// When the last result was recorded (or the upload found interrupted).
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    /// For a file from this computer: its size, content and hosted link (`file_name` is its
    /// name, `audio_url` the hosted link that was sent).
    pub file: Option<FileInfo>,
    /// What the link check found worth a look in a link sent all the same (a web page the
    /// service took as audio): kept once it is done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// A file from this computer, as the history remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its content, lower-case hex: the same content is not hosted twice.
    pub content_hash: String,
    /// Where Ace Data Cloud's file host keeps it.
    pub file_url: String,
    /// The file host's address it was hosted through (`None` in records made before it was
    /// kept): its link is reused only through the same address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_host: Option<String>,
}

/// The columns [`Record::from_row`] reads, in its order.
pub(crate) const RECORD_COLUMNS: &str = "id, created_at, given_url, audio_url, file_name, state, \
     audio_id, task_id, hosted_audio_url, error_code, error_message, trace_id, http_status, \
     attempts, source, finished_at, file_size, content_hash, file_url, file_host, warning";

impl Record {
    /// Reads a row selected with [`RECORD_COLUMNS`].
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let error_code: Option<String> = row.get(9)?;
        let error = match error_code {
            Some(code) => Some(RecordError {
                code: ErrorCode::from_api(&code),
                message: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
                trace_id: row.get(11)?,
                status: row.get(12)?,
            }),
            None => None,
        };
        Ok(Record {
            id: RecordId(row.get(0)?),
            created_at: time_from_row(row, 1)?,
            given_url: row.get(2)?,
            audio_url: row.get(3)?,
            file_name: row.get(4)?,
            state: row.get(5)?,
            audio_id: row.get(6)?,
            task_id: row.get(7)?,
            hosted_audio_url: row.get(8)?,
            error,
            attempts: row.get(13)?,
            source: row.get(14)?,
            finished_at: match row.get::<_, Option<i64>>(15)? {
                Some(_) => Some(time_from_row(row, 15)?),
                None => None,
            },
            file: match row.get::<_, Option<String>>(18)? {
                Some(file_url) => Some(FileInfo {
                    size: u64::try_from(row.get::<_, i64>(16)?).unwrap_or_default(),
                    content_hash: row.get(17)?,
                    file_url,
                    file_host: row.get(19)?,
                }),
                None => None,
            },
            warning: row.get(20)?,
        })
    }

    /// What a search matches this record against: its links, file name and ids, lower case.
    pub(crate) fn search_text(&self) -> String {
        search_text(
            &self.given_url,
            &self.audio_url,
            &self.file_name,
            self.audio_id.as_deref(),
            self.task_id.as_deref(),
        )
    }
}

/// The text a search looks in, lower-cased with full Unicode rules (SQLite's own `lower` and
/// `LIKE` fold ASCII only), one field per line.
pub(crate) fn search_text(
    given_url: &str,
    audio_url: &str,
    file_name: &str,
    audio_id: Option<&str>,
    task_id: Option<&str>,
) -> String {
    let fields = [
        given_url,
        audio_url,
        file_name,
        audio_id.unwrap_or_default(),
        task_id.unwrap_or_default(),
    ];
    fields.join("\n").to_lowercase()
}

/// Unix milliseconds, as the database stores times.
pub(crate) fn unix_millis(time: OffsetDateTime) -> i64 {
    // Milliseconds since 1970 fit an i64 for every date `time` can represent.
    (time.unix_timestamp_nanos() / 1_000_000) as i64
}

fn time_from_row(row: &Row<'_>, index: usize) -> rusqlite::Result<OffsetDateTime> {
    let millis: i64 = row.get(index)?;
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Integer,
            Box::new(error),
        )
    })
}

/// The file name a link points at: its last non-empty path segment, percent-decoded (invalid
/// UTF-8 replaced), or the host name when the path is empty.
pub fn file_name_of(url: &Url) -> String {
    let segment = url
        .path_segments()
        .and_then(|mut segments| segments.rfind(|segment| !segment.is_empty()));
    match segment {
        Some(segment) => percent_encoding::percent_decode_str(segment)
            .decode_utf8_lossy()
            .into_owned(),
        None => url.host_str().unwrap_or_default().to_owned(),
    }
}
