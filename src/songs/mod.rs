//! Songs made from an audio ID: extend (continue it from a moment) and cover (the same song in
//! another style), through Ace Data Cloud's `/producer/audios` and `/producer/tasks`.
//!
//! - [`params`]: what is asked, checked before anything is sent, and the action's two forms.
//! - [`client`]: the two endpoints, typed and checked like the upload.
//! - [`task`]: a generation's state with each state's data, read from the service's task record.
//! - [`store`]: generations in the history, recorded before they are sent.
//! - [`engine`]: sends, falls back to the other form once, and hands running tasks to the one
//!   shared [`poll`]er; numbered updates for the window, waits for the command.
//! - [`report`]: a generation as the command prints it (lines, JSON, progress words).
//! - [`download`]: a song saved under its title, made safe, never over another file.

pub mod client;
pub mod download;
pub mod engine;
pub mod params;
pub mod poll;
pub mod report;
pub mod store;
pub mod task;

pub use client::SongsClient;
pub use engine::{Change, Engine, EngineConfig, SongsUpdate};
pub use params::{Action, AudioKind, SongRequest, MODELS};
pub use store::{Generation, GenerationId};
pub use task::{Song, TaskState};
