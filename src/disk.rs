//! Room on this computer for dropped files while they wait to be hosted: a file is taken only
//! when the disk keeps a margin free after it (so the history can always be written, and no
//! audio ID is lost to a full disk), and while the files waiting stay under a total.
//!
//! Each taken file holds a [`Reservation`] of its announced size until its copy is deleted.
//! Reservations are counted as if none of their bytes were written yet, so the check errs on
//! the side of room.

use crate::error::{ErrorCode, ErrorReport};
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

/// Free space always left on the disk of the data folder: 256 MiB.
pub const FREE_MARGIN: u64 = 256 * 1024 * 1024;
/// Most bytes of dropped files waiting on disk at once: 1 GiB (ten files of the host's limit).
pub const MAX_WAITING: u64 = 1024 * 1024 * 1024;

/// How the free space of a folder's disk is found (the system's, or a test's).
pub type FreeSpace = Arc<dyn Fn(&Path) -> io::Result<u64> + Send + Sync>;

/// Why a file was not taken.
#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    /// The disk would keep less than the margin free.
    #[error("{free} bytes free, {needed} needed with the margin kept free")]
    DiskFull {
        /// Bytes free on the disk now.
        free: u64,
        /// The file's size, the files already waiting and the margin.
        needed: u64,
    },
    /// The files waiting would pass the total.
    #[error("{waiting} bytes already wait, at most {max} may")]
    TooMuchWaiting {
        /// Bytes of files already waiting.
        waiting: u64,
        /// The total allowed.
        max: u64,
    },
}

impl RoomError {
    /// What the person is told on the file's row.
    pub fn report(&self) -> ErrorReport {
        match self {
            RoomError::DiskFull { .. } => ErrorReport::from_code(ErrorCode::DiskFull),
            RoomError::TooMuchWaiting { .. } => ErrorReport::from_code(ErrorCode::WaitingFilesFull),
        }
    }
}

/// The room dropped files may take. Cheap to clone; clones share the count.
#[derive(Clone)]
pub struct DiskBudget {
    shared: Arc<Shared>,
}

struct Shared {
    free_space: FreeSpace,
    margin: u64,
    max_waiting: u64,
    reserved: Mutex<u64>,
}

impl std::fmt::Debug for DiskBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiskBudget")
            .field("margin", &self.shared.margin)
            .field("max_waiting", &self.shared.max_waiting)
            .field("reserved", &self.reserved())
            .finish()
    }
}

impl Default for DiskBudget {
    /// The system's free space, [`FREE_MARGIN`] and [`MAX_WAITING`].
    fn default() -> Self {
        Self::new(
            Arc::new(|path: &Path| fs4::available_space(path)),
            FREE_MARGIN,
            MAX_WAITING,
        )
    }
}

impl DiskBudget {
    /// A budget reading free space with `free_space`, keeping `margin` bytes free and at most
    /// `max_waiting` bytes waiting.
    pub fn new(free_space: FreeSpace, margin: u64, max_waiting: u64) -> Self {
        Self {
            shared: Arc::new(Shared {
                free_space,
                margin,
                max_waiting,
                reserved: Mutex::new(0),
            }),
        }
    }

    /// Bytes held by the files waiting now.
    pub fn reserved(&self) -> u64 {
        *self
            .shared
            .reserved
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Holds room for a file of `size` bytes to be written in `folder` (or its nearest existing
    /// parent), or says why there is none. A disk whose free space cannot be read is not
    /// refused for it: a write that then fails says so on the row.
    pub fn reserve(&self, folder: &Path, size: u64) -> Result<Reservation, RoomError> {
        let mut reserved = self
            .shared
            .reserved
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let waiting = *reserved;
        if waiting.saturating_add(size) > self.shared.max_waiting {
            return Err(RoomError::TooMuchWaiting {
                waiting,
                max: self.shared.max_waiting,
            });
        }
        let existing = folder
            .ancestors()
            .find(|path| path.exists())
            .unwrap_or(folder);
        match (self.shared.free_space)(existing) {
            Ok(free) => {
                let needed = size
                    .saturating_add(waiting)
                    .saturating_add(self.shared.margin);
                if free < needed {
                    return Err(RoomError::DiskFull { free, needed });
                }
            }
            Err(error) => tracing::warn!(
                "the free space of {} could not be read: {error}",
                existing.display()
            ),
        }
        *reserved = waiting + size;
        Ok(Reservation {
            shared: self.shared.clone(),
            size,
        })
    }
}

/// Room held for one waiting file; given back when dropped (with the file's copy).
pub struct Reservation {
    shared: Arc<Shared>,
    size: u64,
}

impl std::fmt::Debug for Reservation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reservation")
            .field("size", &self.size)
            .finish()
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut reserved = self
            .shared
            .reserved
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *reserved = reserved.saturating_sub(self.size);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(free: u64, margin: u64, max_waiting: u64) -> DiskBudget {
        DiskBudget::new(Arc::new(move |_: &Path| Ok(free)), margin, max_waiting)
    }

    #[test]
    fn a_file_is_taken_only_with_the_margin_left_free() {
        let budget = budget(1_000, 300, 10_000);
        let folder = Path::new("/nowhere/yet");
        assert!(matches!(
            budget.reserve(folder, 701),
            Err(RoomError::DiskFull {
                free: 1_000,
                needed: 1_001
            })
        ));
        let first = budget.reserve(folder, 400).unwrap();
        // The file taken counts as unwritten: 400 + 301 + 300 > 1,000.
        assert!(budget.reserve(folder, 301).is_err());
        drop(first);
        assert_eq!(budget.reserved(), 0);
        assert!(budget.reserve(folder, 700).is_ok());
    }

    #[test]
    fn the_files_waiting_stay_under_their_total() {
        let budget = budget(u64::MAX, 0, 1_000);
        let folder = Path::new(".");
        let _a = budget.reserve(folder, 600).unwrap();
        let refused = budget.reserve(folder, 401).unwrap_err();
        assert!(matches!(
            refused,
            RoomError::TooMuchWaiting {
                waiting: 600,
                max: 1_000
            }
        ));
        assert_eq!(refused.report().code, ErrorCode::WaitingFilesFull);
        let _b = budget.reserve(folder, 400).unwrap();
        assert_eq!(budget.reserved(), 1_000);
    }

    #[test]
    fn the_system_s_free_space_is_read_for_a_real_folder() {
        let dir = tempfile::tempdir().unwrap();
        let free = fs4::available_space(dir.path()).unwrap();
        assert!(free > 0);
        // A file larger than the disk is refused as a full disk.
        let too_big = free.saturating_add(1);
        let refused = DiskBudget::new(
            Arc::new(|path: &Path| fs4::available_space(path)),
            0,
            u64::MAX,
        )
        .reserve(dir.path(), too_big)
        .unwrap_err();
        assert_eq!(refused.report().code, ErrorCode::DiskFull);
    }
}
