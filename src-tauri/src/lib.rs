//! Producer Uploader, the desktop app: a thin Tauri shell over the `producer_upload` core.
//!
//! - [`commands`]: what the window may call; each checks its input and calls the core.
//! - [`state`]: settings, the token in memory, the uploader.
//! - [`settings`]: the settings file (never the token).
//! - [`error`]: the app layer's errors, crossing to the UI as `ErrorReport` objects.
//! - [`songs`]: the songs commands (extend, cover) over the core's songs engine.
//! - [`progress`]: a batch's progress in the window title, the tray icon and a notification.
//! - [`attention`]: when the tray icon and a notification are wanted (the window out of sight).
//! - [`background`]: when the app quits on its own after the window was closed during work.
//! - [`instance`]: one app at a time on a data folder; [`logs`]: the app's private log files.

pub mod attention;
pub mod background;
pub mod commands;
pub mod error;
pub mod instance;
pub mod logs;
pub mod preview;
pub mod progress;
pub mod settings;
pub mod songs;
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
    {
        draw_without_gpu_compositing();
        // The name a status-area host shows for the app's icon ("Producer Uploader", not the
        // program's file name).
        glib::set_application_name(progress::APP_TITLE);
    }
    logs::start_log();
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
        None => instance::one_app_at_a_time(builder),
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
        .manage(commands::page::KeptNote::default())
        .setup(|app| {
            // The settings folder defaults to the app's config folder, known once the app is
            // set up.
            if app.try_state::<AppState>().is_none() {
                app.manage(AppState::from_env(app.path().app_config_dir().ok()));
            }
            let state = app.state::<AppState>();
            state.use_saved_language();
            // The preview player's audio comes through the app's checked link client.
            app.manage(preview::PreviewServer::start(app.handle().clone())?);
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.set_zoom(state.settings().zoom());
            }
            // Progress is shown from the main thread, whichever thread the batch or a song
            // changed on.
            let handle = app.handle().clone();
            let shell = Arc::new(ProgressShell::new(handle.clone()));
            let (song_shell, song_handle) = (shell.clone(), handle.clone());
            let quit_handle = handle.clone();
            state.on_progress(move |work| {
                let shell = shell.clone();
                let work = *work;
                let _ = handle.run_on_main_thread(move || shell.show(&work));
            });
            // Once through in the background, the app quits after the last notification.
            state.on_quit(move || progress::exit_after_notice(&quit_handle));
            state.on_song(move |generation| {
                let shell = song_shell.clone();
                let generation = generation.clone();
                let _ = song_handle.run_on_main_thread(move || shell.song_changed(&generation));
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window while uploads or songs run asks first (the window shows the
            // question): finish in the background, or stop. Uploads already sent always finish.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if let Some(state) = window.try_state::<AppState>() {
                    if let Some(work) = state.busy() {
                        if state.tell_window(WindowMessage::CloseRequested(work)) {
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
            commands::tokens::token_status,
            commands::tokens::save_token,
            commands::tokens::remove_token,
            commands::queue::queue_subscribe,
            commands::queue::queue_add_text,
            commands::queue::queue_add_files,
            commands::queue::queue_file_chunk,
            commands::queue::queue_file_unreadable,
            commands::queue::queue_choose_files,
            commands::queue::queue_stop,
            commands::queue::queue_host_again,
            commands::queue::queue_pause,
            commands::queue::queue_resume,
            commands::queue::queue_cancel,
            commands::queue::queue_retry,
            commands::queue::queue_clear,
            commands::queue::queue_remove,
            commands::queue::queue_undo_clear,
            commands::queue::close_during_batch,
            commands::history::history_page,
            commands::history::history_delete,
            commands::history::history_undo,
            commands::history::history_retry,
            commands::history::history_stopped,
            commands::history::history_retry_stopped,
            commands::history::history_export,
            commands::zoom,
            commands::open_link,
            commands::acknowledge_hosting_notice,
            commands::words,
            commands::set_language,
            commands::preview_base,
            songs::songs_subscribe,
            songs::songs_generate,
            songs::songs_send_again,
            songs::songs_check_again,
            songs::songs_download,
            commands::page::page_start_afresh,
            commands::page::page_take_note,
        ])
        .build(tauri::generate_context!())
        .expect("error while building Producer Uploader")
}

#[cfg(test)]
mod ipc_tests;
