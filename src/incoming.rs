//! Files handed over in pieces by a window that cannot give their path (a web page receives a
//! dropped file's bytes, never where it lives): each is written to a private folder of its own,
//! under its own name, and deleted with the [`Incoming`] that holds it.
//!
//! Each running program keeps its files in a folder of its own ([`session_folder`]), named after
//! its history session and marked as the app's; a program starting removes only such folders
//! whose session has ended ([`remove_stopped`]), never anything else in the data folder.

use crate::disk::Reservation;
use crate::error::{ErrorCode, ErrorReport};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Longest file name kept, in bytes of UTF-8 (longer ones keep their start and extension): file
/// systems limit names to 255 bytes, not characters, and a Chinese character takes three.
const MAX_NAME_BYTES: usize = 200;

/// Largest piece the window sends at a time (1 MiB); a larger one is refused unwritten.
pub const MAX_PIECE_BYTES: usize = 1024 * 1024;

/// The file that marks a folder of waiting files as made by the app.
const MARKER: &str = ".producer-uploader-waiting-files";

/// This program's folder for waiting files, `<parent>/<session>`, made private and marked as
/// the app's. `session` is this program's history session id.
pub fn session_folder(parent: &Path, session: &str) -> io::Result<PathBuf> {
    let folder = parent.join(session);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&folder)?;
    File::create(folder.join(MARKER))?;
    Ok(folder)
}

/// Removes the waiting-file folders in `parent` of programs that have stopped: only folders
/// named after a session (a UUID), holding the app's marker, whose session `is_alive` says is
/// over. Whatever else is there (a folder of the person's own) is left alone. Returns how many
/// folders were removed.
pub fn remove_stopped(parent: &Path, is_alive: impl Fn(&str) -> bool) -> usize {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let path = entry.path();
        let ours = uuid::Uuid::parse_str(&name).is_ok()
            && entry.file_type().is_ok_and(|kind| kind.is_dir())
            && path.join(MARKER).is_file();
        if ours && !is_alive(&name) {
            match std::fs::remove_dir_all(&path) {
                Ok(()) => removed += 1,
                Err(error) => tracing::warn!(
                    "the waiting files of a stopped program could not be removed from {}: {error}",
                    path.display()
                ),
            }
        }
    }
    removed
}

/// Why a piece was not taken.
#[derive(Debug, thiserror::Error)]
pub enum IncomingError {
    /// The piece does not start where the last one ended, or goes past the announced size.
    #[error("a piece arrived out of place: at byte {offset} with {len} bytes, {received} of {size} received")]
    OutOfPlace {
        /// Where the piece says it starts.
        offset: u64,
        /// Its length.
        len: usize,
        /// Bytes received so far.
        received: u64,
        /// The size announced.
        size: u64,
    },
    /// The disk refused the bytes.
    #[error("the file could not be written on this computer: {0}")]
    Write(#[from] io::Error),
}

impl IncomingError {
    /// What the person is told: the file must be added again.
    pub fn report(&self) -> ErrorReport {
        let id = match self {
            IncomingError::OutOfPlace { .. } => "app-file-not-whole",
            IncomingError::Write(_) => "file-not-copied",
        };
        ErrorReport::from_code(ErrorCode::FileUnreadable).with_words(id, [])
    }
}

/// A file arriving in pieces, in order, written as they come.
#[derive(Debug)]
pub struct Incoming {
    folder: tempfile::TempDir,
    path: PathBuf,
    file: Option<File>,
    size: u64,
    received: u64,
    /// The room on disk held for it, given back once the folder is gone (fields drop in order).
    room: Option<Reservation>,
}

impl Incoming {
    /// Makes a private folder in `parent` for a file named `name` of `size` bytes.
    pub fn create(parent: &Path, name: &str, size: u64) -> io::Result<Self> {
        std::fs::create_dir_all(parent)?;
        let mut folder = tempfile::Builder::new();
        folder.prefix("incoming-");
        #[cfg(unix)]
        folder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let folder = folder.tempdir_in(parent)?;
        let path = folder.path().join(safe_file_name(name));
        let file = File::create(&path)?;
        Ok(Self {
            folder,
            path,
            file: Some(file),
            size,
            received: 0,
            room: None,
        })
    }

    /// Holds `room` (see [`crate::disk::DiskBudget`]) for as long as this file is kept.
    pub fn with_room(mut self, room: Reservation) -> Self {
        self.room = Some(room);
        self
    }

    /// Writes the piece that starts at `offset`; returns the bytes received so far.
    pub fn write_at(&mut self, offset: u64, bytes: &[u8]) -> Result<u64, IncomingError> {
        let end = offset.saturating_add(bytes.len() as u64);
        let file = match self.file.as_mut() {
            Some(file) if offset == self.received && end <= self.size => file,
            _ => {
                return Err(IncomingError::OutOfPlace {
                    offset,
                    len: bytes.len(),
                    received: self.received,
                    size: self.size,
                })
            }
        };
        file.write_all(bytes)?;
        self.received = end;
        if self.is_complete() {
            // Closed, so what is read from the path is all there is.
            if let Some(file) = self.file.take() {
                file.sync_all()?;
            }
        }
        Ok(self.received)
    }

    /// True once every announced byte has arrived.
    pub fn is_complete(&self) -> bool {
        self.received == self.size
    }

    /// Bytes received so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Where the bytes are written (under the file's own name).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The private folder, removed when this is dropped.
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }
}

