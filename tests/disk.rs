//! Dropped files on a nearly full disk: a real, small filesystem (a 8 MiB tmpfs mounted for the
//! test; this needs root, as `scripts/test.sh` and CI run) whose free space the budget reads
//! from the system. A file that would eat into the margin is refused before anything is written,
//! and the history can still be written afterwards.

use producer_upload::client::Uploaded;
use producer_upload::disk::DiskBudget;
use producer_upload::error::ErrorCode;
use producer_upload::history::{History, NewUpload, Source, State};
use producer_upload::incoming::Incoming;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const MIB: u64 = 1024 * 1024;

/// A tmpfs of `size` bytes mounted on a fresh folder, unmounted when dropped.
struct SmallDisk {
    folder: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts it, or says why it cannot be (no root, no mount in this sandbox).
    fn mount(size: u64) -> Result<Self, String> {
        let folder = tempfile::tempdir().map_err(|error| error.to_string())?;
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(folder.path())
            .output()
            .map_err(|error| format!("mount could not run: {error}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        Ok(Self { folder })
    }

    fn path(&self) -> &Path {
        self.folder.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.folder.path()).status();
    }
}

/// The small disk, or `None` (with the reason printed) where mounting is not allowed; under CI
/// or with `PRODUCER_UPLOAD_DISK_TEST=required`, a disk that cannot be mounted fails the test.
fn small_disk(size: u64) -> Option<SmallDisk> {
    match SmallDisk::mount(size) {
        Ok(disk) => Some(disk),
        Err(why) => {
            let required = std::env::var_os("CI").is_some()
                || std::env::var("PRODUCER_UPLOAD_DISK_TEST").as_deref() == Ok("required");
            assert!(!required, "a small tmpfs could not be mounted: {why}");
            eprintln!("skipped: a small tmpfs could not be mounted ({why}); run as root");
            None
        }
    }
}

fn fill(path: PathBuf, bytes: u64) {
    std::fs::write(path, vec![7u8; bytes as usize]).unwrap();
}

#[test]
fn a_nearly_full_disk_refuses_a_dropped_file_and_keeps_room_for_the_history() {
    let Some(disk) = small_disk(8 * MIB) else {
        return;
    };
    let budget = DiskBudget::new(
        Arc::new(|path: &Path| fs4::available_space(path)),
        2 * MIB,
        u64::MAX,
    );
    // Someone else's files leave about 3.5 MiB free.
    fill(disk.path().join("other.bin"), 4 * MIB + MIB / 2);
    let waiting = disk.path().join("incoming");

    let refused = budget.reserve(&waiting, 2 * MIB).unwrap_err();
    assert_eq!(refused.report().code, ErrorCode::DiskFull);
    assert!(refused.report().message.contains("Make some room"));
    assert!(!waiting.exists(), "nothing was written for it");

    // A smaller one fits, and is written whole.
    let room = budget.reserve(&waiting, MIB).unwrap();
    let mut incoming = Incoming::create(&waiting, "hook.wav", MIB)
        .unwrap()
        .with_room(room);
    let mut piece = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
    piece.resize(MIB as usize, 0);
    assert_eq!(incoming.write_at(0, &piece).unwrap(), MIB);
    // With it waiting, the next one no longer fits.
    assert!(budget.reserve(&waiting, MIB + MIB / 2).is_err());
    assert_eq!(budget.reserved(), MIB);

    // The margin is there for the history: an upload is recorded and settled on this disk.
    let history = History::open(disk.path().join("history")).unwrap();
    let id = history
        .record_pending(&NewUpload {
            given_url: "https://a.example/hook.wav".into(),
            audio_url: "https://a.example/hook.wav".parse().unwrap(),
            source: Source::App,
        })
        .unwrap();
    history
        .record_done(
            id,
            &Uploaded {
                audio_id: "id-on-a-small-disk".into(),
                task_id: None,
                hosted_audio_url: None,
                lyric: None,
            },
            1,
        )
        .unwrap();
    assert_eq!(history.get(id).unwrap().unwrap().state, State::Done);

    // The copy goes, and its room with it: what was refused while it waited fits again.
    let refused_while_waiting = MIB + MIB / 4;
    assert!(budget.reserve(&waiting, refused_while_waiting).is_err());
    drop(incoming);
    assert_eq!(budget.reserved(), 0);
    let free = fs4::available_space(disk.path()).unwrap();
    assert!(
        budget.reserve(&waiting, refused_while_waiting).is_ok(),
        "{free} bytes free"
    );
}
