//! The app's log: `logs/producer-uploader.<day>.log` in the data folder, files readable by
//! their owner only.

use std::path::Path;

/// Logs to `logs/producer-uploader.<day>.log` in the data folder (beside the history): a file a
/// day, the last seven kept, at `info` (`RUST_LOG` for more), so that a failure to write the
/// history, the tray or a notification is visible. The token never reaches it: its type never
/// prints its value. The files are readable by their owner only.
pub fn start_log() {
    let Ok(folder) = producer_upload::history::default_dir().map(|dir| dir.join("logs")) else {
        return;
    };
    if let Some(appender) = log_appender(&folder) {
        // The day's file is made private before the appender opens it, every hour, so one is
        // ready before midnight (UTC, as the appender names them).
        let _ = std::thread::Builder::new()
            .name("private-logs".into())
            .spawn(move || loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
                keep_logs_private(&folder);
            });
        let filter =
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
        let _ = tracing_subscriber::fmt()
            .with_writer(appender)
            .with_ansi(false)
            .with_env_filter(filter)
            .try_init();
    }
}

/// Log files' names: `producer-uploader.<year>-<month>-<day>.log`.
const LOG_PREFIX: &str = "producer-uploader";
const LOG_SUFFIX: &str = "log";

/// The daily log file appender for `folder` (made private to the user), its files private too.
fn log_appender(
    folder: &std::path::Path,
) -> Option<tracing_appender::rolling::RollingFileAppender> {
    // Created private to the user, with the data folder if that is new too.
    let mut private = std::fs::DirBuilder::new();
    private.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut private, 0o700);
    private.create(folder).ok()?;
    // The app's own folder, even if an earlier version made it readable by others.
    #[cfg(unix)]
    let _ = std::fs::set_permissions(folder, std::os::unix::fs::PermissionsExt::from_mode(0o700));
    keep_logs_private(folder);
    tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(LOG_PREFIX)
        .filename_suffix(LOG_SUFFIX)
        .max_log_files(7)
        .build(folder)
        .ok()
}

/// Makes today's and tomorrow's log files (UTC days, as the appender names them) readable and
/// writable by their owner only before the appender opens them (it appends to a file that is
/// there, keeping its mode), and any log file already there too.
fn keep_logs_private(folder: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let today = time::OffsetDateTime::now_utc().date();
        for day in [Some(today), today.next_day()].into_iter().flatten() {
            let name = format!(
                "{LOG_PREFIX}.{:04}-{:02}-{:02}.{LOG_SUFFIX}",
                day.year(),
                u8::from(day.month()),
                day.day()
            );
            let made = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .mode(0o600)
                .open(folder.join(name));
            if let Err(error) = made {
                eprintln!("producer-uploader: log file not made private: {error}");
            }
        }
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            let is_log = entry
                .file_name()
                .to_str()
                .is_some_and(|name| name.starts_with(LOG_PREFIX));
            if is_log {
                let _ =
                    std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn log_files_are_readable_by_their_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("logs");
        // A file left readable by others by an earlier version is made private too.
        std::fs::create_dir_all(&folder).unwrap();
        let old = folder.join("producer-uploader.2026-01-01.log");
        std::fs::write(&old, "old\n").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();

        let mut appender = super::log_appender(&folder).unwrap();
        appender.write_all(b"a line\n").unwrap();
        appender.flush().unwrap();
        let mut written = 0;
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let metadata = entry.metadata().unwrap();
            assert_eq!(
                metadata.permissions().mode() & 0o777,
                0o600,
                "{}",
                entry.path().display()
            );
            if std::fs::read_to_string(entry.path()).unwrap() == "a line\n" {
                written += 1;
            }
        }
        assert_eq!(written, 1, "the line went to one of the private files");
        let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0);
    }
}
