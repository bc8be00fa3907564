//! A generation as the command prints it: one line per song, or one JSON object per task with
//! the same keys whatever its state.

use super::store::Generation;
use super::task::{Song, TaskState};
use crate::tr;
use serde::Serialize;

/// One task as `--json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskReport {
    /// The service's task ID; `null` when its answer never came.
    pub task_id: Option<String>,
    /// `pending`, `running`, `succeeded`, `failed` or `unknown`.
    pub state: &'static str,
    /// `extend` or `cover`.
    pub action: &'static str,
    /// The audio it was made from.
    pub audio_id: String,
    /// The songs, once it succeeded.
    pub songs: Vec<SongReport>,
    /// Why it failed, or why its outcome is unknown.
    pub error: Option<ErrorSummary>,
}

/// One song in a [`TaskReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SongReport {
    /// The song's ID (extend and cover can build on it).
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
}

/// An error in a [`TaskReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorSummary {
    /// Stable code, such as `generation_failed`.
    pub code: String,
    /// Plain words with what to do.
    pub message: String,
    /// The service's trace ID, for support.
    pub trace_id: Option<String>,
}

impl TaskReport {
    /// The report of a generation.
    pub fn of(generation: &Generation) -> Self {
        let (songs, error) = match &generation.state {
            TaskState::Succeeded { songs } => (songs.iter().map(SongReport::of).collect(), None),
            TaskState::Failed { error } | TaskState::Unknown { error } => (
                Vec::new(),
                Some(ErrorSummary {
                    code: error.code.as_str().to_owned(),
                    message: error.message.clone(),
                    trace_id: error.trace_id.clone(),
                }),
            ),
            _ => (Vec::new(), None),
        };
        Self {
            task_id: generation.task_id.clone(),
            state: generation.state.label(),
            action: generation.request.action.as_str(),
            audio_id: generation.request.audio_id.clone(),
            songs,
            error,
        }
    }
}

impl SongReport {
    fn of(song: &Song) -> Self {
        Self {
            id: song.id.clone(),
            title: song.title.clone(),
            audio_url: song.audio_url.clone(),
            image_url: song.image_url.clone(),
            duration: song.duration,
            lyric: song.lyric.clone(),
        }
    }
}

/// A song as a line of text: `song_id<TAB>audio_url<TAB>title` (a title's tabs and line breaks
/// become spaces, so the line stays three columns).
pub fn song_line(song: &Song) -> String {
    let title: String = song
        .title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("{}\t{}\t{title}", song.id, song.audio_url)
}

/// What a running generation shows beside a spinner: "Sending…", "Waiting to start…",
/// "Making your song… 40%".
pub fn progress_words(state: &TaskState) -> String {
    match state {
        TaskState::Sending => tr!("song-sending"),
        TaskState::Pending => tr!("song-pending"),
        TaskState::Running {
            progress: Some(percent),
        } => tr!("song-making-percent", percent = *percent),
        TaskState::Running { progress: None } => tr!("song-making"),
        TaskState::Succeeded { .. } => tr!("song-ready"),
        TaskState::Failed { .. } => tr!("song-failed"),
        TaskState::Unknown { .. } => tr!("song-no-answer"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_keeps_three_columns() {
        let song = Song {
            id: "s1".into(),
            title: "A\tB\nC".into(),
            audio_url: "https://cdn.example/s1.mp3".into(),
            image_url: None,
            duration: None,
            lyric: None,
            style: None,
            model: None,
        };
        assert_eq!(song_line(&song), "s1\thttps://cdn.example/s1.mp3\tA B C");
        assert_eq!(
            progress_words(&TaskState::Running { progress: Some(40) }),
            "Making your song… 40%"
        );
    }
}
