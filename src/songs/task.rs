//! A generation's state, with the data each state carries, and how a task record from the
//! service is read: done only when it has finished and succeeded; a preview link is never the
//! result.

use crate::client::{MAX_LYRIC_CHARS, MAX_SERVICE_MESSAGE_CHARS};
use crate::error::{ErrorCode, ErrorReport, Value};
use crate::text::{clean_message, code_shaped, id_shaped, web_link_shaped};
use serde::{Deserialize, Serialize};

/// A song the service made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Song {
    /// The song's ID, which extend and cover can build on.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its audio (MP3).
    pub audio_url: String,
    /// Its cover image.
    pub image_url: Option<String>,
    /// Its length in seconds.
    pub duration: Option<f64>,
    /// Its lyrics.
    pub lyric: Option<String>,
    /// Its style.
    pub style: Option<String>,
    /// The model that made it.
    pub model: Option<String>,
}

/// Where a generation stands, with what each state knows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TaskState {
    /// Recorded; the request is on its way (or about to be).
    Sending,
    /// The request was sent but its answer never came (or the program stopped before it): the
    /// service may have started it. It is not sent again by itself.
    Unknown {
        /// Why, in plain words, with what to do.
        error: ErrorReport,
    },
    /// The service took it and has not started it yet.
    Pending,
    /// The service is making it.
    Running {
        /// Percent done, when the service says.
        progress: Option<u8>,
    },
    /// Done: the songs.
    Succeeded {
        /// One or more songs.
        songs: Vec<Song>,
    },
    /// It ended without songs, or was refused.
    Failed {
        /// The reason, with what to do.
        error: ErrorReport,
    },
}

impl TaskState {
    /// `pending`, `running`, `succeeded`, `failed` or `unknown`, as the command prints it (a
    /// request on its way is pending).
    pub fn label(&self) -> &'static str {
        match self {
            TaskState::Sending | TaskState::Pending => "pending",
            TaskState::Unknown { .. } => "unknown",
            TaskState::Running { .. } => "running",
            TaskState::Succeeded { .. } => "succeeded",
            TaskState::Failed { .. } => "failed",
        }
    }

    /// True once nothing more will happen by itself.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            TaskState::Succeeded { .. } | TaskState::Failed { .. } | TaskState::Unknown { .. }
        )
    }

    /// True while the service is expected to report on it.
    pub fn is_running(&self) -> bool {
        matches!(self, TaskState::Pending | TaskState::Running { .. })
    }
}

/// A task record as `/producer/tasks` returns it; anything may be missing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskRecord {
    /// The task's ID (some answers only carry it in `response.task_id`).
    #[serde(default)]
    pub id: Option<String>,
    /// The request the task was made from.
    #[serde(default)]
    pub request: Option<serde_json::Value>,
    /// What the task produced so far.
    #[serde(default)]
    pub response: Option<TaskResponse>,
    /// Set once the task has ended (a time; its form does not matter).
    #[serde(default)]
    pub finished_at: Option<serde_json::Value>,
}

/// The `response` part of a task record.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskResponse {
    /// False when the task failed.
    #[serde(default)]
    pub success: Option<bool>,
    /// The task's ID.
    #[serde(default)]
    pub task_id: Option<String>,
    /// The songs, as far as they are made.
    #[serde(default)]
    pub data: Option<Vec<WireSong>>,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<WireError>,
    /// The service's trace ID.
    #[serde(default)]
    pub trace_id: Option<String>,
}

/// A song as the service writes it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WireSong {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    audio_url: Option<String>,
    #[serde(default)]
    image_url: Option<String>,
    /// A string of seconds (a number is read too).
    #[serde(default)]
    duration: Option<serde_json::Value>,
    #[serde(default)]
    lyric: Option<String>,
    #[serde(default)]
    style: Option<String>,
    #[serde(default)]
    model: Option<String>,
    /// Such as `"40%"`.
    #[serde(default)]
    progress: Option<serde_json::Value>,
    #[serde(default)]
    state: Option<String>,
}

