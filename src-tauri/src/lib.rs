//! Producer Uploader, the desktop app: a thin Tauri shell over the `producer_upload` core.
//!
//! - [`commands`]: what the window may call; each checks its input and calls the core.
//! - [`state`]: settings, the token in memory, the uploader.
//! - [`settings`]: the settings file (never the token).
//! - [`error`]: the app layer's errors, crossing to the UI as `ErrorReport` objects.

pub mod commands;
pub mod error;
pub mod settings;
pub mod state;

use state::{AppState, WindowMessage};
use tauri::{App, Builder, Manager, Runtime, WindowEvent};

/// Starts the app.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    run_app(Builder::default());
}

/// Builds and runs the app on any runtime (tests use Tauri's mock runtime).
pub fn run_app<R: Runtime>(builder: Builder<R>) {
    build_app(builder, None).run(|_, _| {});
}

/// Builds the app: plugins, state, commands and the configuration in `tauri.conf.json`.
///
/// `state` replaces the state read from the environment (tests pass their own).
pub fn build_app<R: Runtime>(builder: Builder<R>, state: Option<AppState>) -> App<R> {
    let builder = builder
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init());
    let builder = match state {
        Some(state) => builder.manage(state),
        // The settings folder defaults to the app's config folder, known once the app is set up.
        None => builder.setup(|app| {
            let state = AppState::from_env(app.path().app_config_dir().ok());
            app.manage(state);
            Ok(())
        }),
    };
    builder
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
            commands::explain_local_files,
            commands::check_link,
            commands::queue_subscribe,
            commands::queue_add,
            commands::queue_pause,
            commands::queue_resume,
            commands::queue_cancel,
            commands::queue_retry,
            commands::close_during_batch,
            commands::history_page,
            commands::history_delete,
            commands::history_undo,
            commands::history_retry,
            commands::history_export,
        ])
        .build(tauri::generate_context!())
        .expect("error while building Producer Uploader")
}

#[cfg(test)]
mod ipc_tests;