/// `name` as a single file name: no folders, no control characters, not empty, not too long.
fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    if cleaned.is_empty() {
        return "audio".into();
    }
    if cleaned.len() <= MAX_NAME_BYTES {
        return cleaned.to_owned();
    }
    let extension = Path::new(cleaned)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.len() <= 16)
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    let stem = cleaned.strip_suffix(extension.as_str()).unwrap_or(cleaned);
    let mut keep = MAX_NAME_BYTES - extension.len();
    while !stem.is_char_boundary(keep) {
        keep -= 1;
    }
    stem[..keep].to_owned() + &extension
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_in_order_make_the_file_under_its_own_name() {
        let parent = tempfile::tempdir().unwrap();
        let mut incoming = Incoming::create(parent.path(), "Verse take 3.wav", 10).unwrap();
        assert_eq!(incoming.write_at(0, b"RIFF").unwrap(), 4);
        assert!(!incoming.is_complete());
        assert_eq!(incoming.write_at(4, b"abcdef").unwrap(), 10);
        assert!(incoming.is_complete());
        assert_eq!(incoming.path().file_name().unwrap(), "Verse take 3.wav");
        assert_eq!(std::fs::read(incoming.path()).unwrap(), b"RIFFabcdef");
    }

    #[test]
    fn a_piece_out_of_place_or_past_the_size_is_refused_and_nothing_is_written() {
        let parent = tempfile::tempdir().unwrap();
        let mut incoming = Incoming::create(parent.path(), "a.mp3", 6).unwrap();
        incoming.write_at(0, b"ab").unwrap();
        for (offset, bytes) in [(0, &b"ab"[..]), (3, b"c"), (2, b"cdefg")] {
            assert!(matches!(
                incoming.write_at(offset, bytes),
                Err(IncomingError::OutOfPlace { .. })
            ));
        }
        assert_eq!(incoming.received(), 2);
        assert_eq!(std::fs::read(incoming.path()).unwrap(), b"ab");
    }

    #[test]
    fn the_private_folder_goes_with_the_incoming_file() {
        let parent = tempfile::tempdir().unwrap();
        let incoming = Incoming::create(parent.path(), "a.wav", 1).unwrap();
        let folder = incoming.folder().to_owned();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the user may read it");
        }
        drop(incoming);
        assert!(!folder.exists());
    }

    #[test]
    fn only_the_app_s_folders_of_stopped_programs_are_removed() {
        let parent = tempfile::tempdir().unwrap();
        let live = "3f1b0a4e-8f5c-4c56-9d8e-2a7b3c4d5e6f";
        let dead = "6a2c9e1d-0b7f-4e3a-8c5d-1f2e3d4c5b6a";
        let unmarked = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
        for session in [live, dead] {
            let folder = session_folder(parent.path(), session).unwrap();
            std::fs::write(folder.join("verse.wav"), b"RIFF").unwrap();
        }
        // The person's own things, some looking like the app's.
        std::fs::create_dir_all(parent.path().join(unmarked)).unwrap();
        std::fs::write(parent.path().join(unmarked).join("a.wav"), b"x").unwrap();
        std::fs::create_dir_all(parent.path().join("mine")).unwrap();
        std::fs::write(parent.path().join("mine").join("song.wav"), b"x").unwrap();
        std::fs::write(parent.path().join("notes.txt"), b"x").unwrap();

        let removed = remove_stopped(parent.path(), |session| session == live);
        assert_eq!(removed, 1);
        assert!(!parent.path().join(dead).exists());
        assert!(parent.path().join(live).join("verse.wav").exists());
        assert!(parent.path().join(unmarked).join("a.wav").exists());
        assert!(parent.path().join("mine").join("song.wav").exists());
        assert!(parent.path().join("notes.txt").exists());
    }

    #[test]
    fn names_cannot_leave_the_folder_or_be_empty() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\Music\\hook.wav"), "hook.wav");
        assert_eq!(safe_file_name("..."), "audio");
        assert_eq!(safe_file_name("a\nb.mp3"), "a_b.mp3");
        let long = format!("{}.flac", "x".repeat(300));
        let kept = safe_file_name(&long);
        assert_eq!(kept.len(), MAX_NAME_BYTES);
        assert!(kept.ends_with(".flac"));
    }

    #[test]
    fn long_names_in_any_script_are_cut_by_bytes_at_a_character_and_keep_their_extension() {
        let parent = tempfile::tempdir().unwrap();
        for name in [
            format!("{}.wav", "副歌".repeat(43)),
            format!("{}.mp3", "录音".repeat(120)),
            format!("{}.flac", "é".repeat(200)),
            format!("{}.m4a", "🎵".repeat(100)),
        ] {
            let mut incoming = Incoming::create(parent.path(), &name, 4).unwrap();
            incoming.write_at(0, b"RIFF").unwrap();
            let kept = incoming.path().file_name().unwrap().to_str().unwrap();
            assert!(kept.len() <= MAX_NAME_BYTES, "{kept}");
            let extension = name.rsplit('.').next().unwrap();
            assert!(kept.ends_with(&format!(".{extension}")), "{kept}");
            assert!(name.starts_with(kept.strip_suffix(&format!(".{extension}")).unwrap()));
            assert_eq!(std::fs::read(incoming.path()).unwrap(), b"RIFF");
        }
    }
}