/// A task's error as the service writes it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WireError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

impl TaskRecord {
    /// The task's ID, wherever the record carries it, if it looks like one.
    pub fn task_id(&self) -> Option<&str> {
        self.id
            .as_deref()
            .or_else(|| self.response.as_ref()?.task_id.as_deref())
            .filter(|id| id_shaped(id))
    }

    /// What the record says: succeeded only when the task has finished and succeeded (or every
    /// song says succeeded) and every song has its audio; failed when the service says so.
    /// While it runs, a song's `audio_url` is a preview and is never taken.
    pub fn state(&self) -> TaskState {
        let response = self.response.clone().unwrap_or_default();
        let songs = response.data.clone().unwrap_or_default();
        let song_state = |song: &WireSong| song.state.as_deref().unwrap_or("").to_ascii_lowercase();
        let any_failed = songs.iter().any(|song| {
            matches!(
                song_state(song).as_str(),
                "failed" | "error" | "cancelled" | "canceled"
            )
        });
        if response.success == Some(false) || any_failed {
            return TaskState::Failed {
                error: failure(&response),
            };
        }
        let all_succeeded =
            !songs.is_empty() && songs.iter().all(|song| song_state(song) == "succeeded");
        let finished = self.finished_at.as_ref().is_some_and(|at| !at.is_null());
        if (finished && response.success == Some(true)) || all_succeeded {
            let made: Option<Vec<Song>> = songs.iter().map(song_of).collect();
            return match made {
                Some(made) if !made.is_empty() => TaskState::Succeeded { songs: made },
                _ => TaskState::Failed {
                    error: ErrorReport::from_code(ErrorCode::BadResponse)
                        .with_words("song-ready-but-empty", []),
                },
            };
        }
        let started = songs.iter().any(|song| {
            let state = song_state(song);
            !(state.is_empty() || matches!(state.as_str(), "pending" | "queued" | "submitted"))
        });
        if !started {
            return TaskState::Pending;
        }
        let progress = songs
            .iter()
            .filter_map(|song| percent(song.progress.as_ref()))
            .min();
        TaskState::Running { progress }
    }
}

/// A finished song, if it has an ID and audio that look right.
fn song_of(song: &WireSong) -> Option<Song> {
    let id = song.id.clone().filter(|id| id_shaped(id))?;
    let audio_url = song.audio_url.clone().filter(|url| web_link_shaped(url))?;
    let text = |value: &Option<String>, max| {
        value
            .as_deref()
            .map(|text| clean_message(text, max))
            .filter(|text| !text.is_empty())
    };
    Some(Song {
        title: text(&song.title, 200).unwrap_or_else(|| "Untitled".to_owned()),
        id,
        audio_url,
        image_url: song.image_url.clone().filter(|url| web_link_shaped(url)),
        duration: seconds(song.duration.as_ref()),
        lyric: text(&song.lyric, MAX_LYRIC_CHARS),
        style: text(&song.style, 200),
        model: text(&song.model, 64),
    })
}

/// Seconds from `"123.45"` or `123.45`.
fn seconds(value: Option<&serde_json::Value>) -> Option<f64> {
    let seconds = match value? {
        serde_json::Value::String(text) => text.trim().parse::<f64>().ok()?,
        serde_json::Value::Number(number) => number.as_f64()?,
        _ => return None,
    };
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds)
}

/// Percent from `"40%"`, `"40"` or `40`.
fn percent(value: Option<&serde_json::Value>) -> Option<u8> {
    let number = match value? {
        serde_json::Value::String(text) => text
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<f64>()
            .ok()?,
        serde_json::Value::Number(number) => number.as_f64()?,
        _ => return None,
    };
    (number.is_finite() && number >= 0.0).then(|| number.min(100.0) as u8)
}

