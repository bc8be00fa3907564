//! Producer Uploader, the desktop app: a thin Tauri shell over the `producer_upload` core.
//!
//! - [`commands`]: what the window may call; each checks its input and calls the core.
//! - [`state`]: settings, the token in memory, the uploader.
//! - [`settings`]: the settings file (never the token).
//! - [`error`]: the app layer's errors, crossing to the UI as `ErrorReport` objects.
//! - [`progress`]: a batch's progress in the window title, the tray icon and a notification.

pub mod commands;
pub mod error;
pub mod progress;
pub mod settings;
pub mod state;

use progress::ProgressShell;
use state::{AppState, WindowMessage};
use std::sync::Arc;
use tauri::{App, Builder, Manager, Runtime, WindowEvent};
use tauri_plugin_window_state::StateFlags;

/// Starts the app.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    #[cfg(target_os = "linux")]
    draw_without_gpu_compositing();
    start_log();
    run_app(Builder::default());
}

/// Has WebKitGTK draw the page without its GPU compositor, unless the environment says otherwise
/// (`WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps it). The window is text, forms and a list, with no
/// 3D or WebGL; the compositor cost the page process about 120 MB more at rest, and a list of
/// 1,000 uploads 10 to 25 MB more, varying widely from run to run (measured; README, "Memory of a
/// long list"). Set in the environment before any thread starts, as WebKit reads it when the
/// window is made: the web view's own setting can only change once Tauri has made the view and
/// started loading the page.
#[cfg(target_os = "linux")]
fn draw_without_gpu_compositing() {
    const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VARIABLE).is_none() {
        std::env::set_var(VARIABLE, "1");
    }
}

/// Logs to `logs/producer-uploader.<day>.log` in the data folder (beside the history): a file a
/// day, the last seven kept, at `info` (`RUST_LOG` for more), so that a failure to write the
/// history, the tray or a notification is visible. The token never reaches it: its type never
/// prints its value. The files are readable by their owner only.
fn start_log() {
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

/// One app at a time on a data folder (the official single-instance plugin): a second launch
/// brings the running window forward (shown, unminimised, focused) and exits at once, before it
/// reads its settings or touches the data folder. On Linux the plugin finds the running app on
/// the D-Bus session bus, under a name made from the data folder, so copies using other data
/// folders (`PRODUCER_UPLOAD_DATA_DIR`) stay apart. Without a session bus the app starts anyway
/// and says so in the log.
fn one_app_at_a_time<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    #[cfg(target_os = "linux")]
    if let Err(error) = zbus::blocking::Connection::session() {
        tracing::warn!(
            "a second copy of the app cannot be noticed: no D-Bus session bus ({error}); starting anyway"
        );
        return builder;
    }
    builder.plugin(
        tauri_plugin_single_instance::Builder::new()
            .dbus_id(instance_id(std::env::var_os(settings::DATA_DIR_ENV)))
            .callback(|app, _, _| {
                tracing::info!("another launch of the app brought this window forward");
                progress::show_window(app);
            })
            .build(),
    )
}

/// The name the running app is found by: the app's identifier, followed for a data folder
/// chosen with `PRODUCER_UPLOAD_DATA_DIR` by a digest of that folder's path.
fn instance_id(data_dir: Option<std::ffi::OsString>) -> String {
    use sha2::Digest;
    let identifier = producer_upload::history::APP_IDENTIFIER;
    match data_dir.filter(|dir| !dir.is_empty()) {
        Some(dir) => {
            let digest = sha2::Sha256::digest(dir.as_encoded_bytes());
            let hex: String = digest[..8]
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect();
            format!("{identifier}.d{hex}")
        }
        None => identifier.to_owned(),
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
fn keep_logs_private(folder: &std::path::Path) {
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

/// Builds and runs the app on any runtime (tests use Tauri's mock runtime).
pub fn run_app<R: Runtime>(builder: Builder<R>) {
    build_app(builder, None).run(|_, _| {});
}

/// Builds the app: plugins, state, commands and the configuration in `tauri.conf.json`.
///
/// `state` replaces the state read from the environment (tests pass their own).
pub fn build_app<R: Runtime>(builder: Builder<R>, state: Option<AppState>) -> App<R> {
    // First, so that a second launch ends before anything else of it starts.
    let builder = match state {
        Some(_) => builder,
        None => one_app_at_a_time(builder),
    };
    let builder = builder
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init());
    // The window's size and place are kept beside the settings; whether it was shown is not (it
    // may have been hidden while a batch finished in the background).
    let builder = match state {
        Some(state) => builder.manage(state),
        None => builder.plugin(
            tauri_plugin_window_state::Builder::default()
                .with_filename(settings::window_state_file(
                    std::env::var(settings::DATA_DIR_ENV).ok(),
                ))
                .with_state_flags(StateFlags::all() & !StateFlags::VISIBLE)
                .build(),
        ),
    };
    builder
        .setup(|app| {
            // The settings folder defaults to the app's config folder, known once the app is
            // set up.
            if app.try_state::<AppState>().is_none() {
                app.manage(AppState::from_env(app.path().app_config_dir().ok()));
            }
            let state = app.state::<AppState>();
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.set_zoom(state.settings().zoom());
            }
            // Progress is shown from the main thread, whichever thread the batch changed on.
            let handle = app.handle().clone();
            let shell = Arc::new(ProgressShell::new(handle.clone()));
            state.on_progress(move |summary| {
                let shell = shell.clone();
                let summary = *summary;
                let _ = handle.run_on_main_thread(move || shell.show(&summary));
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window during a batch asks first (the window shows the question):
            // finish in the background, or stop. Uploads already sent always finish.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if let Some(state) = window.try_state::<AppState>() {
                    if let Some(summary) = state.busy() {
                        if state.tell_window(WindowMessage::CloseRequested(summary)) {
                            api.prevent_close();
                        }
                    }
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::get_settings,
            commands::save_settings,
            commands::token_status,
            commands::save_token,
            commands::remove_token,
            commands::intake_links,
            commands::queue_subscribe,
            commands::queue_add,
            commands::queue_add_files,
            commands::queue_file_chunk,
            commands::queue_file_unreadable,
            commands::queue_choose_files,
            commands::queue_stop,
            commands::queue_pause,
            commands::queue_resume,
            commands::queue_cancel,
            commands::queue_retry,
            commands::queue_clear,
            commands::queue_remove,
            commands::close_during_batch,
            commands::history_page,
            commands::history_delete,
            commands::history_undo,
            commands::history_retry,
            commands::history_export,
            commands::zoom,
            commands::open_link,
            commands::acknowledge_hosting_notice,
        ])
        .build(tauri::generate_context!())
        .expect("error while building Producer Uploader")
}

#[cfg(test)]
mod ipc_tests;

#[cfg(all(test, unix))]
mod tests {
    use std::io::Write;

    #[test]
    fn each_data_folder_has_its_own_running_app() {
        let default = super::instance_id(None);
        assert_eq!(default, "cloud.acedata.producer-uploader");
        assert_eq!(super::instance_id(Some("".into())), default);
        let a = super::instance_id(Some("/home/me/a".into()));
        let b = super::instance_id(Some("/home/me/b".into()));
        assert_ne!(a, b);
        assert_eq!(a, super::instance_id(Some("/home/me/a".into())));
        // A D-Bus name: dot-separated elements of letters, digits, `_` and `-`, none starting
        // with a digit.
        for element in a.split('.') {
            assert!(!element.starts_with(|c: char| c.is_ascii_digit()), "{a}");
            assert!(element
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        }
    }
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
