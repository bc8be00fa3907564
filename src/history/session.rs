//! Which processes are alive: each open history holds an exclusive lock on
//! `sessions/<uuid>.lock` for as long as it is open, and the operating system releases that lock
//! when the process ends, however it ends.
//!
//! A session's lock file is created and locked while the opening lock (`sessions/opening.lock`)
//! is held, and dead sessions are looked for only under that same lock, so a starting process is
//! never mistaken for a dead one between creating its file and locking it.

use super::HistoryError;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The folder for session lock files, inside the history folder.
const SESSIONS_DIR: &str = "sessions";
/// Held while a history opens or looks for dead sessions.
const OPENING_LOCK: &str = "opening.lock";
/// How long to wait for another process to finish opening the history.
const OPENING_WAIT: Duration = Duration::from_secs(15);

/// This process's session: its id and the locked file that says it is alive.
#[derive(Debug)]
pub(crate) struct Session {
    id: String,
    path: PathBuf,
    file: File,
}

impl Session {
    /// Creates and locks a new session's file. Call with the [`OpeningLock`] held.
    pub(crate) fn start(dir: &Path, _opening: &OpeningLock) -> Result<Self, HistoryError> {
        let id = Uuid::new_v4().to_string();
        let path = lock_path(dir, &id);
        let file = private_options()
            .create_new(true)
            .open(&path)
            .map_err(|source| HistoryError::io("could not create", &path, source))?;
        file.try_lock()
            .map_err(|error| HistoryError::io("could not lock", &path, error.into()))?;
        Ok(Self { id, path, file })
    }

    /// The session's id, stored with its pending records.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// Unlocks and removes the session's file; call after its pending records are settled.
    pub(crate) fn end(self) {
        let Self { path, file, .. } = self;
        drop(file);
        // A leftover file is harmless: the next open finds it unlocked and removes it.
        let _ = fs::remove_file(path);
    }
}

/// Proof that the opening lock is held; released when dropped.
#[derive(Debug)]
pub(crate) struct OpeningLock {
    _file: File,
}

impl OpeningLock {
    /// Waits (up to [`OPENING_WAIT`]) until no other process is opening the history.
    pub(crate) fn acquire(dir: &Path) -> Result<Self, HistoryError> {
        let path = sessions_dir(dir).join(OPENING_LOCK);
        let file = private_options()
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|source| HistoryError::io("could not open", &path, source))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if started.elapsed() < OPENING_WAIT => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(TryLockError::WouldBlock) => return Err(HistoryError::Busy(OPENING_WAIT)),
                Err(TryLockError::Error(source)) => {
                    return Err(HistoryError::io("could not lock", &path, source))
                }
            }
        }
    }
}

/// A session found dead; its lock (when it had a file) is held until [`DeadSession::remove`].
#[derive(Debug)]
pub(crate) struct DeadSession {
    /// The dead session's id.
    pub(crate) id: String,
    file: Option<(PathBuf, File)>,
}

impl DeadSession {
    /// Removes the dead session's file; call once its pending records are settled.
    pub(crate) fn remove(self) {
        if let Some((path, file)) = self.file {
            // Removed while still locked, so no other process can judge it meanwhile.
            let _ = fs::remove_file(&path);
            drop(file);
        }
    }
}

/// Every dead session among `candidates` (session ids of pending records) and the lock files in
/// the sessions folder, other than `own`. Call with the [`OpeningLock`] held.
///
/// A session is dead when its file can be locked (the process that held it is gone) or when it
/// has no file at all (a session creates its file before recording anything). A file that can
/// be neither locked nor proven free counts as alive: a record left pending is better than one
/// wrongly called interrupted.
pub(crate) fn dead_sessions(
    dir: &Path,
    own: &str,
    candidates: Vec<String>,
    _opening: &OpeningLock,
) -> Result<Vec<DeadSession>, HistoryError> {
    let folder = sessions_dir(dir);
    let entries = fs::read_dir(&folder)
        .map_err(|source| HistoryError::io("could not read", &folder, source))?;
    // An id from the database that is not a session id as this module makes them cannot name a
    // file (a crafted `../../victim` would lead outside the folder): its session is dead, and
    // no file is touched for it.
    let (mut ids, misshapen): (Vec<String>, Vec<String>) =
        candidates.into_iter().partition(|id| is_session_id(id));
    let mut dead: Vec<DeadSession> = misshapen
        .into_iter()
        .map(|id| DeadSession { id, file: None })
        .collect();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|name| name.strip_suffix(".lock")) else {
            continue;
        };
        if is_session_id(stem) {
            ids.push(stem.to_owned());
        }
    }
    ids.sort();
    ids.dedup();

    for id in ids.into_iter().filter(|id| id != own) {
        let path = lock_path(dir, &id);
        match OpenOptions::new().write(true).open(&path) {
            Ok(file) => match file.try_lock() {
                Ok(()) => dead.push(DeadSession {
                    id,
                    file: Some((path, file)),
                }),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(error)) => {
                    tracing::warn!(path = %path.display(), %error, "cannot tell whether a session is alive");
                }
            },
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                dead.push(DeadSession { id, file: None });
            }
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "cannot tell whether a session is alive");
            }
        }
    }
    Ok(dead)
}

/// True while the session `id` (a session id, nothing else) is held by a running process: its
/// lock file is there and cannot be locked. A session ended, or found dead and removed, has no
/// file; an id that is not a session id is never alive.
pub(crate) fn is_alive(dir: &Path, id: &str) -> bool {
    if Uuid::parse_str(id).is_err() {
        return false;
    }
    let path = lock_path(dir, id);
    match OpenOptions::new().write(true).open(&path) {
        // Locked for a moment only, then let go when the file closes.
        Ok(file) => !matches!(file.try_lock(), Ok(())),
        Err(error) => error.kind() != io::ErrorKind::NotFound,
    }
}

/// The folder for session files, created private to the user.
pub(crate) fn create_sessions_dir(dir: &Path) -> Result<(), HistoryError> {
    super::create_private_dir(&sessions_dir(dir))
}

fn sessions_dir(dir: &Path) -> PathBuf {
    dir.join(SESSIONS_DIR)
}

/// True for a session id as [`Session::start`] makes them: a UUID in its hyphenated lower-case
/// form, and so a plain file name.
fn is_session_id(id: &str) -> bool {
    Uuid::try_parse(id).is_ok_and(|uuid| uuid.hyphenated().to_string() == id)
}

fn lock_path(dir: &Path, id: &str) -> PathBuf {
    sessions_dir(dir).join(format!("{id}.lock"))
}

/// Options for a file readable and writable by its owner only.
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}