/// Why a task failed: a spent balance or a refused token keeps its own code (and next step);
/// anything else is `generation_failed` with the service's words.
fn failure(response: &TaskResponse) -> ErrorReport {
    let error = response.error.clone().unwrap_or_default();
    let code = error
        .code
        .as_deref()
        .filter(|code| code_shaped(code))
        .map(ErrorCode::from_api);
    let trace_id = response.trace_id.clone().filter(|id| id_shaped(id));
    let service = error
        .message
        .as_deref()
        .map(|message| clean_message(message, MAX_SERVICE_MESSAGE_CHARS))
        .filter(|message| !message.is_empty());
    match code {
        Some(code) if code == ErrorCode::UsedUp || code.is_token_problem() => {
            ErrorReport::from_service(code, trace_id, None, service)
        }
        _ => {
            let report = ErrorReport::from_service(
                ErrorCode::GenerationFailed,
                trace_id,
                None,
                error.code.filter(|code| code_shaped(code)),
            );
            match service {
                Some(reason) => report.with_words(
                    "song-service-said",
                    [
                        ("message", Value::CodeMessage),
                        ("reason", reason.as_str().into()),
                    ],
                ),
                None => report,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: serde_json::Value) -> TaskRecord {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_preview_is_never_the_result() {
        let running = record(json!({
            "id": "t1",
            "response": {"success": true, "task_id": "t1", "data": [
                {"id": "s1", "state": "processing", "progress": "40%",
                 "audio_url": "https://cdn.example/s1-preview.mp3"}]}
        }));
        assert_eq!(running.state(), TaskState::Running { progress: Some(40) });
        assert_eq!(running.task_id(), Some("t1"));
        let pending =
            record(json!({"response": {"task_id": "t1", "data": [{"state": "pending"}]}}));
        assert_eq!(pending.state(), TaskState::Pending);
    }

    #[test]
    fn done_needs_finished_and_success_or_every_song_succeeded() {
        let song = json!({"id": "s1", "title": "Verse", "audio_url": "https://cdn.example/s1.mp3",
                          "duration": "187.5", "state": "complete"});
        let done = record(json!({"id": "t1", "finished_at": 1_700_000_000,
                                 "response": {"success": true, "data": [song]}}));
        let TaskState::Succeeded { songs } = done.state() else {
            panic!("not done: {:?}", done.state())
        };
        assert_eq!(songs[0].duration, Some(187.5));
        assert_eq!(songs[0].title, "Verse");
        let by_states = record(json!({"response": {"data": [
            {"id": "s1", "audio_url": "https://cdn.example/s1.mp3", "state": "succeeded"}]}}));
        assert!(matches!(by_states.state(), TaskState::Succeeded { .. }));
        let no_audio = record(
            json!({"finished_at": "2026-01-01", "response": {"success": true,
            "data": [{"id": "s1"}]}}),
        );
        assert!(matches!(no_audio.state(), TaskState::Failed { .. }));
    }

    #[test]
    fn failures_keep_the_reason_and_the_next_step() {
        let failed = record(json!({"finished_at": 1, "response": {"success": false,
            "error": {"code": "content_rejected", "message": "The lyrics\u{1b}[2J were refused."}}}));
        let TaskState::Failed { error } = failed.state() else {
            panic!()
        };
        assert_eq!(error.code, ErrorCode::GenerationFailed);
        assert!(
            error.message.contains("The lyrics[2J were refused."),
            "{}",
            error.message
        );
        let used_up = record(json!({"response": {"success": false, "error": {"code": "used_up"}}}));
        let TaskState::Failed { error } = used_up.state() else {
            panic!()
        };
        assert_eq!(error.code, ErrorCode::UsedUp);
        let cancelled = record(json!({"response": {"data": [{"id": "s", "state": "cancelled"}]}}));
        assert!(matches!(cancelled.state(), TaskState::Failed { .. }));
    }
}
